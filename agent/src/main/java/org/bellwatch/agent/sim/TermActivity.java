package org.bellwatch.agent.sim;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.ToIntFunction;

/**
 * One school day of the simulated term ({@link TermSimulator}): who is on the network when, and
 * what each device tries that the filter blocks, in the school's rhythm (see the rates below); then
 * the capture's frames, the FortiGate's log lines and the truth of that day.
 *
 * <p>Rates are per day and chosen to give a 600-device middle school four to eight hundred blocked
 * attempts a day, more than half of them during class, most of those from lessons that link to a
 * blocked site ({@link TermCatalog#LESSONS}): bursts of most of a class within a few minutes.
 * Off-task games and social media are tried by about one student in thirty each period, more late
 * in the period and few in its first minutes, less on Mondays, more on Friday afternoons; phones
 * try them mostly before school, between classes, at lunch and after school, so that most of their
 * blocks fall outside class.
 *
 * <p>Design note (one class): the rates and the behaviours they drive are tuned together to give
 * the figures above, so they are kept in one place; the bytes of the frames are laid out by {@link
 * Wire}.
 */
final class TermActivity {

  /** Off-task attempts per student and class period on a Tuesday. */
  static final double OFF_TASK_PER_PERIOD = 0.03;

  /** A student's own look-up of a blocked site (a video, an article) per class period. */
  static final double LOOK_UP_PER_PERIOD = 0.003;

  /** The share of a lesson's class that follows the link: between this and 0.4 more. */
  static final double JOIN_AT_LEAST = 0.5;

  /** FortiGate learned the user (FSSO) for this share of Chromebook blocks, in percent. */
  static final int USER_KNOWN_PERCENT = 93;

  /** Blocked attempts per phone in each part of the day (class: per period). */
  static final double PHONE_BEFORE = 0.45;

  static final double PHONE_PASSING = 0.10;
  static final double PHONE_LUNCH = 1.0;
  static final double PHONE_AFTER = 0.7;
  static final double PHONE_CLASS = 0.035;
  private static final int CARTS_PER_ROOM = TermSimulator.SCALE.chromebooksPerRoom();

  /**
   * What one day gave: frames for the capture, FortiGate lines (in time order) and truth events.
   */
  record Day(List<Wire.Frame> frames, List<String> logLines, List<Map<String, Object>> truth) {}

  private final School school;
  private final List<Network.Device> devices;
  private final LocalDate first;

  TermActivity(School school, List<Network.Device> devices, LocalDate first) {
    this.school = school;
    this.devices = devices;
    this.first = first;
  }

  /** The phones' network (10.10.24.0/22): in no room. */
  static final int GUEST_NETWORK = Wire.ip("10.10.24.0");

  /**
   * Room {@code r}'s network, a /27 from 10.10.16.0: 30 addresses for 28 Chromebooks and the
   * laptop.
   */
  static int roomNetwork(int r) {
    return Wire.ip("10.10.16.0") + 32 * r;
  }

  /** {@code networks.csv} of the schedule folder: each room's /27. */
  static String networksCsv(School school) {
    StringBuilder sb = new StringBuilder("cidr,room\n");
    for (int r = 0; r < school.rooms.size(); r++) {
      sb.append(Wire.ipString(roomNetwork(r)))
          .append("/27,")
          .append(school.rooms.get(r))
          .append('\n');
    }
    return sb.toString();
  }

