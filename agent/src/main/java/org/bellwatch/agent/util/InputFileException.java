package org.bellwatch.agent.util;

import java.io.IOException;

/**
 * An input file that cannot be read as one: not a regular file, missing, not readable, or not UTF-8
 * where text is expected. The message starts with the file (and the line, for text) and says what
 * is wrong.
 */
public final class InputFileException extends IOException {
  public InputFileException(String message) {
    super(message);
  }
}
