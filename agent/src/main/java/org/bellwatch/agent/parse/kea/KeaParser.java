package org.bellwatch.agent.parse.kea;

import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
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
 * Kea DHCPv4 server log lines ({@code kea-dhcp4.leases} logger), in Kea's default file layout
 * {@code YYYY-MM-DD HH:MM:SS.mmm LEVEL [logger/pid.tid] MESSAGE_ID text} (local time: the source's
 * zone) or behind a syslog header. The client is the {@code [hwtype=1 MAC]} at the start of the
 * text (Kea messages reference, "DHCP4" section):
 *
 * <ul>
 *   <li>{@code DHCP4_LEASE_ALLOC ...: lease IP has been allocated for N seconds} and {@code
 *       DHCP4_LEASE_REUSE ...: lease IP has been reused for N seconds}: ACK;
 *   <li>{@code DHCP4_RELEASE ...: address IP was released properly}: RELEASE;
 *   <li>{@code DHCP4_DECLINE_LEASE ...: Received DHCPDECLINE for addr IP}: DECLINE;
 *   <li>{@code DHCP4_LEASE_ADVERT ...: lease IP will be advertised}: SEEN.
 * </ul>
 *
 * Kea dhcp6 ({@code kea-dhcp6.leases}) names its client {@code duid=[..], [hwtype=1 MAC], tid=..}
 * (or {@code [no hwaddr info]}); the MAC is the hardware address, else the one inside a DUID-LLT or
 * DUID-LL of hardware type 1 (RFC 8415 sections 11.2, 11.4):
 *
 * <ul>
 *   <li>{@code DHCP6_LEASE_ALLOC ...: lease for address IP and iaid=N has been allocated for N
 *       seconds} and {@code DHCP6_LEASE_RENEW}: ACK (an IPv6 binding, as a captured DHCPv6 Reply
 *       makes);
 *   <li>{@code DHCP6_RELEASE_NA ...: binding for address IP and iaid=N was released properly}:
 *       RELEASE;
 *   <li>{@code DHCP6_LEASE_ADVERT ...: lease for address IP and iaid=N will be advertised}: SEEN.
 * </ul>
 *
 * Other messages return null. Expiries are reclaimed silently by default; the lease file ({@code
 * kea_leases}) shows them.
 */
public final class KeaParser implements LeaseLogParser {
  public static final String VENDOR = "kea";
  private static final Pattern FILE_LINE =
      Pattern.compile(
          "^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2})(?:\\.\\d+)? +\\w+ +\\[[^]]*\\] (.*)$");
  private static final Pattern MESSAGE =
      Pattern.compile(
          "^(DHCP4_LEASE_ALLOC|DHCP4_LEASE_REUSE|DHCP4_RELEASE|DHCP4_DECLINE_LEASE|DHCP4_LEASE_ADVERT) "
              + "\\[hwtype=\\d+ ([^\\]]*)\\].*?: (?:lease|address|Received DHCPDECLINE for addr) (\\S+)(.*)$");
  private static final Pattern MESSAGE6 =
      Pattern.compile(
          "^(DHCP6_LEASE_ALLOC|DHCP6_LEASE_RENEW|DHCP6_RELEASE_NA|DHCP6_LEASE_ADVERT) duid=\\[([0-9a-fA-F:]*)\\], "
              + "\\[(?:hwtype=\\d+ ([^\\]]*)|no hwaddr info)\\].*?: (?:lease|binding) for address (\\S+)(.*)$");
  private static final Pattern SECONDS = Pattern.compile("for (\\d+) seconds");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private final ParseContext context;

  public KeaParser(ParseContext context) {
    this.context = context;
  }

  @Override
  public LeaseObservation parse(String line) throws MalformedException {
    String trimmed = line.strip();
    if (trimmed.isEmpty()) {
      return null;
    }
    Instant time;
    String text;
    Matcher f = FILE_LINE.matcher(trimmed);
    if (f.matches()) {
      try {
        time = LocalDateTime.parse(f.group(1), TIME).atZone(context.zone()).toInstant();
      } catch (DateTimeException e) {
        throw new MalformedException("kea_bad_time");
      }
      text = f.group(2);
    } else {
      SyslogHeader h = SyslogHeader.parse(trimmed, context.zone(), context.reference().instant());
      if (h.time() == null) {
        throw new MalformedException("kea_no_time");
      }
      time = h.time();
      String p = h.payload();
      int id = p.indexOf("DHCP4_");
      int id6 = p.indexOf("DHCP6_");
      text = id >= 0 ? p.substring(id) : id6 >= 0 ? p.substring(id6) : p;
    }
    Matcher m6 = MESSAGE6.matcher(text);
    if (m6.matches()) {
      return dhcp6(time, m6, line);
    }
    Matcher m = MESSAGE.matcher(text);
    if (!m.matches()) {
      return null;
    }
    InetAddress ip = AddressText.parseIp(m.group(3));
    String mac = Macs.normalize(m.group(2));
    if (ip == null || mac == null) {
      throw new MalformedException("kea_bad_lease");
    }
    Kind kind =
        switch (m.group(1)) {
          case "DHCP4_LEASE_ALLOC", "DHCP4_LEASE_REUSE" -> Kind.ACK;
          case "DHCP4_RELEASE" -> Kind.RELEASE;
          case "DHCP4_DECLINE_LEASE" -> Kind.DECLINE;
          default -> Kind.SEEN;
        };
    return new LeaseObservation(time, ip, mac, null, kind, seconds(kind, m.group(4)), VENDOR, line);
  }

  private static LeaseObservation dhcp6(Instant time, Matcher m, String line)
      throws MalformedException {
    InetAddress ip = AddressText.parseIp(m.group(4));
    String mac = m.group(3) != null ? Macs.normalize(m.group(3)) : Macs.fromDuid(m.group(2));
    if (ip == null || m.group(3) != null && mac == null) {
      throw new MalformedException("kea_bad_lease");
    }
    Kind kind =
        switch (m.group(1)) {
          case "DHCP6_LEASE_ALLOC", "DHCP6_LEASE_RENEW" -> Kind.ACK;
          case "DHCP6_RELEASE_NA" -> Kind.RELEASE;
          default -> Kind.SEEN;
        };
    return new LeaseObservation(time, ip, mac, null, kind, seconds(kind, m.group(5)), VENDOR, line);
  }

  private static Long seconds(Kind kind, String rest) throws MalformedException {
    Matcher s = SECONDS.matcher(rest);
    Long secs;
    try {
      secs = kind == Kind.ACK && s.find() ? Long.valueOf(s.group(1)) : null;
    } catch (NumberFormatException e) {
      throw new MalformedException(VENDOR + "_bad_lease_secs"); // more digits than a long holds
    }
    return secs;
  }
}
