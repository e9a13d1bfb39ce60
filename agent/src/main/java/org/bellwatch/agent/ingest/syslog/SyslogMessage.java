package org.bellwatch.agent.ingest.syslog;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwatch.agent.decode.MalformedException;

/**
 * The header of one syslog message and its payload, parsed from the text of one frame (see
 * {@link SyslogText}). A pure function: the caller passes the zone of zone-less timestamps and the
 * current instant, used only to infer the year RFC 3164 leaves out.
 *
 * <p>Accepted shapes:
 * <ul>
 *   <li>RFC 5424 section 6: {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [MSG]}, NILVALUE
 *       {@code -} becoming null; a BOM that opens MSG (section 6.4) is removed.</li>
 *   <li>RFC 3164 section 4.1: {@code <PRI>Mmm dd hh:mm:ss HOSTNAME TAG[pid]: MSG}. Common variants are
 *       accepted: a year after the day ({@code Mmm dd yyyy hh:mm:ss}, Cisco), an RFC 3339 timestamp
 *       (rsyslog's high-precision format), no host name, no tag, or no timestamp at all (FortiGate sends
 *       {@code <189>date=...} with the time inside the payload).</li>
 *   <li>No PRI at all (a raw line from netcat or a tailing forwarder): {@link Format#NONE}, the whole
 *       text is the payload.</li>
 * </ul>
 * A PRI that is present but broken, or an RFC 5424 header that does not follow the grammar, is a
 * {@link MalformedException} with a bounded reason: the frame's framing cannot be trusted.
 *
 * @param format         which header was found
 * @param facility       0-23, or -1 without PRI
 * @param severity       0-7, or -1 without PRI
 * @param timestamp      the header's time, or null when the header has none
 * @param hostname       or null
 * @param appName        RFC 5424 APP-NAME or the RFC 3164 TAG, or null
 * @param procId         or null
 * @param msgId          RFC 5424 MSGID, or null
 * @param structuredData RFC 5424 STRUCTURED-DATA as sent (escapes kept), or null
 * @param message        the payload for the vendor parser, never null
 */
