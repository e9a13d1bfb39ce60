package org.bellwatch.agent.parse.fortigate;

import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
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
 * FortiOS key=value logs (FortiOS Log Message Reference), with or without a syslog header:
 *
 * <ul>
 *   <li>{@code type=utm subtype=webfilter}: {@code action=blocked} is a {@code filter-deny};
 *       category {@code catdesc}; rule: the web filter {@code profile}.
 *   <li>{@code subtype=app-ctrl}: {@code action=block|reset} is an {@code app-block}; category
 *       {@code appcat}; rule: the {@code applist}.
 *   <li>{@code subtype=dns}: {@code action=block|redirect} is a {@code dns-block} of {@code qname}.
 *   <li>{@code subtype=ssl}: {@code action=blocked} (certificate inspection) is a {@code
 *       filter-deny}.
 *   <li>{@code type=traffic}: {@code utmaction=block} is the session summary of a UTM block ({@code
 *       filter-deny}, or {@code app-block} when only {@code countapp} is set); {@code action=deny}
 *       is a policy drop ({@code firewall-deny}); rule: {@code policyname}, else {@code policy
 *       <id>}.
 * </ul>
 *
 * Other types (event, vpn, system) are not web-filter records and return null. Time is {@code
 * date}+{@code time} in {@code tz} (the first {@code tz=}), else the source's zone; lines without
 * {@code date} use {@code eventtime} (epoch seconds or nanoseconds). The user is {@code user}, else
 * {@code unauthuser} (the name FortiGate learned passively, e.g. from Kerberos).
 */
public final class FortigateParser implements LogParser {
  public static final String VENDOR = "fortigate";
  private final ParseContext context;

  public FortigateParser(ParseContext context) {
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
    String type = KeyValues.get(kv, "type");
    String subtype = lower(KeyValues.get(kv, "subtype"));
    String action = lower(KeyValues.get(kv, "action"));
    if (type == null || !(type.equals("utm") || type.equals("traffic"))) {
      return null;
    }
    InetAddress client = AddressText.parseIp(KeyValues.get(kv, "srcip"));
    if (client == null) {
      throw new MalformedException("fortigate_bad_srcip");
    }
    Instant time = time(kv);
    String host = KeyValues.get(kv, "hostname");
    String path = KeyValues.get(kv, "url");
    String category = null;
    String rule = null;
    String method = null;
    Action verdict = Action.ALLOWED;
    if (type.equals("utm")) {
      switch (subtype == null ? "" : subtype) {
        case "webfilter" -> {
          category = KeyValues.get(kv, "catdesc");
          rule = KeyValues.get(kv, "profile");
          if ("blocked".equals(action) || "block".equals(action)) {
            verdict = Action.BLOCKED;
            method = BlockMethod.FILTER_DENY;
          } else if (lower(KeyValues.get(kv, "eventtype")) != null
              && kv.get("eventtype").contains("warn")) {
            verdict = Action.WARNED;
            method = BlockMethod.FILTER_DENY;
          }
        }
        case "app-ctrl" -> {
          category = KeyValues.get(kv, "appcat");
          rule = KeyValues.get(kv, "applist");
          if ("block".equals(action) || "reset".equals(action)) {
            verdict = Action.BLOCKED;
            method = BlockMethod.APP_BLOCK;
          }
        }
        case "dns" -> {
          host = KeyValues.get(kv, "qname");
          path = null;
          category = KeyValues.get(kv, "catdesc");
          rule = KeyValues.get(kv, "profile");
          if ("block".equals(action) || "redirect".equals(action)) {
            verdict = Action.BLOCKED;
            method = BlockMethod.DNS_BLOCK;
          }
        }
        case "ssl" -> {
          rule = KeyValues.get(kv, "profile");
          if ("blocked".equals(action) || "block".equals(action)) {
            verdict = Action.BLOCKED;
            method = BlockMethod.FILTER_DENY;
          }
        }
        default -> {
          return null;
        }
      }
    } else {
      rule = KeyValues.get(kv, "policyname");
      if (rule == null && KeyValues.get(kv, "policyid") != null) {
        rule = "policy " + kv.get("policyid");
      }
      if ("block".equals(lower(KeyValues.get(kv, "utmaction")))) {
        verdict = Action.BLOCKED;
        method =
            KeyValues.get(kv, "countweb") == null && KeyValues.get(kv, "countapp") != null
                ? BlockMethod.APP_BLOCK
                : BlockMethod.FILTER_DENY;
      } else if ("deny".equals(action)) {
        verdict = Action.BLOCKED;
        method = BlockMethod.FIREWALL_DENY;
      }
    }
    String url = url(kv, host, path);
    String user = Users.normalize(KeyValues.get(kv, "user"));
    if (user == null) {
      user = Users.normalize(KeyValues.get(kv, "unauthuser"));
    }
    String summary =
        type
            + "/"
            + (subtype == null ? "-" : subtype)
            + " "
            + (action == null ? "-" : action)
            + (url == null ? "" : " " + url)
            + (category == null ? "" : " category " + category)
            + (user == null ? "" : " user " + user);
    return new FilterEvent(
        time,
        client,
        user,
        url,
        Domains.normalize(host),
        category,
        verdict,
        VENDOR,
        method,
        rule,
        summary,
        line);
  }

  private static String url(Map<String, String> kv, String host, String path) {
    if (host == null) {
      return null;
    }
    String service = lower(KeyValues.get(kv, "service"));
    String scheme = "https".equals(service) ? "https://" : "http".equals(service) ? "http://" : "";
    return scheme + host + (path == null ? "" : path);
  }

  private Instant time(Map<String, String> kv) throws MalformedException {
    String date = KeyValues.get(kv, "date");
    String time = KeyValues.get(kv, "time");
    if (date != null && time != null) {
      ZoneId zone = Zones.parse(KeyValues.get(kv, "tz"));
      try {
        return ZonedDateTime.of(
                LocalDateTimes.date(date),
                LocalDateTimes.time(time),
                zone == null ? context.zone() : zone)
            .toInstant();
      } catch (DateTimeException e) {
        throw new MalformedException("fortigate_bad_time");
      }
    }
    String eventtime = KeyValues.get(kv, "eventtime");
    if (eventtime != null && eventtime.matches("\\d{9,19}")) {
      long v = Long.parseLong(eventtime);
      return v > 100_000_000_000_000L
          ? Instant.ofEpochSecond(v / 1_000_000_000L, v % 1_000_000_000L)
          : Instant.ofEpochSecond(v);
    }
    throw new MalformedException("fortigate_no_time");
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }
}
