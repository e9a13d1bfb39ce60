package org.bellwatch.agent.correlate;

import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.event.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwatch.agent.event.Lease;
import org.bellwatch.agent.identity.LeaseTable;
import org.bellwatch.agent.schedule.ClassSection;
import org.bellwatch.agent.schedule.PeriodInSession;
import org.bellwatch.agent.schedule.SiteInventory;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.schedule.SiteSchedule;

/**
 * Ties merged block evidence to a device, user, room, section and period, writing down why at each step
 * (DESIGN.md "Block events"). The rules, in order:
 * <ol>
 *   <li>device: the DHCP lease (or, for IPv6, the binding) that covered the client address at the time of the first evidence (none,
 *       and the evidence says the device is unknown, when the filter logged only a user);</li>
 *   <li>room: the device inventory by MAC, else {@code ports.csv} by the DHCP relay circuit id, else
 *       {@code networks.csv} by address, else the host-name pattern when it names a room the roster knows;</li>
 *   <li>section and instructional: {@link SectionRule}, for the logged user, else the device's owner
 *       ({@code devices.csv}): a section they teach in session (blocked while teaching), else their
 *       enrollment in a section in session, else the room's section in session; instructional when a
 *       section was found, or, when neither person nor room is known, when the time falls in an
 *       instructional period of a school day (evidence "room unknown").</li>
 * </ol>
 * Which evidence gives each field (docs/design.md): time, source and method come from the earliest
 * evidence; user, URL and category from the earliest evidence that has one (a proxy's deny gives the user
 * that the DNS answer before it lacks); the device from the lease at the earliest evidence's time. The
 * evidence lines come first, in time order, then one line per attribution step, the first of which is
 * always the device line ({@link #DEVICE_LINES}).
 */
public final class Attributor {
  /**
   * How the device line, the first line after the evidence lines, begins: an IPv4 lease, no address logged,
   * an IPv6 binding learned from the link or DHCPv6 (identity.Ipv6Bindings).
   */
  static final List<String> DEVICE_LINES = List.of("dhcp: ", "device unknown: ", "ipv6: ");
  private final LeaseTable leases;
  private final Supplier<SiteModel> site;
  private final Pattern roomPattern;
  /** Host name → the pattern's room candidate ("" when it does not match): the regex runs once per name. */
  private final java.util.Map<String, String> roomCandidates = new java.util.HashMap<>();
  private static final int MAX_CACHED_NAMES = 100_000;
  /** "dhcp:" lines by lease; "room:" lines by host name and room. */
  private final LineCache leaseLines = new LineCache();
  private final LineCache roomLines = new LineCache();
  private final SectionRule sections = new SectionRule();
  /** The "schedule:" line of the last period seen: every block of a period shares it. */
  private PeriodInSession lastPeriod;
  private java.time.ZoneId lastPeriodZone;
  private String lastPeriodLine;

  /** {@code site} gives the schedule and inventory in force now: it changes when the folder is reloaded. */
  public Attributor(LeaseTable leases, Supplier<SiteModel> site, Pattern roomPattern) {
    this.leases = leases;
    this.site = site;
    this.roomPattern = roomPattern;
  }

  /** The lease that covered the evidence's address at its time, or null (also when it has no address). */
  Lease leaseAt(BlockEvidence e) {
    return e.clientIp() == null ? null : leases.at(e.clientIp(), e.time());
  }

  /** The attributed event for evidence of one attempt; {@code first} fixes the time and client. */
  public BlockEvent attribute(List<BlockEvidence> attempt) {
    BlockEvidence first = attempt.get(0);
    return attribute(attempt, leaseAt(first), first.clientIp() == null ? null
        : org.bellwatch.agent.event.AddressText.address(first.clientIp()));
  }

