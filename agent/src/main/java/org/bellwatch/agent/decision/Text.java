package org.bellwatch.agent.decision;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns untrusted free text (a reason, a reference) into comment lines that cannot end early: every
 * line break, control and format character (including bidi overrides, U+2028/U+2029 and NEL)
 * becomes a space, so nothing a requester types can start a line of configuration of its own.
 * Comments are wrapped to short lines, which also keeps them under the line-length limits of the
 * programs that read them (dnsmasq reads a config line into a fixed buffer).
 */
final class Text {
  /** Longest comment line we write, prefix included. */
  static final int WIDTH = 100;

  private Text() {}

  /** The text on one line: unsafe characters as spaces, runs of spaces as one, trimmed. */
  static String oneLine(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            cp -> {
              boolean unsafe =
                  switch (Character.getType(cp)) {
                    case Character.CONTROL,
                        Character.FORMAT,
                        Character.LINE_SEPARATOR,
                        Character.PARAGRAPH_SEPARATOR,
                        Character.SURROGATE,
                        Character.UNASSIGNED,
                        Character.PRIVATE_USE ->
                        true;
                    default -> Character.isWhitespace(cp) || Character.isSpaceChar(cp);
                  };
              if (!unsafe) {
                out.appendCodePoint(cp);
              } else if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
                out.append(' ');
              }
            });
    return out.toString().trim();
  }

  /** The text as comment lines, each starting with {@code prefix}, each ending in a newline. */
  static String comment(String prefix, String text) {
    StringBuilder out = new StringBuilder();
    for (String line : wrap(oneLine(text), WIDTH - prefix.length())) {
      out.append(prefix).append(line).append('\n');
    }
    return out.toString();
  }

  /**
   * Shows an input in an error message: escaped, and cut short, so the message is one safe line.
   */
  static String shown(String text) {
    StringBuilder out = new StringBuilder("\"");
    text.codePoints()
        .limit(80)
        .forEach(
            cp -> {
              if (cp < 0x20
                  || cp == 0x7f
                  || cp == '"'
                  || cp == '\\'
                  || Character.getType(cp) == Character.FORMAT
                  || Character.getType(cp) == Character.LINE_SEPARATOR
                  || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR
                  || (cp >= 0x80 && cp < 0xa0)) {
                out.append(String.format("\\u%04x", cp));
              } else {
                out.appendCodePoint(cp);
              }
            });
    return out.append(text.codePointCount(0, text.length()) > 80 ? "...\"" : "\"").toString();
  }

  private static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      while (word.length() > width) {
        if (line.length() > 0) {
          lines.add(line.toString());
          line.setLength(0);
        }
        int cut = Character.isHighSurrogate(word.charAt(width - 1)) ? width - 1 : width;
        lines.add(word.substring(0, cut));
        word = word.substring(cut);
      }
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0 || lines.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }
}
