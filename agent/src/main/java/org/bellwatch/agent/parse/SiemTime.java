package org.bellwatch.agent.parse;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.bellwatch.agent.event.MalformedException;

/**
 * Times of the SIEM formats (ArcSight CEF {@code rt}/{@code end}, QRadar LEEF {@code devTime}):
 * epoch milliseconds, or text such as {@code Sep 15 2026 08:10:00[.123]} in the source's zone;
 * without one the syslog header's time counts. Shared by the CEF and LEEF parsers, which differ
 * only in what epoch forms their specifications allow.
 */
public final class SiemTime {
  private static final DateTimeFormatter TEXT_TIME =
      DateTimeFormatter.ofPattern("MMM dd yyyy HH:mm:ss[.SSS]", Locale.ROOT);

  private SiemTime() {}

  /**
   * The syslog header's time in front of {@code marker} at {@code at}, or null when the line starts
   * with it.
   */
  public static Instant headerTime(String line, int at, ParseContext context)
      throws MalformedException {
    return at == 0
        ? null
        : SyslogHeader.parse(
                line.substring(0, at).strip(), context.zone(), context.reference().instant())
            .time();
  }

  /**
   * The record's time {@code t}, else {@code headerTime}.
   *
   * @param epochSeconds whether 10-digit epoch seconds are allowed besides 13-digit milliseconds
   * @param vendor prefix of the named failures ({@code VENDOR_no_time}, {@code VENDOR_bad_time})
   */
  public static Instant of(
      String t, Instant headerTime, boolean epochSeconds, String vendor, ParseContext context)
      throws MalformedException {
    if (t == null) {
      if (headerTime == null) {
        throw new MalformedException(vendor + "_no_time");
      }
      return headerTime;
    }
    try {
      if (t.matches(epochSeconds ? "\\d{10,13}" : "\\d{13}")) {
        long v = Long.parseLong(t);
        return t.length() == 13 ? Instant.ofEpochMilli(v) : Instant.ofEpochSecond(v);
      }
      return LocalDateTime.parse(t, TEXT_TIME).atZone(context.zone()).toInstant();
    } catch (DateTimeException e) {
      throw new MalformedException(vendor + "_bad_time");
    }
  }
}
