package org.bellwatch.agent.parse.umbrellaproxy;

import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.BlockMethod;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.Csv;
import org.bellwatch.agent.parse.Domains;
import org.bellwatch.agent.parse.LogParser;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.Users;
import org.bellwatch.agent.parse.umbrelladns.UmbrellaIdentities;

/**
 * Cisco Umbrella Secure Web Gateway (proxy) log CSV: {@code timestamp, identities, internal IP,
 * external IP, destination IP, content type, verdict, URL, referer, user agent, status, request
 * size, response size, response body size, SHA, categories, ...}. Later schema versions append
 * columns, so only these leading positions are read. Timestamps are UTC. {@code BLOCKED} is a
 * {@code proxy-deny}; an empty internal IP (traffic from a network identity) leaves the client
 * unknown.
 */
public final class UmbrellaProxyParser implements LogParser {
  public static final String VENDOR = "umbrella_proxy";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  public UmbrellaProxyParser(ParseContext context) {
    // Umbrella times are UTC; nothing from the context is needed.
  }

  @Override
  public FilterEvent parse(String line) throws MalformedException {
    if (line.isBlank()) {
      return null;
    }
    List<String> f = Csv.split(line.strip());
    if (f.size() < 16) {
      throw new MalformedException("umbrella_proxy_too_few_fields");
    }
    Instant time;
    try {
      time = LocalDateTime.parse(f.get(0).strip(), TIME).toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      throw new MalformedException("umbrella_proxy_bad_time");
    }
    String ip = Csv.at(f, 2);
    InetAddress client = ip == null ? null : AddressText.parseIp(ip);
    if (ip != null && client == null) {
      throw new MalformedException("umbrella_proxy_bad_internal_ip");
    }
    String verdictText = f.get(6).strip();
    Action verdict = verdictText.equalsIgnoreCase("BLOCKED") ? Action.BLOCKED : Action.ALLOWED;
    String url = Csv.at(f, 7);
    String category = Csv.at(f, 15);
    String user = Users.normalize(UmbrellaIdentities.user(null, Csv.at(f, 1), null));
    String summary =
        verdictText
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
        verdict == Action.BLOCKED ? BlockMethod.PROXY_DENY : null,
        null,
        summary,
        line);
  }
}
