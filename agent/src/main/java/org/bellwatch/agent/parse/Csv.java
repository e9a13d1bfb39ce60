package org.bellwatch.agent.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * One CSV record on one line (RFC 4180 quoting: {@code "a,b"} and {@code ""} inside quotes), as
 * Umbrella, PAN-OS, Windows DHCP and Kea write them. Spaces before an opening quote are dropped
 * (older Umbrella exports write {@code , "x"}). At most {@link #MAX_FIELDS} fields.
 */
public final class Csv {
  public static final int MAX_FIELDS = 512;

  private Csv() {}

  public static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int n = line.length();
    int i = 0;
    while (i <= n && out.size() < MAX_FIELDS) {
      int start = i;
      while (i < n && line.charAt(i) == ' ') {
        i++;
      }
      if (i < n && line.charAt(i) == '"') {
        i++;
        while (i < n) {
          char c = line.charAt(i);
          if (c == '"') {
            if (i + 1 < n && line.charAt(i + 1) == '"') {
              cur.append('"');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          cur.append(c);
          i++;
        }
        while (i < n && line.charAt(i) != ',') {
          i++; // text after a closing quote is dropped
        }
      } else {
        i = start;
        while (i < n && line.charAt(i) != ',') {
          cur.append(line.charAt(i));
          i++;
        }
      }
      out.add(cur.toString());
      cur.setLength(0);
      i++;
    }
    return out;
  }

  /** Field {@code i}, or null when absent or empty. */
  public static String at(List<String> f, int i) {
    if (i >= f.size()) {
      return null;
    }
    String v = f.get(i).strip();
    return v.isEmpty() ? null : v;
  }
}
