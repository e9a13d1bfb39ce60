package org.bellwatch.agent.config;

/**
 * What a school's display name ({@code export.kafka.site_name}, a message's {@code site_name}) may
 * be: the hub shows it on every row of every school's pages, so it is one line of visible text of
 * at most {@value #MAX_CHARS} characters. Control characters (Unicode category Cc: NUL, escape,
 * line breaks), line and paragraph separators and the bidirectional controls of Unicode Standard
 * Annex 9 (section 2: embeddings, overrides, isolates and marks), which reorder the text around the
 * name on screen and in logs, are refused; the joiners some scripts need (U+200C, U+200D) are not.
 */
public final class SchoolName {
  public static final int MAX_CHARS = 200;

  private SchoolName() {}

  /** Why the name cannot be shown as a school's name, or null when it can. */
  public static String problem(String name) {
    if (name.isBlank()) {
      return "is blank";
    }
    if (name.length() > MAX_CHARS) {
      return "is longer than " + MAX_CHARS + " characters";
    }
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      if (hidden(c)) {
        return String.format("holds the control character U+%04X", c);
      }
      i += Character.charCount(c);
    }
    return null;
  }

  private static boolean hidden(int c) {
    int type = Character.getType(c);
    return type == Character.CONTROL
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.SURROGATE
        || c == 0x061C
        || c == 0x200E
        || c == 0x200F
        || c >= 0x202A && c <= 0x202E
        || c >= 0x2066 && c <= 0x2069;
  }
}
