package org.bellwatch.agent.parse;

import java.time.LocalDate;
import java.time.LocalTime;

/**
 * {@code date=2026-09-15 time=08:10:00} as FortiGate and Sophos XG write them on every line. The
 * exact forms {@code uuuu-MM-dd} and {@code HH:mm:ss} are read digit by digit (the JDK's ISO
 * parsers build a parse context per call, a measurable share of ingest at syslog rates); any other
 * form goes to {@link LocalDate#parse} and {@link LocalTime#parse}, which accept and reject exactly
 * as before. Out-of- range fields throw {@link java.time.DateTimeException} either way.
 */
public final class LocalDateTimes {
  private LocalDateTimes() {}

  public static LocalDate date(String s) {
    return fixed(s, 10, '-', 4, 7)
        ? LocalDate.of(number(s, 0, 4), number(s, 5, 2), number(s, 8, 2))
        : LocalDate.parse(s);
  }

  public static LocalTime time(String s) {
    return fixed(s, 8, ':', 2, 5)
        ? LocalTime.of(number(s, 0, 2), number(s, 3, 2), number(s, 6, 2))
        : LocalTime.parse(s);
  }

  /**
   * {@code s} is {@code length} long, with {@code sep} at {@code a} and {@code b} and ASCII digits
   * elsewhere.
   */
  private static boolean fixed(String s, int length, char sep, int a, int b) {
    if (s.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (i == a || i == b ? c != sep : c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** The value of {@code width} ASCII digits at {@code at}, which the caller has checked. */
  static int number(String s, int at, int width) {
    int v = 0;
    for (int k = at; k < at + width; k++) {
      v = v * 10 + (s.charAt(k) - '0');
    }
    return v;
  }
}
