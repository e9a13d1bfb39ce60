package org.bellwatch.agent.parse;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Zone text as appliances write it next to a local time. */
public final class Zones {
  private Zones() {
  }

  /**
   * {@code -0500}, {@code +02:00}, {@code UTC-5:00}, {@code GMT}, {@code UTC}, IANA names; null when
   * absent or not understood, so that the caller falls back to the source's configured zone.
   */
  public static ZoneId parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.strip();
    if (t.startsWith("UTC") || t.startsWith("GMT")) {
      t = t.substring(3);
      if (t.isEmpty()) {
        return ZoneOffset.UTC;
      }
    }
    if (t.startsWith("+") || t.startsWith("-")) {
      int hhmm = hhmm(t);
      if (hhmm >= 0) {
        // FortiGate's tz="-0500" on every line: read without the cuts below, to the same offset.
        int sign = t.charAt(0) == '-' ? -1 : 1;
        try {
          return ZoneOffset.ofHoursMinutes(sign * (hhmm / 100), sign * (hhmm % 100));
        } catch (DateTimeException e) {
          return null;
        }
      }
      String sign = t.substring(0, 1);
      String body = t.substring(1).replace(":", "");
      try {
        int h;
        int m = 0;
        if (t.contains(":")) {
          String[] p = t.substring(1).split(":");
          h = Integer.parseInt(p[0]);
          m = Integer.parseInt(p[1]);
        } else if (body.length() <= 2) {
          h = Integer.parseInt(body);
        } else {
          h = Integer.parseInt(body.substring(0, body.length() - 2));
          m = Integer.parseInt(body.substring(body.length() - 2));
        }
        return ZoneOffset.ofHoursMinutes(sign.equals("-") ? -h : h, sign.equals("-") ? -m : m);
      } catch (NumberFormatException | DateTimeException | ArrayIndexOutOfBoundsException e) {
        return null;
      }
    }
    try {
      return ZoneId.of(t, ZoneId.SHORT_IDS);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The number of a signed {@code ±HHMM} of four ASCII digits, or -1 for any other form. */
  private static int hhmm(String t) {
    if (t.length() != 5) {
      return -1;
    }
    int v = 0;
    for (int i = 1; i < 5; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