  /**
   * As {@link #attribute(List)}, with the lease of the first evidence's address and time and the address
   * as text (null when the evidence has none) already known (the correlator looked them up when the
   * evidence came in).
   */
  BlockEvent attribute(List<BlockEvidence> attempt, Lease lease, String ip) {
    SiteModel model = site.get();
    SiteSchedule schedule = model.schedule();
    SiteInventory inventory = model.inventory();
    BlockEvidence first = attempt.get(0);
    Instant t = first.time();
    List<String> evidence = new ArrayList<>(attempt.size() + 6);
    for (int i = 0; i < attempt.size(); i++) {
      evidence.add(attempt.get(i).evidence());
    }
    String loggedUser = firstNonNull(attempt, BlockEvidence::user);

    String mac = null;
    String hostname = null;
    if (lease != null) {
      mac = lease.mac();
      hostname = lease.hostname();
      String line = leaseLines.get(lease, null);
      if (line == null) {
        boolean v6 = lease.ip() instanceof java.net.Inet6Address;
        line = leaseLines.put(lease, null, DEVICE_LINES.get(v6 ? 2 : 0) + ip + (v6 ? " bound to " : " leased to ") + mac
            + (hostname == null ? "" : " (" + hostname + ")") + " from " + Times.iso(lease.start()) + " until "
            + Times.iso(lease.end()) + "; " + lease.evidence());
      }
      evidence.add(line);
    } else if (ip == null) {
      evidence.add(DEVICE_LINES.get(1) + first.source() + " logged no client address");
    } else if (first.clientIp() instanceof java.net.Inet6Address) {
      evidence.add(DEVICE_LINES.get(2) + "no binding known for " + ip + " at " + Times.iso(t));
    } else {
      evidence.add(DEVICE_LINES.get(0) + "no lease known for " + ip + " at " + Times.iso(t));
    }
    SiteInventory.Device device = inventory.device(mac);
    if (hostname == null && device != null && device.hostname() != null) {
      hostname = device.hostname();
      evidence.add("inventory: devices.csv names " + mac + " " + hostname);
    }
    String room = room(schedule, inventory, first, mac, device, lease == null ? null : lease.circuitId(), hostname,
        evidence);

    String user = schedule.canonicalUser(loggedUser);
    boolean userKnown = user != null;
    if (loggedUser != null && !userKnown) {
      user = loggedUser;
      evidence.add("user: " + loggedUser + " is not in the roster");
    }
    Optional<PeriodInSession> period = schedule.periodAt(t);
    if (period.isPresent()) {
      PeriodInSession p = period.get();
      if (!p.equals(lastPeriod) || lastPeriodLine == null || !schedule.zone().equals(lastPeriodZone)) {
        lastPeriodLine = "schedule: " + p.date() + " runs '" + p.bellSchedule() + "', period " + p.period().name()
            + " " + Times.hhmm(p.period().start()) + "-" + Times.hhmm(p.period().end()) + " " + schedule.zone().getId();
        lastPeriod = p;
        lastPeriodZone = schedule.zone();
      }
      evidence.add(lastPeriodLine);
    } else {
      evidence.add("schedule: no bell period at " + Times.iso(t));
    }

    // The person whose timetable counts: the logged user, else the owner devices.csv assigns the device to.
    String person = userKnown ? user : null;
    boolean byOwner = false;
    if (loggedUser == null && device != null && device.owner() != null) {
      person = schedule.canonicalUser(device.owner());
      byOwner = person != null;
      evidence.add("owner: devices.csv assigns " + mac + " to " + device.owner()
          + (person == null ? ", who is not in the roster" : ""));
    }
    SectionRule.Outcome o = sections.decide(schedule, person, byOwner, room, t, period, evidence);
    ClassSection section = o.section();
    return new BlockEvent(t, ip, mac, hostname, user, first.domain(), firstNonNull(attempt, BlockEvidence::url),
        firstNonNull(attempt, BlockEvidence::category), first.source(), first.method(), room,
        section == null ? null : section.sourcedId(), section == null ? null : section.courseTitle(),
        o.teacher(), period.map(p -> p.period().name()).orElse(null), o.instructional(), o.whileTeaching(),
        evidence);
  }

  /**
   * The evidence records of an event stored before its records were kept with it: its evidence lines up to
   * the device line, the first carrying the event's time, source, method, user, URL and category, the
   * others its time, source and method. Enough to merge late evidence into it; empty when it has no lines.
   */
  static List<BlockEvidence> evidenceOf(BlockEvent e) {
    java.net.InetAddress client = e.clientIp() == null ? null : AddressText.parseIp(e.clientIp());
    List<BlockEvidence> out = new ArrayList<>();
    for (String line : e.evidence()) {
      if (DEVICE_LINES.stream().anyMatch(line::startsWith)) {
        break;
      }
      boolean first = out.isEmpty();
      out.add(new BlockEvidence(e.time(), client, e.domain(), first ? e.url() : null, first ? e.user() : null,
          first ? e.category() : null, e.source(), e.method(), line));
    }
    return out;
  }

  private String room(SiteSchedule schedule, SiteInventory inventory, BlockEvidence first, String mac,
      SiteInventory.Device device, String circuitId, String hostname, List<String> evidence) {
    if (device != null && device.room() != null) {
      evidence.add("room: devices.csv puts " + mac + " in " + device.room());
      return canonical(schedule, device.room());
    }
    String byPort = inventory.roomOfCircuit(circuitId);
    if (byPort != null) {
      evidence.add("room: ports.csv puts relay circuit " + circuitId + " in " + byPort);
      return canonical(schedule, byPort);
    }
    String[] network = first.clientIp() == null ? null : inventory.roomOfAddress(first.clientIp());
    if (network != null) {
      evidence.add("room: networks.csv puts " + network[1] + " in " + network[0]);
      return canonical(schedule, network[0]);
    }
    if (hostname != null) {
      String candidate = roomCandidate(hostname);
      if (!candidate.isEmpty()) {
        String known = schedule.canonicalRoom(candidate);
        if (known != null) {
          String line = roomLines.get(hostname, known);
          evidence.add(line != null ? line
              : roomLines.put(hostname, known, "room: host name " + hostname + " names room " + known));
          return known;
        }
        evidence.add("room: host name " + hostname + " gives '" + candidate + "', which is not a room in the roster");
      }
    }
    return null;
  }

  private String roomCandidate(String hostname) {
    String c = roomCandidates.get(hostname);
    if (c == null) {
      Matcher m = roomPattern.matcher(hostname);
      c = m.find() && m.group("room") != null ? m.group("room") : "";
      if (roomCandidates.size() >= MAX_CACHED_NAMES) {
        roomCandidates.clear();
      }
      roomCandidates.put(hostname, c);
    }
    return c;
  }

  private static String canonical(SiteSchedule schedule, String room) {
    String known = schedule.canonicalRoom(room);
    return known != null ? known : room;
  }

  private static <T> T firstNonNull(List<BlockEvidence> attempt, java.util.function.Function<BlockEvidence, T> f) {
    for (int i = 0; i < attempt.size(); i++) {
      T v = f.apply(attempt.get(i));
      if (v != null) {
        return v;
      }
    }
    return null;
  }
}
