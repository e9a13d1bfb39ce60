package org.bellwatch.agent.parse.sophosxg;

import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.BlockMethod;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.Domains;
import org.bellwatch.agent.parse.KeyValues;
import org.bellwatch.agent.parse.LocalDateTimes;
import org.bellwatch.agent.parse.LogParser;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.SyslogHeader;
import org.bellwatch.agent.parse.Users;
import org.bellwatch.agent.parse.Zones;

/**
 * Sophos Firewall (XG / SFOS) {@code log_type="Content Filtering"} records, key=value, in both
 * layouts: up to v18 ({@code date= time= timezone=}, no syslog header) and v18.5+ (syslog header
 * and {@code timestamp="2021-11-15T18:28:48-0600"}).
 *
 * <p>{@code log_subtype=Denied} or {@code action=Deny} is a block: {@code app-block} for {@code
 * log_component=Application}, else {@code filter-deny}; {@code Warned} is a warning. Category:
 * {@code category}, {@code http_category}, {@code site_category} or {@code app_category}; the
 * literal {@code None} means none. XG logs policy ids, not names, so the rule reads {@code web
 * policy 12}, {@code app policy 6} or {@code firewall rule 2}. Lines with no time at all (the "Web
 * Content Policy" alert of v18.5) take the reference instant of the source: the time the line was
 * received. Other log types return null.
 */
public final class SophosXgParser implements LogParser {
  public static final String VENDOR = "sophos_xg";
  private static final DateTimeFormatter NEW_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXX");
  private final ParseContext context;

  public SophosXgParser(ParseContext context) {
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
    Map<String, String> kv = KeyValues.parse(payload);
    if (!"Content Filtering".equals(kv.get("log_type"))) {
      return null;
    }
    InetAddress client = AddressText.parseIp(KeyValues.get(kv, "src_ip"));
    if (client == null) {
      throw new MalformedException("sophos_xg_bad_src_ip");
    }
    String subtype = lower(KeyValues.get(kv, "log_subtype"));
    String action = lower(KeyValues.get(kv, "action"));
    boolean app = "application".equals(lower(KeyValues.get(kv, "log_component")));
    Action verdict = Action.ALLOWED;
    if ("denied".equals(subtype) || "deny".equals(action) || "denied".equals(action)) {
      verdict = Action.BLOCKED;
    } else if ("warned".equals(subtype) || "warn".equals(action)) {
      verdict = Action.WARNED;
    }
    String url = KeyValues.get(kv, "url");
    String domain = Domains.hostOfUrl(url);
    if (domain == null) {
      String d = first(kv, "domain", "website");
      domain = d == null || d.contains(" ") ? null : Domains.normalize(d);
    }
    String category = first(kv, "category", "http_category", "site_category", "app_category");
    if (category != null && category.equalsIgnoreCase("none")) {
      category = null;
    }
    String rule =
        KeyValues.get(kv, "web_policy_id") != null
            ? "web policy " + kv.get("web_policy_id")
            : KeyValues.get(kv, "app_filter_policy_id") != null
                ? "app policy " + kv.get("app_filter_policy_id")
                : KeyValues.get(kv, "fw_rule_id") != null
                    ? "firewall rule " + kv.get("fw_rule_id")
                    : null;
    String user = Users.normalize(first(kv, "user_name", "user"));
    String target = url != null ? url : domain != null ? domain : KeyValues.get(kv, "app_name");
    String summary =
        (subtype == null ? action : subtype)
            + " "
            + target
            + (category == null ? "" : " category " + category)
            + (user == null ? "" : " user " + user);
    return new FilterEvent(
        time(kv),
        client,
        user,
        url,
        domain,
        category,
        verdict,
        VENDOR,
        verdict == Action.ALLOWED ? null : app ? BlockMethod.APP_BLOCK : BlockMethod.FILTER_DENY,
        rule,
        summary,
        line);
  }

  private Instant time(Map<String, String> kv) throws MalformedException {
    try {
      String ts = KeyValues.get(kv, "timestamp");
      if (ts != null) {
        return OffsetDateTime.parse(ts, NEW_TIME).toInstant();
      }
      String date = KeyValues.get(kv, "date");
      String time = KeyValues.get(kv, "time");
      if (date != null && time != null) {
        ZoneId zone = Zones.parse(KeyValues.get(kv, "timezone"));
        return ZonedDateTime.of(
                LocalDateTimes.date(date),
                LocalDateTimes.time(time),
                zone == null ? context.zone() : zone)
            .toInstant();
      }
    } catch (DateTimeException e) {
      throw new MalformedException("sophos_xg_bad_time");
    }
    return context.reference().instant();
  }

  private static String first(Map<String, String> kv, String... keys) {
    for (String k : keys) {
      String v = KeyValues.get(kv, k);
      if (v != null) {
        return v.strip();
      }
    }
    return null;
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }
}
