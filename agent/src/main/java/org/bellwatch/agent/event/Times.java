package org.bellwatch.agent.event;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The one timestamp format of block events and evidence: ISO-8601 UTC with milliseconds. */
public final class Times {
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Times() {}

  public static String iso(Instant t) {
    long secs = t.getEpochSecond();
    // Years 0000-9999 by hand (attribution writes several per event, and java.time objects per call
    // were a
    // large share of its allocation); others through the formatter.
    if (secs < -62_167_219_200L || secs >= 253_402_300_800L) {
      return ISO_MILLIS.format(t);
    }
    long days = Math.floorDiv(secs, 86_400L);
    int secondOfDay = (int) Math.floorMod(secs, 86_400L);
    // Civil date from days since 1970-01-01 in the proleptic Gregorian calendar (eras of 400 years,
    // years starting in March so that the leap day is the last of its year).
    long z = days + 719_468L;
    long era = Math.floorDiv(z, 146_097L);
    long dayOfEra = z - era * 146_097L;
    long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long mp = (5 * dayOfYear + 2) / 153;
    int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
    byte[] c = new byte[24];
    digits(c, 0, year, 4);
    c[4] = '-';
    digits(c, 5, month, 2);
    c[7] = '-';
    digits(c, 8, day, 2);
    c[10] = 'T';
    digits(c, 11, secondOfDay / 3600, 2);
    c[13] = ':';
    digits(c, 14, secondOfDay / 60 % 60, 2);
    c[16] = ':';
    digits(c, 17, secondOfDay % 60, 2);
    c[19] = '.';
    digits(c, 20, t.getNano() / 1_000_000, 3);
    c[23] = 'Z';
    return new String(c, StandardCharsets.ISO_8859_1);
  }

  /** {@code HH:mm} of a local time. */
  public static String hhmm(java.time.LocalTime t) {
    byte[] c = new byte[5];
    digits(c, 0, t.getHour(), 2);
    c[2] = ':';
    digits(c, 3, t.getMinute(), 2);
    return new String(c, StandardCharsets.ISO_8859_1);
  }

  private static void digits(byte[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }

  /** The instant of a capture timestamp in microseconds since the epoch. */
  public static Instant ofEpochMicros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }

  /** Microseconds since the epoch of an instant (the inverse of {@link #ofEpochMicros}). */
  public static long epochMicros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000L);
  }

  public static Instant parse(String text) {
    return Instant.parse(text);
  }
}
