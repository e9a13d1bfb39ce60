package org.bellwatch.agent.correlate;

import java.net.Inet6Address;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.bellwatch.agent.event.Lease;
import org.bellwatch.agent.event.Times;
import org.bellwatch.agent.schedule.PeriodInSession;

/**
 * The text of the attribution's evidence lines that many blocks share, built once and reused: one
 * lease, one host name's room or one class period explains many blocks, and building the same line
 * per block was a large share of attribution's allocation. The lines of one attempt only ({@code
 * device unknown}, a user missing from the roster) are built where they are written, in {@link
 * Attributor}.
 */
final class EvidenceLines {
  /**
   * How the device line, the first line after the evidence lines, begins: an IPv4 lease, no address
   * logged, an IPv6 binding learned from the link or DHCPv6 (identity.Ipv6Bindings).
   */
  static final List<String> DEVICE_LINES = List.of("dhcp: ", "device unknown: ", "ipv6: ");

  private static final String DHCP = DEVICE_LINES.get(0);
  private static final String NO_ADDRESS = DEVICE_LINES.get(1);
  private static final String IPV6 = DEVICE_LINES.get(2);

  /** "dhcp:" and "ipv6:" lines by lease; "room:" lines by host name and room. */
  private final LineCache leaseLines = new LineCache();

  private final LineCache roomLines = new LineCache();

  /** The "schedule:" line of the last period seen: every block of a period shares it. */
  private PeriodInSession lastPeriod;

  private ZoneId lastPeriodZone;
  private String lastPeriodLine;

  /** The device line of a block whose address {@code ip} (as text) {@code lease} covered. */
  String lease(Lease lease, String ip) {
    String line = leaseLines.get(lease, null);
    if (line != null) {
      return line;
    }
    boolean v6 = lease.ip() instanceof Inet6Address;
    String hostname = lease.hostname();
    return leaseLines.put(
        lease,
        null,
        (v6 ? IPV6 : DHCP)
            + ip
            + (v6 ? " bound to " : " leased to ")
            + lease.mac()
            + (hostname == null ? "" : " (" + hostname + ")")
            + " from "
            + Times.iso(lease.start())
            + " until "
            + Times.iso(lease.end())
            + "; "
            + lease.evidence());
  }

  /**
   * The device line of a block no lease explains: no address logged ({@code ip} null), or none
   * known for it.
   */
  static String noLease(BlockEvidence first, String ip) {
    if (ip == null) {
      return NO_ADDRESS + first.source() + " logged no client address";
    }
    if (first.clientIp() instanceof Inet6Address) {
      return IPV6 + "no binding known for " + ip + " at " + Times.iso(first.time());
    }
    return DHCP + "no lease known for " + ip + " at " + Times.iso(first.time());
  }

  /** True for the device line: the first line after an event's evidence lines. */
  static boolean isDeviceLine(String line) {
    return line.startsWith(DHCP) || line.startsWith(NO_ADDRESS) || line.startsWith(IPV6);
  }

  /** The room line of a host name that names {@code room}. */
  String roomOfHostname(String hostname, String room) {
    String line = roomLines.get(hostname, room);
    return line != null
        ? line
        : roomLines.put(hostname, room, "room: host name " + hostname + " names room " + room);
  }

  /** The schedule line of bell period {@code p}, its times in the school's {@code zone}. */
  String period(PeriodInSession p, ZoneId zone) {
    if (!p.equals(lastPeriod) || lastPeriodLine == null || !zone.equals(lastPeriodZone)) {
      lastPeriodLine =
          "schedule: "
              + p.date()
              + " runs '"
              + p.bellSchedule()
              + "', period "
              + p.period().name()
              + " "
              + Times.hhmm(p.period().start())
              + "-"
              + Times.hhmm(p.period().end())
              + " "
              + zone.getId();
      lastPeriod = p;
      lastPeriodZone = zone;
    }
    return lastPeriodLine;
  }

  /** The schedule line of a block outside every bell period. */
  static String noPeriod(Instant t) {
    return "schedule: no bell period at " + Times.iso(t);
  }
}