  /**
   * The term's devices, in room order (each room's Chromebooks {@code RM101-CB01}.. then its laptop
   * {@code RM101-T}), then the phones; each keeps one address for the term, in its room's network.
   */
  static List<Network.Device> devices(SplittableRandom rnd, School school) {
    List<Network.Device> out = new ArrayList<>();
    List<byte[]> macs = new ArrayList<>();
    for (String room : school.rooms) {
      for (int i = 1; i <= CARTS_PER_ROOM; i++) {
        out.add(
            new Network.Device(
                Network.Kind.CHROMEBOOK,
                String.format("%s-CB%02d", room, i),
                Network.mac(rnd, macs, new int[] {0xa4, 0x34, 0xd9}),
                room));
      }
      out.add(
          new Network.Device(
              Network.Kind.TEACHER_LAPTOP,
              room + "-T",
              Network.mac(rnd, macs, new int[] {0x3c, 0x22, 0xfb}),
              room));
    }
    for (int i = 0; i < school.scale.phones(); i++) {
      String name =
          switch (i % 3) {
            case 0 -> "android-" + Network.hex(rnd, 6);
            case 1 -> "iPhone-" + Network.hex(rnd, 4);
            default -> "Galaxy-" + Network.hex(rnd, 4);
          };
      out.add(new Network.Device(Network.Kind.BYOD, name, Network.mac(rnd, macs, null), null));
    }
    // Each room's devices in its own /27 (networks.csv, below), in the order its DHCP pool hands
    // them out;
    // the phones on the guest network.
    int perRoom = CARTS_PER_ROOM + 1;
    for (int r = 0; r < school.rooms.size(); r++) {
      List<Integer> hosts = new ArrayList<>();
      for (int h = 1; h <= perRoom; h++) {
        hosts.add(roomNetwork(r) + h);
      }
      School.shuffle(hosts, rnd);
      for (int i = 0; i < perRoom; i++) {
        out.get(r * perRoom + i).ip = hosts.get(i);
      }
    }
    List<Integer> guest = new ArrayList<>();
    for (int host = 1; host < 1023; host++) {
      if ((host & 0xFF) != 0 && (host & 0xFF) != 0xFF) {
        guest.add(GUEST_NETWORK + host);
      }
    }
    School.shuffle(guest, rnd);
    for (int i = school.rooms.size() * perRoom; i < out.size(); i++) {
      out.get(i).ip = guest.get(i - school.rooms.size() * perRoom);
    }
    return out;
  }

  Day day(SplittableRandom rnd, LocalDate date, String schedule) {
    return new DayBuilder(rnd, date, schedule).build();
  }

  /** One block evidence: a FortiGate line, or (for phones) a sinkhole answer. */
  private record Evidence(
      Network.Device device,
      long time,
      TermCatalog.Site site,
      String user,
      String path,
      boolean dns) {}

  private record LogLine(long time, long seq, String text) {}

  private record Tried(Network.Device device, String host) {}

  private final class DayBuilder {
    private final LocalDate date;
    private final String schedule;
    private final DayOfWeek weekday;
    private final int week;
    private final boolean early;
    private final List<School.Bell> bells = new ArrayList<>();
    private final List<Wire.Frame> frames = new ArrayList<>();
    private final long[] seq = {0};
    private final Resolver resolver = new Resolver(frames, seq);
    private final List<LogLine> log = new ArrayList<>();
    private final List<Evidence> evidence = new ArrayList<>();
    private final Map<Tried, List<Long>> tried = new HashMap<>();
    private final Set<School.Person> absent = new HashSet<>();
    private final SplittableRandom presence;
    private final SplittableRandom dhcp;
    private final SplittableRandom lessons;
    private final SplittableRandom offTask;
    private final SplittableRandom breaks;
    private final SplittableRandom phones;
    private final SplittableRandom staff;
    private final SplittableRandom background;
    private final SplittableRandom wire;
    private Network net;

    DayBuilder(SplittableRandom rnd, LocalDate date, String schedule) {
      this.date = date;
      this.schedule = schedule;
      this.weekday = date.getDayOfWeek();
      this.week = (int) (ChronoUnit.DAYS.between(first, date) / 7);
      this.early = !schedule.equals("regular");
      for (School.Bell b : school.bells) {
        if (b.schedule().equals(schedule)) {
          bells.add(b);
        }
      }
      // One stream per part of the day, split in a fixed order: more lessons leave the phones
      // alone.
      presence = rnd.split();
      dhcp = rnd.split();
      lessons = rnd.split();
      offTask = rnd.split();
      breaks = rnd.split();
      phones = rnd.split();
      staff = rnd.split();
      background = rnd.split();
      wire = rnd.split();
    }

