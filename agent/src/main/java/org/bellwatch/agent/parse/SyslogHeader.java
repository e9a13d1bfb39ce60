package org.bellwatch.agent.parse;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwatch.agent.decode.MalformedException;

/**
 * The syslog header in front of a vendor payload, as relays and appliances write it: an optional
 * {@code <PRI>}, then RFC 5424 ({@code 1 TIMESTAMP HOST APP PROCID MSGID SD}), RFC 3164
 * ({@code Mmm dd hh:mm:ss [HOST] [TAG[pid]:]}), or nothing. A pure function: RFC 3164 has no year and no
 * zone (RFC 3164 section 4.1.2), so the caller gives both.
 *
 * @param pri       the priority, or -1 when absent
 * @param timestamp the header's time text as written, or null when there is no time
 * @param time      that time as an instant, or null
 * @param host      the HOSTNAME field, or null
 * @param tag       the TAG / APP-NAME without {@code [pid]} and colon, or null
 * @param payload   the rest of the line: what the vendor wrote
 */
public record SyslogHeader(int pri, String timestamp, Instant time, String host, String tag, String payload) {
  private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
      "Nov", "Dec"};
  /** A line time more than this ahead of the reference belongs to the previous year (December read in January). */
  private static final long FUTURE_SLACK_DAYS = 7;
  /** {@code Mmm dd hh:mm:ss}; the day is space-padded by the RFC, but some senders write {@code Mar 7}. */
  private static final Pattern UTM_TIME = Pattern.compile("(\\d{4}):(\\d{2}):(\\d{2})-(\\d{2}):(\\d{2}):(\\d{2})(?= )");
  private static final Pattern RFC3164_TIME = Pattern.compile(
      "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\\d{1,2}) (\\d{2}):(\\d{2}):(\\d{2})(?= |$)");

  /**
   * Splits {@code line}. Without a recognizable header the whole line is the payload (no error: many
   * vendors write plain files). A {@code <PRI>} followed by nothing we know keeps the rest as payload.
   *
   * @param zone      zone of RFC 3164 local times
   * @param reference the instant that decides RFC 3164's year: the latest year not more than a week ahead of it
   */
  public static SyslogHeader parse(String line, ZoneId zone, Instant reference) throws MalformedException {
    int i = 0;
    int pri = -1;
    if (line.startsWith("<")) {
      int close = line.indexOf('>');
      if (close > 1 && close <= 4 && digits(line, 1, close)) {
        pri = Integer.parseInt(line.substring(1, close));
        if (pri > 191) {
          throw new MalformedException("syslog_bad_pri");
        }
        i = close + 1;
      }
    }
    if (line.startsWith("1 ", i)) {
      return rfc5424(line, i + 2, pri);
    }
    if (isRfc3164Time(line, i)) {
      return rfc3164(line, i, pri, zone, reference);
    }
    Matcher utm = UTM_TIME.matcher(line);
    utm.region(i, line.length());
    if (utm.lookingAt()) {
      return sophosUtm(line, i, pri, zone);
    }
    return new SyslogHeader(pri, null, null, null, null, line.substring(i));
  }

  private static SyslogHeader rfc5424(String line, int i, int pri) throws MalformedException {
    String[] f = new String[3];
    int pos = i;
    for (int k = 0; k < 3; k++) {
      int sp = line.indexOf(' ', pos);
      if (sp < 0) {
        throw new MalformedException("syslog_short_rfc5424");
      }
      f[k] = line.substring(pos, sp);
      pos = sp + 1;
    }
    Instant time = rfc5424Time(f[0]);
    String rest = line.substring(pos);
    // PROCID MSGID STRUCTURED-DATA follow in RFC 5424 section 6; Cisco Meraki omits all three, so they
    // are consumed only when the third token is "-" or opens structured data. The structured data stays
    // in the payload: Check Point puts its whole record there.
    String[] next = rest.split(" ", 4);
    if (next.length >= 3 && (next[2].equals("-") || next[2].startsWith("["))) {
      rest = next[2].equals("-") ? (next.length == 4 ? next[3] : "")
          : rest.substring(next[0].length() + next[1].length() + 2);
    }
    return new SyslogHeader(pri, f[0], time, nil(f[1]), nil(f[2]), rest);
  }

  /**
   * RFC 5424 section 6.2.3 TIMESTAMP, or epoch seconds with a fraction, which Cisco Meraki writes in that slot.
   */
  private static Instant rfc5424Time(String t) throws MalformedException {
    if (t.equals("-")) {
      return null;
    }
    try {
      if (t.indexOf('T') > 0) {
        return OffsetDateTime.parse(t).toInstant();
      }
      return epoch(t);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new MalformedException("syslog_bad_timestamp");
    }
  }

  /** 9999-12-31T23:59:59Z: a later epoch time is a garbled field, not a date. */
  static final long MAX_EPOCH_SECS = 253_402_300_799L;

  /** {@code 1647479503.348215340}: seconds, optional fraction of up to nine digits. */
  public static Instant epoch(String t) {
    int dot = t.indexOf('.');
    long secs = Long.parseLong(dot < 0 ? t : t.substring(0, dot));
    long nanos = 0;
    if (dot >= 0) {
      String frac = (t.substring(dot + 1) + "000000000").substring(0, 9);
      nanos = Long.parseLong(frac);
    }
    if (secs < 0 || secs > MAX_EPOCH_SECS) {
      throw new NumberFormatException(secs < 0 ? "negative" : "after the year 9999");
    }
    return Instant.ofEpochSecond(secs, nanos);
  }

  private static SyslogHeader rfc3164(String line, int i, int pri, ZoneId zone, Instant reference)
      throws MalformedException {
    Matcher mt = RFC3164_TIME.matcher(line);
    mt.region(i, line.length());
    if (!mt.lookingAt()) {
      throw new MalformedException("syslog_bad_timestamp");
    }
    String ts = mt.group();
    Instant time = inferYear(month(mt.group(1)), Integer.parseInt(mt.group(2)), Integer.parseInt(mt.group(3)),
        Integer.parseInt(mt.group(4)), Integer.parseInt(mt.group(5)), zone, reference);
    return hostAndTag(pri, ts, time, line, mt.end());
  }

  /**
   * Sophos UTM writes {@code 2023:03:08-15:00:00 host prog[pid]:} in its local time, with no PRI and no zone.
   */
  private static SyslogHeader sophosUtm(String line, int i, int pri, ZoneId zone) throws MalformedException {
    Matcher mt = UTM_TIME.matcher(line);
    mt.region(i, line.length());
    mt.lookingAt();
    Instant time;
    try {
      time = ZonedDateTime.of(LocalDateTime.of(Integer.parseInt(mt.group(1)), Integer.parseInt(mt.group(2)),
          Integer.parseInt(mt.group(3)), Integer.parseInt(mt.group(4)), Integer.parseInt(mt.group(5)),
          Integer.parseInt(mt.group(6))), zone).toInstant();
    } catch (DateTimeException e) {
      throw new MalformedException("syslog_bad_timestamp");
    }
    return hostAndTag(pri, mt.group(), time, line, mt.end());
  }

  private static SyslogHeader hostAndTag(int pri, String ts, Instant time, String line, int pos) {
    String rest = pos < line.length() ? line.substring(pos + 1) : "";
    String host = null;
    String tag = null;
    // HOST is a token without ':' or '='; a TAG ends in ':' (optionally after [pid]). Some senders omit HOST.
    String first = token(rest);
    if (first != null && !isTag(first) && !first.contains("=")) {
      host = first;
      rest = rest.substring(first.length()).stripLeading();
      // Infoblox writes an address after the host name ("infoblox.localdomain 10.0.0.1 dhcpd[7024]:").
      String second = token(rest);
      String third = second == null ? null : token(rest.substring(second.length()).stripLeading());
      if (second != null && !isTag(second) && third != null && isTag(third)
          && org.bellwatch.agent.net.IpLiteral.parse(second) != null) {
        rest = rest.substring(second.length()).stripLeading();
      }
    }
    String t = token(rest);
    if (t != null && isTag(t)) {
      tag = tagName(t);
      rest = rest.substring(t.length()).stripLeading();
    }
    return new SyslogHeader(pri, ts, time, host, tag, rest);
  }

  /** The instant of a year-less local time: the latest year that puts it no more than a week after the reference. */
  static Instant inferYear(int month, int day, int h, int m, int s, ZoneId zone, Instant reference)
      throws MalformedException {
    int year = reference.atZone(zone).getYear() + 1;
    Instant limit = reference.plusSeconds(FUTURE_SLACK_DAYS * 86_400);
    for (int tries = 0; tries < 9; tries++, year--) {
      try {
        Instant t = ZonedDateTime.of(LocalDateTime.of(year, month, day, h, m, s), zone).toInstant();
        if (!t.isAfter(limit)) {
          return t;
        }
      } catch (DateTimeException e) {
        // Feb 29 outside a leap year: try the year before.
      }
    }
    throw new MalformedException("syslog_bad_timestamp");
  }

  private static boolean isRfc3164Time(String line, int i) {
    Matcher mt = RFC3164_TIME.matcher(line);
    mt.region(i, line.length());
    return mt.lookingAt();
  }

  private static int month(String name) throws MalformedException {
    for (int k = 0; k < 12; k++) {
      if (MONTHS[k].equals(name)) {
        return k + 1;
      }
    }
    throw new MalformedException("syslog_bad_timestamp");
  }

  private static boolean isTag(String token) {
    return token.endsWith(":") && token.length() > 1;
  }

  /** {@code dhcpd[2301]:} or {@code (squid-1)[6802]:} becomes {@code dhcpd} / {@code (squid-1)}. */
  private static String tagName(String token) {
    String t = token.substring(0, token.length() - 1);
    int b = t.indexOf('[');
    return b > 0 ? t.substring(0, b) : t;
  }

  private static String token(String s) {
    if (s.isEmpty()) {
      return null;
    }
    int sp = s.indexOf(' ');
    return sp < 0 ? s : s.substring(0, sp);
  }

  private static boolean digits(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int k = from; k < to; k++) {
      if (!Character.isDigit(s.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  private static String nil(String s) {
    return s.equals("-") ? null : s;
  }
}
