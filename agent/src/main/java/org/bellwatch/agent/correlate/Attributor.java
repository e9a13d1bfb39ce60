package org.bellwatch.agent.correlate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.event.Lease;
import org.bellwatch.agent.identity.LeaseTable;
import org.bellwatch.agent.identity.SiteInventory;
import org.bellwatch.agent.schedule.ClassSection;
import org.bellwatch.agent.schedule.PeriodInSession;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.schedule.SiteSchedule;

/**
 * Ties merged block evidence to a device, user, room, section and period, writing down why at each
 * step (DESIGN.md "Block events"). The rules, in order:
 *
 * <ol>
 *   <li>device: the DHCP lease (or, for IPv6, the binding) that covered the client address at the
 *       time of the first evidence (none, and the evidence says the device is unknown, when the
 *       filter logged only a user);
 *   <li>room: the device inventory by MAC, else {@code ports.csv} by the DHCP relay circuit id,
 *       else {@code networks.csv} by address, else the host-name pattern when it names a room the
 *       roster knows;
 *   <li>section and instructional: {@link SectionRule}, for the logged user, else the device's
 *       owner ({@code devices.csv}): a section they teach in session (blocked while teaching), else
 *       their enrollment in a section in session, else the room's section in session; instructional
 *       when a section was found, or, when neither person nor room is known, when the time falls in
 *       an instructional period of a school day (evidence "room unknown").
 * </ol>
 *
 * Which evidence gives each field (docs/design.md): time, source and method come from the earliest
 * evidence; user, URL and category from the earliest evidence that has one (a proxy's deny gives
 * the user that the DNS answer before it lacks); the device from the lease at the earliest
 * evidence's time. The evidence lines come first, in time order, then one line per attribution
 * step, the first of which is always the device line ({@link EvidenceLines#DEVICE_LINES}). The text
 * that many blocks share is built once ({@link EvidenceLines}), the host-name pattern run once per
 * name ({@link RoomCandidates}).
 */
public final class Attributor {
  private final LeaseTable leases;
  private final Supplier<SiteModel> site;
  private final RoomCandidates roomCandidates;
  private final EvidenceLines lines = new EvidenceLines();
  private final SectionRule sections = new SectionRule();

  /**
   * {@code site} gives the schedule and inventory in force now: it changes when the folder is
   * reloaded.
   */
  public Attributor(LeaseTable leases, Supplier<SiteModel> site, Pattern roomPattern) {
    this.leases = leases;
    this.site = site;
    this.roomCandidates = new RoomCandidates(roomPattern);
  }

  /**
   * The lease that covered the evidence's address at its time, or null (also when it has no
   * address).
   */
  Lease leaseAt(BlockEvidence e) {
    return e.clientIp() == null ? null : leases.at(e.clientIp(), e.time());
  }

  /** The attributed event for evidence of one attempt; {@code first} fixes the time and client. */
  public BlockEvent attribute(List<BlockEvidence> attempt) {
    BlockEvidence first = attempt.get(0);
    return attribute(
        attempt,
        leaseAt(first),
        first.clientIp() == null ? null : AddressText.address(first.clientIp()));
  }

