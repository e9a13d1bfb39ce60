package org.bellwatch.agent.parse.dnsmasqdhcp;

import java.net.InetAddress;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.DomainSearch;
import org.bellwatch.agent.event.LeaseObservation;
import org.bellwatch.agent.event.LeaseObservation.Kind;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.LeaseLogParser;
import org.bellwatch.agent.parse.Macs;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.SyslogHeader;

/**
 * dnsmasq's DHCP lines ({@code dnsmasq-dhcp[pid]:}, also in Pi-hole's log), IPv4: {@code [serial
 * ]DHCPACK(iface) IP MAC [host]}, {@code DHCPRELEASE(iface) IP MAC}, {@code DHCPDECLINE(iface) IP
 * MAC}, {@code DHCPNAK(iface) IP MAC reason}, {@code DHCPOFFER(iface) IP MAC}, {@code
 * DHCPREQUEST(iface) IP MAC}, {@code DHCPDISCOVER(iface) [IP ]MAC}, {@code DHCPINFORM(iface) IP
 * MAC}. dnsmasq logs neither lease times nor expiries on these lines.
 *
 * <p>With {@code log-dhcp}, the options sent follow each message line under the same serial (the
 * transaction id): {@code serial sent size: 10 option: 15 domain-name school.lan} and {@code serial
 * sent size: 40 option:119 domain-search 06:73:63:...}, the latter as hex bytes cut after about 14
 * with {@code ...}. Those that follow a DHCPACK are the site's domains ({@link Kind#DOMAIN}); of a
 * cut search list, the names that lie whole in the logged bytes. Other lines return null.
 *
 * <p><b>Stateful per instance:</b> it remembers the serial of the last DHCPACK line. Use one
 * instance per source.
 */
public final class DnsmasqDhcpParser implements LeaseLogParser {
  public static final String VENDOR = "dnsmasq_dhcp";
  private static final Pattern LINE =
      Pattern.compile(
          "^(?:(\\d+) )?DHCP(ACK|RELEASE|DECLINE|NAK|OFFER|REQUEST|DISCOVER|INFORM)\\([^)]*\\)((?: \\S+)*)$");
  private static final Pattern SENT_DOMAIN =
      Pattern.compile("^(\\d+) sent size: *\\d+ option: *(15|119) [a-z-]+  (\\S+)$");
  private static final Pattern HEX =
      Pattern.compile("^[0-9a-f]{2}(?::[0-9a-f]{2})*(?:\\.\\.\\.)?$");
  private final ParseContext context;

  /** The serial of the last message line when it was a DHCPACK, else null. */
  private String ackSerial;

  public DnsmasqDhcpParser(ParseContext context) {
    this.context = context;
  }

  @Override
  public LeaseObservation parse(String line) throws MalformedException {
    String trimmed = line.strip();
    if (trimmed.isEmpty()) {
      return null;
    }
    SyslogHeader h = SyslogHeader.parse(trimmed, context.zone(), context.reference().instant());
    if (h.time() == null) {
      throw new MalformedException("dnsmasq_dhcp_no_time");
    }
    if (!"dnsmasq-dhcp".equals(h.tag())) {
      return null;
    }
    Matcher d = SENT_DOMAIN.matcher(h.payload());
    if (d.matches()) {
      return d.group(1).equals(ackSerial) ? domains(h.time(), d.group(2), d.group(3), line) : null;
    }
    Matcher m = LINE.matcher(h.payload());
    if (!m.matches()) {
      return null;
    }
    ackSerial = m.group(2).equals("ACK") ? m.group(1) : null;
    String[] args = m.group(3).strip().split(" ");
    InetAddress ip = null;
    String mac = null;
    String host = null;
    int i = 0;
    if (i < args.length && AddressText.parseIp(args[i]) != null) {
      ip = AddressText.parseIp(args[i++]);
    }
    if (i < args.length) {
      mac = Macs.normalize(args[i++]);
    }
    if (mac == null) {
      throw new MalformedException("dnsmasq_dhcp_bad_mac");
    }
    Kind kind =
        switch (m.group(2)) {
          case "ACK" -> Kind.ACK;
          case "RELEASE" -> Kind.RELEASE;
          case "DECLINE" -> Kind.DECLINE;
          case "NAK" -> Kind.NAK;
          default -> Kind.SEEN;
        };
    if (kind == Kind.ACK && i < args.length) {
      host = args[i];
    }
    if (kind == Kind.ACK && ip == null) {
      throw new MalformedException("dnsmasq_dhcp_ack_without_address");
    }
    return new LeaseObservation(h.time(), ip, mac, host, kind, null, VENDOR, line);
  }

  /**
   * Option 15 (a name) or 119 (RFC 3397 wire format, as logged hex) sent with an acknowledgement.
   */
  private static LeaseObservation domains(
      java.time.Instant time, String option, String value, String line) throws MalformedException {
    List<String> names;
    if (option.equals("15")) {
      names = List.of(value);
    } else if (HEX.matcher(value).matches()) {
      String hex = value.endsWith("...") ? value.substring(0, value.length() - 3) : value;
      String[] parts = hex.split(":");
      byte[] bytes = new byte[parts.length];
      for (int i = 0; i < parts.length; i++) {
        bytes[i] = (byte) Integer.parseInt(parts[i], 16);
      }
      try {
        names =
            value.endsWith("...") ? DomainSearch.completeNames(bytes) : DomainSearch.decode(bytes);
      } catch (MalformedException e) {
        throw new MalformedException("dnsmasq_dhcp_bad_domain_search");
      }
    } else {
      throw new MalformedException("dnsmasq_dhcp_bad_domain_search");
    }
    return names.isEmpty()
        ? null
        : new LeaseObservation(time, null, null, null, Kind.DOMAIN, null, VENDOR, line, names);
  }
}
