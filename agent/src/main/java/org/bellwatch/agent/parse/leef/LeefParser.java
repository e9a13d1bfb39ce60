package org.bellwatch.agent.parse.leef;

import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.BlockMethod;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.Domains;
import org.bellwatch.agent.parse.LogParser;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.SiemTime;
import org.bellwatch.agent.parse.Users;

/**
 * IBM QRadar Log Event Extended Format, generic: {@code LEEF:1.0|vendor|product|version|eventID|}
 * then tab-separated {@code key=value}; LEEF 2.0 adds a delimiter field ({@code |^|} or {@code
 * |x09|}) before the attributes. Optionally behind a syslog header.
 *
 * <p>Read: {@code src} client, {@code usrName} user, {@code url} URL, {@code dhost}/{@code domain}
 * host (else the URL's), {@code cat} category, {@code action} outcome, {@code policy} or {@code
 * rule} the rule, {@code devTime} the time (epoch milliseconds, or {@code MMM dd yyyy HH:mm:ss} in
 * the source's zone, else the syslog header's time). Outcomes as in {@link
 * org.bellwatch.agent.parse.cef.CefParser}.
 */
public final class LeefParser implements LogParser {
  public static final String VENDOR = "leef";
  private final ParseContext context;

  public LeefParser(ParseContext context) {
    this.context = context;
  }

  @Override
  public FilterEvent parse(String line) throws MalformedException {
    String trimmed = line.strip();
    int at = trimmed.indexOf("LEEF:");
    if (at < 0) {
      if (trimmed.isEmpty()) {
        return null;
      }
      throw new MalformedException("leef_no_header");
    }
    Instant headerTime = SiemTime.headerTime(trimmed, at, context);
    String rest = trimmed.substring(at);
    String[] head = rest.split("\\|", 7);
    if (head.length < 6) {
      throw new MalformedException("leef_short_header");
    }
    String attrs;
    String delimiter = "\t";
    if (head[0].equals("LEEF:2.0") && head.length == 7) {
      delimiter = delimiter(head[5]);
      attrs = head[6];
    } else {
      attrs =
          rest.substring(
              rest.indexOf(
                      '|',
                      rest.indexOf(
                              '|',
                              rest.indexOf('|', rest.indexOf('|', rest.indexOf('|') + 1) + 1) + 1)
                          + 1)
                  + 1);
    }
    Map<String, String> kv = new LinkedHashMap<>();
    for (String pair : attrs.split(java.util.regex.Pattern.quote(delimiter), 256)) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        kv.putIfAbsent(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
      }
    }
    Instant time = SiemTime.of(kv.get("devTime"), headerTime, false, VENDOR, context);
    InetAddress client = AddressText.parseIp(kv.get("src"));
    if (kv.get("src") != null && client == null) {
      throw new MalformedException("leef_bad_src");
    }
    String act = kv.getOrDefault("action", "").toLowerCase(Locale.ROOT);
    Action verdict =
        act.matches(".*(block|den|drop|reject).*")
            ? Action.BLOCKED
            : act.contains("warn") ? Action.WARNED : Action.ALLOWED;
    String url = kv.get("url");
    String host = kv.get("dhost") != null ? kv.get("dhost") : kv.get("domain");
    String domain = host != null ? Domains.normalize(host) : Domains.hostOfUrl(url);
    String rule = kv.get("policy") != null ? kv.get("policy") : kv.get("rule");
    String user = Users.normalize(kv.get("usrName"));
    String summary =
        head[1]
            + " "
            + head[2]
            + " "
            + head[4]
            + " "
            + act
            + " "
            + (url != null ? url : domain)
            + (user == null ? "" : " user " + user);
    return new FilterEvent(
        time,
        client,
        user,
        url,
        domain,
        kv.get("cat"),
        verdict,
        VENDOR,
        verdict == Action.ALLOWED ? null : BlockMethod.FILTER_DENY,
        rule,
        summary,
        line);
  }

  /**
   * LEEF 2.0's attribute delimiter (the sixth header field): one character, or its code in hex
   * after {@code x} or {@code 0x} ({@code x09}, {@code 0x5E}); empty means tab. A code that is not
   * one to four hex digits is a malformed header, not a guess.
   */
  static String delimiter(String field) throws MalformedException {
    if (field.isEmpty()) {
      return "\t";
    }
    if (field.length() == 1 || !(field.startsWith("x") || field.startsWith("0x"))) {
      return field;
    }
    String hex = field.substring(field.indexOf('x') + 1);
    if (hex.isEmpty()
        || hex.length() > 4
        || !hex.chars()
            .allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
      throw new MalformedException("leef_bad_delimiter");
    }
    return String.valueOf((char) Integer.parseInt(hex, 16));
  }
}
