package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwatch.agent.web.StoredSchool.block;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.testing.SteppedClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decision queue and the before/after of a decision over HTTP, against a running agent whose
 * store holds two weeks of attributed blocks (SiteFolder's school) and whose reviews are in every
 * state: none, awaiting IT, kept blocked, time-limited until soon, and an unblock that has expired.
 */
class DecisionQueueHttpTest {
  /**
   * Wednesday 2026-09-16, 10:00 in Los Angeles: when the reviews below were asked for and answered.
   */
  static final Instant ASKED = Instant.parse("2026-09-16T17:00:00Z");

  /**
   * Monday 2026-09-14 to Sunday 2026-09-20, local midnights; the week before is the previous range.
   */
  static final String WEEK = "from=2026-09-14T07:00:00Z&to=2026-09-21T07:00:00Z";

  @TempDir static Path dir;
  static StoredSchool school;
  static final SteppedClock clock = new SteppedClock(ASKED);
  static final ObjectMapper mapper = new ObjectMapper();

  static List<BlockEvent> events() {
    List<BlockEvent> e =
        new ArrayList<>(
            List.of(
                // Biology's students and, in Algebra, its teacher herself, blocked while teaching;
                // a DNS-only block of
                // Bob's device; lunch.
                block(
                    "2026-09-15T08:10",
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
                    "2026-09-15T08:11",
                    "video.example.org",
                    "Streaming",
                    "s3",
                    "d2",
                    "RM102",
                    "cls-bio",
                    "mr.chen",
                    "1",
                    true),
                block(
                    "2026-09-15T08:12",
                    "video.example.org",
                    "Streaming",
                    "s4",
                    "d3",
                    "RM102",
                    "cls-bio",
                    "mr.chen",
                    "1",
                    true),
                StoredSchool.whileTeaching(
                    "2026-09-15T08:20",
                    "video.example.org",
                    "Streaming",
                    "ms.rivera",
                    "t1",
                    "RM101",
                    "cls-alg",
                    "1"),
                block(
                    "2026-09-17T09:00",
                    "video.example.org",
                    "Streaming",
                    null,
                    "d1",
                    "RM102",
                    "cls-bio",
                    "mr.chen",
                    "2",
                    true),
                block(
                    "2026-09-17T11:40",
                    "video.example.org",
                    null,
                    "Bob",
                    "d1",
                    "RM102",
                    null,
                    null,
                    "Lunch",
                    false),
                // The week before: two blocks during class.
                block(
                    "2026-09-08T08:10",
                    "video.example.org",
                    "Streaming",
                    "s3",
                    "d2",
                    "RM102",
                    "cls-bio",
                    "mr.chen",
                    "1",
                    true),
                block(
                    "2026-09-09T08:10",
                    "video.example.org",
                    "Streaming",
                    "s3",
                    "d2",
                    "RM102",
                    "cls-bio",
                    "mr.chen",
                    "1",
                    true),
                // A device known only from DNS, in no room: instructional by the bell schedule
                // alone.
                block(
                    "2026-09-17T09:10",
                    "games.example.com",
                    "Games",
                    null,
                    "x9",
                    null,
                    null,
                    null,
                    "2",
                    true),
                block(
                    "2026-09-15T09:00",
                    "code.example.dev",
                    "Education",
                    "alice",
                    "a1",
                    "RM101",
                    "cls-art",
                    "ms.rivera",
                    "2",
                    true),
                block(
                    "2026-09-15T09:05",
                    "maps.example.edu",
                    "Reference",
                    "Bob",
                    "d1",
                    "RM102",
                    "cls-bio",
                    "mr.chen",
                    "2",
                    true),
                block(
                    "2026-09-15T08:40",
                    "news.example.com",
                    null,
                    "s5",
                    "d5",
                    "RM101",
                    "cls-alg",
                    "ms.rivera",
                    "1",
                    true),
                block(
                    "2026-09-15T08:41",
                    "news.example.com",
                    null,
                    "s5",
                    "d5",
                    "RM101",
                    "cls-alg",
                    "ms.rivera",
                    "1",
                    true),
                // The day news was decided on (a minimum day), then a lunch block after it.
                block(
                    "2026-09-16T08:10",
                    "news.example.com",
                    null,
                    "s5",
                    "d5",
                    "RM101",
                    "cls-alg",
                    "ms.rivera",
                    "1",
                    true),
                block(
                    "2026-09-17T11:45",
                    "news.example.com",
                    null,
                    "s5",
                    "d5",
                    "RM101",
                    null,
                    null,
                    "Lunch",
                    false),
                block(
                    "2026-09-15T11:35",
                    "chat.example.net",
                    null,
                    null,
                    "d7",
                    null,
                    null,
                    null,
                    "Lunch",
                    false)));
    for (int i = 0; i < 6; i++) {
      e.add(
          block(
              "2026-09-15T08:3" + i,
              "games.example.com",
              i == 5 ? "Social" : "Games",
              "alice",
              "a1",
              "RM101",
              "cls-alg",
              "ms.rivera",
              "1",
              true));
    }
    return e;
  }

  @BeforeAll
  static void start() throws Exception {
    school = StoredSchool.start(dir, clock, events());
    ConsoleClient coordinator = as("coordinator1");
    ConsoleClient admin = as("admin1");
    for (String d :
        List.of("video.example.org", "news.example.com", "code.example.dev", "maps.example.edu")) {
      coordinator.postJson("/api/v1/reviews/" + d + "/request", "{\"reason\":\"used in class\"}");
    }
    admin.postJson(
        "/api/v1/reviews/news.example.com/decision",
        "{\"decision\":\"kept_blocked\",\"reason\":\"ads\"}");
    admin.postJson(
        "/api/v1/reviews/code.example.dev/decision",
        "{\"decision\":\"time_limited\",\"reason\":\"the unit\",\"until\":\"2026-09-30\"}");
    admin.postJson(
        "/api/v1/reviews/maps.example.edu/decision",
        "{\"decision\":\"unblocked\",\"reason\":\"the trip\",\"until\":\"2026-09-18\"}");
    // Monday 2026-09-21, 10:00 in Los Angeles.
    clock.step(Duration.ofDays(5));
  }

  @AfterAll
  static void stop() {
    school.close();
  }

  static ConsoleClient as(String username) throws Exception {
    return school.as(username);
  }

  static JsonNode json(String text) throws Exception {
    return mapper.readTree(text);
  }

  static String review(String status, String decidedAt, String expires, Integer waiting) {
    return """
        {"status":"%s","requested_at":"2026-09-16T17:00:00Z","requested_by":"coordinator1","decided_at":%s,
         "expires":%s,"waiting_days":%s}"""
        .formatted(
            status,
            decidedAt == null ? "null" : "\"" + decidedAt + "\"",
            expires == null ? "null" : "\"" + expires + "\"",
            waiting);
  }

  static final String VIDEO =
      """
      {"domain":"video.example.org","category":"Streaming","instructional_attempts":5,"attempts":6,"sections":2,
       "teachers":2,"students":3,"rooms":2,"periods":["1","2"],"previous_instructional_attempts":2,"trend_pct":150,
       "while_teaching_lessons":1,"while_teaching_teachers":1,
       "score":98.6,"review":%s}"""
          .formatted(review("requested", null, null, 5));
  static final String GAMES =
      """
      {"domain":"games.example.com","category":"Games","instructional_attempts":7,"attempts":7,"sections":1,
       "teachers":1,"students":2,"rooms":1,"periods":["1","2"],"previous_instructional_attempts":0,"trend_pct":null,
       "while_teaching_lessons":0,"while_teaching_teachers":0,
       "score":22.0,"review":null}""";
  static final String NEWS =
      """
      {"domain":"news.example.com","category":null,"instructional_attempts":3,"attempts":4,"sections":1,
       "teachers":1,"students":1,"rooms":1,"periods":["1"],"previous_instructional_attempts":0,"trend_pct":null,
       "while_teaching_lessons":0,"while_teaching_teachers":0,
       "score":19.0,"review":%s}"""
          .formatted(review("kept_blocked", "2026-09-16T17:00:00Z", null, null));
  static final String CODE =
      """
      {"domain":"code.example.dev","category":"Education","instructional_attempts":1,"attempts":1,"sections":1,
       "teachers":1,"students":1,"rooms":1,"periods":["2"],"previous_instructional_attempts":0,"trend_pct":null,
       "while_teaching_lessons":0,"while_teaching_teachers":0,
       "score":18.0,"review":%s}"""
          .formatted(review("time_limited", "2026-09-16T17:00:00Z", "2026-09-30", null));
  static final String MAPS =
      """
      {"domain":"maps.example.edu","category":"Reference","instructional_attempts":1,"attempts":1,"sections":1,
       "teachers":1,"students":1,"rooms":1,"periods":["2"],"previous_instructional_attempts":0,"trend_pct":null,
       "while_teaching_lessons":0,"while_teaching_teachers":0,
       "score":18.0,"review":%s}"""
          .formatted(review("expired", "2026-09-16T17:00:00Z", "2026-09-18", null));

  static String page(int total, int offset, int limit, String... items) {
    return """
        {"from":"2026-09-14T07:00:00Z","to":"2026-09-21T07:00:00Z","previous_from":"2026-09-07T07:00:00Z",
         "previous_to":"2026-09-14T07:00:00Z","total":%d,"offset":%d,"limit":%d,"items":[%s]}"""
        .formatted(total, offset, limit, String.join(",", items));
  }

  @Test
  void theQueueRanksSitesBlockedDuringClassBySectionsTeachersStudentsAndAttemptsWithTheirReviews()
      throws Exception {
    // video: 10 x 2 sections + 5 x 2 teachers + 2 x 3 students (Bob, s3, s4: not the teacher
    // blocked in her own
    // class, and Bob's device without a user is Bob) + 60 x 1 lesson blocked while teaching +
    // log2(1 + 5) = 98.6;
    // ties (code, maps) by domain.
    assertThat(as("viewer1").getJson("/api/v1/queue?" + WEEK))
        .isEqualTo(json(page(5, 0, 100, VIDEO, GAMES, NEWS, CODE, MAPS)));
    assertThat(as("viewer1").getJson("/api/v1/queue?" + WEEK + "&offset=1&limit=2"))
        .isEqualTo(json(page(5, 1, 2, GAMES, NEWS)));
  }

  @Test
  void eachStatusFilterKeepsItsSitesInRankOrder() throws Exception {
    ConsoleClient viewer = as("viewer1");
    assertThat(viewer.getJson("/api/v1/queue?" + WEEK + "&status=no_request"))
        .isEqualTo(json(page(2, 0, 100, GAMES, MAPS)));
    assertThat(viewer.getJson("/api/v1/queue?" + WEEK + "&status=awaiting_it"))
        .isEqualTo(json(page(1, 0, 100, VIDEO)));
    assertThat(viewer.getJson("/api/v1/queue?" + WEEK + "&status=decided"))
        .isEqualTo(json(page(2, 0, 100, NEWS, CODE)));
    assertThat(viewer.getJson("/api/v1/queue?" + WEEK + "&status=expiring"))
        .isEqualTo(json(page(1, 0, 100, CODE)));
    assertThat(viewer.getJson("/api/v1/queue?" + WEEK + "&status=expired"))
        .isEqualTo(json(page(1, 0, 100, MAPS)));
    HttpResponse<String> bad = viewer.get("/api/v1/queue?status=open");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad.body()))
        .isEqualTo(
            json(
                "{\"error\":\"status: 'open' is not one of [no_request, awaiting_it, decided, expiring, expired]\"}"));
  }

  @Test
  void withoutARangeTheQueueShowsTheLastFourWeeksAgainstTheFourBefore() throws Exception {
    JsonNode q = as("viewer1").getJson("/api/v1/queue?limit=1");
    assertThat(
            List.of(
                q.get("from").asText(),
                q.get("to").asText(),
                q.get("previous_from").asText(),
                q.get("previous_to").asText(),
                q.get("total").asText(),
                q.get("items").get(0).get("domain").asText()))
        .containsExactly(
            "2026-08-24T17:00:00Z",
            "2026-09-21T17:00:00Z",
            "2026-07-27T17:00:00Z",
            "2026-08-24T17:00:00Z",
            "5",
            "video.example.org");
    assertThat(q.get("items").get(0).get("instructional_attempts").asInt()).isEqualTo(7);
  }

  @Test
  void theReportFiltersOfTheQueryNarrowTheBlocksTheQueueCounts() throws Exception {
    JsonNode q = as("viewer1").getJson("/api/v1/queue?" + WEEK + "&room=RM102");
    assertThat(q.get("items").get(0))
        .isEqualTo(
            json(
                """
        {"domain":"video.example.org","category":"Streaming","instructional_attempts":4,"attempts":5,"sections":1,
         "teachers":1,"students":3,"rooms":1,"periods":["1","2"],"previous_instructional_attempts":2,"trend_pct":100,
         "while_teaching_lessons":0,"while_teaching_teachers":0,
       "score":23.3,"review":%s}"""
                    .formatted(review("requested", null, null, 5))));
    assertThat(q.get("items").get(1).get("domain").asText()).isEqualTo("maps.example.edu");
    assertThat(q.get("total").asInt()).isEqualTo(2);
  }

  @Test
  void aTeachersQueueCountsOnlyTheBlocksOfItsOwnSections() throws Exception {
    // ms.rivera teaches cls-alg and cls-art: maps (Biology only) is not in her queue, and in
    // video's only her
    // own block counts, where she is the teacher and no student, blocked while teaching: 10 + 5 + 0
    // + 60 + log2(2).
    JsonNode q = as(TestAccounts.TEACHER).getJson("/api/v1/queue?" + WEEK);
    List<String> domains = new ArrayList<>();
    q.get("items")
        .forEach(i -> domains.add(i.get("domain").asText() + " " + i.get("score").asText()));
    assertThat(domains)
        .containsExactly(
            "video.example.org 76.0",
            "games.example.com 19.8",
            "news.example.com 19.0",
            "code.example.dev 18.0");
    assertThat(q.get("items").get(0))
        .isEqualTo(
            json(
                """
        {"domain":"video.example.org","category":"Streaming","instructional_attempts":1,"attempts":1,"sections":1,
         "teachers":1,"students":0,"rooms":1,"periods":["1"],"previous_instructional_attempts":0,"trend_pct":null,
         "while_teaching_lessons":1,"while_teaching_teachers":1,
       "score":76.0,"review":%s}"""
                    .formatted(review("requested", null, null, 5))));
  }

  @Test
  void aLessonWhoseTeacherWasBlockedWhileTeachingPutsItsSiteFirstAndFiltersTheQueue()
      throws Exception {
    ConsoleClient viewer = as("viewer1");
    assertThat(viewer.getJson("/api/v1/queue?" + WEEK + "&while_teaching=true"))
        .isEqualTo(json(page(1, 0, 100, VIDEO)));
    assertThat(viewer.getJson("/api/v1/queue?" + WEEK + "&while_teaching=false"))
        .isEqualTo(json(page(4, 0, 100, GAMES, NEWS, CODE, MAPS)));
    JsonNode blocks = as("coordinator1").getJson("/api/v1/blocks?" + WEEK + "&while_teaching=true");
    assertThat(blocks.get("total").asInt()).isEqualTo(1);
    assertThat(blocks.get("blocks").get(0).get("while_teaching").asBoolean()).isTrue();
    assertThat(blocks.get("blocks").get(0).get("teacher").asText()).isEqualTo("ms.rivera");
    HttpResponse<String> bad = viewer.get("/api/v1/queue?while_teaching=yes");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad.body()))
        .isEqualTo(json("{\"error\":\"while_teaching: 'yes' must be true or false\"}"));
  }

  @Test
  void theImpactComparesTheSchoolDaysAfterTheDecisionWithAsManyBefore() throws Exception {
    // Decided Wednesday 09-16; after: Thursday 09-17 and Monday 09-21 (Friday 09-18 is no school),
    // cut at now;
    // before: Monday 09-14 and Tuesday 09-15. The decision's own day is in neither.
    assertThat(as("viewer1").getJson("/api/v1/reviews/news.example.com/impact"))
        .isEqualTo(
            json(
                """
        {"decided_at":"2026-09-16T17:00:00Z","decision":"kept_blocked","window_days":2,
         "before":{"from":"2026-09-14T07:00:00Z","to":"2026-09-16T07:00:00Z","school_days":2,
                   "instructional_attempts":2,"attempts":2},
         "after":{"from":"2026-09-17T07:00:00Z","to":"2026-09-21T17:00:00Z","school_days":2,
                  "instructional_attempts":0,"attempts":1}}"""));
    HttpResponse<String> undecided = as("viewer1").get("/api/v1/reviews/video.example.org/impact");
    assertThat(undecided.statusCode()).isEqualTo(404);
    assertThat(json(undecided.body()))
        .isEqualTo(json("{\"error\":\"no decision on video.example.org yet\"}"));
    assertThat(as("viewer1").get("/api/v1/reviews/games.example.com/impact").statusCode())
        .isEqualTo(404);
  }
}
