package org.bellwatch.agent.csv;

/**
 * A CSV file that cannot be used as the table it should be. The message starts with the file and
 * the line (and the column, when one field is at fault) and says what is wrong: {@code
 * bells.csv:3:3: start: ...}.
 */
public final class CsvFileException extends Exception {
  public CsvFileException(String message) {
    super(message, null, false, false);
  }
}
