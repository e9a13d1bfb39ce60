package org.bellwatch.agent.correlate;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The one timestamp format of block events and evidence: ISO-8601 UTC with milliseconds. */
public final class Times {
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Times() {
  }

  public static String iso(Instant t) {
    long secs = t.getEpochSecond();
    // Years 0000-9999 by hand (attribution writes several per event); others through the formatter.
    if (secs < -62_167_219_200L || secs >= 253_402_300_800L) {
      return ISO_MILLIS.format(t);
    }
    java.time.LocalDateTime d = java.time.LocalDateTime.ofEpochSecond(secs, 0, ZoneOffset.UTC);
    char[] c = new char[24];
    digits(c, 0, d.getYear(), 4);
    c[4] = '-';
    digits(c, 5, d.getMonthValue(), 2);
    c[7] = '-';
    digits(c, 8, d.getDayOfMonth(), 2);
    c[10] = 'T';
    digits(c, 11, d.getHour(), 2);
    c[13] = ':';
    digits(c, 14, d.getMinute(), 2);
    c[16] = ':';
    digits(c, 17, d.getSecond(), 2);
    c[19] = '.';
    digits(c, 20, t.getNano() / 1_000_000, 3);
    c[23] = 'Z';
    return new String(c);
  }

  /** {@code HH:mm} of a local time. */
  public static String hhmm(java.time.LocalTime t) {
    char[] c = new char[5];
    digits(c, 0, t.getHour(), 2);
    c[2] = ':';
    digits(c, 3, t.getMinute(), 2);
    return new String(c);
  }

  private static void digits(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /** The instant of a capture timestamp in microseconds since the epoch. */
  public static Instant ofEpochMicros(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }

  /** Microseconds since the epoch of an instant (the inverse of {@link #ofEpochMicros}). */
  public static long epochMicros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000L);
  }

  public static Instant parse(String text) {
    return Instant.parse(text);
  }
}
