package org.bellwatch.agent.sim;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * The block events the pipeline must make of a simulated day's block evidence, computed from the
 * simulator's own model (lease history, rooms, rosters, bells) with the rules of DESIGN.md "Public
 * contracts" (block events), never by running the pipeline: evidence for the same client and domain
 * within {@link SiteSimulator#MERGE_WINDOW_MICROS} of an event's first evidence joins that event,
 * whose time is its first evidence's. A teacher laptop is its room's teacher's ({@code devices.csv}
 * owner): a block from it with no user logged is that teacher's.
 */
final class TruthEvents {

  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /**
   * One piece of block evidence as the truth sees it.
   *
   * @param device the device that sent it
   * @param time epoch micros
   * @param domain lower-case host name
   * @param user the user the source logged, as logged (any case; may be outside the roster), or
   *     null
   * @param url the block event's {@code url}, or null
   * @param category the source's category, or null
   * @param source the block event's {@code source} ({@code dns} or the vendor)
   * @param method the block event's {@code method}
   */
  record Block(
      Network.Device device,
      long time,
      String domain,
      String user,
      String url,
      String category,
      String source,
      String method) {}

  /** Devices compare by identity: two devices may hold the same address on one day. */
  private record OpenKey(Network.Device device, String ip, String domain) {}

  /**
   * A dual-stack device's DNS goes over IPv6 (Resolver), so its DNS evidence carries that address.
   */
  private static boolean overIpv6(Block e) {
    return e.device().ipv6 != null && "dns".equals(e.source());
  }

  private static String clientIp(Block e) {
    return overIpv6(e)
        ? org.bellwatch.agent.event.AddressText.ipv6(e.device().ipv6, 0)
        : Wire.ipString(e.device().ip);
  }

  private TruthEvents() {}

  /**
   * The events of one day's evidence, in time order. A map carries {@code _conflict: true} when the
   * user's section (enrolled or taught) is not the one in session in the device's room (the caller
   * leaves it out of truth.jsonl).
   */
  static List<Map<String, Object>> of(List<Block> evidence, Network net, School school) {
    List<Block> sorted = new ArrayList<>(evidence);
    sorted.sort(
        (a, b) ->
            a.time() != b.time()
                ? Long.compare(a.time(), b.time())
                : Long.compare(
                    Integer.toUnsignedLong(a.device().ip), Integer.toUnsignedLong(b.device().ip)));
    // The latest first evidence per device, address and domain: evidence is sorted, so if any
    // earlier one
    // is within the window of the next evidence, the latest one is too.
    Map<OpenKey, Block> open = new java.util.HashMap<>();
    List<Block> firsts = new ArrayList<>();
    for (Block e : sorted) {
      OpenKey key = new OpenKey(e.device(), clientIp(e), e.domain());
      Block f = open.get(key);
      if (f == null || e.time() - f.time() > SiteSimulator.MERGE_WINDOW_MICROS) {
        open.put(key, e);
        firsts.add(e);
      }
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Block e : firsts) {
      out.add(event(e, net, school));
    }
    return out;
  }

  private static Map<String, Object> event(Block e, Network net, School school) {
    Instant when =
        Instant.ofEpochSecond(
            Math.floorDiv(e.time(), 1_000_000L), Math.floorMod(e.time(), 1_000_000L) * 1000);
    Network.Lease lease = net.leaseAt(e.device().ip, e.time());
    // Over IPv6 the device is the one whose frames carried the query (the agent binds the address
    // to
    // the query's Ethernet source); its host name is the one its DHCPv4 exchange on the wire
    // announced.
    Network.Device device = overIpv6(e) ? e.device() : lease == null ? null : lease.device();
    String hostname = device == null ? null : device.hostname;
    String room = null;
    if (hostname != null) {
      Matcher m = SiteSimulator.ROOM_REGEX.matcher(hostname);
      if (m.find() && school.isRoom(m.group("room"))) {
        room = m.group("room");
      }
    }
    School.Person user = school.user(e.user());
    // Whose timetable counts: the logged user, else the owner devices.csv names (a teacher laptop's
    // teacher).
    School.Person person =
        e.user() != null
            ? user
            : lease != null && lease.device().kind == Network.Kind.TEACHER_LAPTOP
                ? school.teacherOfRoom(lease.device().room)
                : null;
    School.Bell bell = school.bellAt(when);
    String period = bell == null ? null : bell.period();
    School.Section inRoom =
        room != null && period != null ? school.sectionInRoom(room, period) : null;
    School.Section section = null;
    boolean whileTeaching = false;
    if (person != null && period != null) {
      section = school.sectionTaughtBy(person, period, room);
      whileTeaching = section != null;
      if (section == null && "student".equals(person.role())) {
        section = school.sectionOfStudent(person, period);
      }
    }
    boolean conflict = section != null && inRoom != null && section != inRoom;
    if (section == null) {
      section = inRoom;
    }
    boolean instructional =
        section != null
            || (person == null
                && room == null
                && period != null
                && school.periodUsedByClass(period));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", TIME.format(when));
    m.put("client_ip", clientIp(e));
    m.put("mac", device == null ? null : device.macString());
    m.put("hostname", hostname);
    m.put("user", user != null ? user.username() : e.user());
    m.put("domain", e.domain());
    m.put("url", e.url());
    m.put("category", e.category());
    m.put("source", e.source());
    m.put("method", e.method());
    m.put("room", room);
    m.put("section", section == null ? null : section.sourcedId());
    m.put("course", section == null ? null : section.course().title());
    m.put(
        "teacher",
        whileTeaching ? person.username() : section == null ? null : section.teacher().username());
    m.put("period", period);
    m.put("instructional", instructional);
    m.put("while_teaching", whileTeaching);
    if (conflict) {
      m.put("_conflict", true);
    }
    return m;
  }
}
