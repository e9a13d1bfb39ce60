package org.bellwatch.agent.decision;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A site's host name as every filter writes it: lower-case ASCII, internationalized labels as
 * A-labels (punycode, RFC 5891 section 5), letters, digits and inner hyphens only (RFC 1123 section
 * 2.1), at least two labels and not an IP address. Anything else (spaces, quotes, slashes, {@code
 * ;}, {@code #}, {@code *}, {@code _}) is refused, so a name can never carry syntax into a config
 * file. Review requests are checked with it before they are stored, so that every decision can
 * become an {@link Exemption}.
 */
public final class HostName {
  /**
   * Longest name accepted. The longest RPZ trigger we write is {@code *.<name>.<zone>.} with a zone
   * name of at most {@value Names#MAX_ZONE} characters, and a DNS name is at most 255 octets on the
   * wire (RFC 1035 section 2.3.4), which is its text length plus two.
   */
  static final int MAX_LENGTH = 255 - 2 - "*.".length() - 1 - Names.MAX_ZONE;

  private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

  private HostName() {}

  /** The name in A-label form; {@code what} names the input in the error message. */
  public static String ascii(String what, String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(what + " is required");
    }
    String t = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
        throw new IllegalArgumentException(
            what + " " + Text.shown(name) + " contains a space or control character");
      }
    }
    String ascii;
    try {
      ascii = IDN.toASCII(t, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          what + " " + Text.shown(name) + " is not a valid host name: " + e.getMessage());
    }
    String[] labels = ascii.split("\\.", -1);
    if (labels.length < 2) {
      throw new IllegalArgumentException(
          what + " " + Text.shown(name) + " needs at least two labels (example.com)");
    }
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException(
            what
                + " "
                + Text.shown(name)
                + " is not a host name: labels are 1-63 letters, digits or inner hyphens");
      }
    }
    if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException(
          what + " " + Text.shown(name) + " is an address, not a host name");
    }
    if (ascii.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          what
              + " "
              + Text.shown(name)
              + " is longer than "
              + MAX_LENGTH
              + " characters, too long to write as an RPZ trigger");
    }
    return ascii;
  }
}
