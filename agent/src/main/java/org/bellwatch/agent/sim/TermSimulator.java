package org.bellwatch.agent.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Four school weeks of a 600-device middle school, for the demo ({@code scripts/demo}) and the
 * console's tests: the capture of the guest and classroom networks (DHCP and the DNS of every
 * device, sinkhole answers for phones), the FortiGate's web-filter log (the Chromebooks' and
 * laptops' blocks, with users and categories), the schedule folder (OneRoster with names and
 * co-teachers, bells, a calendar with a day off and an early-release day) and the truth.
 *
 * <p>Design note. The term ends on a given school day (by default the last one whose traffic is
 * over, {@link #defaultEnd}) and covers the 28 days up to it. Each day is generated from its own
 * random stream ({@code seed} and the date), so the same seed gives the same day whatever the term
 * around it. Within a day the model is a classroom's: cart Chromebooks stay in their room and each
 * period's students sit at them in roster order; teachers' laptops are in their room; phones have
 * no room. What gets blocked follows the school's rhythm ({@link TermActivity}): lessons that link
 * to a blocked site (a video, a coding site, a newspaper, an encyclopedia) make a burst of blocks
 * in that class a few minutes into the period; games and social media are tried mostly before
 * school, between classes, at lunch and after school, on phones, and less in class, least in a
 * period's first minutes, more on Friday afternoons. Blocks of one device and site are at least a
 * minute apart (a retry seconds later joins its attempt) and never within 5 s of a bell, as in
 * {@link SiteSimulator}; {@link TruthEvents} gives the truth.
 */
public final class TermSimulator {

  /** School weeks in the term. */
  public static final int WEEKS = 4;

  /** 18 rooms of 28 cart Chromebooks and the teacher's laptop, and 78 phones: 600 devices. */
  static final SiteSimulator.Scale SCALE = new SiteSimulator.Scale(18, 7, 28, 420, 78, 0);

  /**
   * A day's leases outlast the school day: one renewal at T1 (RFC 2131 section 4.4.5) before
   * dismissal.
   */
  static final long LEASE_SECS = 8 * 3600;

  /**
   * From this local time on, a school day's traffic is over: the default term then ends that day.
   */
  static final LocalTime DAY_OVER = LocalTime.of(16, 0);

  static final String LOG = "logs/fortigate.log";
  static final String PCAP = "capture/term.pcap";

  /**
   * What {@link #simulate} wrote.
   *
   * @param first the term's first day
   * @param end its last simulated day
   * @param schoolDays days with school among them
   * @param devices devices on the network
   * @param students students in the roster
   * @param teachers teachers (with a room, and co-teachers)
   * @param sections class sections
   * @param frames frames in the capture
   * @param logLines lines in the FortiGate log
   * @param truthEvents block events in truth.jsonl
   */
  public record Summary(
      LocalDate first,
      LocalDate end,
      int schoolDays,
      int devices,
      int students,
      int teachers,
      int sections,
      int frames,
      int logLines,
      int truthEvents) {}

  private TermSimulator() {}

  /**
   * The last school day (Monday to Friday) whose traffic is over at {@code clock}'s instant in the
   * school's zone: today from {@link #DAY_OVER} on, else the weekday before.
   */
  public static LocalDate defaultEnd(Clock clock) {
    ZonedDateTime now = clock.instant().atZone(SiteSimulator.ZONE);
    LocalDate d =
        now.toLocalTime().isBefore(DAY_OVER) ? now.toLocalDate().minusDays(1) : now.toLocalDate();
    while (weekend(d)) {
      d = d.minusDays(1);
    }
    return d;
  }

  public static boolean weekend(LocalDate d) {
    return d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
  }

  /**
   * The term's calendar: the four weeks up to {@code end} (20 weekdays), with a day off (the Monday
   * of the third week) and an early-release Wednesday; the session runs to the Friday of the last
   * week.
   */
  static School.TermPlan plan(LocalDate end) {
    if (weekend(end)) {
      throw new IllegalArgumentException(
          end + " is a " + end.getDayOfWeek() + ": a term ends on a school day");
    }
    LocalDate first = end.minusDays(WEEKS * 7L - 1);
    while (weekend(first)) {
      first = first.plusDays(1);
    }
    Map<LocalDate, String> exceptions = new TreeMap<>();
    exceptions.put(
        first.plusDays(3).with(TemporalAdjusters.nextOrSame(DayOfWeek.WEDNESDAY)), "minimum");
    exceptions.put(first.plusDays(14).with(TemporalAdjusters.nextOrSame(DayOfWeek.MONDAY)), "none");
    int month = first.getMonthValue();
    String season = month >= 8 ? "Fall" : month <= 5 ? "Spring" : "Summer";
    return new School.TermPlan(
        first,
        end.with(TemporalAdjusters.nextOrSame(DayOfWeek.FRIDAY)),
        "as-term-" + first,
        season + " " + first.getYear() + " term",
        exceptions,
        TermCatalog.COURSES,
        TermCatalog.GIVEN,
        TermCatalog.FAMILY,
        2);
  }

  /**
   * Writes the term ending on {@code end} into {@code outDir} (created if missing): {@code
   * schedule/}, {@value #PCAP}, {@value #LOG}, {@code truth.jsonl}, {@code bellwatch.yaml} (a
   * configuration that replays them into {@code state/}), {@code demo-reviews.tsv} ({@link
   * DemoReviews}) and {@code README.txt}.
   */
  public static Summary simulate(long seed, LocalDate end, Path outDir) throws IOException {
    School.TermPlan plan = plan(end);
    School school =
        new School(new SplittableRandom(seed ^ 0x5C001L), end, SiteSimulator.ZONE, SCALE, plan);
    List<Network.Device> devices =
        TermActivity.devices(new SplittableRandom(seed ^ 0x4E7L), school);
    Files.createDirectories(outDir.resolve("capture"));
    Files.createDirectories(outDir.resolve("logs"));
    ScheduleWriter.write(school, outDir.resolve("schedule"));
    Files.writeString(
        outDir.resolve("schedule/networks.csv"),
        TermActivity.networksCsv(school),
        StandardCharsets.UTF_8);
    Files.writeString(
        outDir.resolve("schedule/devices.csv"), school.devicesCsv(devices), StandardCharsets.UTF_8);
    ObjectMapper json = new ObjectMapper();
    List<Map<String, Object>> truth = new ArrayList<>();
    int days = 0;
    int frames = 0;
    int lines = 0;
    TermActivity activity = new TermActivity(school, devices, plan.first());
    try (Wire.PcapWriter pcap = new Wire.PcapWriter(outDir.resolve(PCAP));
        Writer log = Files.newBufferedWriter(outDir.resolve(LOG), StandardCharsets.UTF_8);
        BufferedWriter truthOut =
            Files.newBufferedWriter(outDir.resolve("truth.jsonl"), StandardCharsets.UTF_8)) {
      for (LocalDate d = plan.first(); !d.isAfter(end); d = d.plusDays(1)) {
        String schedule = school.scheduleOn(d);
        if (schedule == null) {
          continue;
        }
        days++;
        TermActivity.Day day =
            activity.day(
                new SplittableRandom(seed * 0x9E3779B97F4A7C15L + d.toEpochDay()), d, schedule);
        pcap.write(day.frames());
        frames += day.frames().size();
        for (String l : day.logLines()) {
          log.write(l);
          log.write('\n');
        }
        lines += day.logLines().size();
        for (Map<String, Object> e : day.truth()) {
          Map<String, Object> written = new LinkedHashMap<>(e);
          written.remove("_conflict");
          truthOut.write(json.writeValueAsString(written));
          truthOut.write('\n');
          truth.add(written);
        }
      }
    }
    DemoReviews.write(school, end, truth, outDir.resolve("demo-reviews.tsv"));
    String yaml =
        "# A simulated four-week term ("
            + plan.first()
            + " to "
            + end
            + "), written by TermSimulator:\n"
            + "# `bellwatch replay --config FILE --store` reads its capture and log into the store once.\n"
            + "site:\n  name: "
            + School.ORG_NAME
            + " (simulated term)\n  timezone: "
            + SiteSimulator.ZONE.getId()
            + "\n"
            + "schedule:\n  dir: schedule\n"
            + "capture:\n  pcap_files: ["
            + PCAP
            + "]\n"
            + "logs:\n  files:\n    - vendor: fortigate\n      path: "
            + LOG
            + "\n"
            + "store:\n  dir: state\n";
    Files.writeString(outDir.resolve("bellwatch.yaml"), yaml, StandardCharsets.UTF_8);
    int teachers = school.teachers.size() + school.coTeachers.size();
    String readme =
        "Bellwatch simulated term of "
            + School.ORG_NAME
            + ", "
            + plan.first()
            + " to "
            + end
            + " ("
            + SiteSimulator.ZONE
            + "): "
            + days
            + " school days, "
            + devices.size()
            + " devices, "
            + school.students.size()
            + " students, "
            + teachers
            + " teachers, "
            + school.sections.size()
            + " sections.\n"
            + "schedule/, "
            + PCAP
            + " (DHCP and DNS), "
            + LOG
            + " (web filter); truth.jsonl holds the block events the"
            + " pipeline must produce from them; demo-reviews.tsv the requests and decisions scripts/demo records.\n"
            + "Generated by org.bellwatch.agent.sim.TermSimulator with seed "
            + seed
            + ".\n";
    Files.writeString(outDir.resolve("README.txt"), readme, StandardCharsets.UTF_8);
    return new Summary(
        plan.first(),
        end,
        days,
        devices.size(),
        school.students.size(),
        teachers,
        school.sections.size(),
        frames,
        lines,
        truth.size());
  }

  /** Micros since the epoch → instant. */
  static Instant instant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
  }
}
