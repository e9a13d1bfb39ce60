package org.bellwatch.agent.parse.dnsmasqdhcp;

import java.net.InetAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwatch.agent.decode.MalformedException;
import org.bellwatch.agent.net.IpLiteral;
import org.bellwatch.agent.parse.LeaseLogParser;
import org.bellwatch.agent.parse.LeaseObservation;
import org.bellwatch.agent.parse.LeaseObservation.Kind;
import org.bellwatch.agent.parse.Macs;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.SyslogHeader;

/**
 * dnsmasq's DHCP lines ({@code dnsmasq-dhcp[pid]:}, also in Pi-hole's log), IPv4:
 * {@code [serial ]DHCPACK(iface) IP MAC [host]}, {@code DHCPRELEASE(iface) IP MAC},
 * {@code DHCPDECLINE(iface) IP MAC}, {@code DHCPNAK(iface) IP MAC reason}, {@code DHCPOFFER(iface) IP MAC},
 * {@code DHCPREQUEST(iface) IP MAC}, {@code DHCPDISCOVER(iface) [IP ]MAC}, {@code DHCPINFORM(iface) IP MAC}.
 * dnsmasq logs neither lease times nor expiries on these lines. Other lines return null.
 */
public final class DnsmasqDhcpParser implements LeaseLogParser {
  public static final String VENDOR = "dnsmasq_dhcp";
  private static final Pattern LINE = Pattern.compile(
      "^(?:\\d+ )?DHCP(ACK|RELEASE|DECLINE|NAK|OFFER|REQUEST|DISCOVER|INFORM)\\([^)]*\\)((?: \\S+)*)$");
  private final ParseContext context;

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
    Matcher m = LINE.matcher(h.payload());
    if (!m.matches()) {
      return null;
    }
    String[] args = m.group(2).strip().split(" ");
    InetAddress ip = null;
    String mac = null;
    String host = null;
    int i = 0;
    if (i < args.length && IpLiteral.parse(args[i]) != null) {
      ip = IpLiteral.parse(args[i++]);
    }
    if (i < args.length) {
      mac = Macs.normalize(args[i++]);
    }
    if (mac == null) {
      throw new MalformedException("dnsmasq_dhcp_bad_mac");
    }
    Kind kind = switch (m.group(1)) {
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
}
