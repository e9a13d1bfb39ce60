package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwatch.agent.web.StoredSchool.block;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import org.bellwatch.agent.decision.Exemption;
import org.bellwatch.agent.decision.FilterSnippets;
import org.bellwatch.agent.decision.Snippet;
import org.bellwatch.agent.decision.TimeWindow;
import org.bellwatch.agent.testing.SiteFolder;
import org.bellwatch.agent.testing.SteppedClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/reviews/{domain}/filter-changes} over a running agent: the exemption a decision
 * grants is built from the request's URL prefix, the decided sections' rooms (networks.csv) and
 * their bell periods under every bell schedule, and what the site's files cannot narrow is said,
 * not widened silently.
 */
class FilterChangesHttpTest {
  @TempDir static Path dir;
  static StoredSchool school;

  /** Monday 2026-09-28, 09:00 in Los Angeles. */
  static final SteppedClock clock = new SteppedClock(Instant.parse("2026-09-28T16:00:00Z"));

  static final ObjectMapper mapper = new ObjectMapper();
  static final EnumSet<DayOfWeek> WEEKDAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);

  @BeforeAll
  static void start() throws Exception {
    // Biology meets in RM102, which has two networks; Algebra's RM101 has none.
    SiteFolder.write(
        dir.resolve("networks.csv"),
        "cidr,room\n10.0.2.0/24,RM102\n10.20.2.0/24,rm102\n" + "10.0.9.0/24,Library\n");
    school =
        StoredSchool.start(
            dir,
            clock,
            List.of(
                block(
                    "2026-09-22T08:10",
                    "video.example.org",
                    "Streaming",
                    "Bob",
                    "d1",
                    "RM102",
                    "cls-bio",
                    "mr.chen",
                    "1",
                    true),
                block(
                    "2026-09-22T08:20",
                    "code.example.com",
                    "Programming",
                    "alice",
                    "d2",
                    "RM101",
                    "cls-alg",
                    "ms.rivera",
                    "1",
                    true),
                block(
                    "2026-09-22T08:30",
                    "news.example.net",
                    "News",
                    "alice",
                    "d2",
                    "RM101",
                    "cls-alg",
                    "ms.rivera",
                    "1",
                    true)));
  }

  @AfterAll
  static void stop() {
    school.close();
  }

  static JsonNode expected(String decision, String until, List<String> warnings, Exemption e) {
    ObjectNode o =
        mapper
            .createObjectNode()
            .put("domain", e.domain())
            .put("decision", decision)
            .put("decided_at", clock.instant().toString())
            .put("until", until);
    ArrayNode w = o.putArray("warnings");
    warnings.forEach(w::add);
    ArrayNode items = o.putArray("items");
    for (Snippet s : FilterSnippets.all(e)) {
      items
          .addObject()
          .put("id", s.id())
          .put("title", s.title())
          .put("text", s.text())
          .put("checked_with", s.checkedWith());
    }
    return o;
  }

  @Test
  void
      aDecisionForASectionBecomesItsRoomsNetworksAndItsPeriodsUnderEveryBellScheduleForTheRequestsUrlPrefix()
          throws Exception {
    school
        .as("coordinator1")
        .postJson(
            "/api/v1/reviews/video.example.org/request",
            """
        {"reason":"Biology shows the cell division series","url_prefix":"https://video.example.org/biology/",
         "sections":["cls-bio"]}""");
    school
        .as("admin1")
        .postJson(
            "/api/v1/reviews/video.example.org/decision",
            """
        {"decision":"time_limited","reason":"Open for Biology during its periods","scope":"sections",
         "sections":["cls-bio"],"until":"2026-10-09"}""");

    JsonNode answer =
        school.as("admin1").getJson("/api/v1/reviews/video.example.org/filter-changes");

    // Periods 1-2: period 1 runs 08:00-08:50 on regular days and 08:00-08:30 on minimum days.
    Exemption e =
        new Exemption(
            "video.example.org",
            "https://video.example.org/biology/",
            List.of("10.0.2.0/24", "10.20.2.0/24"),
            List.of(
                new TimeWindow(WEEKDAYS, LocalTime.of(8, 0), LocalTime.of(8, 30)),
                new TimeWindow(WEEKDAYS, LocalTime.of(8, 0), LocalTime.of(8, 50)),
                new TimeWindow(WEEKDAYS, LocalTime.of(8, 55), LocalTime.of(9, 45))),
            LocalDate.parse("2026-10-09"),
            "Open for Biology during its periods",
            "bellwatch review video.example.org 2026-09-28");
    assertThat(answer).isEqualTo(expected("time_limited", "2026-10-09", List.of(), e));
    assertThat(answer.get("items").findValuesAsText("id"))
        .containsExactly("squid", "dnsmasq", "pihole", "unbound_rpz", "bind_rpz", "fortigate");
  }

  @Test
  void aSectionWhoseRoomHasNoNetworkMakesTheChangeHoldForEveryAddressAndSaysSo() throws Exception {
    school
        .as("coordinator1")
        .postJson(
            "/api/v1/reviews/code.example.com/request",
            """
        {"reason":"Algebra uses the graphing exercises","sections":["cls-alg"]}""");
    school
        .as("admin1")
        .postJson(
            "/api/v1/reviews/code.example.com/decision",
            """
        {"decision":"unblocked","reason":"Teaching tool","scope":"sections","sections":["cls-alg"]}""");

    JsonNode answer =
        school.as("admin1").getJson("/api/v1/reviews/code.example.com/filter-changes");

    Exemption e =
        new Exemption(
            "code.example.com",
            null,
            List.of(),
            List.of(
                new TimeWindow(WEEKDAYS, LocalTime.of(8, 0), LocalTime.of(8, 30)),
                new TimeWindow(WEEKDAYS, LocalTime.of(8, 0), LocalTime.of(8, 50))),
            null,
            "Teaching tool",
            "bellwatch review code.example.com 2026-09-28");
    assertThat(answer)
        .isEqualTo(
            expected(
                "unblocked",
                null,
                List.of(
                    "Algebra I, Part A (Period 1, RM101): room RM101 has no"
                        + " network in networks.csv, so the change is not limited to that room's devices."),
                e));
  }

  @Test
  void onlyAnUnblockHasAFilterChangeAndOnlyAdminsMayReadIt() throws Exception {
    school
        .as("coordinator1")
        .postJson(
            "/api/v1/reviews/news.example.net/request",
            """
        {"reason":"Current events lesson","sections":["cls-alg"]}""");
    assertThat(
            school.as("admin1").get("/api/v1/reviews/news.example.net/filter-changes").statusCode())
        .isEqualTo(404);
    school
        .as("admin1")
        .postJson(
            "/api/v1/reviews/news.example.net/decision",
            """
        {"decision":"kept_blocked","reason":"Use the library's news database"}""");
    assertThat(
            school.as("admin1").get("/api/v1/reviews/news.example.net/filter-changes").statusCode())
        .isEqualTo(404);
    assertThat(
            school
                .as("coordinator1")
                .get("/api/v1/reviews/news.example.net/filter-changes")
                .statusCode())
        .isEqualTo(403);
    assertThat(
            school
                .as("admin1")
                .get("/api/v1/reviews/never-asked.example/filter-changes")
                .statusCode())
        .isEqualTo(404);
  }
}