    Day build() {
      arrive();
      lessons();
      classTime();
      breaks();
      phones();
      staff();
      background();
      List<TruthEvents.Block> blocks = new ArrayList<>();
      for (Evidence e : evidence) {
        if (e.dns()) {
          resolver.sinkhole(wire, e.device(), e.time(), e.site().host());
          blocks.add(
              new TruthEvents.Block(
                  e.device(), e.time(), e.site().host(), null, null, null, "dns", "dns-sinkhole"));
        } else {
          log.add(
              new LogLine(
                  e.time(),
                  seq[0]++,
                  FortigateLines.blocked(
                      wire,
                      e.time(),
                      e.device(),
                      e.site(),
                      e.path(),
                      e.user(),
                      school.user(e.user()))));
          blocks.add(
              new TruthEvents.Block(
                  e.device(),
                  e.time(),
                  e.site().host(),
                  e.user(),
                  "https://" + e.site().host() + e.path(),
                  e.site().category(),
                  "fortigate",
                  "filter-deny"));
        }
      }
      log.sort(
          (a, b) ->
              a.time() != b.time()
                  ? Long.compare(a.time(), b.time())
                  : Long.compare(a.seq(), b.seq()));
      List<String> lines = new ArrayList<>(log.size());
      log.forEach(l -> lines.add(l.text()));
      return new Day(frames, lines, TruthEvents.of(blocks, net, school));
    }

    // ---------------- who is here ----------------

    private void arrive() {
      long dismissal = last().end().toSecondOfDay();
      List<Network.Device> present = new ArrayList<>();
      for (Network.Device d : devices) {
        int away = presence.nextInt(100);
        switch (d.kind) {
          case CHROMEBOOK -> {
            if (away < 2) {
              continue; // left uncharged in the cart
            }
            d.arrive = micros(7 * 3600 + 30 * 60 + 5) + presence.nextLong(14L * 60 * 1_000_000);
            d.depart = micros(dismissal + 5 * 60) + presence.nextLong(55L * 60 * 1_000_000);
          }
          case TEACHER_LAPTOP -> {
            if (away < 3) {
              continue; // the teacher is out; the substitute uses the Chromebooks
            }
            d.arrive = micros(7 * 3600 + 5 * 60) + presence.nextLong(45L * 60 * 1_000_000);
            d.depart = micros(dismissal + 15 * 60) + presence.nextLong(110L * 60 * 1_000_000);
          }
          default -> {
            if (away < 15) {
              continue;
            }
            d.arrive =
                presence.nextInt(100) < 20
                    ? micros(9 * 3600) + presence.nextLong(3L * 3600 * 1_000_000)
                    : micros(7 * 3600 + 35 * 60) + presence.nextLong(25L * 60 * 1_000_000);
            d.depart = micros(dismissal) + presence.nextLong(40L * 60 * 1_000_000);
          }
        }
        d.releases = false;
        present.add(d);
      }
      for (School.Person p : school.students) {
        if (presence.nextInt(100) < 5) {
          absent.add(p);
        }
      }
      net = Network.forDay(school, this::micros, present, TermSimulator.LEASE_SECS);
      net.dhcp(dhcp, frames, seq);
      for (Network.Device d : present) {
        if (d.kind == Network.Kind.TEACHER_LAPTOP) {
          long t = d.arrive + 20_000_000 + presence.nextLong(40_000_000);
          School.Person teacher = school.teacherOfRoom(d.room);
          log.add(
              new LogLine(
                  t, seq[0]++, FortigateLines.logon(t - Math.floorMod(t, 1_000_000L), d, teacher)));
        }
      }
    }

    // ---------------- class time ----------------

    /** Lessons that link to a blocked site: the teacher's laptop first, then most of the class. */
    private void lessons() {
      for (School.Section s : school.sections) {
        int room = school.rooms.indexOf(s.room());
        School.Bell b = school.bell(schedule, s.period());
        for (TermCatalog.Lesson l : TermCatalog.LESSONS.get(room)) {
          double p = l.chance(weekday, week);
          if (weekday == DayOfWeek.MONDAY && (s.period().equals("1") || s.period().equals("2"))) {
            p *= 0.6; // Monday mornings start slowly
          }
          if (early) {
            p *= 0.5;
          }
          if (lessons.nextDouble() < p) {
            burst(room, s, b, l.site());
          }
        }
      }
    }

