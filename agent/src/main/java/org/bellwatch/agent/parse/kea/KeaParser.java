package org.bellwatch.agent.parse.kea;

import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
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
 * Kea DHCPv4 server log lines ({@code kea-dhcp4.leases} logger), in Kea's default file layout
 * {@code YYYY-MM-DD HH:MM:SS.mmm LEVEL [logger/pid.tid] MESSAGE_ID text} (local time: the source's zone)
 * or behind a syslog header. The client is the {@code [hwtype=1 MAC]} at the start of the text (Kea
 * messages reference, "DHCP4" section):
 * <ul>
 *   <li>{@code DHCP4_LEASE_ALLOC ...: lease IP has been allocated for N seconds} and
 *       {@code DHCP4_LEASE_REUSE ...: lease IP has been reused for N seconds}: ACK;</li>
 *   <li>{@code DHCP4_RELEASE ...: address IP was released properly}: RELEASE;</li>
 *   <li>{@code DHCP4_DECLINE_LEASE ...: Received DHCPDECLINE for addr IP}: DECLINE;</li>
 *   <li>{@code DHCP4_LEASE_ADVERT ...: lease IP will be advertised}: SEEN.</li>
 * </ul>
 * Other messages return null. Expiries are reclaimed silently by default; the lease file
 * ({@code kea_leases}) shows them.
 */
public final class KeaParser implements LeaseLogParser {
  public static final String VENDOR = "kea";
  private static final Pattern FILE_LINE = Pattern.compile(
      "^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2})(?:\\.\\d+)? +\\w+ +\\[[^]]*\\] (.*)$");
  private static final Pattern MESSAGE = Pattern.compile(
      "^(DHCP4_LEASE_ALLOC|DHCP4_LEASE_REUSE|DHCP4_RELEASE|DHCP4_DECLINE_LEASE|DHCP4_LEASE_ADVERT) "
          + "\\[hwtype=\\d+ ([^\\]]*)\\].*?: (?:lease|address|Received DHCPDECLINE for addr) (\\S+)(.*)$");
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
      text = id < 0 ? p : p.substring(id);
    }
    Matcher m = MESSAGE.matcher(text);
    if (!m.matches()) {
      return null;
    }
    InetAddress ip = IpLiteral.parse(m.group(3));
    String mac = Macs.normalize(m.group(2));
    if (ip == null || mac == null) {
      throw new MalformedException("kea_bad_lease");
    }
    Kind kind = switch (m.group(1)) {
      case "DHCP4_LEASE_ALLOC", "DHCP4_LEASE_REUSE" -> Kind.ACK;
      case "DHCP4_RELEASE" -> Kind.RELEASE;
      case "DHCP4_DECLINE_LEASE" -> Kind.DECLINE;
      default -> Kind.SEEN;
    };
    Matcher s = SECONDS.matcher(m.group(4));
    Long secs;
    try {
      secs = kind == Kind.ACK && s.find() ? Long.valueOf(s.group(1)) : null;
    } catch (NumberFormatException e) {
      throw new MalformedException(VENDOR + "_bad_lease_secs"); // more digits than a long holds
    }
    return new LeaseObservation(time, ip, mac, null, kind, secs, VENDOR, line);
  }
}
