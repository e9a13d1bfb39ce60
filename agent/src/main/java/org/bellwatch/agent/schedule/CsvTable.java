package org.bellwatch.agent.schedule;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bellwatch.agent.util.InputFileException;
import org.bellwatch.agent.util.InputFiles;

/**
 * A CSV file read by header name, per RFC 4180 (quoted fields, doubled quotes, CRLF or LF, line breaks
 * inside quotes) and as SIS exports really look: an optional UTF-8 byte-order mark, header names in any
 * order and case, extra columns ignored, blank lines skipped.
 */
final class CsvTable {
  /** One data row; {@link #line()} is the 1-based line where the row starts, for error messages. */
  record Row(int line, List<String> cells, Map<String, Integer> columns, Path file) {
    /** The trimmed cell of the column, or "" when the column is absent or the row is short. */
    String get(String column) {
      Integer i = columns.get(column.toLowerCase(Locale.ROOT));
      return i == null || i >= cells.size() ? "" : cells.get(i).trim();
    }

    ScheduleException error(String column, String problem) {
      Integer i = columns.get(column.toLowerCase(Locale.ROOT));
      String col = i == null ? "" : ":" + (i + 1);
      return new ScheduleException(file + ":" + line + col + ": " + column + ": " + problem);
    }
  }

  private CsvTable() {
  }

  static List<Row> read(Path file, String... requiredColumns) throws ScheduleException {
    return read(file, false, requiredColumns);
  }

  /**
   * Like {@link #read(Path, String...)}, and every row must have as many fields as the header (RFC 4180
   * section 2.4; OneRoster 1.1's CSV binding requires every column of a file in every row): a SIS export
   * with a short row lost data, or has a comma that should have been quoted, and its cells would be read
   * under the wrong columns.
   */
  static List<Row> readSameWidth(Path file, String... requiredColumns) throws ScheduleException {
    return read(file, true, requiredColumns);
  }

  private static List<Row> read(Path file, boolean sameWidth, String... requiredColumns) throws ScheduleException {
    String text;
    try {
      text = InputFiles.readUtf8(file);
    } catch (InputFileException e) {
      throw new ScheduleException(e.getMessage());
    } catch (IOException e) {
      throw new ScheduleException(file + ": cannot read: " + e.getMessage());
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    List<int[]> lines = new ArrayList<>();
    List<List<String>> records = split(text, file, lines);
    if (records.isEmpty()) {
      throw new ScheduleException(file + ":1: empty file, expected a header row");
    }
    Map<String, Integer> columns = new HashMap<>();
    List<String> header = records.get(0);
    for (int i = 0; i < header.size(); i++) {
      columns.putIfAbsent(header.get(i).trim().toLowerCase(Locale.ROOT), i);
    }
    for (String required : requiredColumns) {
      if (!columns.containsKey(required.toLowerCase(Locale.ROOT))) {
        throw new ScheduleException(file + ":1: missing column '" + required + "'");
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int r = 1; r < records.size(); r++) {
      List<String> cells = records.get(r);
      if (cells.size() == 1 && cells.get(0).isBlank()) {
        continue;
      }
      if (sameWidth && cells.size() != header.size()) {
        throw new ScheduleException(file + ":" + lines.get(r)[0] + ": " + cells.size() + (cells.size() == 1 ? " field"
            : " fields") + " where the header has " + header.size() + "; every row needs one field per column"
            + " (a row cut short, or a comma in a value that is not quoted)");
      }
      rows.add(new Row(lines.get(r)[0], cells, columns, file));
    }
    return rows;
  }

  private static List<List<String>> split(String text, Path file, List<int[]> startLines) throws ScheduleException {
    List<List<String>> records = new ArrayList<>();
    List<String> current = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    boolean cellWasQuoted = false;
    int line = 1;
    int recordLine = 1;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < n && text.charAt(i + 1) == '"') {
            cell.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') {
            line++;
          }
          cell.append(c);
        }
        continue;
      }
      switch (c) {
        case '"' -> {
          if (cell.toString().isBlank() && !cellWasQuoted) {
            cell.setLength(0);
            quoted = true;
            cellWasQuoted = true;
          } else {
            cell.append(c);
          }
        }
        case ',' -> {
          current.add(cell.toString());
          cell.setLength(0);
          cellWasQuoted = false;
        }
        case '\r' -> {
          // CR of a CRLF pair is dropped; a lone CR is kept as data.
          if (i + 1 >= n || text.charAt(i + 1) != '\n') {
            cell.append(c);
          }
        }
        case '\n' -> {
          current.add(cell.toString());
          records.add(current);
          startLines.add(new int[] {recordLine});
          current = new ArrayList<>();
          cell.setLength(0);
          cellWasQuoted = false;
          line++;
          recordLine = line;
        }
        default -> cell.append(c);
      }
    }
    if (quoted) {
      throw new ScheduleException(file + ":" + recordLine + ": unterminated quoted field");
    }
    if (cell.length() > 0 || !current.isEmpty() || cellWasQuoted) {
      current.add(cell.toString());
      records.add(current);
      startLines.add(new int[] {recordLine});
    }
    return records;
  }
}