    private void burst(int room, School.Section s, School.Bell b, TermCatalog.Site site) {
      SplittableRandom rnd = lessons;
      long start = b.start().toSecondOfDay();
      long len = b.end().toSecondOfDay() - start;
      long at = start + 480 + rnd.nextLong(Math.max(60, len - 480 - 600));
      String path = site.path(rnd);
      if (rnd.nextInt(100) < 60) {
        // A co-taught lesson is led by its co-teacher every other school day, on the room's laptop.
        School.Person co = school.coTaught.get(s);
        School.Person lead = co != null && (date.getDayOfYear() + room) % 2 == 0 ? co : s.teacher();
        add(laptop(room), micros(at - 15 - rnd.nextInt(75)), site, lead.username(), path, false);
      }
      double join = JOIN_AT_LEAST + 0.4 * rnd.nextDouble();
      for (int n = 1; n <= CARTS_PER_ROOM; n++) {
        School.Person occ = occupant(s, n);
        if (occ == null || rnd.nextDouble() >= join) {
          continue;
        }
        long t = at + Math.min(240, (long) (-Math.log(1 - rnd.nextDouble()) * 45));
        String user = rnd.nextInt(100) < USER_KNOWN_PERCENT ? occ.username() : null;
        if (add(cart(room, n), micros(t), site, user, path, false) && rnd.nextInt(100) < 30) {
          retry(cart(room, n), micros(t + 2 + rnd.nextInt(6)), site, user, path, false);
        }
      }
    }

    /** Off-task attempts and students' own look-ups, at each Chromebook in each class period. */
    private void classTime() {
      double day =
          switch (weekday) {
                case MONDAY -> 0.8;
                case THURSDAY -> 1.1;
                case FRIDAY -> 1.3;
                default -> 1.0;
              }
              * (early ? 0.7 : 1.0);
      SplittableRandom rnd = offTask;
      for (School.Section s : school.sections) {
        int room = school.rooms.indexOf(s.room());
        School.Bell b = school.bell(schedule, s.period());
        double rate =
            OFF_TASK_PER_PERIOD
                * day
                * (weekday == DayOfWeek.FRIDAY && Integer.parseInt(s.period()) >= 5 ? 1.5 : 1.0);
        for (int n = 1; n <= CARTS_PER_ROOM; n++) {
          School.Person occ = occupant(s, n);
          if (occ == null) {
            continue;
          }
          for (int k = poisson(rnd, rate); k > 0; k--) {
            TermCatalog.Site site = pick(rnd, TermCatalog.OffTask::inClass);
            String user = rnd.nextInt(100) < USER_KNOWN_PERCENT ? occ.username() : null;
            add(cart(room, n), micros(inPeriod(rnd, b)), site, user, site.path(rnd), false);
          }
          if (rnd.nextDouble() < LOOK_UP_PER_PERIOD) {
            TermCatalog.Site site =
                TermCatalog.LOOKED_UP.get(rnd.nextInt(TermCatalog.LOOKED_UP.size()));
            long t =
                b.start().toSecondOfDay()
                    + 300
                    + rnd.nextLong(b.end().toSecondOfDay() - b.start().toSecondOfDay() - 360);
            add(cart(room, n), micros(t), site, occ.username(), site.path(rnd), false);
          }
        }
      }
    }

    /**
     * A second in the period, weighted: a quarter as likely in its first 8 minutes (attendance, the
     * teacher talking), 1.8 times as likely in its last 8 (work done, attention gone).
     */
    private long inPeriod(SplittableRandom rnd, School.Bell b) {
      long start = b.start().toSecondOfDay();
      long len = b.end().toSecondOfDay() - start;
      double w1 = 480 * 0.25;
      double w2 = len - 960;
      double w3 = 480 * 1.8;
      double u = rnd.nextDouble() * (w1 + w2 + w3);
      if (u < w1) {
        return start + (long) (u / 0.25);
      }
      if (u < w1 + w2) {
        return start + 480 + (long) (u - w1);
      }
      return start + len - 480 + (long) ((u - w1 - w2) / 1.8);
    }

    // ---------------- outside class ----------------

