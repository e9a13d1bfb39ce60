package org.bellwatch.agent.parse.iscdhcpd;

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
 * ISC dhcpd's syslog lines (pfSense, Sophos UTM and plain Linux servers), IPv4 only:
 * <pre>
 * DHCPACK on IP to MAC [(host)] via IF [relay X] [lease-duration N] [(RENEW)] [uid U]
 * DHCPRELEASE of IP from MAC [(host)] via IF ...     DHCPEXPIRE on IP to MAC
 * DHCPDECLINE of IP from MAC ...                     DHCPNAK on IP to MAC via IF
 * DHCPOFFER on IP to MAC ...   DHCPREQUEST for IP [(server)] from MAC ...   DHCPDISCOVER from MAC ...
 * DHCPINFORM from IP via IF
 * </pre>
 * after any syslog (or Sophos UTM) header. Lines of other programs, and dhcpd's own status and DHCPv6
 * lines, return null; a {@code DHCP*} line we cannot read is malformed. {@code lease-duration} is the
 * granted lease time (Infoblox writes it; stock dhcpd does not, so the pipeline's default applies).
 */
public class IscDhcpdParser implements LeaseLogParser {
  public static final String VENDOR = "isc_dhcpd";
  private static final String HOST = "(?: \\(([^)]*)\\))?";
  private static final Pattern ON_TO = Pattern.compile(
      "^DHCP(ACK|EXPIRE|NAK|OFFER) on (\\S+) to ([0-9A-Fa-f:]+)" + HOST + "(.*)$");
  private static final Pattern OF_FROM = Pattern.compile(
      "^DHCP(RELEASE|DECLINE) of (\\S+) from ([0-9A-Fa-f:]+)" + HOST + "(.*)$");
  private static final Pattern REQUEST = Pattern.compile(
      "^DHCPREQUEST for (\\S+)(?: \\(\\S+\\))? from ([0-9A-Fa-f:]+)" + HOST + "(.*)$");
  private static final Pattern DISCOVER = Pattern.compile("^DHCPDISCOVER from ([0-9A-Fa-f:]+)" + HOST + "(.*)$");
  private static final Pattern INFORM = Pattern.compile("^DHCPINFORM from (\\S+)(.*)$");
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
    if (!b.startsWith("DHCP")) {
      return null;
    }
    Matcher m;
    if ((m = ON_TO.matcher(b)).matches()) {
      Kind kind = switch (m.group(1)) {
        case "ACK" -> Kind.ACK;
        case "EXPIRE" -> Kind.EXPIRE;
        case "NAK" -> Kind.NAK;
        default -> Kind.SEEN;
      };
      return obs(h, ip(m.group(2)), m.group(3), m.group(4), kind, m.group(5), line);
    }
    if ((m = OF_FROM.matcher(b)).matches()) {
      return obs(h, ip(m.group(2)), m.group(3), m.group(4), m.group(1).equals("RELEASE") ? Kind.RELEASE : Kind.DECLINE,
          m.group(5), line);
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

  private LeaseObservation obs(SyslogHeader h, InetAddress ip, String mac, String host, Kind kind, String tail,
      String raw) throws MalformedException {
    String normalized = mac == null ? null : Macs.normalize(mac);
    if (mac != null && normalized == null) {
      throw new MalformedException(vendor + "_bad_mac");
    }
    Matcher d = DURATION.matcher(tail);
    Long secs;
    try {
      secs = d.find() ? Long.valueOf(d.group(1)) : null;
    } catch (NumberFormatException e) {
      throw new MalformedException(vendor + "_bad_lease_secs"); // more digits than a long holds
    }
    return new LeaseObservation(h.time(), ip, normalized, host == null || host.isEmpty() ? null : host, kind,
        kind == Kind.ACK ? secs : null, vendor, raw);
  }

  private InetAddress ip(String text) throws MalformedException {
    InetAddress a = IpLiteral.parse(text);
    if (a == null) {
      throw new MalformedException(vendor + "_bad_address");
    }
    return a;
  }
}
