package org.bellwatch.agent.parse;

/**
 * Finds where RFC 5424 STRUCTURED-DATA ends (section 6.3), so that the MSG after it reaches the
 * vendor parser alone. A pure scanner over offsets: nothing is copied or decoded, since Bellwatch
 * reads no structured data element (util-linux {@code logger} adds {@code [timeQuality ...]},
 * syslog-ng {@code [meta sequenceId="1"]}; neither says anything about a block).
 *
 * <p>The grammar, as section 6 writes it:
 *
 * <pre>
 * STRUCTURED-DATA = NILVALUE / 1*SD-ELEMENT
 * SD-ELEMENT      = "[" SD-ID *(SP SD-PARAM) "]"
 * SD-PARAM        = PARAM-NAME "=" %d34 PARAM-VALUE %d34
 * SD-ID, PARAM-NAME = 1*32 PRINTUSASCII except '=', SP, ']' and %d34
 * PARAM-VALUE     = UTF-8, with '"', '\' and ']' escaped by '\' (section 6.3.3)
 * </pre>
 *
 * Names are not held to 32 characters: the scanner only has to find the end, and a sender with a
 * long name still means the same thing. Inside a quoted value an unescaped {@code ]} is taken as
 * text, as a backslash before any other character is (section 6.3.3 says both are literal, and some
 * senders forget to escape {@code ]}). Text that breaks the grammar elsewhere (a quote in a name, a
 * missing {@code =}) is not structured data: Check Point, for one, writes its whole record as
 * {@code [key:"value"; ...]} where the structured data would be, and that text is the record its
 * parser needs.
 */
final class StructuredData {
  private StructuredData() {}

  /**
   * The index just after the last SD-ELEMENT that starts at {@code i}, or -1 when the text there is
   * not one or more SD-ELEMENTs.
   */
  static int end(String s, int i) {
    int at = i;
    if (at >= s.length() || s.charAt(at) != '[') {
      return -1;
    }
    while (at < s.length() && s.charAt(at) == '[') {
      at = elementEnd(s, at);
      if (at < 0) {
        return -1;
      }
    }
    return at;
  }

  /** The index after the {@code ]} of the SD-ELEMENT whose {@code [} is at {@code i}, or -1. */
  private static int elementEnd(String s, int i) {
    int at = nameEnd(s, i + 1);
    if (at < 0) {
      return -1;
    }
    int n = s.length();
    while (at < n) {
      char c = s.charAt(at);
      if (c == ']') {
        return at + 1;
      }
      if (c != ' ') {
        return -1;
      }
      at = nameEnd(s, at + 1);
      if (at < 0 || at + 1 >= n || s.charAt(at) != '=' || s.charAt(at + 1) != '"') {
        return -1;
      }
      at = valueEnd(s, at + 2);
      if (at < 0) {
        return -1;
      }
    }
    return -1;
  }

  /** The end of an SD-NAME (at least one character) starting at {@code i}, or -1. */
  private static int nameEnd(String s, int i) {
    int at = i;
    while (at < s.length() && isNameChar(s.charAt(at))) {
      at++;
    }
    return at > i ? at : -1;
  }

  /**
   * The index after the closing quote of a PARAM-VALUE whose first character is at {@code i}, or
   * -1.
   */
  private static int valueEnd(String s, int i) {
    for (int at = i; at < s.length(); at++) {
      char c = s.charAt(at);
      if (c == '"') {
        return at + 1;
      }
      if (c == '\\' && at + 1 < s.length() && isEscaped(s.charAt(at + 1))) {
        at++;
      }
    }
    return -1;
  }

  private static boolean isEscaped(char c) {
    return c == '"' || c == '\\' || c == ']';
  }

  /** PRINTUSASCII (%d33-126) except '=', ']' and '"' (SP is outside the range already). */
  private static boolean isNameChar(char c) {
    return c >= 33 && c <= 126 && c != '=' && c != ']' && c != '"';
  }
}