    /**
     * Rooms open at lunch and for the after-school homework club: students on the cart Chromebooks.
     */
    private void breaks() {
      SplittableRandom rnd = breaks;
      School.Bell lunch = school.bell(schedule, "Lunch");
      long lunchStart = lunch.start().toSecondOfDay();
      long lunchLen = lunch.end().toSecondOfDay() - lunchStart;
      long dismissal = last().end().toSecondOfDay();
      for (int open = 0; open < 5; open++) {
        int room = rnd.nextInt(school.rooms.size());
        boolean atLunch = open < 3;
        int students = atLunch ? 4 + rnd.nextInt(5) : 3 + rnd.nextInt(4);
        for (int n = 1; n <= students; n++) {
          School.Person p = school.students.get(rnd.nextInt(school.students.size()));
          if (absent.contains(p)) {
            continue;
          }
          for (int k = rnd.nextInt(3); k > 0; k--) {
            long t =
                atLunch
                    ? lunchStart + 60 + rnd.nextLong(lunchLen - 120)
                    : dismissal + 120 + rnd.nextLong(2100);
            TermCatalog.Site site = pick(rnd, TermCatalog.OffTask::inClass);
            add(cart(room, n), micros(t), site, p.username(), site.path(rnd), false);
          }
        }
      }
    }

    /** Phones on the guest network: its DNS filter answers blocked names with the sinkhole. */
    private void phones() {
      double day = weekday == DayOfWeek.MONDAY ? 0.9 : weekday == DayOfWeek.FRIDAY ? 1.2 : 1.0;
      SplittableRandom rnd = phones;
      long firstBell = micros(bells.get(0).start().toSecondOfDay());
      long dismissal = micros(last().end().toSecondOfDay());
      for (Network.Device d : net.devices) {
        if (d.kind != Network.Kind.BYOD) {
          continue;
        }
        phoneAttempts(rnd, d, d.arrive + 60_000_000, firstBell, PHONE_BEFORE * day);
        for (int i = 0; i < bells.size(); i++) {
          School.Bell b = bells.get(i);
          long from = micros(b.start().toSecondOfDay());
          long to = micros(b.end().toSecondOfDay());
          phoneAttempts(
              rnd, d, from, to, (b.period().equals("Lunch") ? PHONE_LUNCH : PHONE_CLASS) * day);
          if (i + 1 < bells.size()) {
            phoneAttempts(
                rnd, d, to, micros(bells.get(i + 1).start().toSecondOfDay()), PHONE_PASSING * day);
          }
        }
        phoneAttempts(rnd, d, dismissal, d.depart - 60_000_000, PHONE_AFTER * day);
      }
    }

    private void phoneAttempts(
        SplittableRandom rnd, Network.Device d, long from, long to, double rate) {
      for (int k = poisson(rnd, rate); k > 0; k--) {
        if (to <= from) {
          return;
        }
        long t = from + rnd.nextLong(to - from);
        t -=
            Math.floorMod(
                t, 1000); // the capture's times are whole microseconds; sinkhole answers whole ms
        TermCatalog.Site site = pick(rnd, TermCatalog.OffTask::onPhones);
        if (add(d, t, site, null, null, true) && rnd.nextInt(100) < 20) {
          retry(d, t + 2_000_000 + rnd.nextLong(4_000) * 1000, site, null, null, true);
        }
      }
    }

    /** Teachers plan lessons in their prep period (and read the news at lunch) on their laptops. */
    private void staff() {
      SplittableRandom rnd = staff;
      for (int room = 0; room < school.rooms.size(); room++) {
        School.Person teacher = school.teacherOfRoom(school.rooms.get(room));
        for (School.Bell b : bells) {
          boolean prep =
              !b.period().equals("Lunch")
                  && school.sectionInRoom(school.rooms.get(room), b.period()) == null;
          double chance = prep ? 0.35 : b.period().equals("Lunch") ? 0.12 : 0;
          if (rnd.nextDouble() < chance) {
            TermCatalog.Site site =
                prep
                    ? TermCatalog.LOOKED_UP.get(rnd.nextInt(TermCatalog.LOOKED_UP.size()))
                    : TermCatalog.NEWS;
            long t =
                b.start().toSecondOfDay()
                    + 60
                    + rnd.nextLong(b.end().toSecondOfDay() - b.start().toSecondOfDay() - 120);
            add(laptop(room), micros(t), site, teacher.username(), site.path(rnd), false);
          }
        }
      }
    }

