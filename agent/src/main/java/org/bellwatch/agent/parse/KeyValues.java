package org.bellwatch.agent.parse;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code key=value key="quoted value"} payloads of FortiGate, Sophos, SonicWall and Meraki. Real
 * lines bend the syntax, so this reader is lenient in documented ways: values may be double- or
 * single-quoted; an unquoted value runs to the next {@code " key="} (Sophos XG writes
 * {@code site_category=Information Technology} and {@code domain=www. google.ca}); the first of a
 * repeated key wins (SonicWall repeats {@code msg=}); text that is not a pair is skipped.
 */
public final class KeyValues {
  /** A hostile line cannot make a map larger than this. */
  public static final int MAX_PAIRS = 256;

  private KeyValues() {
  }

  public static Map<String, String> parse(String s) {
    Map<String, String> out = new LinkedHashMap<>();
    int n = s.length();
    int i = 0;
    while (i < n && out.size() < MAX_PAIRS) {
      while (i < n && s.charAt(i) == ' ') {
        i++;
      }
      int keyStart = i;
      while (i < n && isKeyChar(s.charAt(i))) {
        i++;
      }
      if (i >= n || s.charAt(i) != '=' || i == keyStart) {
        // Not a pair: skip this word.
        while (i < n && s.charAt(i) != ' ') {
          i++;
        }
        continue;
      }
      String key = s.substring(keyStart, i);
      i++;
      String value;
      if (i < n && (s.charAt(i) == '"' || s.charAt(i) == '\'')) {
        char q = s.charAt(i);
        int close = s.indexOf(q, i + 1);
        if (close < 0) {
          close = n;
        }
        value = s.substring(i + 1, close);
        i = Math.min(n, close + 1);
      } else {
        int end = nextKey(s, i);
        value = s.substring(i, end).strip();
        i = end;
      }
      out.putIfAbsent(key, value);
    }
    return out;
  }

  /** The index of the space before the next {@code key=}, or the end. */
  private static int nextKey(String s, int from) {
    int n = s.length();
    int i = from;
    while (i < n) {
      int sp = s.indexOf(' ', i);
      if (sp < 0) {
        return n;
      }
      int k = sp + 1;
      while (k < n && s.charAt(k) == ' ') {
        k++;
      }
      int j = k;
      while (j < n && isKeyChar(s.charAt(j))) {
        j++;
      }
      if (j > k && j < n && s.charAt(j) == '=') {
        return sp;
      }
      i = sp + 1;
    }
    return n;
  }

  private static boolean isKeyChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.';
  }

  /** The value, or null when absent or empty. */
  public static String get(Map<String, String> kv, String key) {
    String v = kv.get(key);
    return v == null || v.isEmpty() ? null : v;
  }
}
