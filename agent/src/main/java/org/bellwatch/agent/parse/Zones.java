package org.bellwatch.agent.parse;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Zone text as appliances write it next to a local time. */
public final class Zones {
  private Zones() {}

  /**
   * {@code -0500}, {@code +02:00}, {@code UTC-5:00}, {@code GMT}, {@code UTC}, IANA names; null
   * when absent or not understood, so that the caller falls back to the source's configured zone.
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
      int sign = t.charAt(0) == '-' ? -1 : 1;
      int len = t.length();
      try {
        int h;
        int m = 0;
        if (t.contains(":")) {
          String[] p = t.substring(1).split(":");
          h = Integer.parseInt(p[0]);
          m = Integer.parseInt(p[1]);
        } else if (len <= 3) {
          h = Integer.parseInt(t, 1, len, 10);
        } else {
          // FortiGate's tz="-0500" is on every line: read in place, without cutting strings.
          h = Integer.parseInt(t, 1, len - 2, 10);
          m = Integer.parseInt(t, len - 2, len, 10);
        }
        return ZoneOffset.ofHoursMinutes(sign * h, sign * m);
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
}
