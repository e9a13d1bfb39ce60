package org.bellwatch.agent.parse.iscdhcpd;

import java.net.InetAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.LeaseObservation;
import org.bellwatch.agent.event.LeaseObservation.Kind;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.LeaseLogParser;
import org.bellwatch.agent.parse.Macs;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.SyslogHeader;

/**
 * ISC dhcpd's syslog lines (pfSense, Sophos UTM and plain Linux servers), IPv4 only:
 *
 * <pre>
 * DHCPACK on IP to MAC [(host)] via IF [relay X] [lease-duration N] [(RENEW)] [uid U]
 * DHCPRELEASE of IP from MAC [(host)] via IF ...     DHCPEXPIRE on IP to MAC
 * DHCPDECLINE of IP from MAC ...                     DHCPNAK on IP to MAC via IF
 * DHCPOFFER on IP to MAC ...   DHCPREQUEST for IP [(server)] from MAC ...   DHCPDISCOVER from MAC ...
 * DHCPINFORM from IP via IF
 * </pre>
 *
 * after any syslog (or Sophos UTM) header. {@code dhcpd -6} names its client by DUID (as dhcpd 4.4
 * logs, seen from the real program; the {@code TA} and {@code static} forms are from its source):
 *
 * <pre>
 * Reply NA: address IP to client with duid D iaid = N valid for S seconds     (also TA; ACK)
 * Reply NA: address IP to client with duid D iaid = N static                  (a host's fixed address; ACK)
 * Advertise NA: address IP to client with duid D iaid = N valid for S seconds (SEEN)
 * Client D releases address IP                                                (RELEASE)
 * </pre>
 *
 * The MAC is the one inside a DUID-LLT or DUID-LL ({@link Macs#fromDuid}); a DUID-EN or DUID-UUID
 * names no MAC, so such a line is counted as {@code isc_dhcpd_duid_without_mac} rather than
 * guessed. Lines of other programs, and dhcpd's own status and other DHCPv6 message lines, return
 * null; a {@code DHCP*} line we cannot read is malformed. {@code lease-duration} is the granted
 * lease time (Infoblox writes it; stock dhcpd does not, so the pipeline's default applies).
 */
public class IscDhcpdParser implements LeaseLogParser {
  public static final String VENDOR = "isc_dhcpd";
  private static final String HOST = "(?: \\(([^)]*)\\))?";
  private static final Pattern ON_TO =
      Pattern.compile("^DHCP(ACK|EXPIRE|NAK|OFFER) on (\\S+) to ([0-9A-Fa-f:]+)" + HOST + "(.*)$");
  private static final Pattern OF_FROM =
      Pattern.compile("^DHCP(RELEASE|DECLINE) of (\\S+) from ([0-9A-Fa-f:]+)" + HOST + "(.*)$");
  private static final Pattern REQUEST =
      Pattern.compile(
          "^DHCPREQUEST for (\\S+)(?: \\(\\S+\\))? from ([0-9A-Fa-f:]+)" + HOST + "(.*)$");
  private static final Pattern DISCOVER =
      Pattern.compile("^DHCPDISCOVER from ([0-9A-Fa-f:]+)" + HOST + "(.*)$");
  private static final Pattern INFORM = Pattern.compile("^DHCPINFORM from (\\S+)(.*)$");
  private static final Pattern BINDING6 =
      Pattern.compile(
          "^(Reply|Advertise) (?:NA|TA): address (\\S+) to client with duid ([0-9A-Fa-f:]+) iaid = -?\\d+ "
              + "(?:valid for (\\d+) seconds|static)$");
  private static final Pattern RELEASE6 =
      Pattern.compile("^Client ([0-9A-Fa-f:]+) releases address (\\S+)$");
  private static final Pattern DURATION = Pattern.compile("lease-duration (\\d+)");

  private final ParseContext context;
  private final String vendor;

  public IscDhcpdParser(ParseContext context) {
    this(context, VENDOR);
  }

  /** For vendors whose DHCP server is dhcpd with its own framing (Infoblox NIOS). */
  protected IscDhcpdParser(ParseContext context, String vendor) {
    this.context = context;
    this.vendor = vendor;
  }

