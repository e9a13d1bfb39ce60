package org.bellwatch.agent.parse;

import java.util.Locale;

/** MAC address text in the form the DHCP decoder writes: lower-case hex pairs joined by colons. */
public final class Macs {
  private Macs() {}

  /**
   * {@code 4C-55-41-A0-FA-99}, {@code 4c:55:41:a0:fa:99}, {@code 4c55.41a0.fa99} and {@code
   * 4C5541A0FA99} all become {@code 4c:55:41:a0:fa:99}; null for null, empty or anything that is
   * not 6 bytes of hex.
   */
  public static String normalize(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder hex = new StringBuilder(12);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.digit(c, 16) >= 0) {
        hex.append(Character.toLowerCase(c));
      } else if (c != ':' && c != '-' && c != '.') {
        return null;
      }
    }
    if (hex.length() != 12) {
      return null;
    }
    StringBuilder out = new StringBuilder(17);
    for (int i = 0; i < 12; i += 2) {
      out.append(i > 0 ? ":" : "").append(hex, i, i + 2);
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }

  /**
   * The Ethernet address inside a DUID written as colon-joined hex: DUID-LLT (type 1: hardware
   * type, 4-byte time, address) or DUID-LL (type 3: hardware type, address) of hardware type 1 (RFC
   * 8415 sections 11.2, 11.4). Null for any other DUID (DUID-EN and DUID-UUID name no link-layer
   * address).
   */
  public static String fromDuid(String duid) {
    String hex = duid.replace(":", "");
    if (hex.length() == 28 && hex.startsWith("00010001")) {
      return normalize(hex.substring(16));
    }
    if (hex.length() == 20 && hex.startsWith("00030001")) {
      return normalize(hex.substring(8));
    }
    return null;
  }
}
