package org.bellwatch.agent.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bellwatch.agent.event.MalformedException;

/**
 * A small JSON reader for log lines (RFC 8259), so that parsers depend on the JDK only. Objects
 * become {@code Map<String,Object>}, arrays {@code List<Object>}, numbers their text, and literals
 * {@code Boolean} or null. Depth is bounded so a hostile line cannot exhaust the stack.
 */
public final class Json {
  private static final int MAX_DEPTH = 32;
  private final String s;
  private int i;

  private Json(String s, int start) {
    this.s = s;
    this.i = start;
  }

  /** Parses the JSON value starting at {@code start}; trailing text after it is an error. */
  public static Object parse(String text, int start) throws MalformedException {
    Json j = new Json(text, start);
    Object v = j.value(0);
    j.ws();
    if (j.i != text.length()) {
      throw new MalformedException("json_trailing_text");
    }
    return v;
  }

  /** The value at a dotted path of object keys ({@code "source.ip"}), or null. */
  public static Object at(Object root, String path) {
    Object cur = root;
    for (String key : path.split("\\.")) {
      if (!(cur instanceof Map<?, ?> m)) {
        return null;
      }
      cur = m.get(key);
    }
    return cur;
  }

  /** {@link #at} as text: strings and numbers as written, anything else null. */
  public static String text(Object root, String path) {
    Object v = at(root, path);
    return v instanceof String str ? str : null;
  }

  private Object value(int depth) throws MalformedException {
    if (depth > MAX_DEPTH) {
      throw new MalformedException("json_too_deep");
    }
    ws();
    if (i >= s.length()) {
      throw new MalformedException("json_truncated");
    }
    char c = s.charAt(i);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        return number();
    }
  }

  private Map<String, Object> object(int depth) throws MalformedException {
    Map<String, Object> m = new LinkedHashMap<>();
    i++;
    ws();
    if (peek() == '}') {
      i++;
      return m;
    }
    while (true) {
      ws();
      if (peek() != '"') {
        throw new MalformedException("json_bad_object");
      }
      String key = string();
      ws();
      if (peek() != ':') {
        throw new MalformedException("json_bad_object");
      }
      i++;
      m.put(key, value(depth + 1));
      ws();
      char c = peek();
      i++;
      if (c == '}') {
        return m;
      }
      if (c != ',') {
        throw new MalformedException("json_bad_object");
      }
    }
  }

  private List<Object> array(int depth) throws MalformedException {
    List<Object> l = new ArrayList<>();
    i++;
    ws();
    if (peek() == ']') {
      i++;
      return l;
    }
    while (true) {
      l.add(value(depth + 1));
      ws();
      char c = peek();
      i++;
      if (c == ']') {
        return l;
      }
      if (c != ',') {
        throw new MalformedException("json_bad_array");
      }
    }
  }

  private String string() throws MalformedException {
    i++;
    StringBuilder sb = new StringBuilder();
    while (i < s.length()) {
      char c = s.charAt(i++);
      if (c == '"') {
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (i >= s.length()) {
        break;
      }
      char e = s.charAt(i++);
      switch (e) {
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'u' -> {
          if (i + 4 > s.length()) {
            throw new MalformedException("json_bad_escape");
          }
          try {
            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          } catch (NumberFormatException ex) {
            throw new MalformedException("json_bad_escape");
          }
          i += 4;
        }
        default -> sb.append(e);
      }
    }
    throw new MalformedException("json_truncated");
  }

  private Object literal(String word, Object v) throws MalformedException {
    if (!s.startsWith(word, i)) {
      throw new MalformedException("json_bad_literal");
    }
    i += word.length();
    return v;
  }

  private String number() throws MalformedException {
    int start = i;
    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
    if (start == i) {
      throw new MalformedException("json_bad_value");
    }
    return s.substring(start, i);
  }

  private char peek() throws MalformedException {
    if (i >= s.length()) {
      throw new MalformedException("json_truncated");
    }
    return s.charAt(i);
  }

  private void ws() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
  }
}
