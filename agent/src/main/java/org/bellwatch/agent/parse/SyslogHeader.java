package org.bellwatch.agent.parse;

import static org.bellwatch.agent.parse.LocalDateTimes.number;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.MalformedException;

/**
 * The syslog header in front of a vendor payload, as relays and appliances write it: an optional
 * {@code <PRI>}, then RFC 5424 ({@code 1 TIMESTAMP HOST APP PROCID MSGID SD [BOM]}), RFC 3164
 * ({@code Mmm dd hh:mm:ss [HOST] [TAG[pid]:]}), the same with an RFC 3339 time in place of the RFC
 * 3164 one (rsyslog's {@code RSYSLOG_ForwardFormat}, and its high-precision file format), or
 * nothing. A pure function: RFC 3164 has no year and no zone (RFC 3164 section 4.1.2), so the
 * caller gives both.
 *
 * <p>Design note. Every message of a syslog listener passes through here, so the header is read by
 * hand, by offsets into the line, and only the fields of the record become strings: the timestamps'
 * grammars are written out at {@link #rfc3164TimeEnd}, {@link #rfc3339TimeEnd} and {@link
 * #utmTimeEnd} (each held by a test to the regular expression it stands for; they cost no {@code
 * Matcher} per line), structured data is skipped by {@link StructuredData}, and the host and tag
 * are cut without copying the rest of the line each time. The header forms stay in this one record:
 * a line is tried against them in a fixed order from the same offsets, and that order is the rule
 * that tells them apart.
 *
 * @param pri the priority, or -1 when absent
 * @param timestamp the header's time text as written, or null when there is no time
 * @param time that time as an instant, or null
 * @param host the HOSTNAME field, or null
 * @param tag the TAG / APP-NAME without {@code [pid]} and colon, or null
 * @param payload the rest of the line: what the vendor wrote
 */
