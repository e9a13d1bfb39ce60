package org.bellwatch.agent.parse.sonicwall;

import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.BlockMethod;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.Domains;
import org.bellwatch.agent.parse.KeyValues;
import org.bellwatch.agent.parse.LogParser;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.SyslogHeader;
import org.bellwatch.agent.parse.Users;

/**
 * SonicOS key=value syslog, Content Filtering Service (CFS) records only: message id {@code m=14}
 * ("Web site access denied") is a {@code filter-deny}; {@code m=97} ("Web site hit") is allowed.
 * Other message ids (connections, IPS, VPN) return null. The line may start with a relay's address
 * or a {@code <PRI>}.
 *
 * <p>{@code src=ip:port:iface[:host]}; URL from {@code dstname} + {@code arg}, scheme from {@code
 * proto=tcp/https}; category {@code Category}; rule: the CFS policy inside {@code note="Policy:
 * cfsZonePolicy0, Info: ..."}. {@code time="... UTC"} is UTC; without the suffix, the source's zone
 * applies.
 */
public final class SonicwallParser implements LogParser {
  public static final String VENDOR = "sonicwall";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final Pattern POLICY = Pattern.compile("Policy: ([^,]+)");
  private final ParseContext context;

  public SonicwallParser(ParseContext context) {
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
    String m = KeyValues.get(kv, "m");
    if (m == null) {
      if (KeyValues.get(kv, "sn") == null) {
        throw new MalformedException("sonicwall_not_key_value");
      }
      return null;
    }
    if (!m.equals("14") && !m.equals("97")) {
      return null;
    }
    String src = KeyValues.get(kv, "src");
    InetAddress client = src == null ? null : AddressText.parseIp(src.split(":")[0]);
    if (client == null) {
      throw new MalformedException("sonicwall_bad_src");
    }
    Instant time = time(KeyValues.get(kv, "time"));
    String host = KeyValues.get(kv, "dstname");
    String proto = KeyValues.get(kv, "proto");
    String scheme =
        proto != null && proto.endsWith("/https")
            ? "https://"
            : proto != null && proto.endsWith("/http") ? "http://" : "";
    String arg = KeyValues.get(kv, "arg");
    String url = host == null ? null : scheme + host + (arg == null ? "" : arg);
    Action verdict = m.equals("14") ? Action.BLOCKED : Action.ALLOWED;
    String note = KeyValues.get(kv, "note");
    Matcher pm = note == null ? null : POLICY.matcher(note);
    String rule = pm != null && pm.find() ? pm.group(1).strip() : null;
    String category = KeyValues.get(kv, "Category");
    String user = Users.normalize(KeyValues.get(kv, "usr"));
    String msg = KeyValues.get(kv, "msg");
    String summary =
        "m="
            + m
            + " "
            + (msg == null ? "" : msg + " ")
            + url
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
        verdict == Action.BLOCKED ? BlockMethod.FILTER_DENY : null,
        rule,
        summary,
        line);
  }

  private Instant time(String t) throws MalformedException {
    if (t == null) {
      throw new MalformedException("sonicwall_no_time");
    }
    try {
      if (t.endsWith(" UTC")) {
        return LocalDateTime.parse(t.substring(0, t.length() - 4), TIME).toInstant(ZoneOffset.UTC);
      }
      return LocalDateTime.parse(t, TIME).atZone(context.zone()).toInstant();
    } catch (DateTimeException e) {
      throw new MalformedException("sonicwall_bad_time");
    }
  }
}
