package org.bellwatch.agent.parse.pfblockerng;

import java.net.InetAddress;
import java.time.Instant;
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
import org.bellwatch.agent.parse.SyslogHeader;

/**
 * pfBlockerNG's {@code dnsbl.log} (pfSense): one CSV line per DNSBL block, {@code DNSBL-<mode>,<Mmm
 * d hh:mm:ss>,<queried name>,<client IP>,<agent or p_type>,<block type>, <group>,<matched
 * entry>,<feed>,<dup>}. Every {@code DNSBL-*} line is a {@code dns-block}; the group is the
 * category and the feed the rule. The time has no year and no zone: the source's zone and reference
 * instant decide (as for RFC 3164). Other lines ({@code DNS-reply}) return null.
 */
public final class PfblockerngParser implements LogParser {
  public static final String VENDOR = "pfblockerng";
  private final ParseContext context;

  public PfblockerngParser(ParseContext context) {
    this.context = context;
  }

  @Override
  public FilterEvent parse(String line) throws MalformedException {
    String trimmed = line.strip();
    if (trimmed.isEmpty()) {
      return null;
    }
    int start = trimmed.indexOf("DNSBL-");
    if (start < 0) {
      return null;
    }
    List<String> f = Csv.split(trimmed.substring(start));
    if (f.size() < 9) {
      throw new MalformedException("pfblockerng_too_few_fields");
    }
    Instant time =
        SyslogHeader.parse(f.get(1).strip(), context.zone(), context.reference().instant()).time();
    if (time == null) {
      throw new MalformedException("pfblockerng_bad_time");
    }
    InetAddress client = AddressText.parseIp(f.get(3));
    if (client == null) {
      throw new MalformedException("pfblockerng_bad_client");
    }
    String domain = Domains.normalize(Csv.at(f, 2));
    String group = Csv.at(f, 6);
    String feed = Csv.at(f, 8);
    return new FilterEvent(
        time,
        client,
        null,
        null,
        domain,
        group,
        Action.BLOCKED,
        VENDOR,
        BlockMethod.DNS_BLOCK,
        feed,
        f.get(0) + " " + domain + " group " + group + " matched " + Csv.at(f, 7),
        line);
  }
}
