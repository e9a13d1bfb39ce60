package org.bellwatch.agent.parse.meraki;

import java.net.InetAddress;
import java.util.Map;
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

/**
 * Cisco Meraki MX syslog (RFC 5424 framing with epoch seconds as the timestamp; the APP-NAME slot
 * is the log role):
 *
 * <ul>
 *   <li>{@code urls}: {@code src=ip:port ... request: METHOD URL}. Meraki logs no verdict and no
 *       category for these, so they are allowed records.
 *   <li>{@code flows}, {@code firewall} and the VPN/cellular firewall roles: {@code pattern: deny
 *       ...} (or a leading {@code deny}) is a layer-3 {@code firewall-deny} whose rule is the
 *       pattern text.
 *   <li>{@code security_event}: {@code decision=blocked} is a {@code filter-deny}; rule: the
 *       signature.
 * </ul>
 *
 * Content-filtering blocks on an MX show up only as the block page's URL in {@code urls}, which the
 * log cannot tell from a visit; other roles ({@code events}, ...) return null.
 */
public final class MerakiParser implements LogParser {
  public static final String VENDOR = "meraki";
  private final ParseContext context;

  public MerakiParser(ParseContext context) {
    this.context = context;
  }

  @Override
  public FilterEvent parse(String line) throws MalformedException {
    String trimmed = line.strip();
    if (trimmed.isEmpty()) {
      return null;
    }
    SyslogHeader h = SyslogHeader.parse(trimmed, context.zone(), context.reference().instant());
    if (h.time() == null || h.tag() == null) {
      throw new MalformedException("meraki_no_header");
    }
    String role = h.tag();
    String body = h.payload();
    if (role.equals("urls")) {
      int req = body.indexOf(" request: ");
      Map<String, String> kv = KeyValues.parse(req < 0 ? body : body.substring(0, req));
      InetAddress client = address(KeyValues.get(kv, "src"));
      if (req < 0 || client == null) {
        throw new MalformedException("meraki_bad_urls");
      }
      String[] r = body.substring(req + 10).strip().split(" ", 2);
      String url = r.length > 1 ? r[1].strip() : null;
      return new FilterEvent(
          h.time(),
          client,
          null,
          url,
          Domains.hostOfUrl(url),
          null,
          Action.ALLOWED,
          VENDOR,
          null,
          null,
          "urls " + r[0] + " " + url,
          line);
    }
    if (role.equals("flows") || role.endsWith("firewall")) {
      int pat = body.indexOf("pattern: ");
      String pattern = pat < 0 ? null : body.substring(pat + 9).strip();
      Map<String, String> kv = KeyValues.parse(pat < 0 ? body : body.substring(0, pat));
      InetAddress client = address(KeyValues.get(kv, "src"));
      if (client == null) {
        throw new MalformedException("meraki_bad_flow");
      }
      boolean deny = pattern != null ? pattern.startsWith("deny") : body.startsWith("deny ");
      String dst = KeyValues.get(kv, "dst");
      return new FilterEvent(
          h.time(),
          client,
          null,
          null,
          null,
          null,
          deny ? Action.BLOCKED : Action.ALLOWED,
          VENDOR,
          deny ? BlockMethod.FIREWALL_DENY : null,
          pattern,
          role + " " + (deny ? "deny" : "allow") + " to " + dst,
          line);
    }
    if (role.equals("security_event")) {
      int msg = body.indexOf(" message: ");
      Map<String, String> kv = KeyValues.parse(msg < 0 ? body : body.substring(0, msg));
      String direction = KeyValues.get(kv, "direction");
      InetAddress client = address(KeyValues.get(kv, "ingress".equals(direction) ? "dst" : "src"));
      if (client == null) {
        throw new MalformedException("meraki_bad_security_event");
      }
      boolean blocked = "blocked".equals(KeyValues.get(kv, "decision"));
      String text = msg < 0 ? null : body.substring(msg + 10).strip();
      return new FilterEvent(
          h.time(),
          client,
          null,
          null,
          null,
          null,
          blocked ? Action.BLOCKED : Action.ALLOWED,
          VENDOR,
          blocked ? BlockMethod.FILTER_DENY : null,
          KeyValues.get(kv, "signature"),
          "security_event " + KeyValues.get(kv, "decision") + " " + text,
          line);
    }
    return null;
  }

  /** {@code 10.0.1.29:60336}, {@code 10.0.1.29}, or an IPv6 literal without a port. */
  private static InetAddress address(String text) {
    if (text == null) {
      return null;
    }
    InetAddress a = AddressText.parseIp(text);
    if (a != null) {
      return a;
    }
    int colon = text.lastIndexOf(':');
    return colon > 0 ? AddressText.parseIp(text.substring(0, colon)) : null;
  }
}
