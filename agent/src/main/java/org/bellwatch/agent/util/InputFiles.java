package org.bellwatch.agent.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Opening the files the agent reads as input (schedule CSV and iCalendar files, the configuration,
 * key and secret files, captures, logs), with errors that name the file and say what is wrong.
 *
 * <p>Only regular files: opening a FIFO for reading waits for a writer (open(2)), which hung {@code
 * check-config} on a named pipe left in the schedule folder; a device may never end. The check
 * comes before the open, by the file's type (symbolic links followed).
 *
 * <p>Text is UTF-8: a byte sequence that is not UTF-8 (a spreadsheet saved as Latin-1 or
 * Windows-1252) is named by line and column, where {@code Files.readString} only said "Input length
 * = 1".
 */
public final class InputFiles {
  /**
   * File types of stat(2)'s {@code st_mode} (the {@code S_IFMT} bits), as the {@code unix:mode}
   * attribute gives them.
   */
  private static final int S_IFMT = 0170000;

  private static final int S_IFIFO = 0010000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFSOCK = 0140000;

  private InputFiles() {}

  /**
   * Null when {@code file} is a regular file (or names nothing: the open then says so), else what
   * it is.
   */
  public static String notRegular(Path file) {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      return null;
    }
    if (a.isRegularFile()) {
      return null;
    }
    if (a.isDirectory()) {
      return "is a folder, not a file";
    }
    int type;
    try {
      type = (Integer) Files.getAttribute(file, "unix:mode") & S_IFMT;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      type = 0;
    }
    String what =
        switch (type) {
          case S_IFIFO -> "a FIFO (named pipe)";
          case S_IFCHR -> "a character device";
          case S_IFBLK -> "a block device";
          case S_IFSOCK -> "a socket";
          default -> "a special file";
        };
    return "is " + what + ", not a regular file; only regular files are read";
  }

  /** Throws naming the file unless it is a regular file. */
  public static void requireRegular(Path file) throws InputFileException {
    String why = notRegular(file);
    if (why != null) {
      throw new InputFileException(file + ": " + why);
    }
  }

  /**
   * The bytes of a regular file; a missing or unreadable one is the JDK's exception, for the caller
   * to word.
   */
  public static byte[] read(Path file) throws IOException {
    requireRegular(file);
    return Files.readAllBytes(file);
  }

  /**
   * The text of a regular file in UTF-8; a leading byte-order mark is kept (callers that allow one
   * drop it).
   */
  public static String readUtf8(Path file) throws IOException {
    return utf8(file, read(file));
  }

  /**
   * {@code bytes} decoded as UTF-8; the first invalid sequence is an {@link InputFileException}
   * naming its line.
   */
  static String utf8(Path file, byte[] bytes) throws InputFileException {
    CharsetDecoder d =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out =
        CharBuffer.allocate((int) Math.ceil(bytes.length * (double) d.maxCharsPerByte()));
    CoderResult r = d.decode(in, out, true);
    if (!r.isError()) {
      r = d.flush(out);
    }
    if (r.isError()) {
      int at = in.position();
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < at; i++) {
        if (bytes[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      throw new InputFileException(
          String.format(
              "%s:%d: byte %d of the line (0x%02X) is not UTF-8; expected"
                  + " UTF-8 (save or export the file as UTF-8, in a spreadsheet \"CSV UTF-8\")",
              file, line, at - lineStart + 1, bytes[at] & 0xff));
    }
    out.flip();
    return out.toString();
  }
}