public record SyslogMessage(Format format, int facility, int severity, Instant timestamp, String hostname,
    String appName, String procId, String msgId, String structuredData, String message) {

  public enum Format { RFC5424, RFC3164, NONE }

  private static final Pattern BSD_TIME = Pattern.compile(
      "([A-Z][a-z]{2}) {1,2}(\\d{1,2})(?: (\\d{4}))? (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?(?: |$)");
  private static final Pattern ISO_TIME = Pattern.compile(
      "(\\d{4}-\\d{2}-\\d{2})T(\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?)(Z|[+-]\\d{2}:\\d{2})?(?: |$)");
  /** RFC 3164 section 4.1.3: TAG of at most 32 alphanumerics; real senders use '-', '_', '.', '/' too. */
  private static final Pattern TAG = Pattern.compile("([^\\s\\[\\]:]{1,48})(?:\\[([^\\]\\s]{0,128})\\])?:(?: |$)");
  private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
      "Nov", "Dec"};

  /** Parses one message; {@code zone} applies to timestamps without an offset, {@code now} infers years. */
  public static SyslogMessage parse(String text, ZoneId zone, Instant now) throws MalformedException {
    if (text.isEmpty() || text.charAt(0) != '<') {
      return new SyslogMessage(Format.NONE, -1, -1, null, null, null, null, null, null, text);
    }
    int close = text.indexOf('>');
    if (close < 2 || close > 4) {
      throw new MalformedException("syslog_bad_pri");
    }
    int pri = 0;
    for (int i = 1; i < close; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new MalformedException("syslog_bad_pri");
      }
      pri = pri * 10 + (c - '0');
    }
    // RFC 5424 section 6.2.1: facility 0-23, so PRIVAL is at most 191.
    if (pri > 191) {
      throw new MalformedException("syslog_bad_pri");
    }
    int p = close + 1;
    if (p + 1 < text.length() && isDigit(text.charAt(p)) && text.charAt(p + 1) == ' '
        || p + 2 < text.length() && isDigit(text.charAt(p)) && isDigit(text.charAt(p + 1))
        && text.charAt(p + 2) == ' ') {
      return rfc5424(text, p, pri);
    }
    return rfc3164(text, p, pri, zone, now);
  }

  private static SyslogMessage rfc5424(String text, int p, int pri) throws MalformedException {
    Fields f = new Fields(text, p);
    if (!f.next().equals("1")) {
      throw new MalformedException("syslog_unsupported_version");
    }
    String ts = f.next();
    Instant time = null;
    if (!ts.equals("-")) {
      try {
        time = OffsetDateTime.parse(ts, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        throw new MalformedException("syslog_bad_timestamp");
      }
    }
    String host = nil(f.next());
    String app = nil(f.next());
    String proc = nil(f.next());
    String msgId = nil(f.next());
    int sdStart = f.pos;
    if (sdStart >= text.length()) {
      throw new MalformedException("syslog_truncated_header");
    }
    String sd;
    int end;
    if (text.charAt(sdStart) == '-') {
      sd = null;
      end = sdStart + 1;
    } else if (text.charAt(sdStart) == '[') {
      end = structuredDataEnd(text, sdStart);
      sd = text.substring(sdStart, end);
    } else {
      throw new MalformedException("syslog_bad_structured_data");
    }
    String msg;
    if (end == text.length()) {
      msg = "";
    } else if (text.charAt(end) == ' ') {
      msg = text.substring(end + 1);
      if (msg.startsWith("\uFEFF")) {
        msg = msg.substring(1);
      }
    } else {
      throw new MalformedException("syslog_bad_structured_data");
    }
    return new SyslogMessage(Format.RFC5424, pri >> 3, pri & 7, time, host, app, proc, msgId, sd, msg);
  }

  /** RFC 5424 section 6.3: one or more SD-ELEMENTs; PARAM-VALUE is quoted, with \" \\ \] escaped. */
  private static int structuredDataEnd(String text, int p) throws MalformedException {
    int i = p;
    while (i < text.length() && text.charAt(i) == '[') {
      i++;
      boolean quoted = false;
      for (;; i++) {
        if (i >= text.length()) {
          throw new MalformedException("syslog_bad_structured_data");
        }
        char c = text.charAt(i);
        if (quoted && c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = !quoted;
        } else if (c == ']' && !quoted) {
          i++;
          break;
        }
      }
    }
    return i;
  }

  private static SyslogMessage rfc3164(String text, int p, int pri, ZoneId zone, Instant now)
      throws MalformedException {
    String rest = text.substring(p);
    Instant time = null;
    Matcher m = BSD_TIME.matcher(rest);
    Matcher iso = ISO_TIME.matcher(rest);
    if (m.lookingAt()) {
      time = bsdTime(m, zone, now);
      rest = rest.substring(m.end());
    } else if (iso.lookingAt()) {
      try {
        LocalDateTime local = LocalDateTime.of(LocalDate.parse(iso.group(1)), LocalTime.parse(iso.group(2)));
        time = iso.group(3) == null ? local.atZone(zone).toInstant()
            : local.atOffset(java.time.ZoneOffset.of(iso.group(3))).toInstant();
      } catch (DateTimeException e) {
        throw new MalformedException("syslog_bad_timestamp");
      }
      rest = rest.substring(iso.end());
    } else {
      // No timestamp: no HOSTNAME either (RFC 3164 section 4.3.3); the rest is the payload as sent.
      return new SyslogMessage(Format.RFC3164, pri >> 3, pri & 7, null, null, null, null, null, null, rest);
    }
    String host = null;
    Matcher tag = TAG.matcher(rest);
    if (!tag.lookingAt()) {
      int sp = rest.indexOf(' ');
      String first = sp < 0 ? rest : rest.substring(0, sp);
      if (!first.isEmpty()) {
        host = first;
        rest = sp < 0 ? "" : rest.substring(sp + 1);
        tag = TAG.matcher(rest);
      }
    }
    String app = null;
    String proc = null;
    if (tag.lookingAt()) {
      app = tag.group(1);
      proc = tag.group(2);
      rest = rest.substring(tag.end());
    }
    return new SyslogMessage(Format.RFC3164, pri >> 3, pri & 7, time, host, app, proc, null, null, rest);
  }

  /**
   * An RFC 3164 time in {@code zone}. Without a year, the year is the one (of last, this and next year in
   * {@code zone}) that puts the time nearest {@code now}: a December line read on January 1st belongs
   * to last year, a January line from a sender whose clock runs ahead on December 31st to next year.
   */
  private static Instant bsdTime(Matcher m, ZoneId zone, Instant now) throws MalformedException {
    int month = -1;
    for (int i = 0; i < MONTHS.length; i++) {
      if (MONTHS[i].equals(m.group(1))) {
        month = i + 1;
      }
    }
    if (month < 0) {
      throw new MalformedException("syslog_bad_timestamp");
    }
    int day = Integer.parseInt(m.group(2));
    int nanos = 0;
    if (m.group(7) != null) {
      nanos = Integer.parseInt((m.group(7) + "00000000").substring(0, 9));
    }
    try {
      LocalTime t = LocalTime.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
          Integer.parseInt(m.group(6)), nanos);
      if (m.group(3) != null) {
        return LocalDate.of(Integer.parseInt(m.group(3)), month, day).atTime(t).atZone(zone).toInstant();
      }
      int year = now.atZone(zone).getYear();
      Instant best = null;
      for (int y = year - 1; y <= year + 1; y++) {
        Instant candidate;
        try {
          candidate = LocalDate.of(y, month, day).atTime(t).atZone(zone).toInstant();
        } catch (DateTimeException e) {
          continue; // February 29th outside a leap year
        }
        if (best == null || Duration.between(candidate, now).abs().compareTo(Duration.between(best, now).abs()) < 0) {
          best = candidate;
        }
      }
      if (best == null) {
        throw new MalformedException("syslog_bad_timestamp");
      }
      return best;
    } catch (DateTimeException e) {
      throw new MalformedException("syslog_bad_timestamp");
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String nil(String field) {
    return field.equals("-") ? null : field;
  }

  /** Space-separated header fields of RFC 5424; a missing field is a truncated header. */
  private static final class Fields {
    private final String text;
    private int pos;

    Fields(String text, int pos) {
      this.text = text;
      this.pos = pos;
    }

    String next() throws MalformedException {
      int sp = text.indexOf(' ', pos);
      if (sp < 0 || sp == pos) {
        throw new MalformedException(sp == pos ? "syslog_bad_header" : "syslog_truncated_header");
      }
      String f = text.substring(pos, sp);
      pos = sp + 1;
      return f;
    }
  }
}