    /** Two allowed lookups per device: most of the capture's DNS is not blocked. */
    private void background() {
      long dismissal = micros(last().end().toSecondOfDay());
      for (Network.Device d : net.devices) {
        long from = d.arrive + 30_000_000;
        long to = Math.min(d.depart, dismissal) - 30_000_000;
        for (int i = 0; i < 2 && to > from; i++) {
          long t = from + background.nextLong(to - from);
          if (net.active(d, t) && net.active(d, t + 1_000_000)) {
            resolver.lookup(
                background,
                d,
                t,
                Resolver.ALLOWED.get(background.nextInt(Resolver.ALLOWED.size())));
          }
        }
      }
    }

    // ---------------- helpers ----------------

    /**
     * Records a block unless the device has no lease then, it is within 5 s of a bell, or the
     * device tried the same site less than a minute before or after (then it would be the same
     * attempt).
     */
    private boolean add(
        Network.Device d, long t, TermCatalog.Site site, String user, String path, boolean dns) {
      if (!net.active(d, t - 1_000_000) || !net.active(d, t + 1_000_000)) {
        return false;
      }
      if (school.nearBell(TermSimulator.instant(t).atZone(SiteSimulator.ZONE).toLocalTime())) {
        return false;
      }
      List<Long> times = tried.computeIfAbsent(new Tried(d, site.host()), k -> new ArrayList<>());
      for (long x : times) {
        if (Math.abs(x - t) < 60_000_000L) {
          return false;
        }
      }
      times.add(t);
      evidence.add(new Evidence(d, t, site, user, path, dns));
      return true;
    }

    /** The same request again seconds later: more evidence of the same attempt. */
    private void retry(
        Network.Device d, long t, TermCatalog.Site site, String user, String path, boolean dns) {
      if (net.active(d, t)) {
        tried.get(new Tried(d, site.host())).add(t);
        evidence.add(new Evidence(d, t, site, user, path, dns));
      }
    }

    /**
     * The student at Chromebook {@code n} of the section's room: the n-th on its roster, if here
     * today.
     */
    private School.Person occupant(School.Section s, int n) {
      List<School.Person> roster = school.roster(s);
      School.Person p = n <= roster.size() ? roster.get(n - 1) : null;
      return p == null || absent.contains(p) ? null : p;
    }

    private Network.Device cart(int room, int n) {
      return devices.get(room * (CARTS_PER_ROOM + 1) + n - 1);
    }

    private Network.Device laptop(int room) {
      return devices.get(room * (CARTS_PER_ROOM + 1) + CARTS_PER_ROOM);
    }

    private School.Bell last() {
      return bells.get(bells.size() - 1);
    }

    /** Local second of the day → epoch micros. */
    private long micros(long secondOfDay) {
      ZonedDateTime z =
          date.atTime(LocalTime.ofSecondOfDay(secondOfDay)).atZone(SiteSimulator.ZONE);
      return z.toEpochSecond() * 1_000_000L;
    }
  }

  private static TermCatalog.Site pick(
      SplittableRandom rnd, ToIntFunction<TermCatalog.OffTask> weight) {
    int total = 0;
    for (TermCatalog.OffTask o : TermCatalog.OFF_TASK) {
      total += weight.applyAsInt(o);
    }
    int u = rnd.nextInt(total);
    for (TermCatalog.OffTask o : TermCatalog.OFF_TASK) {
      u -= weight.applyAsInt(o);
      if (u < 0) {
        return o.site();
      }
    }
    throw new IllegalStateException();
  }

  /** Knuth's method: fine for the small rates used here. */
  static int poisson(SplittableRandom rnd, double mean) {
    double limit = Math.exp(-mean);
    double product = rnd.nextDouble();
    int k = 0;
    while (product > limit) {
      product *= rnd.nextDouble();
      k++;
    }
    return k;
  }
}
