package org.bellwatch.agent.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.bellwatch.agent.hub.ThreeSchools.BAKER_COORD;
import static org.bellwatch.agent.hub.ThreeSchools.IT;
import static org.bellwatch.agent.hub.ThreeSchools.PASSWORD;
import static org.bellwatch.agent.hub.ThreeSchools.week;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.testing.KafkaBrokers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The routes behind the hub's console, on three schools that export through a real Kafka broker
 * ({@link ThreeSchools}): the district's figures, one school's, the queue across schools, the
 * decisions, each within the caller's scope; and the console's login, session and CSRF rules.
 */
class HubConsoleApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static ThreeSchools district;

  @BeforeAll
  static void start() throws Exception {
    district = ThreeSchools.start(dir, "console-api", KafkaBrokers.shared());
  }

  @AfterAll
  static void stop() throws Exception {
    if (district != null) {
      district.close();
    }
  }

  private static String rows(JsonNode list, String... fields) {
    List<String> out = new ArrayList<>();
    list.forEach(
        n -> {
          List<String> cells = new ArrayList<>();
          for (String f : fields) {
            cells.add(n.get(f).isArray() ? n.get(f).toString() : n.get(f).asText());
          }
          out.add(String.join(" ", cells));
        });
    return String.join("\n", out);
  }

  @Test
  void theDistrictSummaryCountsEachSchoolAndRanksTheSitesThatBlockInstructionInTheMostSchools()
      throws Exception {
    JsonNode s = district.get(IT, "/api/v1/district/summary?" + week());
    assertThat(s.get("totals").toString())
        .isEqualTo(
            "{\"blocks\":28,\"instructional_blocks\":19,\"domains\":6,"
                + "\"sections\":9,\"lessons\":13,\"schools\":3,\"schools_blocked\":3}");
    assertThat(
            rows(
                s.get("schools"),
                "school",
                "school_name",
                "blocks",
                "instructional_blocks",
                "domains",
                "sections",
                "lessons",
                "top_domain"))
        .isEqualTo(
            """
        adams-es Adams Elementary 10 7 3 3 4 video.example.org
        baker-ms Baker Middle 8 6 3 3 5 docs.example.com
        carver-hs Carver High 10 6 3 3 4 video.example.org""");
    assertThat(
            rows(
                s.get("domains"),
                "domain",
                "schools",
                "lessons",
                "instructional_blocks",
                "school_names"))
        .isEqualTo(
            """
        video.example.org 3 7 9 ["Adams Elementary","Baker Middle","Carver High"]
        docs.example.com 2 3 4 ["Baker Middle","Carver High"]
        adams-reading.example 1 1 2 ["Adams Elementary"]
        carver-chem.example 1 1 2 ["Carver High"]
        baker-math.example 1 1 1 ["Baker Middle"]
        <img src=x onerror=alert(1)>.example 1 0 1 ["Adams Elementary"]""");
    // Days are the district's (Chicago) calendar days: Carver's Denver lunches fall on the same
    // days.
    assertThat(rows(s.get("days"), "day", "attempts", "instructional_attempts"))
        .isEqualTo(
            """
        2026-09-14 6 3
        2026-09-15 8 6
        2026-09-16 5 3
        2026-09-17 5 4
        2026-09-18 4 3""");
    JsonNode monday =
        district.get(
            IT, "/api/v1/district/summary?from=2026-09-14T05:00:00Z&to=2026-09-15T05:00:00Z");
    assertThat(monday.get("totals").get("blocks").asInt()).isEqualTo(6);
    assertThat(monday.get("schools"))
        .as("every school, also one without a block that day")
        .hasSize(3);
  }

  @Test
  void aSchoolCoordinatorSeesOnlyTheirSchoolAndIsRefusedAnotherSchoolsView() throws Exception {
    JsonNode s = district.get(BAKER_COORD, "/api/v1/district/summary?" + week());
    assertThat(rows(s.get("schools"), "school", "blocks")).isEqualTo("baker-ms 8");
    assertThat(s.get("totals").get("schools").asInt()).isEqualTo(1);
    assertThat(rows(s.get("domains"), "domain", "schools", "school_names"))
        .isEqualTo(
            """
        docs.example.com 1 ["Baker Middle"]
        video.example.org 1 ["Baker Middle"]
        baker-math.example 1 ["Baker Middle"]""");
    HttpResponse<String> other =
        district.send(BAKER_COORD, "/api/v1/district/schools/adams-es/summary?" + week());
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.body()).isEqualTo("{\"error\":\"school: your account sees only baker-ms\"}");
    assertThat(district.send(BAKER_COORD, "/api/v1/district/schools/nowhere/summary").statusCode())
        .as("a school that does not exist is refused the same way: the answer does not tell")
        .isEqualTo(403);
    assertThat(
            district
                .send(BAKER_COORD, "/api/v1/district/schools/baker-ms/summary?" + week())
                .statusCode())
        .isEqualTo(200);
    JsonNode queue = district.get(BAKER_COORD, "/api/v1/district/queue?" + week());
    assertThat(rows(queue.get("items"), "domain", "schools_asking", "schools_blocked"))
        .isEqualTo("docs.example.com 1 1");
    assertThat(queue.toString())
        .doesNotContain("adams")
        .doesNotContain("carver")
        .doesNotContain("Adams")
        .doesNotContain("Carver");
    JsonNode me = district.get(BAKER_COORD, "/api/v1/auth/session");
    assertThat(me.get("school_name").asText()).isEqualTo("Baker Middle");
    assertThat(me.get("role").asText()).isEqualTo("school_coordinator");
  }

  @Test
  void oneSchoolsViewHasItsSitesBellPeriodsAndClassSections() throws Exception {
    JsonNode s = district.get(IT, "/api/v1/district/schools/adams-es/summary?" + week());
    assertThat(s.get("school_name").asText()).isEqualTo("Adams Elementary");
    assertThat(s.get("totals").toString())
        .isEqualTo(
            "{\"blocks\":10,\"instructional_blocks\":7,\"domains\":3,"
                + "\"sections\":3,\"lessons\":4,\"rooms\":3}");
    assertThat(
            rows(
                s.get("domains"),
                "domain",
                "blocks",
                "instructional_blocks",
                "sections",
                "lessons",
                "rooms",
                "last_seen"))
        .isEqualTo(
            """
            video.example.org 4 4 2 3 2 2026-09-16T13:05:00.000Z
            adams-reading.example 2 2 1 1 1 2026-09-17T15:14:00.000Z
            <img src=x onerror=alert(1)>.example 1 1 0 0 0 2026-09-15T14:10:00.000Z""");
    assertThat(rows(s.get("periods"), "period", "attempts", "instructional_attempts"))
        .isEqualTo(
            """
        1 3 3
        2 2 2
        3 2 2
        Lunch 3 0""");
    assertThat(s.get("outside_periods").toString())
        .isEqualTo("{\"attempts\":0,\"instructional_attempts\":0}");
    assertThat(
            rows(
                s.get("sections"),
                "section",
                "course",
                "teacher",
                "room",
                "period",
                "instructional_blocks",
                "lessons",
                "domains",
                "top_domain"))
        .isEqualTo(
            """
            a-read-1 Reading 1 ms.alvarez RM101 1 3 2 1 video.example.org
            a-sci-3 Science 3 ms.chu RM103 3 2 1 1 adams-reading.example
            a-math-2 Math 2 mr.brooks RM102 2 1 1 1 video.example.org""");
    assertThat(district.send(IT, "/api/v1/district/schools/nowhere/summary").statusCode())
        .isEqualTo(404);
    assertThat(district.send(IT, "/api/v1/district/schools/Bad%20Id/summary").statusCode())
        .isEqualTo(400);
  }

  @Test
  void aBadRangeIsRefusedNamingTheParameter() throws Exception {
    HttpResponse<String> r = district.send(IT, "/api/v1/district/summary?from=yesterday");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("from: 'yesterday' is not an ISO-8601 instant");
    assertThat(
            district
                .send(
                    IT,
                    "/api/v1/district/summary?from=2026-09-15T00:00:00Z&to=2026-09-14T00:00:00Z")
                .statusCode())
        .isEqualTo(400);
    assertThat(
            district
                .send(
                    IT, "/api/v1/district/queue?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z")
                .body())
        .isEqualTo("{\"error\":\"from, to: a range of at most 400 days\"}");
  }

  @Test
  void theQueueGroupsRequestsBySiteAndADecisionAnswersOnlyTheSchoolsItNames() throws Exception {
    JsonNode before = district.get(IT, "/api/v1/district/queue?" + week());
    assertThat(
            rows(
                before.get("items"),
                "domain",
                "schools_asking",
                "waiting",
                "instructional_blocks",
                "schools_blocked",
                "lessons"))
        .isEqualTo(
            """
            video.example.org 2 2 9 3 7
            docs.example.com 1 1 4 2 3""");
    assertThat(
            rows(
                before.get("items").get(0).get("requests"),
                "school",
                "school_name",
                "role",
                "reason",
                "sections"))
        .isEqualTo(
            """
            adams-es Adams Elementary teacher Our reading lessons use its read-aloud videos 1
            carver-hs Carver High teacher Biology labs are recorded there 1""");

    HttpResponse<String> decided =
        post(
            IT,
            "/api/v1/district/decisions",
            "{\"domain\":\"video.example.org\","
                + "\"action\":\"unblocked\",\"reason\":\"Read-aloud videos are part of the reading curriculum\","
                + "\"schools\":[\"adams-es\"]}");
    assertThat(decided.statusCode()).as(decided.body()).isEqualTo(201);
    String id = JSON.readTree(decided.body()).get("decision_id").asText();
    JsonNode after = district.get(IT, "/api/v1/district/queue?" + week());
    JsonNode video = after.get("items").get(0);
    assertThat(video.get("domain").asText()).isEqualTo("video.example.org");
    assertThat(rows(video.get("requests"), "school", "answered_by"))
        .isEqualTo("adams-es " + id + "\ncarver-hs null");
    assertThat(video.get("decision").get("decision_id").asText()).isEqualTo(id);
    assertThat(
            district
                .get(IT, "/api/v1/district/decisions")
                .get("decisions")
                .get(0)
                .get("decision_id")
                .asText())
        .isEqualTo(id);
    // Baker's coordinator does not see a decision for Adams alone; a district-wide one they see.
    assertThat(district.get(BAKER_COORD, "/api/v1/district/decisions").toString())
        .doesNotContain(id);
    String everyone =
        JSON.readTree(
                post(
                        IT,
                        "/api/v1/district/decisions",
                        "{\"domain\":\"docs.example.com\","
                            + "\"action\":\"kept_blocked\",\"reason\":\"Student accounts there are not covered by our agreement\"}")
                    .body())
            .get("decision_id")
            .asText();
    JsonNode bakers =
        district.get(BAKER_COORD, "/api/v1/district/queue?" + week()).get("items").get(0);
    assertThat(bakers.get("requests").get(0).get("answered_by").asText()).isEqualTo(everyone);
    assertThat(bakers.get("decision").get("schools").toString()).isEqualTo("[]");
    await("the district-wide decision reaches Baker")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                district
                    .baker
                    .store
                    .console()
                    .reviews()
                    .get("docs.example.com")
                    .orElseThrow()
                    .status()
                    .equals("kept_blocked"));
  }

  @Test
  void aDecisionForSeveralSchoolsShowsACoordinatorOnlyTheirOwn() throws Exception {
    String id =
        JSON.readTree(
                post(
                        IT,
                        "/api/v1/district/decisions",
                        "{\"domain\":\"baker-math.example\","
                            + "\"action\":\"unblocked\",\"reason\":\"A maths practice site\",\"schools\":[\"baker-ms\",\"carver-hs\"]}")
                    .body())
            .get("decision_id")
            .asText();
    JsonNode seen = null;
    for (JsonNode d : district.get(BAKER_COORD, "/api/v1/district/decisions").get("decisions")) {
      if (d.get("decision_id").asText().equals(id)) {
        seen = d;
      }
    }
    assertThat(seen).isNotNull();
    assertThat(seen.get("schools").toString()).isEqualTo("[\"baker-ms\"]");
  }

  private static HttpResponse<String> post(String user, String path, String body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(district.base() + path))
                .header(
                    "Authorization",
                    "Basic "
                        + java.util.Base64.getEncoder()
                            .encodeToString(
                                (user + ":" + PASSWORD)
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** A console request: the session cookie, this origin, and optionally the CSRF token. */
  private static HttpRequest.Builder console(String path, String cookie, String origin) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(district.base() + path)).header("Sec-Fetch-Mode", "cors");
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    if (origin != null) {
      b.header("Origin", origin);
    }
    return b;
  }

  @Test
  void theConsoleLoginOpensASessionWhosePostsNeedItsCsrfTokenAndThisOrigin() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String origin = district.base();
    HttpResponse<String> foreign =
        http.send(
            console("/api/v1/auth/login", null, "https://evil.example")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + IT + "\",\"password\":\"" + PASSWORD + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(foreign.statusCode()).as("a login from another site").isEqualTo(403);
    HttpResponse<String> wrong =
        http.send(
            console("/api/v1/auth/login", null, origin)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + IT + "\",\"password\":\"not the password\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate"))
        .as("no browser password dialog over the form")
        .isEmpty();
    HttpResponse<String> login =
        http.send(
            console("/api/v1/auth/login", null, origin)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + IT + "\",\"password\":\"" + PASSWORD + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .matches(
            "bw_hub_session=[A-Za-z0-9_-]{43}; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    JsonNode session = JSON.readTree(login.body());
    assertThat(session.get("role").asText()).isEqualTo("district_it");
    assertThat(session.get("district").asText()).isEqualTo("Springfield Public Schools");
    assertThat(session.get("timezone").asText()).isEqualTo("America/Chicago");
    String csrf = session.get("csrf_token").asText();

    String decision =
        "{\"domain\":\"games.example.com\",\"action\":\"kept_blocked\",\"reason\":\"Games stay blocked\","
            + "\"schools\":[\"carver-hs\"]}";
    HttpResponse<String> noToken =
        http.send(
            console("/api/v1/district/decisions", cookie, origin)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(decision))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noToken.body()).contains("X-CSRF-Token");
    HttpResponse<String> crossSite =
        http.send(
            console("/api/v1/district/decisions", cookie, "https://evil.example")
                .header("X-CSRF-Token", csrf)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(decision))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(crossSite.statusCode()).isEqualTo(403);
    HttpResponse<String> ok =
        http.send(
            console("/api/v1/district/decisions", cookie, origin)
                .header("X-CSRF-Token", csrf)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(decision))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    assertThat(JSON.readTree(ok.body()).get("actor").asText()).isEqualTo(IT);

    HttpResponse<String> out =
        http.send(
            console("/api/v1/auth/logout", cookie, origin)
                .header("X-CSRF-Token", csrf)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(out.statusCode()).isEqualTo(200);
    HttpResponse<String> after =
        http.send(
            console("/api/v1/auth/session", cookie, null).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(after.statusCode()).as("the session ended at logout").isEqualTo(401);

    HttpResponse<String> page =
        http.send(
            HttpRequest.newBuilder(URI.create(district.base() + "/")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<script type=\"module\" src=\"app.js\"></script>");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("script-src 'self'")
        .contains("trusted-types 'none'");
  }
}
