package org.bellwatch.agent.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.testing.StoreFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The district summary summed from the day tallies is the summary a scan over every event of the
 * range gives, record for record, on a generated district: five schools over ten days across the
 * end of daylight saving time, events late evidence moved to a new id, messages delivered twice,
 * events without a section or category, a domain filed under two categories; ranges of whole days,
 * ranges cut mid-day, a range inside one day; for district IT and for one school.
 */
class DistrictSummaryTalliesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final List<String> DOMAINS =
      List.of(
          "games.example",
          "video.example",
          "chat.example",
          "mixed.example",
          "music.example",
          "news.example",
          "maps.example",
          "shop.example");
  @TempDir Path dir;

  /** Ranges to ask: whole days, cut days, one part of a day, the 25-hour day, all of it. */
  private static final List<Instant[]> RANGES =
      List.of(
          range("2026-10-27T04:00:00Z", "2026-11-06T05:00:00Z"),
          range("2026-10-28T17:23:00Z", "2026-11-03T09:10:00Z"),
          range("2026-10-29T13:00:00Z", "2026-10-29T20:00:00Z"),
          range("2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z"),
          range("2026-10-01T00:00:00Z", "2026-12-01T00:00:00Z"),
          range("2026-10-30T04:00:00Z", "2026-10-31T04:00:00.000001Z"));

  private static Instant[] range(String from, String to) {
    return new Instant[] {Instant.parse(from), Instant.parse(to)};
  }

  @Test
  void theSummaryFromDayTalliesEqualsAScanOfTheEventsForEveryRangeAndScope() throws Exception {
    try (DistrictStore store = DistrictStore.open(dir, NEW_YORK)) {
      write(store, 5, 40, 81);
      assertSameAsScan(store, NEW_YORK);
    }
  }

  @Test
  void aStoreOpenedInAnotherTimeZoneCountsItsDaysAgainThere() throws Exception {
    try (DistrictStore store = DistrictStore.open(dir, NEW_YORK)) {
      write(store, 5, 40, 81);
    }
    try (DistrictStore store = DistrictStore.open(dir, ZoneOffset.UTC)) {
      assertSameAsScan(store, ZoneOffset.UTC);
      store.apply(
          List.of(DistrictStoreTest.block("school-1", event(new SplittableRandom(99), 1), null)));
      assertSameAsScan(store, ZoneOffset.UTC);
    }
    try (DistrictStore store = DistrictStore.open(dir, ZoneOffset.UTC)) {
      assertSameAsScan(store, ZoneOffset.UTC);
    }
  }

  @Test
  void blocksRetentionDeletesAreTakenOutOfTheDayTallies() throws Exception {
    try (DistrictStore store = DistrictStore.open(dir, NEW_YORK)) {
      write(store, 5, 40, 81);
      // Not at a midnight: the day it cuts keeps its later events, and its row must say so.
      assertThat(store.deleteBlocksBefore(Instant.parse("2026-10-31T15:47:00Z"))).isGreaterThan(0);
      assertSameAsScan(store, NEW_YORK);
    }
  }

  private static void assertSameAsScan(DistrictStore store, ZoneId zone) throws Exception {
    DistrictReports reports = new DistrictReports(store, zone);
    int asked = 0;
    for (Instant[] r : RANGES) {
      for (String only : new String[] {null, "school-2"}) {
        ObjectNode scanned = scan(store, zone, only, r[0], r[1]);
        // As text, as a client reads it (a count is an int in one, a long in the other).
        assertThat(JSON.readTree(reports.summary(only, r[0], r[1]).toString()))
            .as("%s to %s, %s", r[0], r[1], only == null ? "district" : only)
            .isEqualTo(JSON.readTree(scanned.toString()));
        asked += scanned.path("totals").path("blocks").asLong();
      }
    }
    assertThat(asked).as("blocks counted over every range asked").isGreaterThan(1_000);
  }

  /**
   * A store written by Bellwatch before the day rows had their head apart from their tail (layout
   * 1, {@link DayTallies}) opens with its rows counted again in the layout read now, and its
   * summaries are a scan's, before and after a write. The fixture ({@code
   * fixtures/hub/day-rows-layout-1.zip}: the RocksDB files as that version left them on close) was
   * made at commit b976a66 by opening a new store in New York and writing {@code write(store, 3,
   * 12, 9)} (this class's generator: three schools of 12 to 20 blocks a day) through its API.
   */
  @Test
  void aStoreWhoseDayRowsWereKeptInTheFirstLayoutCountsThemAgainWhenOpened() throws Exception {
    Path old = StoreFixtures.unzip("/fixtures/hub/day-rows-layout-1.zip", dir.resolve("old"));
    try (DistrictStore store = DistrictStore.open(old, NEW_YORK)) {
      assertSameAsScan(store, NEW_YORK);
      store.apply(
          List.of(DistrictStoreTest.block("school-2", event(new SplittableRandom(7), 4), null)));
      assertSameAsScan(store, NEW_YORK);
    }
    try (DistrictStore store = DistrictStore.open(old, NEW_YORK)) {
      assertSameAsScan(store, NEW_YORK);
    }
  }

  /**
   * {@code schools} schools, ten days, {@code least} to {@code least + spread - 1} blocks a school
   * a day at any hour (UTC), so that days of the district's zone are cut; every tenth event later
   * moved by late evidence (a new time, class and id replacing the first), every seventh message
   * delivered again in a later batch.
   */
  private static void write(DistrictStore store, int schools, int least, int spread)
      throws Exception {
    SplittableRandom rnd = new SplittableRandom(2026);
    List<DistrictStore.Change> again = new ArrayList<>();
    for (int s = 0; s < schools; s++) {
      String site = "school-" + s;
      List<DistrictStore.Change> batch = new ArrayList<>();
      for (int day = 0; day < 10; day++) {
        int n = least + rnd.nextInt(spread);
        for (int i = 0; i < n; i++) {
          BlockEvent e = event(rnd, day);
          DistrictStore.Change c = DistrictStoreTest.block(site, e, null);
          batch.add(c);
          if (i % 7 == 0) {
            again.add(c);
          }
          if (i % 10 == 0) {
            batch.add(DistrictStoreTest.block(site, event(rnd, day), e));
          }
        }
      }
      store.apply(batch);
    }
    store.apply(again);
  }

  private static BlockEvent event(SplittableRandom rnd, int day) {
    Instant t =
        Instant.parse("2026-10-27T00:00:00Z")
            .plusSeconds(day * 86_400L + rnd.nextInt(86_400))
            .plusNanos(rnd.nextInt(1_000_000) * 1_000L);
    String domain = DOMAINS.get(Math.min(rnd.nextInt(10), DOMAINS.size() - 1));
    boolean instructional = rnd.nextInt(3) > 0;
    String section = rnd.nextInt(5) == 0 ? null : "sec-" + rnd.nextInt(6);
    String category =
        switch (domain) {
          case "mixed.example" -> rnd.nextBoolean() ? "Games" : "Video";
          case "news.example" -> null;
          default -> "Cat " + domain.charAt(0);
        };
    return new BlockEvent(
        t,
        "10.0.0." + rnd.nextInt(200),
        null,
        null,
        null,
        domain,
        null,
        category,
        "dns",
        "dns-sinkhole",
        "RM" + rnd.nextInt(4),
        section,
        null,
        null,
        null,
        instructional,
        false,
        List.of());
  }

  /** Counts of a group of events, as the reference reads them one by one. */
  private static final class Counted {
    long blocks;
    long instructional;
    final Set<String> domains = new HashSet<>();
    final Set<String> sections = new HashSet<>();
    final Set<String> lessons = new HashSet<>();
    final Set<String> schools = new HashSet<>();
    final Map<String, long[]> byDomain = new HashMap<>();
    final Map<String, long[]> categories = new HashMap<>();

    void add(String school, JsonNode e, String day) {
      blocks++;
      if (!e.path("instructional").asBoolean()) {
        return;
      }
      instructional++;
      String domain = e.path("domain").asText("");
      domains.add(domain);
      schools.add(school);
      byDomain.computeIfAbsent(domain, k -> new long[1])[0]++;
      if (e.hasNonNull("category")) {
        categories.computeIfAbsent(e.get("category").asText(), k -> new long[1])[0]++;
      }
      if (e.hasNonNull("section")) {
        sections.add(school + "/" + e.get("section").asText());
        lessons.add(school + "/" + e.get("section").asText() + "/" + day);
      }
    }

    void put(ObjectNode o) {
      o.put("blocks", blocks);
      o.put("instructional_blocks", instructional);
      o.put("domains", domains.size());
      o.put("sections", sections.size());
      o.put("lessons", lessons.size());
    }

    static String most(Map<String, long[]> m) {
      String best = null;
      for (Map.Entry<String, long[]> e : new TreeMap<>(m).entrySet()) {
        if (best == null || e.getValue()[0] > m.get(best)[0]) {
          best = e.getKey();
        }
      }
      return best;
    }
  }

  /** The summary as a scan over every event of the range gives it. */
  private static ObjectNode scan(
      DistrictStore store, ZoneId zone, String only, Instant from, Instant to) throws Exception {
    Counted total = new Counted();
    Map<String, Counted> bySchool = new TreeMap<>();
    Map<String, Counted> byDomain = new HashMap<>();
    Map<String, Counted> byDay = new TreeMap<>();
    store.forEachBlockBetween(
        only,
        from,
        to,
        b -> {
          String day =
              LocalDate.ofInstant(Instant.parse(b.event().get("time").asText()), zone).toString();
          total.add(b.school(), b.event(), day);
          bySchool.computeIfAbsent(b.school(), k -> new Counted()).add(b.school(), b.event(), day);
          byDay.computeIfAbsent(day, k -> new Counted()).add(b.school(), b.event(), day);
          if (b.event().path("instructional").asBoolean()) {
            byDomain
                .computeIfAbsent(b.event().path("domain").asText(""), k -> new Counted())
                .add(b.school(), b.event(), day);
          }
        });
    Map<String, JsonNode> known = store.schools();
    ObjectNode out = JSON.createObjectNode();
    out.put("from", from.toString());
    out.put("to", to.toString());
    out.put("timezone", zone.getId());
    ObjectNode totals = out.putObject("totals");
    total.put(totals);
    totals.put("schools", only == null ? known.size() : 1);
    totals.put("schools_blocked", total.schools.size());
    ArrayNode schools = out.putArray("schools");
    List<String> ids = new ArrayList<>(known.keySet());
    ids.removeIf(s -> only != null && !only.equals(s));
    ids.sort(
        Comparator.comparingLong(
                (String s) -> -bySchool.getOrDefault(s, new Counted()).instructional)
            .thenComparing(s -> known.get(s).path("school_name").asText()));
    for (String s : ids) {
      Counted c = bySchool.getOrDefault(s, new Counted());
      ObjectNode o = schools.addObject();
      o.put("school", s);
      o.put("school_name", known.get(s).path("school_name").asText());
      o.put("status", (String) null);
      o.put("status_time", (String) null);
      c.put(o);
      o.put("top_domain", Counted.most(c.byDomain));
    }
    ArrayNode domains = out.putArray("domains");
    byDomain.entrySet().stream()
        .sorted(
            Comparator.comparingInt((Map.Entry<String, Counted> e) -> -e.getValue().schools.size())
                .thenComparingInt(e -> -e.getValue().lessons.size())
                .thenComparingLong(e -> -e.getValue().instructional)
                .thenComparing(Map.Entry::getKey))
        .limit(DistrictReports.TOP)
        .forEach(
            e -> {
              ObjectNode o = domains.addObject();
              o.put("domain", e.getKey());
              o.put("category", Counted.most(e.getValue().categories));
              o.put("schools", e.getValue().schools.size());
              o.put("lessons", e.getValue().lessons.size());
              o.put("instructional_blocks", e.getValue().instructional);
              ArrayNode names = o.putArray("school_names");
              e.getValue().schools.stream()
                  .map(s -> known.get(s).path("school_name").asText())
                  .sorted()
                  .forEach(names::add);
            });
    ArrayNode days = out.putArray("days");
    byDay.forEach(
        (d, c) -> {
          ObjectNode o = days.addObject();
          o.put("day", d);
          o.put("attempts", c.blocks);
          o.put("instructional_attempts", c.instructional);
        });
    return out;
  }
}
