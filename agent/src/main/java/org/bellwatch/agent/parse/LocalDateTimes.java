package org.bellwatch.agent.parse;

import java.time.LocalDate;
import java.time.LocalTime;

/**
 * {@code date=2026-09-15 time=08:10:00} as FortiGate and Sophos XG write them on every line. The exact
 * forms {@code uuuu-MM-dd} and {@code HH:mm:ss} are read digit by digit (the JDK's ISO parsers build a
 * parse context per call, a measurable share of ingest at syslog rates); any other form goes to
 * {@link LocalDate#parse} and {@link LocalTime#parse}, which accept and reject exactly as before. Out-of-
 * range fields throw {@link java.time.DateTimeException} either way.
 */
public final class LocalDateTimes {
  private LocalDateTimes() {
  }

  public static LocalDate date(String s) {
    if (s.length() == 10 && s.charAt(4) == '-' && s.charAt(7) == '-') {
      int y = digits(s, 0, 4);
      int m = digits(s, 5, 2);
      int d = digits(s, 8, 2);
      if (y >= 0 && m >= 0 && d >= 0) {
        return LocalDate.of(y, m, d);
      }
    }
    return LocalDate.parse(s);
  }

  public static LocalTime time(String s) {
    if (s.length() == 8 && s.charAt(2) == ':' && s.charAt(5) == ':') {
      int h = digits(s, 0, 2);
      int m = digits(s, 3, 2);
      int sec = digits(s, 6, 2);
      if (h >= 0 && m >= 0 && sec >= 0) {
        return LocalTime.of(h, m, sec);
      }
    }
    return LocalTime.parse(s);
  }

  /** The number written by {@code width} ASCII digits from {@code at}, or -1 if one is not a digit. */
  private static int digits(String s, int at, int width) {
    int v = 0;
    for (int i = at; i < at + width; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
