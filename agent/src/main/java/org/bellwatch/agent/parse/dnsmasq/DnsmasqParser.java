package org.bellwatch.agent.parse.dnsmasq;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.BlockMethod;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.Domains;
import org.bellwatch.agent.parse.LogParser;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.SyslogHeader;

/**
 * dnsmasq query logs ({@code log-queries}) and Pi-hole's {@code pihole.log}, which is the same
 * format: {@code Mmm dd hh:mm:ss dnsmasq[pid]: [serial client/port ]query[A] name from client}
 * followed by the answer. A blocked answer is {@code gravity blocked name is 0.0.0.0}, {@code regex
 * blacklisted}, {@code exactly blacklisted}, {@code blacklisted}, {@code config name is
 * NXDOMAIN|0.0.0.0|::} or {@code /etc/pihole/gravity.list name is 0.0.0.0}: a {@code dns-block}, or
 * a {@code dns-nxdomain} when the answer is {@code NXDOMAIN} or {@code NODATA}. dnsmasq writes
 * {@code config name is NXDOMAIN} both for a policy entry ({@code address=/name/}) and for a name
 * under its own {@code local=/domain/}: the pipeline tells them apart by the site's domains.
 * Forwarded, cached and replied names return null.
 *
 * <p><b>Stateful per instance.</b> The blocked line does not name the client; the query line before
 * it does. This parser remembers the client of the latest query per name, for at most {@link
 * #MAX_PENDING} names (the oldest is forgotten first), and pairs the blocked line with it. With
 * {@code log-queries=extra} every line carries {@code serial client/port}, and that client is used
 * directly. A blocked line whose query was not seen has an unknown client. Use one instance per
 * source.
 */
public final class DnsmasqParser implements LogParser {
  public static final String VENDOR = "dnsmasq";

  /**
   * Queries waiting for their answer line; dnsmasq answers within milliseconds, so a few hundred
   * suffice.
   */
  public static final int MAX_PENDING = 1024;

  private static final Pattern EXTRA = Pattern.compile("^\\d+ ([0-9A-Fa-f.:]+)/\\d+ (.*)$");
  private static final Pattern QUERY = Pattern.compile("^query\\[(\\w+)\\] (\\S+) from (\\S+)$");
  private static final Pattern BLOCKED =
      Pattern.compile(
          "^(gravity blocked|regex blacklisted|exactly blacklisted|blacklisted|special domain|config|/\\S*(?:gravity|black)\\S*) (\\S+) is (\\S+)$");

  private final ParseContext context;
  private final Map<String, InetAddress> pending =
      new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, InetAddress> eldest) {
          return size() > MAX_PENDING;
        }
      };

  public DnsmasqParser(ParseContext context) {
    this.context = context;
  }

  @Override
  public FilterEvent parse(String line) throws MalformedException {
    String trimmed = line.strip();
    if (trimmed.isEmpty()) {
      return null;
    }
    SyslogHeader h = SyslogHeader.parse(trimmed, context.zone(), context.reference().instant());
    if (h.time() == null) {
      throw new MalformedException("dnsmasq_no_time");
    }
    if (h.tag() == null || !(h.tag().equals("dnsmasq") || h.tag().equals("pihole-FTL"))) {
      return null;
    }
    String body = h.payload();
    InetAddress extraClient = null;
    Matcher x = EXTRA.matcher(body);
    if (x.matches()) {
      extraClient = AddressText.parseIp(x.group(1));
      body = x.group(2);
    }
    Matcher q = QUERY.matcher(body);
    if (q.matches()) {
      InetAddress client = AddressText.parseIp(q.group(3));
      String name = Domains.normalize(q.group(2));
      if (client != null && name != null) {
        pending.remove(name);
        pending.put(name, client);
      }
      return null;
    }
    Matcher b = BLOCKED.matcher(body);
    if (!b.matches()) {
      return null;
    }
    String list = b.group(1);
    String answer = b.group(3);
    if (list.equals("config")
        && !(answer.equals("NXDOMAIN")
            || answer.equals("0.0.0.0")
            || answer.equals("::")
            || answer.equals("NODATA"))) {
      return null; // a local record (address=/host/10.0.0.1), not a block
    }
    String name = Domains.normalize(b.group(2));
    InetAddress client = extraClient != null ? extraClient : pending.remove(name);
    String method =
        answer.equals("NXDOMAIN") || answer.equals("NODATA")
            ? BlockMethod.DNS_NXDOMAIN
            : BlockMethod.DNS_BLOCK;
    return new FilterEvent(
        h.time(),
        client,
        null,
        null,
        name,
        null,
        Action.BLOCKED,
        VENDOR,
        method,
        list,
        list + " " + name + " is " + answer,
        line);
  }
}
