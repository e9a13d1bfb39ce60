package org.bellwatch.agent.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A deterministic school day: rosters and bells, a pcap of DHCP and DNS, a Squid access.log, and
 * the block events the pipeline must produce from them ({@code truth.jsonl}).
 *
 * <p>Design note. Everything is drawn from {@link SplittableRandom}s seeded from {@code seed} (one
 * per subsystem, so changing one does not reshuffle the others), iterated over lists and {@link
 * TreeMap}s only, and timestamped from the simulated date, never the clock: the same seed and date
 * give byte-identical files. The truth is computed from the simulator's own model (lease history,
 * device room, who sits where, bell schedule) with the rules of DESIGN.md "Public contracts" (block
 * events): time = first evidence (DNS: first sinkhole response; Squid: line time); evidence for the
 * same client and domain within {@link #MERGE_WINDOW_MICROS} of an event's first evidence joins
 * that event. Named scenarios guarantee coverage of each rule; seeded random blocks add volume,
 * kept at least a minute apart per client and domain and a few seconds away from bell boundaries,
 * so no event depends on inclusive/exclusive edge choices. It stays one class so that each named
 * scenario and the truth it must produce are written side by side.
 */
public final class SiteSimulator {

  /** The simulated school's time zone unless another is asked for ({@code simulate --timezone}). */
  public static final ZoneId ZONE = ZoneId.of("America/Los_Angeles");

  public static final LocalDate DEFAULT_DATE = LocalDate.of(2026, 9, 15);

  /** The default room regex of the config (DESIGN.md, schedule folder). */
  public static final Pattern ROOM_REGEX = Pattern.compile("^(?<room>[A-Za-z]+\\d*)-");

  static final long MERGE_WINDOW_MICROS = 10_000_000L;

  static final String[] BLOCKED = {
    "www.tiktok.com",
    "www.roblox.com",
    "discord.com",
    "www.twitch.tv",
    "poki.com",
    "www.coolmathgames.com",
    "www.instagram.com",
    "www.snapchat.com",
    "store.steampowered.com",
    "www.crazygames.com"
  };

  /** One piece of block evidence the simulator emits (a sinkhole answer pair or a 403 line). */
  private record Evidence(
      String scenario,
      boolean dns,
      Network.Device device,
      long time,
      String domainAsSent,
      String user,
      String method,
      String url) {
    String domain() {
      return domainAsSent.toLowerCase(Locale.ROOT);
    }
  }

  private record LogLine(long time, long seq, String text) {}

  /**
   * How big a school to simulate. {@link #SAMPLE} is the bundled sample site (its output for seed 1
   * is {@code config/sample-site}); any other scale is a school-scale day: seven periods plus
   * lunch, a spring term, two DHCP servers of which one is only in a late syslog file ({@code
   * logs/dhcpd.log}), address reuse across rooms, users on other rooms' devices.
   *
   * @param rooms rooms, one teacher and one course each (a prep period per teacher)
   * @param periods class periods per day (Lunch is extra)
   * @param chromebooksPerRoom cart Chromebooks per room ({@code RM101-CB01}...)
   * @param students students, each with one class per period
   * @param phones BYOD phones (no room)
   * @param randomBlocks seeded random block attempts beyond the named scenarios
   */
  public record Scale(
      int rooms, int periods, int chromebooksPerRoom, int students, int phones, int randomBlocks) {
    public static final Scale SAMPLE = new Scale(6, 6, 8, 60, 4, 34);

    /**
     * Issue 5's school: 60 rooms x (28 Chromebooks + a laptop), 258 phones, a reuser, a static
     * host: 2,000.
     */
    public static final Scale SCHOOL = new Scale(60, 7, 28, 1400, 258, 3000);

    /**
     * A tenth of {@link #SCHOOL}'s devices with every school-scale feature, for the default test
     * run.
     */
    public static final Scale SMALL_SCHOOL = new Scale(12, 7, 14, 280, 30, 500);

    public boolean isSample() {
      return equals(SAMPLE);
    }

    /**
     * Devices on the network: Chromebooks, laptops, phones, the static host, the scenario reuser.
     */
    public int devices() {
      return rooms * (chromebooksPerRoom + 1) + phones + 2;
    }
  }

  private final LocalDate date;
  private final ZoneId zone;
  private final Scale scale;
  private final School school;
  private final Network net;
  private final List<Wire.Frame> frames = new ArrayList<>();
  private final long[] seq = {0};
  private final Resolver resolver = new Resolver(frames, seq);
  private final List<LogLine> log = new ArrayList<>();
  private final List<Evidence> evidence = new ArrayList<>();
  private final ProxyBlocks proxy;

  /** Requests of a server that is down: squid's 503 lines that are no blocks. */
  private final List<Network.Device> down = new ArrayList<>();

  private final List<Long> downTimes = new ArrayList<>();

  private SiteSimulator(long seed, LocalDate date, ZoneId zone, Scale scale) {
    this.date = date;
    this.zone = zone;
    this.scale = scale;
    this.proxy = new ProxyBlocks(zone);
    this.school = new School(new SplittableRandom(seed ^ 0x5C001L), date, zone, scale);
    this.net = new Network(new SplittableRandom(seed ^ 0x4E7L), school, s -> at(s));
    net.dhcp(new SplittableRandom(seed ^ 0xD4C9L), frames, seq);
  }

  /**
   * Writes one simulated school day into {@code outDir} (created if missing): {@code schedule/},
   * {@code capture/site.pcap}, {@code logs/squid-access.log}, {@code truth.jsonl}, {@code
   * README.txt}.
   */
  public static SimulationSummary simulate(long seed, LocalDate date, Path outDir)
      throws IOException {
    return simulate(seed, date, Scale.SAMPLE, outDir);
  }

  /**
   * Writes one simulated day at the given scale. Beyond the sample's files, a school-scale day
   * writes {@code logs/dhcpd.log} (ISC dhcpd over syslog, in the order the collector received it),
   * {@code bellwatch.yaml} (a config that replays the folder) and {@code conflicts.txt} (the truth
   * events whose user is enrolled in another section than the one in session in the device's room:
   * {@code time client_ip domain} per line).
   */
  public static SimulationSummary simulate(long seed, LocalDate date, Scale scale, Path outDir)
      throws IOException {
    return simulate(seed, date, ZONE, scale, outDir);
  }

  /**
   * Writes one simulated day at the given scale for a school in {@code zone}: its bells ring at the
   * same local times, so every instant moves with the zone (a district's schools across a zone
   * line).
   */
  public static SimulationSummary simulate(
      long seed, LocalDate date, ZoneId zone, Scale scale, Path outDir) throws IOException {
    SiteSimulator sim = new SiteSimulator(seed, date, zone, scale);
    Map<String, Long> scenarios =
        scale.isSample()
            ? sim.scenarios(new SplittableRandom(seed ^ 0x5CE7L))
            : sim.schoolScenarios(new SplittableRandom(seed ^ 0x5CE7L));
    sim.randomBlocks(new SplittableRandom(seed ^ 0xB10CL), scale.randomBlocks());
    sim.proxyScenarios(
        new SplittableRandom(seed ^ 0x9B0CL),
        scenarios,
        scale.isSample() ? 0 : scale.randomBlocks() / 20);
    sim.background(new SplittableRandom(seed ^ 0xBAC6L));
    sim.emitBlocks(new SplittableRandom(seed ^ 0xE417L));
    List<Map<String, Object>> truth = sim.truth();

    Files.createDirectories(outDir);
    ScheduleWriter.write(sim.school, outDir.resolve("schedule"));
    Files.writeString(
        outDir.resolve("schedule/devices.csv"),
        sim.school.devicesCsv(sim.net.devices),
        StandardCharsets.UTF_8);
    Files.createDirectories(outDir.resolve("capture"));
    Wire.writePcap(outDir.resolve("capture/site.pcap"), sim.frames);
    Files.createDirectories(outDir.resolve("logs"));
    List<LogLine> lines = new ArrayList<>(sim.log);
    lines.sort(
        (a, b) ->
            a.time() != b.time()
                ? Long.compare(a.time(), b.time())
                : Long.compare(a.seq(), b.seq()));
    StringBuilder sb = new StringBuilder();
    for (LogLine l : lines) {
      sb.append(l.text()).append('\n');
    }
    Files.write(
        outDir.resolve("logs/squid-access.log"), sb.toString().getBytes(StandardCharsets.UTF_8));
    sim.proxy.write(outDir.resolve("logs"));
    ObjectMapper json = new ObjectMapper();
    StringBuilder tj = new StringBuilder();
    for (Map<String, Object> e : truth) {
      Map<String, Object> written = new LinkedHashMap<>(e);
      written.remove("_conflict");
      tj.append(json.writeValueAsString(written)).append('\n');
    }
    Files.write(outDir.resolve("truth.jsonl"), tj.toString().getBytes(StandardCharsets.UTF_8));
    String readme =
        "Bellwatch simulated school day for "
            + School.ORG_NAME
            + " on "
            + date
            + " ("
            + sim.zone
            + "): schedule/, capture/site.pcap, logs/squid-access.log, logs/squidguard.log (squid's redirector),"
            + " logs/unbound.log (the DNS filter the proxy resolves through).\n"
            + "truth.jsonl holds the block events the pipeline must produce from these inputs.\n"
            + "Dual-stack Chromebooks ask DNS over IPv6 from a SLAAC address (EUI-64 or temporary); their DNS"
            + " blocks name that address.\n"
            + "Generated by org.bellwatch.agent.sim.SiteSimulator with seed "
            + seed
            + ".\n";
    Files.write(outDir.resolve("README.txt"), readme.getBytes(StandardCharsets.UTF_8));
    if (!scale.isSample()) {
      sim.writeSchoolFiles(outDir, truth);
    }

    Map<String, Instant> named = new TreeMap<>();
    scenarios.forEach((k, v) -> named.put(k, Instant.ofEpochSecond(0, v * 1000)));
    return new SimulationSummary(
        sim.net.devices.size(),
        sim.frames.size(),
        sim.net.dhcpMessages,
        sim.resolver.messages(),
        lines.size(),
        truth.size(),
        Collections.unmodifiableMap(named));
  }

  /** Local wall time of the simulated day (seconds since midnight) → epoch micros. */
  private long at(long secondOfDay) {
    Instant i = date.atTime(LocalTime.ofSecondOfDay(secondOfDay)).atZone(zone).toInstant();
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  private long at(int h, int m, SplittableRandom rnd, int jitterSecs) {
    long t = at(h * 3600L + m * 60L) + rnd.nextLong(jitterSecs * 1_000_000L);
    return t - Math.floorMod(t, 1000); // evidence times are whole milliseconds
  }

  // ---------------- scenarios ----------------

  private Map<String, Long> scenarios(SplittableRandom rnd) {
    Map<String, Long> out = new TreeMap<>();
    out.put(
        "before-school", dns("before-school", "RM101-CB02", at(7, 52, rnd, 40), "www.roblox.com"));
    long room = dns("instructional-via-room", "RM102-CB03", at(8, 20, rnd, 40), "www.tiktok.com");
    out.put("instructional-via-room", room);
    // A retry 6 s later is more evidence for the same event; one 45 s later is a new attempt.
    dns(
        "retry-merged",
        "RM102-CB03",
        room + 6_000_000 + rnd.nextLong(500) * 1000,
        "www.tiktok.com");
    out.put(
        "separate-attempt",
        dns(
            "separate-attempt",
            "RM102-CB03",
            room + 45_000_000 + rnd.nextLong(500) * 1000,
            "www.tiktok.com"));
    out.put(
        "user-case-varied",
        squid(
            "user-case-varied",
            "RM104-CB02",
            at(8, 35, rnd, 40),
            "www.snapchat.com",
            occupantName("RM104-CB02", "1", true),
            false));
    out.put(
        "instructional-via-user",
        squid(
            "instructional-via-user",
            "RM103-CB04",
            at(9, 10, rnd, 40),
            "discord.com",
            occupantName("RM103-CB04", "2", false),
            false));
    out.put(
        "byod-in-period",
        dns(
            "byod-in-period",
            net.devices.get(net.devices.indexOf(firstByod())).hostname,
            at(9, 20, rnd, 40),
            "www.instagram.com"));
    out.put(
        "reuse-old-device", dns("reuse-old-device", "RM102-CB06", at(9, 58, rnd, 40), "poki.com"));
    out.put("prep-period", dns("prep-period", "RM103-T", at(10, 5, rnd, 40), "www.twitch.tv"));
    out.put(
        "static-ip", dnsDevice("static-ip", net.staticHost, at(10, 20, rnd, 40), "WWW.Twitch.tv"));
    out.put(
        "reuse-new-device", dns("reuse-new-device", "RM105-CB09", at(11, 5, rnd, 40), "poki.com"));
    out.put(
        "lunch",
        squid(
            "lunch",
            "RM104-CB01",
            at(11, 52, rnd, 40),
            "www.coolmathgames.com",
            occupantName("RM104-CB01", "3", false),
            true));
    out.put(
        "anonymous-squid-user",
        squid(
            "anonymous-squid-user",
            "RM106-CB02",
            at(12, 30, rnd, 40),
            "www.crazygames.com",
            "-",
            true));
    out.put(
        "teacher-user",
        squid(
            "teacher-user",
            "RM105-T",
            at(9, 15, rnd, 40),
            "WWW.Roblox.com",
            school.teacherOfRoom("RM105").username(),
            false));
    out.put(
        "user-section-wins",
        squid(
            "user-section-wins",
            "RM101-CB05",
            at(13, 30, rnd, 40),
            "store.steampowered.com",
            studentAwayFrom("RM101", "6").username(),
            false));
    out.put(
        "byod-after-school",
        dns("byod-after-school", "iPhone", at(14, 30, rnd, 40), "www.instagram.com"));
    out.put(
        "byod-passing-time",
        dns("byod-passing-time", "Galaxy-S23", at(8, 52, rnd, 60), "discord.com"));
    return out;
  }

  private Network.Device firstByod() {
    for (Network.Device d : net.devices) {
      if (d.kind == Network.Kind.BYOD) {
        return d;
      }
    }
    throw new IllegalStateException();
  }

  private long dns(String scenario, String hostname, long time, String qname) {
    return dnsDevice(scenario, net.byName(hostname), time, qname);
  }

  private long dnsDevice(String scenario, Network.Device d, long time, String qname) {
    requireActive(scenario, d, time);
    evidence.add(new Evidence(scenario, true, d, time, qname, null, null, null));
    return time;
  }

  private long squid(
      String scenario, String hostname, long time, String host, String user, boolean get) {
    Network.Device d = net.byName(hostname);
    requireActive(scenario, d, time);
    String url = get ? "http://" + host + "/" : host + ":443";
    evidence.add(new Evidence(scenario, false, d, time, host, user, get ? "GET" : "CONNECT", url));
    return time;
  }

  private void requireActive(String scenario, Network.Device d, long time) {
    if (!net.active(d, time - 100_000)) {
      throw new IllegalStateException("scenario " + scenario + ": " + d + " has no lease");
    }
  }

  /** The student sitting at Chromebook {@code CBnn} of a room in a period (nn-th on the roster). */
  private School.Person occupant(Network.Device cb, String period) {
    if (cb.kind != Network.Kind.CHROMEBOOK) {
      return null;
    }
    School.Section s = school.sectionInRoom(cb.room, period);
    if (s == null) {
      return null;
    }
    List<School.Person> roster = school.roster(s);
    int n = Integer.parseInt(cb.hostname.substring(cb.hostname.length() - 2));
    return n <= roster.size() ? roster.get(n - 1) : null;
  }

  private String occupantName(String hostname, String period, boolean varyCase) {
    String u = occupant(net.byName(hostname), period).username();
    return varyCase ? varyCase(u) : u;
  }

  private static String varyCase(String u) {
    return Character.toUpperCase(u.charAt(0))
        + u.substring(1, 2).toUpperCase(Locale.ROOT)
        + u.substring(2);
  }

  /** A student whose class in {@code period} is in a different room than {@code room}. */
  private School.Person studentAwayFrom(String room, String period) {
    for (School.Person p : school.students) {
      School.Section s = school.sectionOfStudent(p, period);
      if (s != null && !s.room().equals(room)) {
        return p;
      }
    }
    throw new IllegalStateException();
  }

  /** A random student whose class in {@code period} meets elsewhere than {@code room}, or null. */
  private School.Person studentAwayFrom(String room, String period, SplittableRandom rnd) {
    for (int tries = 0; tries < 20; tries++) {
      School.Person p = school.students.get(rnd.nextInt(school.students.size()));
      School.Section s = school.sectionOfStudent(p, period);
      if (s != null && !s.room().equals(room)) {
        return p;
      }
    }
    return null;
  }

  // ---------------- school-scale scenarios ----------------

  /**
   * The school-scale named scenarios: the address reuse told only by the late log (first evidence
   * before the late lines reach the collector, a retry after), a first block seconds after a
   * late-logged lease, and a student on another room's Chromebook.
   */
  private Map<String, Long> schoolScenarios(SplittableRandom rnd) {
    Map<String, Long> out = new TreeMap<>();
    long flush = net.lateFlush;
    Network.Device reuser = net.reuser;
    long first = flush - 5_000_000 + rnd.nextLong(400) * 1000;
    out.put("late-log-reuse", dnsDevice("late-log-reuse", reuser, first, "www.roblox.com"));
    dnsDevice(
        "late-log-reuse-retry",
        reuser,
        flush + 3_000_000 + rnd.nextLong(400) * 1000,
        "www.roblox.com");
    // The released device's last block, a minute before it leaves.
    out.put(
        "late-log-released",
        dnsDevice(
            "late-log-released",
            net.released,
            net.released.depart - 60_000_000 - rnd.nextLong(400) * 1000,
            "www.twitch.tv"));
    // A server-2 Chromebook blocked seconds after its (late-logged) first lease.
    for (Network.Device d : net.devices) {
      if (d.server == 2 && d.kind == Network.Kind.CHROMEBOOK && d != net.released && d != reuser) {
        long t = net.firstLease(d) + 2_000_000 + rnd.nextLong(3000) * 1000;
        out.put("late-log-arrival", dnsDevice("late-log-arrival", d, t, "discord.com"));
        break;
      }
    }
    // A student on a Chromebook of another room during period 2.
    Network.Device cb = net.byName(school.rooms.get(0) + "-CB03");
    School.Bell p2 = school.bell(daySchedule(), "2");
    long t = at(p2.start().toSecondOfDay() + 600L) + rnd.nextLong(60_000) * 1000;
    School.Person away = studentAwayFrom(cb.room, "2", rnd);
    out.put(
        "user-on-other-rooms-device",
        squid(
            "user-on-other-rooms-device",
            cb.hostname,
            t,
            "www.instagram.com",
            away.username(),
            false));
    return out;
  }

  private void writeSchoolFiles(Path outDir, List<Map<String, Object>> truth) throws IOException {
    List<Network.LogLine> lines = new ArrayList<>(net.dhcpLog);
    lines.sort(
        (a, b) ->
            a.delivered() != b.delivered()
                ? Long.compare(a.delivered(), b.delivered())
                : Long.compare(a.seq(), b.seq()));
    StringBuilder sb = new StringBuilder();
    for (Network.LogLine l : lines) {
      sb.append(l.text()).append('\n');
    }
    Path dhcpd = outDir.resolve("logs/dhcpd.log");
    Files.write(dhcpd, sb.toString().getBytes(StandardCharsets.UTF_8));
    // RFC 3164 lines carry no year: the file's time says which year they belong to, as for a log
    // written that day.
    Files.setLastModifiedTime(
        dhcpd, java.nio.file.attribute.FileTime.from(date.atTime(23, 59).atZone(zone).toInstant()));
    String yaml =
        "# A simulated school-scale day ("
            + date
            + "), written by SiteSimulator.\n"
            + "site:\n  name: Bellwatch simulated school\n  timezone: "
            + zone.getId()
            + "\n"
            + "schedule:\n  dir: schedule\n"
            + "capture:\n  pcap_files: [capture/site.pcap]\n"
            + "logs:\n  files:\n    - vendor: squid\n      path: logs/squid-access.log\n"
            + "    - vendor: isc_dhcpd\n      path: logs/dhcpd.log\n"
            + ProxyBlocks.config()
            + "store:\n  dir: state\n";
    Files.write(outDir.resolve("bellwatch.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
    StringBuilder c = new StringBuilder();
    for (Map<String, Object> e : truth) {
      if (Boolean.TRUE.equals(e.get("_conflict"))) {
        c.append(e.get("time"))
            .append(' ')
            .append(e.get("client_ip"))
            .append(' ')
            .append(e.get("domain"))
            .append('\n');
      }
    }
    Files.write(outDir.resolve("conflicts.txt"), c.toString().getBytes(StandardCharsets.UTF_8));
  }

  // ---------------- proxy blocks ----------------

  /**
   * The proxy's own kinds of block ({@link ProxyBlocks}): named scenarios (a redirect of a
   * student's page in class, a teacher's CONNECT redirected, a refused lookup, and another room's
   * request of the name that squid answers from its DNS cache 20 s later), {@code randomCount}
   * seeded ones, and two requests of a server that is down. Drawn from their own {@code rnd}: the
   * rest of the day is unchanged.
   */
  private void proxyScenarios(SplittableRandom rnd, Map<String, Long> out, int randomCount) {
    String[] rooms = {
      school.rooms.get(0), school.rooms.get(1), school.rooms.get(2), school.rooms.get(3)
    };
    long t = at(10, 30, rnd, 40);
    Network.Device cb = activeIn(rooms[3], Network.Kind.CHROMEBOOK, 3, t);
    out.put("proxy-redirect", proxy.redirect(cb, t, 0, occupantAt(cb, t), true));
    t = at(12, 45, rnd, 40);
    Network.Device laptop = activeIn(rooms[1], Network.Kind.TEACHER_LAPTOP, 1, t);
    out.put(
        "proxy-redirect-connect",
        proxy.redirect(laptop, t, 1, school.teacherOfRoom(rooms[1]).username(), false));
    t = at(13, 20, rnd, 40);
    Network.Device first = activeIn(rooms[0], Network.Kind.CHROMEBOOK, 6, t);
    out.put("proxy-dns-block", proxy.refused(first, t, 0, occupantAt(first, t), true));
    t += 20_000_000L;
    Network.Device second = activeIn(rooms[2], Network.Kind.CHROMEBOOK, 7, t);
    out.put("proxy-dns-block-cached", proxy.refused(second, t, 0, occupantAt(second, t), false));
    for (Network.Device d :
        new Network.Device[] {net.byName(rooms[2] + "-CB02"), net.byName(rooms[3] + "-CB04")}) {
      long when = at(10 + 3 * down.size(), 45, rnd, 40);
      if (net.active(d, when)) {
        down.add(d);
        downTimes.add(when);
      }
    }
    long from = at(7 * 3600L + 31 * 60);
    long to = at(15 * 3600L + 29 * 60);
    for (int added = 0, tries = 0; added < randomCount && tries < 5000; tries++) {
      Network.Device d = net.devices.get(rnd.nextInt(net.devices.size()));
      long when = from + rnd.nextLong(to - from);
      when -= Math.floorMod(when, 1000);
      if (!net.active(d, when - 1_000_000)
          || !net.active(d, when + 1_000_000)
          || nearBoundary(when)
          || proxy.near(d.ip, when)) {
        continue;
      }
      String user = occupantAt(d, when);
      if (rnd.nextBoolean()) {
        proxy.redirect(
            d, when, rnd.nextInt(ProxyBlocks.REDIRECTED.length), user, rnd.nextBoolean());
      } else {
        proxy.refused(d, when, rnd.nextInt(ProxyBlocks.REFUSED.length), user, rnd.nextBoolean());
      }
      added++;
    }
  }

  /**
   * A device of {@code kind} kept in {@code room} that holds a lease a second around {@code t}: the
   * {@code nth} of them when it does, else the next one that does (a Chromebook may leave early).
   */
  private Network.Device activeIn(String room, Network.Kind kind, int nth, long t) {
    List<Network.Device> inRoom = new ArrayList<>();
    for (Network.Device d : net.devices) {
      if (d.kind == kind && room.equals(d.room)) {
        inRoom.add(d);
      }
    }
    for (int i = 0; i < inRoom.size(); i++) {
      Network.Device d = inRoom.get((nth - 1 + i) % inRoom.size());
      if (net.active(d, t - 1_000_000) && net.active(d, t + 1_000_000)) {
        return d;
      }
    }
    throw new IllegalStateException(
        "no " + kind + " of " + room + " holds a lease at " + toInstant(t));
  }

  /**
   * The username of who sits at {@code d} at {@code t} (a Chromebook's student in a period), or
   * null.
   */
  private String occupantAt(Network.Device d, long t) {
    School.Bell bell = school.bellAt(toInstant(t));
    School.Person p = bell == null ? null : occupant(d, bell.period());
    return p == null ? null : p.username();
  }

  // ---------------- random blocks ----------------

  private void randomBlocks(SplittableRandom rnd, int wanted) {
    long from = at(7 * 3600L + 31 * 60);
    long to = at(15 * 3600L + 29 * 60);
    List<Network.Device> candidates = new ArrayList<>(net.devices);
    int added = 0;
    for (int tries = 0; added < wanted && tries < 5000; tries++) {
      Network.Device d = candidates.get(rnd.nextInt(candidates.size()));
      long t = from + rnd.nextLong(to - from);
      t -= Math.floorMod(t, 1000);
      if (!net.active(d, t - 1_000_000) || !net.active(d, t + 1_000_000) || nearBoundary(t)) {
        continue;
      }
      String domain = BLOCKED[rnd.nextInt(BLOCKED.length)];
      if (conflicts(d.ip, domain, t)) {
        continue;
      }
      School.Bell bell = school.bellAt(toInstant(t));
      School.Person occ = bell == null ? null : occupant(d, bell.period());
      String user = null;
      if (!scale.isSample()
          && bell != null
          && d.kind == Network.Kind.CHROMEBOOK
          && rnd.nextInt(100) < 12) {
        // A student signed in on another room's Chromebook: the enrollment wins over the room.
        School.Person away = studentAwayFrom(d.room, bell.period(), rnd);
        user = away == null ? null : away.username();
      } else if (!scale.isSample()
          && d.kind == Network.Kind.TEACHER_LAPTOP
          && rnd.nextInt(100) < 15) {
        // A substitute signed in on another room's laptop.
        user = school.teachers.get(rnd.nextInt(school.teachers.size())).username();
      } else if (occ != null && rnd.nextInt(100) < 55) {
        int r = rnd.nextInt(100);
        user = r < 12 ? "-" : r < 25 ? varyCase(occ.username()) : occ.username();
      } else if (d.kind == Network.Kind.TEACHER_LAPTOP && rnd.nextInt(100) < 40) {
        user = school.teacherOfRoom(d.room).username();
      }
      if (user == null) {
        evidence.add(new Evidence("random", true, d, t, domain, null, null, null));
      } else {
        boolean get = rnd.nextInt(3) == 0;
        evidence.add(
            new Evidence(
                "random",
                false,
                d,
                t,
                domain,
                user,
                get ? "GET" : "CONNECT",
                get ? "http://" + domain + "/" : domain + ":443"));
      }
      added++;
    }
  }

  private boolean nearBoundary(long t) {
    return school.nearBell(toInstant(t).atZone(zone).toLocalTime());
  }

  private boolean conflicts(int ip, String domain, long t) {
    for (Evidence e : evidence) {
      if (e.time() == t) {
        return true;
      }
      if (e.device().ip == ip
          && e.domain().equals(domain)
          && Math.abs(e.time() - t) < 60_000_000L) {
        return true;
      }
    }
    return false;
  }

  private static Instant toInstant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
  }

  // ---------------- traffic ----------------

  /** Allowed DNS lookups for every device, allowed and 407 Squid lines. */
  private void background(SplittableRandom rnd) {
    long from = at(7 * 3600L + 30 * 60);
    long to = at(15 * 3600L + 30 * 60);
    for (Network.Device d : net.devices) {
      int lookups = d.kind == Network.Kind.STATIC ? 20 : 10 + rnd.nextInt(5);
      for (int i = 0; i < lookups; i++) {
        long t = from + rnd.nextLong(to - from);
        if (!net.active(d, t) || !net.active(d, t + 1_000_000)) {
          continue;
        }
        resolver.lookup(rnd, d, t, Resolver.ALLOWED.get(rnd.nextInt(Resolver.ALLOWED.size())));
      }
    }
    for (Network.Device d : net.devices) {
      if (d.kind == Network.Kind.CHROMEBOOK) {
        for (School.Bell b : school.bells) {
          if (!b.schedule().equals(daySchedule()) || !school.periodUsedByClass(b.period())) {
            continue;
          }
          School.Person occ = occupant(d, b.period());
          long start = at(b.start().toSecondOfDay());
          long len = at(b.end().toSecondOfDay()) - start;
          int n = occ == null ? 0 : rnd.nextInt(4);
          for (int i = 0; i < n; i++) {
            long t = start + rnd.nextLong(len);
            if (net.active(d, t)) {
              allowedLine(rnd, d, t, occ.username());
            }
          }
        }
      } else if (d.kind == Network.Kind.TEACHER_LAPTOP) {
        for (int i = 0; i < 12; i++) {
          long t = from + rnd.nextLong(to - from);
          if (net.active(d, t)) {
            allowedLine(rnd, d, t, school.teacherOfRoom(d.room).username());
          }
        }
      }
    }
    // Proxy-auth challenges (407) are not blocks; one of them is for a blocked name on purpose.
    List<Network.Device> cbs = new ArrayList<>();
    for (Network.Device d : net.devices) {
      if (d.kind == Network.Kind.CHROMEBOOK) {
        cbs.add(d);
      }
    }
    for (int i = 0; i < 10; i++) {
      Network.Device d = cbs.get(rnd.nextInt(cbs.size()));
      long t = from + rnd.nextLong(to - from);
      if (!net.active(d, t)) {
        continue;
      }
      String host =
          i == 0
              ? "www.tiktok.com"
              : Resolver.ALLOWED.get(rnd.nextInt(Resolver.ALLOWED.size())).name();
      addLog(
          t,
          squidLine(
              t,
              rnd.nextInt(3),
              d.ip,
              "TCP_DENIED",
              407,
              4100 + rnd.nextInt(200),
              "CONNECT",
              host + ":443",
              "-",
              "HIER_NONE/-",
              "text/html"));
    }
  }

  /**
   * The bell schedule whose periods drive classroom traffic: the day's, or regular on a day off.
   */
  private String daySchedule() {
    String s = school.scheduleOn(date);
    return s == null ? "regular" : s;
  }

  private void allowedLine(SplittableRandom rnd, Network.Device d, long t, String user) {
    Resolver.Allowed a = Resolver.ALLOWED.get(rnd.nextInt(Resolver.ALLOWED.size()));
    String peer = "HIER_DIRECT/" + (a.v4().isEmpty() ? "-" : a.v4().get(0));
    if (rnd.nextInt(4) == 0) {
      addLog(
          t,
          squidLine(
              t,
              40 + rnd.nextInt(400),
              d.ip,
              "TCP_MISS",
              200,
              900 + rnd.nextInt(40000),
              "GET",
              "http://" + a.name() + "/favicon.ico",
              user,
              peer,
              "image/x-icon"));
    } else {
      addLog(
          t,
          squidLine(
              t,
              1000 + rnd.nextInt(120000),
              d.ip,
              "TCP_TUNNEL",
              200,
              2000 + rnd.nextInt(500000),
              "CONNECT",
              a.name() + ":443",
              user,
              peer,
              "-"));
    }
  }

  private void addLog(long t, String text) {
    log.add(new LogLine(t - Math.floorMod(t, 1000), seq[0]++, text));
  }

  static String squidLine(
      long micros,
      int elapsedMs,
      int client,
      String code,
      int status,
      int bytes,
      String method,
      String url,
      String user,
      String hier,
      String type) {
    long ms = Math.floorDiv(micros, 1000L);
    return String.format(
        Locale.ROOT,
        "%d.%03d %6d %s %s/%03d %d %s %s %s %s %s",
        Math.floorDiv(ms, 1000L),
        Math.floorMod(ms, 1000L),
        elapsedMs,
        Wire.ipString(client),
        code,
        status,
        bytes,
        method,
        url,
        user,
        hier,
        type);
  }

  /** Turns the planned block evidence into sinkhole answer pairs and 403 lines. */
  private void emitBlocks(SplittableRandom rnd) {
    for (Evidence e : evidence) {
      if (e.dns()) {
        resolver.sinkhole(rnd, e.device(), e.time(), e.domainAsSent());
      } else {
        addLog(
            e.time(),
            squidLine(
                e.time(),
                rnd.nextInt(4),
                e.device().ip,
                "TCP_DENIED",
                403,
                3800 + rnd.nextInt(300),
                e.method(),
                e.url(),
                e.user(),
                "HIER_NONE/-",
                "text/html"));
      }
    }
    long[] downAt = downTimes.stream().mapToLong(Long::longValue).toArray();
    proxy.emit(rnd, this::addLog, down, downAt);
  }

  // ---------------- truth ----------------

  private List<Map<String, Object>> truth() {
    List<TruthEvents.Block> blocks = new ArrayList<>();
    for (Evidence e : evidence) {
      boolean anonymous = e.dns() || "-".equals(e.user());
      blocks.add(
          new TruthEvents.Block(
              e.device(),
              e.time(),
              e.domain(),
              anonymous ? null : e.user(),
              e.url(),
              null,
              e.dns() ? "dns" : "squid",
              e.dns() ? "dns-sinkhole" : "proxy-deny"));
    }
    blocks.addAll(proxy.truth());
    return TruthEvents.of(blocks, net, school);
  }
}
