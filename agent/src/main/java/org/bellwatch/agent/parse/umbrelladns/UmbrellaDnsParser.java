package org.bellwatch.agent.parse.umbrelladns;

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

/**
 * Cisco Umbrella DNS log CSV (S3 export): {@code timestamp, most granular identity, identities,
 * internal IP, external IP, action, query type, response code, domain, categories[, policy identity
 * type, identity types, blocked categories]}; older exports stop after the categories. Timestamps
 * are UTC (Umbrella log format documentation), whatever the source's zone.
 *
 * <p>{@code Blocked} is a {@code dns-block}; category: the blocked categories when given, else the
 * categories. The user: see {@link UmbrellaIdentities}. Umbrella logs no rule name.
 */
public final class UmbrellaDnsParser implements LogParser {
  public static final String VENDOR = "umbrella_dns";
  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  public UmbrellaDnsParser(ParseContext context) {
    // Umbrella times are UTC; nothing from the context is needed.
  }

  @Override
  public FilterEvent parse(String line) throws MalformedException {
    if (line.isBlank()) {
      return null;
    }
    List<String> f = Csv.split(line.strip());
    if (f.size() < 10) {
      throw new MalformedException("umbrella_dns_too_few_fields");
    }
    Instant time;
    try {
      time = LocalDateTime.parse(f.get(0).strip(), TIME).toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      throw new MalformedException("umbrella_dns_bad_time");
    }
    InetAddress client = AddressText.parseIp(f.get(3));
    if (client == null) {
      throw new MalformedException("umbrella_dns_bad_internal_ip");
    }
    String action = f.get(5).strip();
    Action verdict = action.equalsIgnoreCase("Blocked") ? Action.BLOCKED : Action.ALLOWED;
    String domain = Domains.normalize(Csv.at(f, 8));
    String blocked = Csv.at(f, 12);
    String category = blocked != null ? blocked : Csv.at(f, 9);
    String user =
        Users.normalize(UmbrellaIdentities.user(Csv.at(f, 1), Csv.at(f, 2), Csv.at(f, 11)));
    String summary =
        action
            + " "
            + Csv.at(f, 6)
            + " "
            + domain
            + (category == null ? "" : " category " + category)
            + (user == null ? "" : " user " + user);
    return new FilterEvent(
        time,
        client,
        user,
        null,
        domain,
        category,
        verdict,
        VENDOR,
        verdict == Action.BLOCKED ? BlockMethod.DNS_BLOCK : null,
        null,
        summary,
        line);
  }
}