  /**
   * As {@link #attribute(List)}, with the lease of the first evidence's address and time and the
   * address as text (null when the evidence has none) already known (the correlator looked them up
   * when the evidence came in). The rules of the class comment, in their order; each adds its
   * evidence line.
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

    // Device: the lease or IPv6 binding of the client address at the first evidence's time.
    evidence.add(lease != null ? lines.lease(lease, ip) : EvidenceLines.noLease(first, ip));
    String mac = lease == null ? null : lease.mac();
    String hostname = lease == null ? null : lease.hostname();
    SiteInventory.Device device = inventory.device(mac);
    if (hostname == null && device != null && device.hostname() != null) {
      hostname = device.hostname();
      evidence.add("inventory: devices.csv names " + mac + " " + hostname);
    }

    // Room: devices.csv by MAC, else ports.csv by relay circuit, else networks.csv, else the host
    // name.
    String room =
        room(
            schedule,
            inventory,
            first,
            mac,
            device,
            lease == null ? null : lease.circuitId(),
            hostname,
            evidence);

    // User: the first logged one, in the roster's spelling when the roster knows them.
    String loggedUser = firstNonNull(attempt, BlockEvidence::user);
    String user = schedule.canonicalUser(loggedUser);
    boolean userKnown = user != null;
    if (loggedUser != null && !userKnown) {
      user = loggedUser;
      evidence.add("user: " + loggedUser + " is not in the roster");
    }

    // Period: the bell period of the school day at the first evidence's time.
    Optional<PeriodInSession> period = schedule.periodAt(t);
    evidence.add(
        period.isPresent()
            ? lines.period(period.get(), schedule.zone())
            : EvidenceLines.noPeriod(t));

    // Person whose timetable counts: the logged user, else the owner devices.csv assigns the device
    // to.
    String person = userKnown ? user : null;
    boolean byOwner = false;
    if (loggedUser == null && device != null && device.owner() != null) {
      person = schedule.canonicalUser(device.owner());
      byOwner = person != null;
      evidence.add(
          "owner: devices.csv assigns "
              + mac
              + " to "
              + device.owner()
              + (person == null ? ", who is not in the roster" : ""));
    }

    // Section, teacher and instructional: SectionRule (a section they teach, theirs, the room's,
    // none).
    SectionRule.Outcome o = sections.decide(schedule, person, byOwner, room, t, period, evidence);
    ClassSection section = o.section();
    return new BlockEvent(
        t,
        ip,
        mac,
        hostname,
        user,
        first.domain(),
        firstNonNull(attempt, BlockEvidence::url),
        firstNonNull(attempt, BlockEvidence::category),
        first.source(),
        first.method(),
        room,
        section == null ? null : section.sourcedId(),
        section == null ? null : section.courseTitle(),
        o.teacher(),
        period.map(p -> p.period().name()).orElse(null),
        o.instructional(),
        o.whileTeaching(),
        evidence);
  }

  /**
   * The evidence records of an event stored before its records were kept with it: its evidence
   * lines up to the device line, the first carrying the event's time, source, method, user, URL and
   * category, the others its time, source and method. Enough to merge late evidence into it; empty
   * when it has no lines.
   */
  static List<BlockEvidence> evidenceOf(BlockEvent e) {
    java.net.InetAddress client = e.clientIp() == null ? null : AddressText.parseIp(e.clientIp());
    List<BlockEvidence> out = new ArrayList<>();
    for (String line : e.evidence()) {
      if (EvidenceLines.isDeviceLine(line)) {
        break;
      }
      boolean first = out.isEmpty();
      out.add(
          new BlockEvidence(
              e.time(),
              client,
              e.domain(),
              first ? e.url() : null,
              first ? e.user() : null,
              first ? e.category() : null,
              e.source(),
              e.method(),
              line));
    }
    return out;
  }

  private String room(
      SiteSchedule schedule,
      SiteInventory inventory,
      BlockEvidence first,
      String mac,
      SiteInventory.Device device,
      String circuitId,
      String hostname,
      List<String> evidence) {
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
      String candidate = roomCandidates.of(hostname);
      if (!candidate.isEmpty()) {
        String known = schedule.canonicalRoom(candidate);
        if (known != null) {
          evidence.add(lines.roomOfHostname(hostname, known));
          return known;
        }
        evidence.add(
            "room: host name "
                + hostname
                + " gives '"
                + candidate
                + "', which is not a room in the roster");
      }
    }
    return null;
  }

  private static String canonical(SiteSchedule schedule, String room) {
    String known = schedule.canonicalRoom(room);
    return known != null ? known : room;
  }

  private static <T> T firstNonNull(
      List<BlockEvidence> attempt, java.util.function.Function<BlockEvidence, T> f) {
    for (int i = 0; i < attempt.size(); i++) {
      T v = f.apply(attempt.get(i));
      if (v != null) {
        return v;
      }
    }
    return null;
  }
}
