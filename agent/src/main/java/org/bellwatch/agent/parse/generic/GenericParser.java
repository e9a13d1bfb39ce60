package org.bellwatch.agent.parse.generic;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.Domains;
import org.bellwatch.agent.parse.GenericFormat;
import org.bellwatch.agent.parse.Json;
import org.bellwatch.agent.parse.LogParser;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.SyslogHeader;
import org.bellwatch.agent.parse.Users;

/**
 * A web-filter log described by configuration instead of code ({@link GenericFormat}): either a
 * regex whose named groups are the fields, or JSON lines with a dotted path per field. The host
 * comes from {@code host}, else from the URL. Lines the regex does not match, or that are not a
 * JSON object, are malformed ({@code generic_no_match}, {@code generic_not_json}); blank lines are
 * skipped.
 *
 * <p>The regex sees the whole line: from a syslog listener that is the whole message, {@code <PRI>}
 * and header included, so that a pattern can take the time from the header when the message carries
 * none (README, "Generic"). A JSON object is read after a syslog header when the line has one,
 * since the object is the message.
 */
public final class GenericParser implements LogParser {
  public static final String VENDOR = "generic";
  private final GenericFormat format;
  private final ParseContext context;
  private final ZoneId zone;
  private final DateTimeFormatter time;

  public GenericParser(ParseContext context) {
    if (context.generic() == null) {
      throw new IllegalStateException(
          "the generic vendor needs a generic: mapping in its configuration");
    }
    this.format = context.generic();
    this.context = context;
    this.zone = context.zone();
    this.time =
        switch (format.timeFormat()) {
          case "iso8601" -> DateTimeFormatter.ISO_DATE_TIME;
          case "epoch_secs", "epoch_millis" -> null;
          default -> DateTimeFormatter.ofPattern(format.timeFormat(), Locale.ROOT);
        };
  }

  /** Checks a {@code time_format} value; a message when it is not one we can use, else null. */
  public static String checkTimeFormat(String f) {
    if (f.equals("iso8601") || f.equals("epoch_secs") || f.equals("epoch_millis")) {
      return null;
    }
    try {
      DateTimeFormatter.ofPattern(f, Locale.ROOT);
      return null;
    } catch (IllegalArgumentException e) {
      return "'"
          + f
          + "' is not iso8601, epoch_secs, epoch_millis or a java.time DateTimeFormatter pattern";
    }
  }

  @Override
  public FilterEvent parse(String line) throws MalformedException {
    if (line.isBlank()) {
      return null;
    }
    Map<String, String> v = format.json() ? fromJson(line) : fromRegex(line);
    String timeText = v.get("time");
    if (timeText == null) {
      throw new MalformedException("generic_no_time");
    }
    Instant when = instant(timeText.strip());
    String ipText = v.get("client_ip");
    InetAddress client = null;
    if (ipText != null && !ipText.isBlank() && !ipText.strip().equals("-")) {
      client = AddressText.parseIp(ipText.strip());
      if (client == null) {
        throw new MalformedException("generic_bad_client_ip");
      }
    }
    String url = blankToNull(v.get("url"));
    String host = Domains.normalize(blankToNull(v.get("host")));
    if (host == null) {
      host = Domains.hostOfUrl(url);
    }
    if (host == null && url == null) {
      throw new MalformedException("generic_no_url_or_host");
    }
    String actionText = blankToNull(v.get("action"));
    Action action =
        actionText == null ? null : format.actions().get(actionText.toLowerCase(Locale.ROOT));
    if (action == null) {
      action = format.defaultAction();
    }
    if (action == null) {
      throw new MalformedException("generic_unknown_action");
    }
    String user = Users.normalize(v.get("user"));
    String category = blankToNull(v.get("category"));
    String rule = blankToNull(v.get("rule"));
    String method =
        action == Action.BLOCKED || action == Action.WARNED ? format.blockMethod() : null;
    String summary =
        (actionText == null ? action.id() : actionText)
            + " "
            + (url != null ? url : host)
            + (category == null ? "" : " category " + category)
            + (user == null ? "" : " user " + user);
    return new FilterEvent(
        when, client, user, url, host, category, action, VENDOR, method, rule, summary, line);
  }

  private Map<String, String> fromRegex(String line) throws MalformedException {
    Matcher m = format.pattern().matcher(line);
    if (!m.find()) {
      throw new MalformedException("generic_no_match");
    }
    Map<String, String> out = new java.util.HashMap<>();
    for (String f : GenericFormat.FIELDS) {
      if (GenericFormat.hasGroup(format.pattern(), f)) {
        String g = m.group(GenericFormat.group(f));
        if (g != null) {
          out.put(f, g);
        }
      }
    }
    return out;
  }

  private Map<String, String> fromJson(String line) throws MalformedException {
    String s = line.strip();
    if (!s.startsWith("{")) {
      s = SyslogHeader.parse(s, zone, context.reference().instant()).payload().strip();
    }
    if (!s.startsWith("{")) {
      throw new MalformedException("generic_not_json");
    }
    Object root = Json.parse(s, 0);
    Map<String, String> out = new java.util.HashMap<>();
    for (Map.Entry<String, String> e : format.jsonFields().entrySet()) {
      Object val = Json.at(root, e.getValue());
      if (val instanceof String str) {
        out.put(e.getKey(), str);
      } else if (val instanceof Boolean b) {
        out.put(e.getKey(), b.toString());
      }
    }
    return out;
  }

  private Instant instant(String text) throws MalformedException {
    try {
      if (time == null) {
        BigDecimal n = new BigDecimal(text);
        if (format.timeFormat().equals("epoch_millis")) {
          n = n.movePointLeft(3);
        }
        long secs = n.longValue();
        long nanos = n.subtract(BigDecimal.valueOf(secs)).movePointRight(9).longValue();
        return Instant.ofEpochSecond(secs, nanos);
      }
      TemporalAccessor t = time.parseBest(text, ZonedDateTime::from, LocalDateTime::from);
      return t instanceof ZonedDateTime z
          ? z.toInstant()
          : ((LocalDateTime) t).atZone(zone).toInstant();
    } catch (DateTimeException | NumberFormatException | ArithmeticException e) {
      throw new MalformedException("generic_bad_time");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() || s.strip().equals("-") ? null : s.strip();
  }
}
