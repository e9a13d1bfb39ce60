package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * CSV export of any table the API returns (RFC 4180: comma, CRLF, quotes doubled). Cells that a
 * spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) get a leading apostrophe:
 * domain names, host names and user names are attacker-controlled (OWASP "CSV injection").
 */
final class Csv {
  private Csv() {
  }

  /** One row per element of {@code rows} (JSON objects); nested lists are joined with " | ". */
  static String of(JsonNode rows) {
    List<String> columns = new ArrayList<>();
    for (JsonNode row : rows) {
      for (Iterator<String> it = row.fieldNames(); it.hasNext();) {
        String name = it.next();
        if (!columns.contains(name)) {
          columns.add(name);
        }
      }
    }
    return of(columns, rows);
  }

  /** The {@code columns} of each row, in that order: the header is there even when there are no rows. */
  static String of(List<String> columns, JsonNode rows) {
    StringBuilder sb = new StringBuilder();
    line(sb, columns);
    for (JsonNode row : rows) {
      List<String> cells = new ArrayList<>(columns.size());
      for (String c : columns) {
        cells.add(text(row.get(c)));
      }
      line(sb, cells);
    }
    return sb.toString();
  }

  private static String text(JsonNode n) {
    if (n == null || n.isNull()) {
      return "";
    }
    if (n.isArray()) {
      List<String> parts = new ArrayList<>();
      n.forEach(x -> parts.add(text(x)));
      return String.join(" | ", parts);
    }
    if (n.isObject()) {
      List<String> parts = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        parts.add(e.getKey() + "=" + text(e.getValue()));
      }
      return String.join(" ", parts);
    }
    return n.asText();
  }

  private static void line(StringBuilder sb, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(cell(cells.get(i)));
    }
    sb.append("\r\n");
  }

  static String cell(String value) {
    String v = value;
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }
}
