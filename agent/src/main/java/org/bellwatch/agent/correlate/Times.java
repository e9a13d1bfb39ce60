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
    return ISO_MILLIS.format(t);
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
