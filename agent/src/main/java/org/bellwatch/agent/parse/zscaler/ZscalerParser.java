package org.bellwatch.agent.parse.zscaler;

import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.BlockMethod;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.Domains;
import org.bellwatch.agent.parse.Json;
import org.bellwatch.agent.parse.LogParser;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.SyslogHeader;
import org.bellwatch.agent.parse.Users;

/**
 * Zscaler Internet Access NSS web logs as JSON, bare or in the Splunk HEC wrapper ({@code
 * {"sourcetype":"zscalernss-web","event":{...}}}), optionally behind a syslog header.
 *
 * <p>{@code time} ({@code Fri Dec 31 07:07:07 2021}) is in the zone configured on the NSS feed: the
 * source's zone; its weekday is ignored. {@code action=Blocked} is a {@code proxy-deny}, {@code
 * Caution} a warning. The user is {@code login}; the category {@code urlcat}; the rule {@code
 * rulelabel}; {@code None} means empty. {@code cip} is the address Zscaler saw, usually the
 * school's public NAT address, so the client is {@code cintip} (the internal address, when the feed
 * includes it) and otherwise unknown.
 */
public final class ZscalerParser implements LogParser {
  public static final String VENDOR = "zscaler";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy", Locale.ROOT);
  private final ParseContext context;

  public ZscalerParser(ParseContext context) {
    this.context = context;
  }

  @Override
  public FilterEvent parse(String line) throws MalformedException {
    String trimmed = line.strip();
    if (trimmed.isEmpty()) {
      return null;
    }
    if (!trimmed.startsWith("{")) {
      trimmed =
          SyslogHeader.parse(trimmed, context.zone(), context.reference().instant())
              .payload()
              .strip();
    }
    Object root = Json.parse(trimmed, 0);
    Object e = Json.at(root, "event") instanceof Map<?, ?> ev ? ev : root;
    String t = text(e, "time");
    String action = text(e, "action");
    if (t == null || action == null) {
      throw new MalformedException("zscaler_missing_field");
    }
    Instant time;
    try {
      // The weekday is redundant and not always right (the corpus has "Thu Aug 29 2022", a Monday):
      // skip it.
      String noWeekday =
          t.strip().replaceAll("\\s+", " ").replaceFirst("^[A-Za-z]{3} (?=[A-Za-z]{3} )", "");
      time = LocalDateTime.parse(noWeekday, TIME).atZone(context.zone()).toInstant();
    } catch (DateTimeException ex) {
      throw new MalformedException("zscaler_bad_time");
    }
    String internal = text(e, "cintip");
    InetAddress client = internal == null ? null : AddressText.parseIp(internal);
    Action verdict =
        action.equalsIgnoreCase("Blocked")
            ? Action.BLOCKED
            : action.equalsIgnoreCase("Caution") ? Action.WARNED : Action.ALLOWED;
    String url = text(e, "eurl");
    if (url == null) {
      url = text(e, "url");
    }
    String host = text(e, "hostname");
    String domain = host != null ? Domains.normalize(host) : Domains.hostOfUrl(url);
    String category = text(e, "urlcat");
    String user = Users.normalize(text(e, "login"));
    String rule = text(e, "rulelabel");
    String summary =
        action
            + " "
            + text(e, "reqmethod")
            + " "
            + url
            + (category == null ? "" : " category " + category)
            + (user == null ? "" : " user " + user);
    return new FilterEvent(
        time,
        client,
        user,
        url,
        domain,
        category,
        verdict,
        VENDOR,
        verdict == Action.ALLOWED ? null : BlockMethod.PROXY_DENY,
        rule,
        summary,
        line);
  }

  private static String text(Object o, String key) {
    String v = Json.text(o, key);
    return v == null || v.isBlank() || v.equals("None") ? null : v;
  }
}
