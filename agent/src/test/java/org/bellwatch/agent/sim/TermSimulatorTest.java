package org.bellwatch.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's term ({@link TermSimulator}): its size, its calendar, the school's rhythm in the
 * truth, the instruction sites blocked in the sections of the courses that use them, and
 * determinism by seed.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TermSimulatorTest {
  /** A Friday: the term is 2026-11-09 to 2026-12-04. */
  static final LocalDate END = LocalDate.of(2026, 12, 4);

  static final Set<String> INSTRUCTION_SITES =
      Set.of("www.youtube.com", "replit.com", "www.nytimes.com", "en.wikipedia.org");
  static final Set<String> OFF_TASK =
      Set.of(
          "www.roblox.com",
          "poki.com",
          "www.crazygames.com",
          "store.steampowered.com",
          "www.tiktok.com",
          "www.instagram.com",
          "www.snapchat.com",
          "discord.com",
          "www.twitch.tv");

  @TempDir static Path dir;
  static TermSimulator.Summary summary;
  static List<JsonNode> truth;

  @BeforeAll
  static void simulateOnce() throws IOException {
    summary = TermSimulator.simulate(7, END, dir.resolve("a"));
    truth = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(dir.resolve("a/truth.jsonl"))) {
      truth.add(json.readTree(line));
    }
  }

  @Test
  void the_term_is_four_school_weeks_of_a_600_device_school_ending_on_the_given_day()
      throws IOException {
    assertThat(summary)
        .isEqualTo(
            new TermSimulator.Summary(
                LocalDate.of(2026, 11, 9),
                END,
                19,
                600,
                420,
                20,
                108,
                summary.frames(),
                summary.logLines(),
                truth.size()));
    assertThat(truth.size()).isBetween(19 * 300, 19 * 900);
    Path or = dir.resolve("a/schedule/oneroster");
    assertThat(Files.readAllLines(or.resolve("academicSessions.csv")))
        .anyMatch(
            l ->
                l.startsWith("as-term-2026-11-09,active,")
                    && l.contains(",Fall 2026 term,term,2026-11-09,2026-12-04,"));
    assertThat(Files.readAllLines(dir.resolve("a/schedule/calendar.csv")))
        .containsExactly("date,bell_schedule", "2026-11-18,minimum", "2026-11-23,none");
    List<String> users = Files.readAllLines(or.resolve("users.csv"));
    assertThat(users).hasSize(1 + 420 + 20);
    for (String u : users.subList(1, users.size())) {
      String[] f = u.split(",");
      assertThat(f[8]).as(u).isNotBlank(); // givenName
      assertThat(f[9]).as(u).isNotBlank(); // familyName
    }
    List<String> coTeaching =
        Files.readAllLines(or.resolve("enrollments.csv")).stream()
            .filter(l -> l.contains(",teacher,false,"))
            .toList();
    assertThat(coTeaching).hasSize(4).allMatch(l -> l.contains(",tch-co0"));
    // Each room's devices in the room's /27; phones on the guest network, in no room.
    List<String> networks = Files.readAllLines(dir.resolve("a/schedule/networks.csv"));
    assertThat(networks)
        .hasSize(1 + 18)
        .contains("cidr,room", "10.10.16.0/27,RM101", "10.10.18.32/27,RM118");
    assertThat(truth)
        .allMatch(e -> e.get("room").isNull() == e.get("client_ip").asText().startsWith("10.10.2"));
    assertThat(Files.readString(dir.resolve("a/bellwatch.yaml")))
        .contains(
            "pcap_files: [capture/term.pcap]",
            "vendor: fortigate",
            "path: logs/fortigate.log",
            "dir: state");
    // No blocks on the day off; blocks on every other school day, none on weekends.
    Set<LocalDate> days = new HashSet<>();
    truth.forEach(e -> days.add(local(e).toLocalDate()));
    assertThat(days)
        .hasSize(19)
        .doesNotContain(LocalDate.of(2026, 11, 23))
        .allMatch(d -> !TermSimulator.weekend(d));
  }

  @Test
  void mondays_see_fewer_blocks_and_fridays_more_than_midweek() {
    Map<DayOfWeek, Integer> events = new TreeMap<>();
    Map<DayOfWeek, Set<LocalDate>> dates = new TreeMap<>();
    for (JsonNode e : truth) {
      LocalDate d = local(e).toLocalDate();
      if (d.equals(LocalDate.of(2026, 11, 18))) {
        continue; // the early-release day
      }
      events.merge(d.getDayOfWeek(), 1, Integer::sum);
      dates.computeIfAbsent(d.getDayOfWeek(), k -> new HashSet<>()).add(d);
    }
    Map<DayOfWeek, Double> perDay = new TreeMap<>();
    events.forEach((k, v) -> perDay.put(k, (double) v / dates.get(k).size()));
    double midweek =
        (perDay.get(DayOfWeek.TUESDAY)
                + perDay.get(DayOfWeek.WEDNESDAY)
                + perDay.get(DayOfWeek.THURSDAY))
            / 3;
    assertThat(perDay.get(DayOfWeek.MONDAY)).isLessThan(0.9 * midweek);
    assertThat(perDay.get(DayOfWeek.FRIDAY)).isGreaterThan(1.1 * midweek);
  }

  @Test
  void off_task_blocks_are_mostly_outside_class_and_rare_in_a_periods_first_minutes() {
    long inClass =
        truth.stream()
            .filter(
                e ->
                    OFF_TASK.contains(e.get("domain").asText())
                        && e.get("instructional").asBoolean())
            .count();
    long outside =
        truth.stream()
            .filter(
                e ->
                    OFF_TASK.contains(e.get("domain").asText())
                        && !e.get("instructional").asBoolean())
            .count();
    assertThat(inClass).isPositive().isLessThan(outside / 2);
    assertThat(truth)
        .anyMatch(e -> "Lunch".equals(e.get("period").asText(null)))
        .allMatch(
            e ->
                !"Lunch".equals(e.get("period").asText(null))
                    || !e.get("instructional").asBoolean());
    // Chromebook blocks during class: per minute, the first 8 minutes of a regular-day period see
    // fewer
    // than a third of the last 8 minutes' (lessons start after the first minutes; off-task peaks
    // late).
    int first = 0;
    int last = 0;
    for (JsonNode e : truth) {
      LocalDateTime t = local(e);
      if (!e.get("instructional").asBoolean()
          || e.get("section").isNull()
          || t.toLocalDate().equals(LocalDate.of(2026, 11, 18))) {
        continue;
      }
      LocalTime start = PERIOD_STARTS.get(e.get("period").asText());
      long minute = java.time.Duration.between(start, t.toLocalTime()).toMinutes();
      if (minute < 8) {
        first++;
      } else if (minute >= 37) {
        last++;
      }
    }
    assertThat(first).isPositive().isLessThan(last / 3);
  }

  /** The regular day's bells (School, school scale): 45-minute periods. */
  static final Map<String, LocalTime> PERIOD_STARTS =
      Map.of(
          "1",
          LocalTime.of(8, 0),
          "2",
          LocalTime.of(8, 50),
          "3",
          LocalTime.of(9, 40),
          "4",
          LocalTime.of(10, 30),
          "5",
          LocalTime.of(11, 55),
          "6",
          LocalTime.of(12, 45),
          "7",
          LocalTime.of(13, 35));

  @Test
  void instruction_sites_are_blocked_during_class_in_the_sections_of_the_courses_that_use_them() {
    for (String site : INSTRUCTION_SITES) {
      long during =
          truth.stream()
              .filter(
                  e -> e.get("domain").asText().equals(site) && e.get("instructional").asBoolean())
              .count();
      long all = truth.stream().filter(e -> e.get("domain").asText().equals(site)).count();
      assertThat(during).as(site).isGreaterThan(all * 9 / 10).isGreaterThan(100);
    }
    // The coding site only in Computer Science, with its category, mostly with a user; its teacher
    // too.
    List<JsonNode> coding =
        truth.stream().filter(e -> e.get("domain").asText().equals("replit.com")).toList();
    assertThat(coding)
        .allMatch(
            e ->
                e.get("course").asText().equals("Computer Science")
                    && e.get("category").asText().equals("Proxy Avoidance")
                    && e.get("source").asText().equals("fortigate"))
        .anyMatch(e -> e.get("user").asText("").equals(e.get("teacher").asText()));
    // Videos: most in science, languages and music; the encyclopedia: the research project of the
    // last two weeks.
    Map<String, Integer> videoCourses = new HashMap<>();
    truth.stream()
        .filter(
            e ->
                e.get("domain").asText().equals("www.youtube.com")
                    && e.get("instructional").asBoolean())
        .forEach(e -> videoCourses.merge(e.get("course").asText(), 1, Integer::sum));
    int science =
        videoCourses.getOrDefault("Life Science", 0)
            + videoCourses.getOrDefault("Physical Science", 0)
            + videoCourses.getOrDefault("Earth Science", 0);
    assertThat(science)
        .isGreaterThan(videoCourses.getOrDefault("Algebra I", 0) * 10)
        .isGreaterThan(videoCourses.values().stream().mapToInt(Integer::intValue).sum() / 4);
    long early =
        truth.stream()
            .filter(
                e ->
                    e.get("domain").asText().equals("en.wikipedia.org")
                        && local(e).toLocalDate().isBefore(LocalDate.of(2026, 11, 23)))
            .count();
    long late =
        truth.stream().filter(e -> e.get("domain").asText().equals("en.wikipedia.org")).count()
            - early;
    assertThat(late).isGreaterThan(3 * early);
    // Phones have no room and no user: blocked in class, they count as instruction by the time
    // alone.
    assertThat(truth)
        .anyMatch(
            e ->
                e.get("source").asText().equals("dns")
                    && e.get("room").isNull()
                    && e.get("instructional").asBoolean()
                    && e.get("section").isNull());
  }

  @Test
  void the_demo_reviews_ask_for_sections_where_each_site_was_blocked_in_class() throws IOException {
    List<String> steps = Files.readAllLines(dir.resolve("a/demo-reviews.tsv"));
    ObjectMapper json = new ObjectMapper();
    Map<String, Set<String>> blockedIn = new HashMap<>();
    for (JsonNode e : truth) {
      if (e.get("instructional").asBoolean() && !e.get("section").isNull()) {
        blockedIn
            .computeIfAbsent(e.get("domain").asText(), k -> new HashSet<>())
            .add(e.get("section").asText());
      }
    }
    Set<String> requested = new HashSet<>();
    String teacher = null;
    for (String step : steps) {
      String[] f = step.split("\t");
      assertThat(f).hasSize(3);
      String domain = f[1].split("/")[4];
      JsonNode body = json.readTree(f[2]);
      assertThat(body.get("reason").asText()).isNotBlank();
      if (f[1].endsWith("/request")) {
        requested.add(domain);
        assertThat(body.get("sections"))
            .isNotEmpty()
            .allMatch(s -> blockedIn.get(domain).contains(s.asText()));
        if (f[0].startsWith("teacher:")) {
          teacher = f[0].substring("teacher:".length());
          String who = teacher;
          assertThat(body.get("sections"))
              .allMatch(
                  s ->
                      truth.stream()
                          .anyMatch(
                              e ->
                                  s.asText().equals(e.get("section").asText(null))
                                      && e.get("teacher").asText().equals(who)));
        }
      } else {
        assertThat(f[0]).isEqualTo("admin");
        assertThat(requested).as("request before decision").contains(domain);
      }
    }
    assertThat(requested)
        .contains("www.youtube.com", "replit.com", "www.nytimes.com", "www.coolmathgames.com")
        .doesNotContain("en.wikipedia.org");
    assertThat(steps)
        .anyMatch(s -> s.contains("\"decision\":\"time_limited\""))
        .anyMatch(s -> s.contains("\"decision\":\"alternative\""))
        .anyMatch(s -> s.contains("\"decision\":\"kept_blocked\""));
    String roster = Files.readString(dir.resolve("a/schedule/oneroster/users.csv"));
    assertThat(roster).contains(",teacher," + teacher + ",");
  }

  @Test
  void the_same_seed_gives_byte_identical_files_and_another_seed_another_term() throws IOException {
    TermSimulator.simulate(7, END, dir.resolve("again"));
    TreeMap<String, byte[]> first = SiteSimulatorTest.files(dir.resolve("a"));
    TreeMap<String, byte[]> second = SiteSimulatorTest.files(dir.resolve("again"));
    assertThat(second.keySet()).containsExactlyElementsOf(first.keySet());
    for (String name : first.keySet()) {
      assertThat(second.get(name)).as(name).isEqualTo(first.get(name));
    }
    TermSimulator.simulate(8, END, dir.resolve("other"));
    assertThat(Files.readAllBytes(dir.resolve("other/truth.jsonl")))
        .isNotEqualTo(first.get("truth.jsonl"));
  }

  @Test
  void the_default_term_ends_on_the_last_school_day_whose_classes_are_over() {
    assertThat(TermSimulator.defaultEnd(at(2026, 12, 7, 10, 0)))
        .isEqualTo(LocalDate.of(2026, 12, 4)); // Monday
    assertThat(TermSimulator.defaultEnd(at(2026, 12, 9, 15, 59)))
        .isEqualTo(LocalDate.of(2026, 12, 8));
    assertThat(TermSimulator.defaultEnd(at(2026, 12, 9, 16, 0)))
        .isEqualTo(LocalDate.of(2026, 12, 9));
    assertThat(TermSimulator.defaultEnd(at(2026, 12, 12, 18, 0)))
        .isEqualTo(LocalDate.of(2026, 12, 11)); // Saturday
  }

  private static Clock at(int y, int m, int d, int h, int min) {
    Instant i = ZonedDateTime.of(y, m, d, h, min, 0, 0, SiteSimulator.ZONE).toInstant();
    return Clock.fixed(i, ZoneOffset.UTC);
  }

  private static LocalDateTime local(JsonNode e) {
    return Instant.parse(e.get("time").asText()).atZone(SiteSimulator.ZONE).toLocalDateTime();
  }
}
