package org.bellwatch.agent.parse.panos;

import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.BlockMethod;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.Csv;
import org.bellwatch.agent.parse.Domains;
import org.bellwatch.agent.parse.LogParser;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.SyslogHeader;
import org.bellwatch.agent.parse.Users;

/**
 * PAN-OS syslog CSV, {@code THREAT} logs of subtype {@code url} (URL Filtering), behind a syslog
 * header. Field positions follow the PAN-OS "Threat Log Fields" table: generated time 6, source 7,
 * rule 11, source user 12, action 30, URL 31, category 33. Times have no zone: the source's zone
 * applies.
 *
 * <p>Actions: {@code alert} and {@code allow} are allowed; {@code continue} and {@code
 * block-continue} show a continue page (warned); {@code block-url}, {@code block-override}, {@code
 * override-lockout}, {@code drop}, {@code reset-*} and {@code block} are blocks ({@code
 * filter-deny}). Other log types (TRAFFIC, SYSTEM, other THREAT subtypes) return null.
 */
public final class PanosParser implements LogParser {
  public static final String VENDOR = "panos";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");
  private final ParseContext context;

  public PanosParser(ParseContext context) {
    this.context = context;
  }

  @Override
  public FilterEvent parse(String line) throws MalformedException {
    String trimmed = line.strip();
    if (trimmed.isEmpty()) {
      return null;
    }
    String payload =
        SyslogHeader.parse(trimmed, context.zone(), context.reference().instant()).payload();
    List<String> f = Csv.split(payload);
    if (f.size() < 5) {
      throw new MalformedException("panos_too_few_fields");
    }
    if (!"THREAT".equals(f.get(3)) || !"url".equals(f.get(4))) {
      return null;
    }
    if (f.size() < 34) {
      throw new MalformedException("panos_too_few_fields");
    }
    String t = Csv.at(f, 6) != null ? f.get(6) : Csv.at(f, 1);
    Instant time;
    try {
      time =
          ZonedDateTime.of(LocalDateTime.parse(t == null ? "" : t, TIME), context.zone())
              .toInstant();
    } catch (DateTimeException e) {
      throw new MalformedException("panos_bad_time");
    }
    InetAddress client = AddressText.parseIp(f.get(7));
    if (client == null) {
      throw new MalformedException("panos_bad_source");
    }
    String action = f.get(30).toLowerCase(Locale.ROOT);
    Action verdict;
    if (action.equals("alert") || action.equals("allow")) {
      verdict = Action.ALLOWED;
    } else if (action.equals("continue") || action.equals("block-continue")) {
      verdict = Action.WARNED;
    } else {
      verdict = Action.BLOCKED;
    }
    String url = Csv.at(f, 31);
    String category = Csv.at(f, 33);
    String rule = Csv.at(f, 11);
    String user = Users.normalize(Csv.at(f, 12));
    String summary =
        "url "
            + action
            + " "
            + url
            + (category == null ? "" : " category " + category)
            + (user == null ? "" : " user " + user);
    return new FilterEvent(
        time,
        client,
        user,
        url,
        Domains.hostOfUrl(url),
        category,
        verdict,
        VENDOR,
        verdict == Action.ALLOWED ? null : BlockMethod.FILTER_DENY,
        rule,
        summary,
        line);
  }
}