public record SyslogHeader(
    int pri, String timestamp, Instant time, String host, String tag, String payload) {
  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };

  /**
   * A line time more than this ahead of the reference belongs to the previous year (December read
   * in January).
   */
  private static final long FUTURE_SLACK_DAYS = 7;

  /** The shape of an RFC 3339 date-time up to its seconds: {@code d} is an ASCII digit. */
  private static final String ISO_TIME_SHAPE = "dddd-dd-ddTdd:dd:dd";

  /** U+FEFF, which RFC 5424 section 6.4 lets a sender put at the start of MSG to mark it UTF-8. */
  private static final String BOM = "\uFEFF";

  /** Length of {@code yyyy:MM:dd-HH:mm:ss}, Sophos UTM's header time. */
  private static final int UTM_TIME_CHARS = 19;

  /**
   * Splits {@code line}. Without a recognizable header the whole line is the payload (no error:
   * many vendors write plain files). A {@code <PRI>} followed by nothing we know keeps the rest as
   * payload.
   *
   * @param zone zone of RFC 3164 local times
   * @param reference the instant that decides RFC 3164's year: the latest year not more than a week
   *     ahead of it
   */
  public static SyslogHeader parse(String line, ZoneId zone, Instant reference)
      throws MalformedException {
    int i = 0;
    int pri = -1;
    if (line.startsWith("<")) {
      int close = line.indexOf('>');
      if (close > 1 && close <= 4 && digits(line, 1, close)) {
        pri = Integer.parseInt(line, 1, close, 10);
        if (pri > 191) {
          throw new MalformedException("syslog_bad_pri");
        }
        i = close + 1;
      }
    }
    if (line.startsWith("1 ", i)) {
      return rfc5424(line, i + 2, pri);
    }
    int isoEnd = rfc3339TimeEnd(line, i);
    if (isoEnd >= 0) {
      return hostAndTag(
          pri, line.substring(i, isoEnd), rfc3339Time(line.substring(i, isoEnd)), line, isoEnd);
    }
    int end = rfc3164TimeEnd(line, i);
    if (end >= 0) {
      return rfc3164(line, i, end, pri, zone, reference);
    }
    if (utmTimeEnd(line, i) >= 0) {
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
    return new SyslogHeader(
        pri, f[0], time, nil(f[1]), nil(f[2]), line.substring(msgStart(line, pos)));
  }

  /**
   * Where MSG starts, given {@code pos} just after APP-NAME and its space. RFC 5424 section 6 puts
   * PROCID, MSGID and STRUCTURED-DATA there; Cisco Meraki omits all three, so they are consumed
   * only when the third token is the NILVALUE or structured data. Structured data ({@link
   * StructuredData}) is skipped whole, however many elements, spaces and escaped quotes it holds;
   * text in its place that is not structured data is kept as the start of the payload (Check Point
   * writes its record there). The single space after STRUCTURED-DATA belongs to the header, and so
   * does a BOM that starts MSG (section 6.4: it only says that MSG is UTF-8).
   */
  private static int msgStart(String line, int pos) {
    int procIdEnd = line.indexOf(' ', pos);
    int msgIdEnd = procIdEnd < 0 ? -1 : line.indexOf(' ', procIdEnd + 1);
    if (msgIdEnd < 0) {
      return pos;
    }
    int sd = msgIdEnd + 1;
    int n = line.length();
    int sdEnd;
    if (sd < n && line.charAt(sd) == '-' && (sd + 1 == n || line.charAt(sd + 1) == ' ')) {
      sdEnd = sd + 1;
    } else if (sd < n && line.charAt(sd) == '[') {
      sdEnd = StructuredData.end(line, sd);
      if (sdEnd < 0) {
        return sd;
      }
    } else {
      return pos;
    }
    int msg = sdEnd < n && line.charAt(sdEnd) == ' ' ? sdEnd + 1 : sdEnd;
    return line.startsWith(BOM, msg) ? msg + 1 : msg;
  }

  /**
   * RFC 5424 section 6.2.3 TIMESTAMP, or epoch seconds with a fraction, which Cisco Meraki writes
   * in that slot.
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

  /**
   * An RFC 3339 time whose form {@link #rfc3339TimeEnd} checked; its values may still be out of
   * range.
   */
  private static Instant rfc3339Time(String t) throws MalformedException {
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
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

  /**
   * The RFC 3164 TIMESTAMP (section 4.1.2: {@code Mmm dd hh:mm:ss}, the month's English
   * abbreviation and a space-padded day) read from {@code i} to {@code end}; RFC 3164 gives no year
   * and no zone.
   */
  private static SyslogHeader rfc3164(
      String line, int i, int end, int pri, ZoneId zone, Instant reference)
      throws MalformedException {
    // Read backwards from the end: "hh:mm:ss" is the last 8 characters, a space before it ends the
    // day.
    int dayEnd = end - 9;
    int dayDigits = isDigit(line.charAt(dayEnd - 2)) ? 2 : 1;
    Instant time =
        inferYear(
            monthIndex(line, i) + 1,
            number(line, dayEnd - dayDigits, dayDigits),
            number(line, end - 8, 2),
            number(line, end - 5, 2),
            number(line, end - 2, 2),
            zone,
            reference);
    return hostAndTag(pri, line.substring(i, end), time, line, end);
  }

  /**
   * Sophos UTM writes {@code 2023:03:08-15:00:00 host prog[pid]:} in its local time, with no PRI
   * and no zone.
   */
  private static SyslogHeader sophosUtm(String line, int i, int pri, ZoneId zone)
      throws MalformedException {
    Instant time;
    try {
      time =
          ZonedDateTime.of(
                  LocalDateTime.of(
                      number(line, i, 4),
                      number(line, i + 5, 2),
                      number(line, i + 8, 2),
                      number(line, i + 11, 2),
                      number(line, i + 14, 2),
                      number(line, i + 17, 2)),
                  zone)
              .toInstant();
    } catch (DateTimeException e) {
      throw new MalformedException("syslog_bad_timestamp");
    }
    int end = i + UTM_TIME_CHARS;
    return hostAndTag(pri, line.substring(i, end), time, line, end);
  }

  /**
   * The fields after the timestamp that ends at {@code pos}: the character there (a space, or a
   * line end) is skipped, then an optional HOSTNAME, then an optional TAG (RFC 3164 section 4.1.3).
   * Positions stay offsets into {@code line}; the payload is cut once, at the end.
   */
  private static SyslogHeader hostAndTag(int pri, String ts, Instant time, String line, int pos) {
    int n = line.length();
    int rest = pos < n ? pos + 1 : n;
    String host = null;
    String tag = null;
    // HOST is a token without ':' or '='; a TAG ends in ':' (optionally after [pid]). Some senders
    // omit HOST.
    // A token runs to the next space: it is empty when the rest begins with one, and then it is the
    // host.
    if (rest < n) {
      int firstEnd = KeyValues.wordEnd(line, rest);
      if (!isTag(line, rest, firstEnd) && !contains(line, rest, firstEnd, '=')) {
        host = line.substring(rest, firstEnd);
        rest = skipWhitespace(line, firstEnd);
        // Infoblox writes an address after the host name ("infoblox.localdomain 10.0.0.1
        // dhcpd[7024]:").
        if (rest < n) {
          int secondEnd = KeyValues.wordEnd(line, rest);
          int third = skipWhitespace(line, secondEnd);
          if (!isTag(line, rest, secondEnd)
              && third < n
              && isTag(line, third, KeyValues.wordEnd(line, third))
              && AddressText.parseIp(line.substring(rest, secondEnd)) != null) {
            rest = third;
          }
        }
      }
    }
    if (rest < n) {
      int tagEnd = KeyValues.wordEnd(line, rest);
      if (isTag(line, rest, tagEnd)) {
        tag = tagName(line, rest, tagEnd);
        rest = skipWhitespace(line, tagEnd);
      }
    }
    return new SyslogHeader(pri, ts, time, host, tag, line.substring(rest));
  }

  /**
   * The instant of a year-less local time: the latest year that puts it no more than a week after
   * the reference.
   */
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

  /**
   * The end of an RFC 3164 TIMESTAMP at {@code i} (section 4.1.2), or -1: a month abbreviation as
   * the RFC lists it (case-sensitive), one space or two (the RFC pads a one-digit day with a space;
   * some senders write {@code Mar 7} with one), a day of one or two digits, a space, {@code
   * hh:mm:ss}, and then a space or the end of the line. The end is where {@code $} of {@link
   * java.util.regex.Pattern} matches: the end of the text, or before a line terminator that ends it
   * ({@code \n}, {@code \r\n}, {@code \r}, U+0085, U+2028, U+2029), so lines that keep one read as
   * they did through the former expression.
   */
  static int rfc3164TimeEnd(String s, int i) {
    int n = s.length();
    if (i + 3 > n || monthIndex(s, i) < 0) {
      return -1;
    }
    int k = i + 3;
    int spaces = 0;
    while (k < n && s.charAt(k) == ' ' && spaces < 3) {
      k++;
      spaces++;
    }
    if (spaces == 0 || spaces > 2) {
      return -1;
    }
    int dayDigits = 0;
    while (k < n && isDigit(s.charAt(k)) && dayDigits < 3) {
      k++;
      dayDigits++;
    }
    if (dayDigits == 0 || dayDigits > 2 || k >= n || s.charAt(k) != ' ') {
      return -1;
    }
    int end = k + 9;
    if (end > n
        || !twoDigits(s, k + 1)
        || s.charAt(k + 3) != ':'
        || !twoDigits(s, k + 4)
        || s.charAt(k + 6) != ':'
        || !twoDigits(s, k + 7)) {
      return -1;
    }
    return end == n || s.charAt(end) == ' ' || endsAfterTerminator(s, end) ? end : -1;
  }

  /** True when {@code s} from {@code i} is exactly one line terminator as {@code $} knows them. */
  private static boolean endsAfterTerminator(String s, int i) {
    int left = s.length() - i;
    char c = s.charAt(i);
    if (left == 1) {
      return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }
    return left == 2 && c == '\r' && s.charAt(i + 1) == '\n';
  }

  /**
   * The end of Sophos UTM's {@code yyyy:MM:dd-HH:mm:ss} at {@code i}, followed by a space, or -1.
   * The fields are digits; their ranges are checked when the time is built.
   */
  static int utmTimeEnd(String s, int i) {
    int end = i + UTM_TIME_CHARS;
    if (end >= s.length() || s.charAt(end) != ' ') {
      return -1;
    }
    for (int k = 0; k < UTM_TIME_CHARS; k++) {
      char c = s.charAt(i + k);
      boolean ok =
          switch (k) {
            case 4, 7, 13, 16 -> c == ':';
            case 10 -> c == '-';
            default -> isDigit(c);
          };
      if (!ok) {
        return -1;
      }
    }
    return end;
  }

  /**
   * The end of an RFC 3339 date-time at {@code i} (section 5.6, with the upper-case {@code T} and
   * {@code Z} that RFC 5424 section 6.2.3 requires), followed by a space or the end of the line, or
   * -1: {@code yyyy-MM-ddTHH:mm:ss}, an optional fraction of one or more digits, then {@code Z} or
   * {@code +hh:mm} / {@code -hh:mm}. Field ranges are checked when the time is built.
   */
  static int rfc3339TimeEnd(String s, int i) {
    int n = s.length();
    if (i + ISO_TIME_SHAPE.length() > n) {
      return -1;
    }
    for (int k = 0; k < ISO_TIME_SHAPE.length(); k++) {
      char want = ISO_TIME_SHAPE.charAt(k);
      char c = s.charAt(i + k);
      if (want == 'd' ? !isDigit(c) : c != want) {
        return -1;
      }
    }
    int k = i + ISO_TIME_SHAPE.length();
    if (k < n && s.charAt(k) == '.') {
      int digits = ++k;
      while (k < n && isDigit(s.charAt(k))) {
        k++;
      }
      if (k == digits) {
        return -1;
      }
    }
    if (k < n && s.charAt(k) == 'Z') {
      k++;
    } else if (k + 6 <= n
        && (s.charAt(k) == '+' || s.charAt(k) == '-')
        && twoDigits(s, k + 1)
        && s.charAt(k + 3) == ':'
        && twoDigits(s, k + 4)) {
      k += 6;
    } else {
      return -1;
    }
    return k == n || s.charAt(k) == ' ' ? k : -1;
  }

  /** 0 for {@code Jan} to 11 for {@code Dec} at {@code i}, or -1. */
  private static int monthIndex(String s, int i) {
    if (i >= s.length()) {
      return -1;
    }
    // Every FortiGate line ("date=...") is tried here first: one character rules out most months.
    char first = s.charAt(i);
    for (int k = 0; k < 12; k++) {
      if (MONTHS[k].charAt(0) == first && s.startsWith(MONTHS[k], i)) {
        return k;
      }
    }
    return -1;
  }

  private static boolean twoDigits(String s, int at) {
    return isDigit(s.charAt(at)) && isDigit(s.charAt(at + 1));
  }

  /** {@code \d} of {@link java.util.regex.Pattern}: ASCII digits only. */
  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * As {@link String#stripLeading()}: the first index at or after {@code from} that is not white
   * space.
   */
  private static int skipWhitespace(String s, int from) {
    int k = from;
    while (k < s.length() && Character.isWhitespace(s.charAt(k))) {
      k++;
    }
    return k;
  }

  private static boolean isTag(String s, int from, int to) {
    return to - from > 1 && s.charAt(to - 1) == ':';
  }

  private static boolean contains(String s, int from, int to, char c) {
    int at = s.indexOf(c, from);
    return at >= 0 && at < to;
  }

  /** {@code dhcpd[2301]:} or {@code (squid-1)[6802]:} becomes {@code dhcpd} / {@code (squid-1)}. */
  private static String tagName(String s, int from, int to) {
    int b = s.indexOf('[', from);
    return b > from && b < to - 1 ? s.substring(from, b) : s.substring(from, to - 1);
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
