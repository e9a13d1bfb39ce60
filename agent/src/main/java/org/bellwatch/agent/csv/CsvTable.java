package org.bellwatch.agent.csv;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.bellwatch.agent.util.InputFileException;
import org.bellwatch.agent.util.InputFiles;

/**
 * A CSV file read by header name ({@link Rfc4180#READ}: quoted fields, doubled quotes, CRLF or LF,
 * line breaks inside quotes) and as SIS exports really look: an optional UTF-8 byte-order mark,
 * header names in any order and case, extra columns ignored, blank lines skipped. Every error names
 * the file and line, and the column when one field is at fault.
 */
public final class CsvTable {
  private static final String BOM = "\uFEFF";

  /** One data row; {@link #line()} is the 1-based line where the row starts, for error messages. */
  public record Row(int line, List<String> cells, Map<String, Integer> columns, Path file) {
    /** The trimmed cell of the column, or "" when the column is absent or the row is short. */
    public String get(String column) {
      Integer i = columns.get(column.toLowerCase(Locale.ROOT));
      return i == null || i >= cells.size() ? "" : cells.get(i).trim();
    }

    /**
     * An error about this row's {@code column}: {@code file:line:column-number: column: problem}.
     */
    public CsvFileException error(String column, String problem) {
      Integer i = columns.get(column.toLowerCase(Locale.ROOT));
      String col = i == null ? "" : ":" + (i + 1);
      return new CsvFileException(file + ":" + line + col + ": " + column + ": " + problem);
    }
  }

  /** One record of the file and the line it starts on. */
  private record Record(int line, List<String> cells) {}

  private CsvTable() {}

  /** The data rows of {@code file}, which must have a header row naming every required column. */
  public static List<Row> read(Path file, String... requiredColumns) throws CsvFileException {
    return read(file, false, requiredColumns);
  }

  /**
   * Like {@link #read(Path, String...)}, and every row must have as many fields as the header (RFC
   * 4180 section 2.4; OneRoster 1.1's CSV binding requires every column of a file in every row): a
   * SIS export with a short row lost data, or has a comma that should have been quoted, and its
   * cells would be read under the wrong columns.
   */
  public static List<Row> readSameWidth(Path file, String... requiredColumns)
      throws CsvFileException {
    return read(file, true, requiredColumns);
  }

  private static List<Row> read(Path file, boolean sameWidth, String... requiredColumns)
      throws CsvFileException {
    String text;
    try {
      text = InputFiles.readUtf8(file);
    } catch (InputFileException e) {
      throw new CsvFileException(e.getMessage());
    } catch (IOException e) {
      throw new CsvFileException(file + ": cannot read: " + e.getMessage());
    }
    List<Record> records =
        records(file, text.startsWith(BOM) ? text.substring(BOM.length()) : text);
    if (records.isEmpty()) {
      throw new CsvFileException(file + ":1: empty file, expected a header row");
    }
    List<String> header = records.get(0).cells();
    Map<String, Integer> columns = columns(file, header);
    for (String required : requiredColumns) {
      if (!columns.containsKey(required.toLowerCase(Locale.ROOT))) {
        throw new CsvFileException(file + ":1: missing column '" + required + "'");
      }
    }
    List<Row> rows = new ArrayList<>(records.size() - 1);
    for (Record record : records.subList(1, records.size())) {
      List<String> cells = record.cells();
      if (cells.size() == 1 && cells.get(0).isBlank()) {
        continue;
      }
      if (sameWidth && cells.size() != header.size()) {
        throw new CsvFileException(
            file
                + ":"
                + record.line()
                + ": "
                + cells.size()
                + (cells.size() == 1 ? " field" : " fields")
                + " where the header has "
                + header.size()
                + "; every row needs one field per column (a row cut short, or a comma in a value that is not quoted)");
      }
      rows.add(new Row(record.line(), cells, columns, file));
    }
    return rows;
  }

  /**
   * Header name (lower case) to index. A name given twice is refused: which of the two columns
   * holds the data is anyone's guess. Unnamed columns (a trailing comma) are allowed, and never
   * read.
   */
  private static Map<String, Integer> columns(Path file, List<String> header)
      throws CsvFileException {
    Map<String, Integer> columns = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i).trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      Integer first = columns.putIfAbsent(name, i);
      if (first != null) {
        throw new CsvFileException(
            file
                + ":1:"
                + (i + 1)
                + ": column '"
                + header.get(i).trim()
                + "' is named twice (columns "
                + (first + 1)
                + " and "
                + (i + 1)
                + ")");
      }
    }
    return columns;
  }

  /** Every record with the line it starts on (line breaks inside quotes counted). */
  private static List<Record> records(Path file, String text) throws CsvFileException {
    List<Record> records = new ArrayList<>();
    try (CSVParser parser = Rfc4180.READ.parse(new StringReader(text))) {
      Iterator<CSVRecord> it = parser.iterator();
      while (true) {
        // Lines ended so far; the next record starts on the line after them.
        int start = (int) parser.getCurrentLineNumber() + 1;
        try {
          if (!it.hasNext()) {
            return records;
          }
        } catch (UncheckedIOException e) {
          throw notCsv(file, start, e.getCause());
        }
        records.add(new Record(start, it.next().toList()));
      }
    } catch (IOException e) {
      throw notCsv(file, 1, e);
    }
  }

  /**
   * With {@link Rfc4180#READ} (text after a closing quote kept, no escape character) the lexer
   * fails only at the end of the file inside an open quote; anything else is reported with the
   * library's words.
   */
  private static CsvFileException notCsv(Path file, int line, IOException e) {
    String what =
        e instanceof CSVException
                && e.getMessage().contains("EOF reached before encapsulated token")
            ? "unterminated quoted field"
            : "not CSV: " + e.getMessage();
    return new CsvFileException(file + ":" + line + ": " + what);
  }
}
