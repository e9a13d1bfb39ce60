package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwatch.agent.web.StoredSchool.block;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bellwatch.agent.testing.SteppedClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unblock loop over HTTP: a coordinator's request, IT's decision, its expiry on the site's date
 * and the site's return to the queue; what each role may do; the checks on every field; the CSV
 * export. Each test uses its own domain; the clock only moves forward, and tests that read the date
 * ask the clock for it.
 */
class UnblockLoopHttpTest {
  @TempDir static Path dir;
  static StoredSchool school;

  /** Monday 2026-09-28, 09:00 in Los Angeles. */
  static final SteppedClock clock = new SteppedClock(Instant.parse("2026-09-28T16:00:00Z"));

  static final ObjectMapper mapper = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
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
                    true)));
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

  static String step(
      String time,
      String actor,
      String action,
      String reason,
      String sections,
      String urlPrefix,
      String needFrom,
      String needUntil,
      String scope,
      String until) {
    return """
        {"time":"%s","actor":"%s","role":"%s","action":"%s","note":"%s","reason":"%s","sections":%s,"url_prefix":%s,
         "need_from":%s,"need_until":%s,"scope":%s,"until":%s,"alternative":null}"""
        .formatted(
            time,
            actor,
            actor.replace("1", ""),
            action,
            reason,
            reason,
            sections,
            quoted(urlPrefix),
            quoted(needFrom),
            quoted(needUntil),
            quoted(scope),
            quoted(until));
  }

  static String quoted(String v) {
    return v == null ? "null" : "\"" + v + "\"";
  }

  /**
   * The queue's items for the video site under a status filter: its review's status and wait, or
   * nothing.
   */
  static List<String> queued(String status) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode item : as("viewer1").getJson("/api/v1/queue?status=" + status).get("items")) {
      JsonNode r = item.get("review");
      out.add(
          item.get("domain").asText()
              + " "
              + r.get("status").asText()
              + " waiting "
              + r.get("waiting_days"));
    }
    return out;
  }

  @Test
  void
      aTimeLimitedUnblockExpiresAfterItsLastDayInTheSiteZoneAndTheSiteIsBackInTheQueueToBeAskedAgain()
          throws Exception {
    String asked = clock.instant().toString();
    String request =
        step(
            asked,
            "coordinator1",
            "requested",
            "Biology shows the cell division series",
            "[\"cls-bio\"]",
            "https://video.example.org/biology/",
            "2026-09-28",
            "2026-10-09",
            null,
            null);
    assertThat(
            as("coordinator1")
                .postJson(
                    "/api/v1/reviews/video.example.org/request",
                    """
        {"reason":"Biology shows the cell division series","url_prefix":"https://video.example.org/biology/",
         "sections":["cls-bio"],"need_from":"2026-09-28","need_until":"2026-10-09"}"""))
        .isEqualTo(
            json(
                """
        {"domain":"video.example.org","status":"requested","expires":null,"request":%s,"decision":null,
         "history":[%s]}"""
                    .formatted(request, request)));
    assertThat(queued("awaiting_it")).containsExactly("video.example.org requested waiting 0");

    clock.step(Duration.ofHours(1));
    String decided = clock.instant().toString();
    String decision =
        step(
            decided,
            "admin1",
            "time_limited",
            "For the unit only",
            "[\"cls-bio\"]",
            null,
            null,
            null,
            "sections",
            "2026-10-09");
    assertThat(
            as("admin1")
                .postJson(
                    "/api/v1/reviews/video.example.org/decision",
                    """
        {"decision":"time_limited","reason":"For the unit only","scope":"sections","sections":["cls-bio"],
         "until":"2026-10-09"}"""))
        .isEqualTo(
            json(
                """
        {"domain":"video.example.org","status":"time_limited","expires":"2026-10-09","request":%s,"decision":%s,
         "history":[%s,%s]}"""
                    .formatted(request, decision, request, decision)));
    assertThat(queued("awaiting_it")).isEmpty();
    assertThat(queued("decided")).containsExactly("video.example.org time_limited waiting null");
    assertThat(queued("expiring")).containsExactly("video.example.org time_limited waiting null");

    // 2026-10-10 05:00 UTC is still the evening of 10-09 in Los Angeles: the unblock holds until
    // local midnight.
    clock.step(Duration.between(clock.instant(), Instant.parse("2026-10-10T05:00:00Z")));
    assertThat(as("viewer1").getJson("/api/v1/reviews/video.example.org").get("status").asText())
        .isEqualTo("time_limited");
    assertThat(queued("no_request")).isEmpty();
    clock.step(Duration.ofHours(2));
    assertThat(as("viewer1").getJson("/api/v1/reviews/video.example.org"))
        .isEqualTo(
            json(
                """
        {"domain":"video.example.org","status":"expired","expires":"2026-10-09","request":%s,"decision":%s,
         "history":[%s,%s]}"""
                    .formatted(request, decision, request, decision)));
    assertThat(queued("expired")).containsExactly("video.example.org expired waiting null");
    assertThat(queued("no_request")).containsExactly("video.example.org expired waiting null");
    assertThat(queued("decided")).isEmpty();
    assertThat(as("viewer1").getJson("/api/v1/reviews?status=expired").get("total").asInt())
        .isEqualTo(1);

    // Asked again with the first version's body: back to IT.
    as("coordinator1")
        .postJson("/api/v1/reviews/video.example.org/request", "{\"note\":\"The next unit too\"}");
    assertThat(queued("awaiting_it")).containsExactly("video.example.org requested waiting 0");
    assertThat(queued("expired")).isEmpty();

    List<String> audit = new ArrayList<>();
    as("admin1")
        .getJson("/api/v1/audit?limit=50")
        .get("items")
        .forEach(
            e -> {
              if (e.get("target").asText().equals("video.example.org")) {
                audit.add(
                    e.get("actor").asText()
                        + " "
                        + e.get("action").asText()
                        + ": "
                        + e.get("detail").asText());
              }
            });
    assertThat(audit)
        .containsExactly(
            "coordinator1 review_requested: null",
            "admin1 review_decided: time_limited until 2026-10-09 for sections cls-bio",
            "coordinator1 review_requested: sections cls-bio; url https://video.example.org/biology/;"
                + " needed from 2026-09-28 until 2026-10-09");
  }

  @Test
  void aViewerCannotRequestACoordinatorOrTeacherCannotDecideAndNoneChangesTheReview()
      throws Exception {
    HttpResponse<String> viewer =
        as("viewer1")
            .post("/api/v1/reviews/roles.example.org/request", "{\"reason\":\"I need it\"}");
    assertThat(viewer.statusCode()).isEqualTo(403);
    assertThat(json(viewer.body()))
        .isEqualTo(
            json("{\"error\":\"the viewer role may not do this (needs coordinator or teacher)\"}"));
    as("coordinator1")
        .postJson("/api/v1/reviews/roles.example.org/request", "{\"reason\":\"Art history\"}");
    HttpResponse<String> coordinator =
        as("coordinator1")
            .post(
                "/api/v1/reviews/roles.example.org/decision",
                "{\"decision\":\"unblocked\",\"reason\":\"I say so\"}");
    assertThat(coordinator.statusCode()).isEqualTo(403);
    assertThat(json(coordinator.body()))
        .isEqualTo(json("{\"error\":\"the coordinator role may not do this (needs admin)\"}"));
    HttpResponse<String> teacher =
        as(TestAccounts.TEACHER)
            .post(
                "/api/v1/reviews/roles.example.org/decision",
                "{\"decision\":\"unblocked\",\"reason\":\"my class\"}");
    assertThat(teacher.statusCode()).isEqualTo(403);
    JsonNode review = as("viewer1").getJson("/api/v1/reviews/roles.example.org");
    assertThat(review.get("status").asText()).isEqualTo("requested");
    assertThat(review.get("history")).hasSize(1);
  }

  @Test
  void everyBadFieldOfARequestOrADecisionIsA400NamingItAndChangesNothing() throws Exception {
    ConsoleClient coordinator = as("coordinator1");
    ConsoleClient admin = as("admin1");
    String today = LocalDate.ofInstant(clock.instant(), StoredSchool.LA).toString();
    Map<String, String> requests = new LinkedHashMap<>();
    // The domain and URL prefix pass the checks of the filter snippets' Exemption
    // (org.bellwatch.agent.decision).
    requests.put(
        "bad_name.example/request",
        "domain \"bad_name.example\" is not a valid host name: Contains non-LDH"
            + " ASCII characters");
    requests.put("10.0.0.1/request", "domain \"10.0.0.1\" is an address, not a host name");
    requests.put(
        "localhost/request", "domain \"localhost\" needs at least two labels (example.com)");
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put("{\"sections\":[\"cls-bio\"]}", "reason: is required");
    bodies.put(
        "{\"reason\":\"x\",\"url_prefix\":\"ftp://lab.example.org/\"}",
        "url_prefix \"ftp://lab.example.org/\" must be an absolute http or https URL");
    bodies.put(
        "{\"reason\":\"x\",\"url_prefix\":\"https://lab.example.org.evil.example/\"}",
        "url_prefix host lab.example.org.evil.example is not lab.example.org or under it");
    bodies.put(
        "{\"reason\":\"x\",\"url_prefix\":\"https://lab.example.org@evil.example/\"}",
        "url_prefix \"https://lab.example.org@evil.example/\" must not carry a user name");
    bodies.put(
        "{\"reason\":\"x\",\"url_prefix\":\"https://lab.example.org/a b\"}",
        "url_prefix"
            + " \"https://lab.example.org/a b\" contains a space, control or non-ASCII character: percent-encode it"
            + " (RFC 3986 section 2.1)");
    bodies.put(
        "{\"reason\":\"x\",\"sections\":[\"cls-bio\",\"cls-nope\"]}",
        "sections: 'cls-nope' is not a section of the roster");
    bodies.put(
        "{\"reason\":\"x\",\"need_from\":\"2026-13-01\"}",
        "need_from: '2026-13-01' is not a date such as 2026-09-15");
    bodies.put(
        "{\"reason\":\"x\",\"need_from\":\"2026-10-09\",\"need_until\":\"2026-10-01\"}",
        "need_until: 2026-10-01 is before need_from 2026-10-09");
    bodies.put("{\"reason\":\"" + "x".repeat(2001) + "\"}", "reason: longer than 2000 characters");
    List<String> answers = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    requests.forEach((path, error) -> expected.add("400 " + error));
    for (String path : requests.keySet()) {
      answers.add(answer(coordinator.post("/api/v1/reviews/" + path, "{\"reason\":\"x\"}")));
    }
    bodies.forEach((body, error) -> expected.add("400 " + error));
    for (String body : bodies.keySet()) {
      answers.add(answer(coordinator.post("/api/v1/reviews/lab.example.org/request", body)));
    }
    expected.add("404 no review of lab.example.org: a coordinator asks first");
    answers.add(
        answer(
            admin.post(
                "/api/v1/reviews/lab.example.org/decision", "{\"decision\":\"unblocked\"}")));
    assertThat(answers).isEqualTo(expected);

    coordinator.postJson(
        "/api/v1/reviews/lab.example.org/request",
        "{\"reason\":\"Chemistry lab sheets\",\"url_prefix\":\"HTTPS://Sheets.Lab.Example.org:443/chem\"}");
    Map<String, String> decisions = new LinkedHashMap<>();
    decisions.put(
        "{\"decision\":\"maybe\",\"reason\":\"x\"}",
        "decision: 'maybe' is not one of [unblocked, kept_blocked, alternative, time_limited]");
    decisions.put("{\"decision\":\"unblocked\"}", "reason: is required");
    decisions.put(
        "{\"decision\":\"time_limited\",\"reason\":\"x\"}",
        "until: is required for a time_limited decision");
    decisions.put(
        "{\"decision\":\"time_limited\",\"reason\":\"x\",\"until\":\"2026-01-01\"}",
        "until: 2026-01-01 has passed (today is " + today + ")");
    decisions.put(
        "{\"decision\":\"unblocked\",\"reason\":\"x\",\"until\":\"10/09/2026\"}",
        "until: '10/09/2026' is not a date such as 2026-09-15");
    decisions.put(
        "{\"decision\":\"kept_blocked\",\"reason\":\"x\",\"until\":\"2027-01-01\"}",
        "until: only an unblocked or time_limited decision has a last day");
    decisions.put(
        "{\"decision\":\"unblocked\",\"reason\":\"x\",\"scope\":\"class\"}",
        "scope: 'class' is not one of [everyone, sections]");
    decisions.put(
        "{\"decision\":\"unblocked\",\"reason\":\"x\",\"scope\":\"sections\"}",
        "sections: a decision for sections names at least one");
    decisions.put(
        "{\"decision\":\"unblocked\",\"reason\":\"x\",\"sections\":[\"cls-bio\"]}",
        "sections: only a decision with scope 'sections' names sections");
    decisions.put(
        "{\"decision\":\"time_limited\",\"reason\":\"x\",\"scope\":\"sections\",\"sections\":[\"cls-x\"],"
            + "\"until\":\"2027-01-01\"}",
        "sections: 'cls-x' is not a section of the roster");
    decisions.put("{\"decision\":\"alternative\",\"reason\":\"x\"}", "alternative: is required");
    answers.clear();
    expected.clear();
    decisions.forEach((body, error) -> expected.add("400 " + error));
    for (String body : decisions.keySet()) {
      answers.add(answer(admin.post("/api/v1/reviews/lab.example.org/decision", body)));
    }
    assertThat(answers).isEqualTo(expected);
    JsonNode review = as("viewer1").getJson("/api/v1/reviews/lab.example.org");
    assertThat(review.get("status").asText()).isEqualTo("requested");
    assertThat(review.get("history")).hasSize(1);
    assertThat(review.get("request").get("url_prefix").asText())
        .isEqualTo("https://sheets.lab.example.org/chem");
  }

  static String answer(HttpResponse<String> r) throws Exception {
    return r.statusCode() + " " + json(r.body()).get("error").asText();
  }

  @Test
  void theCsvExportHasOneRowPerStepWithEveryFieldAndTheStatusFilter() throws Exception {
    String asked = clock.instant().toString();
    as("coordinator1")
        .postJson(
            "/api/v1/reviews/csv.example.org/request",
            """
        {"reason":"=HYPERLINK(\\"x\\"), for the debate","sections":["cls-alg","cls-art"],"need_from":"2026-12-01"}""");
    as("admin1")
        .postJson(
            "/api/v1/reviews/csv.example.org/decision",
            """
        {"decision":"alternative","reason":"ads","alternative":"the library's database"}""");
    HttpResponse<String> csv = as("viewer1").get("/api/v1/reviews?format=csv&status=alternative");
    assertThat(csv.headers().firstValue("content-type")).hasValue("text/csv; charset=utf-8");
    assertThat(csv.headers().firstValue("content-disposition"))
        .hasValue("attachment; filename=\"bellwatch-reviews.csv\"");
    List<String> lines = Arrays.asList(csv.body().split("\r\n"));
    assertThat(lines.get(0))
        .isEqualTo(
            "domain,time,actor,role,action,reason,sections,url_prefix,need_from,need_until,"
                + "scope,until,alternative");
    assertThat(lines.stream().filter(l -> l.startsWith("csv.example.org,")).toList())
        .containsExactly(
            "csv.example.org,"
                + asked
                + ",coordinator1,coordinator,requested,\"'=HYPERLINK(\"\"x\"\"), for the debate\","
                + "cls-alg | cls-art,,2026-12-01,,,,",
            "csv.example.org,"
                + asked
                + ",admin1,admin,alternative,ads,,,,,everyone,,the library's database");
    assertThat(as("viewer1").get("/api/v1/reviews?format=csv&status=time_limited").body())
        .doesNotContain("csv.example.org");
    assertThat(as("viewer1").get("/api/v1/reviews?format=csv&status=kept_blocked").body())
        .isEqualTo(
            "domain,time,"
                + "actor,role,action,reason,sections,url_prefix,need_from,need_until,scope,until,alternative\r\n");
  }
}