  @Override
  public LeaseObservation parse(String line) throws MalformedException {
    String trimmed = line.strip();
    if (trimmed.isEmpty()) {
      return null;
    }
    SyslogHeader h = SyslogHeader.parse(trimmed, context.zone(), context.reference().instant());
    if (h.time() == null) {
      throw new MalformedException(vendor + "_no_time");
    }
    if (h.tag() == null || !h.tag().equals("dhcpd")) {
      return null;
    }
    String b = h.payload();
    Matcher m;
    if ((m = BINDING6.matcher(b)).matches()) {
      boolean reply = m.group(1).equals("Reply");
      return obs6(
          h, m.group(2), m.group(3), reply ? Kind.ACK : Kind.SEEN, reply ? m.group(4) : null, line);
    }
    if ((m = RELEASE6.matcher(b)).matches()) {
      return obs6(h, m.group(2), m.group(1), Kind.RELEASE, null, line);
    }
    if (!b.startsWith("DHCP")) {
      return null;
    }
    if ((m = ON_TO.matcher(b)).matches()) {
      Kind kind =
          switch (m.group(1)) {
            case "ACK" -> Kind.ACK;
            case "EXPIRE" -> Kind.EXPIRE;
            case "NAK" -> Kind.NAK;
            default -> Kind.SEEN;
          };
      return obs(h, ip(m.group(2)), m.group(3), m.group(4), kind, m.group(5), line);
    }
    if ((m = OF_FROM.matcher(b)).matches()) {
      return obs(
          h,
          ip(m.group(2)),
          m.group(3),
          m.group(4),
          m.group(1).equals("RELEASE") ? Kind.RELEASE : Kind.DECLINE,
          m.group(5),
          line);
    }
    if ((m = REQUEST.matcher(b)).matches()) {
      return obs(h, ip(m.group(1)), m.group(2), m.group(3), Kind.SEEN, "", line);
    }
    if ((m = DISCOVER.matcher(b)).matches()) {
      return obs(h, null, m.group(1), m.group(2), Kind.SEEN, "", line);
    }
    if ((m = INFORM.matcher(b)).matches()) {
      return obs(h, ip(m.group(1)), null, null, Kind.SEEN, "", line);
    }
    if (b.startsWith("DHCPLEASEQUERY")) {
      return null;
    }
    throw new MalformedException(vendor + "_unrecognized");
  }

  private LeaseObservation obs(
      SyslogHeader h, InetAddress ip, String mac, String host, Kind kind, String tail, String raw)
      throws MalformedException {
    String normalized = mac == null ? null : Macs.normalize(mac);
    if (mac != null && normalized == null) {
      throw new MalformedException(vendor + "_bad_mac");
    }
    Matcher d = DURATION.matcher(tail);
    Long secs = d.find() ? leaseSecs(d.group(1)) : null;
    return new LeaseObservation(
        h.time(),
        ip,
        normalized,
        host == null || host.isEmpty() ? null : host,
        kind,
        kind == Kind.ACK ? secs : null,
        vendor,
        raw);
  }

  private LeaseObservation obs6(
      SyslogHeader h, String ip, String duid, Kind kind, String secs, String raw)
      throws MalformedException {
    String mac = Macs.fromDuid(duid);
    if (mac == null) {
      throw new MalformedException(vendor + "_duid_without_mac");
    }
    return new LeaseObservation(
        h.time(), ip(ip), mac, null, kind, secs == null ? null : leaseSecs(secs), vendor, raw);
  }

  private Long leaseSecs(String digits) throws MalformedException {
    try {
      return Long.valueOf(digits);
    } catch (NumberFormatException e) {
      throw new MalformedException(vendor + "_bad_lease_secs"); // more digits than a long holds
    }
  }

  private InetAddress ip(String text) throws MalformedException {
    InetAddress a = AddressText.parseIp(text);
    if (a == null) {
      throw new MalformedException(vendor + "_bad_address");
    }
    return a;
  }
}
