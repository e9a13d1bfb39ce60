package org.bellwatch.agent.parse;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import org.bellwatch.agent.event.MalformedException;

/**
 * ISO 8601 date-times as DNS servers print them: {@code 2026-12-07T06:45:20.011Z} (BIND {@code
 * print-time iso8601-utc}), with an offset written {@code +01:00} or {@code +0100} (Unbound {@code
 * log-time-iso}), or without one (BIND {@code print-time iso8601}: the server's local time, read in
 * the source's zone). The fraction is optional.
 */
public final class IsoTimes {
  private static final DateTimeFormatter FORMAT =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
          .optionalStart()
          .appendOffset("+HH:MM", "Z")
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HHMM", "Z")
          .optionalEnd()
          .toFormatter(Locale.ROOT);

  private IsoTimes() {}

  /** True when {@code s} starts like {@code yyyy-MM-ddT}: worth trying {@link #parse} on. */
  public static boolean looksLikeOne(String s) {
    return s.length() > 11
        && s.charAt(4) == '-'
        && s.charAt(7) == '-'
        && s.charAt(10) == 'T'
        && Character.isDigit(s.charAt(0));
  }

  /**
   * The instant {@code text} names; without an offset, in {@code zone}.
   *
   * @throws DateTimeException when {@code text} is no such date-time
   */
  public static Instant parse(String text, ZoneId zone) {
    TemporalAccessor t = FORMAT.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
    return t instanceof OffsetDateTime o
        ? o.toInstant()
        : ((LocalDateTime) t).atZone(zone).toInstant();
  }

  /**
   * The time that opens {@code head}, the text a log line has before the message: an ISO 8601
   * date-time followed by a space or nothing, else a syslog header's time ({@link SyslogHeader}:
   * RFC 3164 has no year and no zone, so the context's reference and zone decide).
   *
   * @param vendor prefix of the named failures {@code VENDOR_bad_time} and {@code VENDOR_no_time}
   */
  public static Instant leading(String head, ParseContext context, String vendor)
      throws MalformedException {
    if (looksLikeOne(head)) {
      int sp = head.indexOf(' ');
      try {
        return parse(sp < 0 ? head : head.substring(0, sp), context.zone());
      } catch (DateTimeException e) {
        throw new MalformedException(vendor + "_bad_time");
      }
    }
    Instant t =
        head.isEmpty()
            ? null
            : SyslogHeader.parse(head, context.zone(), context.reference().instant()).time();
    if (t == null) {
      throw new MalformedException(vendor + "_no_time");
    }
    return t;
  }
}
