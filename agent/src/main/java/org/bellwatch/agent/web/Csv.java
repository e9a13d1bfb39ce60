package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVPrinter;
import org.bellwatch.agent.csv.Rfc4180;

/**
 * CSV export of any table the API returns, in the dialect the agent reads ({@link Rfc4180#WRITE}:
 * comma, CRLF, quotes doubled, a field quoted where it needs to be). Cells that a spreadsheet would
 * run as a formula (starting with =, +, -, @, tab or CR) get a leading apostrophe: domain names,
 * host names and user names are attacker-controlled (OWASP "CSV injection").
 */
final class Csv {
  private Csv() {}

  /** One row per element of {@code rows} (JSON objects); nested lists are joined with " | ". */
  static String of(JsonNode rows) {
    List<String> columns = new ArrayList<>();
    for (JsonNode row : rows) {
      for (Iterator<String> it = row.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!columns.contains(name)) {
          columns.add(name);
        }
      }
    }
    return of(columns, rows);
  }

  /**
   * The {@code columns} of each row, in that order: the header is there even when there are no
   * rows.
   */
  static String of(List<String> columns, JsonNode rows) {
    StringBuilder sb = new StringBuilder();
    try (CSVPrinter out = Rfc4180.WRITE.print(sb)) {
      out.printRecord(columns.stream().map(Csv::neutralized));
      for (JsonNode row : rows) {
        out.printRecord(columns.stream().map(c -> neutralized(text(row.get(c)))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("a StringBuilder does not fail", e);
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
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        parts.add(e.getKey() + "=" + text(e.getValue()));
      }
      return String.join(" ", parts);
    }
    return n.asText();
  }

  /**
   * The value, with an apostrophe before a leading formula character so that a spreadsheet shows it
   * as text.
   */
  private static String neutralized(String value) {
    return !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
  }
}
