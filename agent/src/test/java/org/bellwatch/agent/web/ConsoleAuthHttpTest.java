package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.pipeline.Agent;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.testing.SiteFolder;
import org.bellwatch.agent.testing.SteppedClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logins, sessions, CSRF, backoff, audit, roles and the review flow, over HTTP against a running
 * agent.
 */
class ConsoleAuthHttpTest {
  @TempDir static Path dir;
  static Agent agent;
  static final SteppedClock clock = new SteppedClock(Instant.parse("2026-09-15T19:01:00Z"));
  static final ObjectMapper mapper = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    SiteFolder.write(dir);
    SiteFolder.write(
        dir.resolve("access.log"),
        """
        1789485000.250 5 10.0.1.20 TCP_DENIED/403 3900 CONNECT games.example.com:443 alice HIER_NONE/- text/html
        1789497600.000 5 10.0.1.21 TCP_DENIED/403 3900 GET http://chat.example.net/ - HIER_NONE/- text/html
        """);
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        """
        site: {name: Test School, timezone: America/Los_Angeles}
        schedule: {dir: .}
        logs:
          files:
            - {vendor: squid, path: access.log}
        store: {dir: store}
        web: {port: 0}
        auth: {pbkdf2_iterations: 1000, session_idle_secs: 600, session_absolute_secs: 3600}
        """);
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    TestAccounts.write(cfg.store().dir(), cfg.site().timezone());
    agent = Agent.start(cfg, SiteModel.load(cfg.schedule().dir(), cfg.site().timezone()), clock);
    await("the agent running")
        .atMost(Duration.ofSeconds(30))
        .until(() -> agent.state().equals("running"));
  }

  @AfterAll
  static void stop() {
    agent.close();
  }

  static String base() {
    return "http://127.0.0.1:" + agent.port();
  }

  static ConsoleClient as(String username) throws Exception {
    return ConsoleClient.loggedIn(base(), username, TestAccounts.PASSWORD);
  }

  @Test
  void loginSetsAnHttpOnlySameSiteStrictCookieWithANewSessionIdEveryTime() throws Exception {
    ConsoleClient c = ConsoleClient.anonymous(base());
    c.cookie = "bw_session=chosen-by-an-attacker";
    HttpResponse<String> first = c.login("viewer1", TestAccounts.PASSWORD);
    assertThat(first.statusCode()).isEqualTo(200);
    String setCookie = first.headers().firstValue("set-cookie").orElseThrow();
    assertThat(setCookie)
        .matches("bw_session=[A-Za-z0-9_-]{43}; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict");
    assertThat(c.cookie).isNotEqualTo("bw_session=chosen-by-an-attacker");
    String firstCookie = c.cookie;
    c.login("viewer1", TestAccounts.PASSWORD);
    assertThat(c.cookie).isNotEqualTo(firstCookie);

    JsonNode session = mapper.readTree(first.body());
    assertThat(session.get("csrf_token").asText()).matches("[A-Za-z0-9_-]{43}");
    assertThat(
            (JsonNode)
                ((com.fasterxml.jackson.databind.node.ObjectNode) session).without("csrf_token"))
        .isEqualTo(
            mapper.readTree(
                """
        {"username":"viewer1","role":"viewer","display_name":null,"expires_at":"%s","can_see_users":false,
         "pseudonymized":false,"retention_events_days":90,"sections":null}"""
                    .formatted(clock.instant().plus(Duration.ofMinutes(10)))));
  }

  @Test
  void afterLogoutTheOldCookieIsRefused() throws Exception {
    ConsoleClient c = as("coordinator1");
    assertThat(c.get("/api/v1/auth/session").statusCode()).isEqualTo(200);
    HttpResponse<String> out = c.post("/api/v1/auth/logout", null);
    assertThat(out.statusCode()).isEqualTo(200);
    assertThat(out.headers().firstValue("set-cookie"))
        .hasValue("bw_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
    assertThat(c.get("/api/v1/auth/session").statusCode()).isEqualTo(401);
  }

  @Test
  void stateChangingRequestsNeedTheCsrfTokenAndThisOrigin() throws Exception {
    ConsoleClient c = as("coordinator1");
    String body = "{\"note\":\"needed\"}";
    String token = c.csrf;
    c.csrf = null;
    HttpResponse<String> noToken = c.post("/api/v1/reviews/games.example.com/request", body);
    c.csrf = "wrong";
    HttpResponse<String> wrongToken = c.post("/api/v1/reviews/games.example.com/request", body);
    c.csrf = token;
    HttpResponse<String> otherOrigin =
        ConsoleClient.HTTP.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base() + "/api/v1/reviews/games.example.com/request"))
                .header("Cookie", c.cookie)
                .header("X-CSRF-Token", token)
                .header("Origin", "http://evil.example")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(List.of(noToken.statusCode(), wrongToken.statusCode(), otherOrigin.statusCode()))
        .containsExactly(403, 403, 403);
    assertThat(mapper.readTree(noToken.body()))
        .isEqualTo(mapper.readTree("{\"error\":\"missing or wrong X-CSRF-Token header\"}"));
    assertThat(mapper.readTree(otherOrigin.body()))
        .isEqualTo(
            mapper.readTree(
                "{\"error\":\"cross-origin request refused: Origin must be this console's address\"}"));
    assertThat(
            ConsoleClient.anonymous(base()).get("/api/v1/reviews/games.example.com").statusCode())
        .isEqualTo(401);
  }

  @Test
  void aSessionEndsWhenIdleTooLongAndAtItsAbsoluteLimitEvenWhenUsed() throws Exception {
    ConsoleClient idle = as("viewer1");
    ConsoleClient busy = as("coordinator1");
    clock.step(Duration.ofMinutes(9));
    assertThat(busy.get("/api/v1/site").statusCode()).isEqualTo(200);
    clock.step(Duration.ofMinutes(2));
    assertThat(idle.get("/api/v1/site").statusCode()).isEqualTo(401);
    for (int i = 0; i < 5; i++) {
      assertThat(busy.get("/api/v1/site").statusCode())
          .as("after %s min", 11 + 9 * i)
          .isEqualTo(200);
      clock.step(Duration.ofMinutes(9));
    }
    // 56 minutes after login: used every 9 minutes, still within the hour.
    assertThat(busy.get("/api/v1/site").statusCode()).isEqualTo(200);
    clock.step(Duration.ofMinutes(5));
    assertThat(busy.get("/api/v1/site").statusCode()).isEqualTo(401);
  }

  @Test
  void fiveFailedLoginsMakeTheNextWaitWith429AndRetryAfterCountedInMetrics() throws Exception {
    ConsoleClient c = ConsoleClient.anonymous(base());
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      statuses.add(c.login("admin1", "wrong password " + i).statusCode());
    }
    HttpResponse<String> throttled = c.login("admin1", TestAccounts.PASSWORD);
    statuses.add(throttled.statusCode());
    assertThat(statuses).containsExactly(401, 401, 401, 401, 401, 429);
    assertThat(throttled.headers().firstValue("retry-after")).hasValue("2");
    assertThat(mapper.readTree(throttled.body()))
        .isEqualTo(
            mapper.readTree("{\"error\":\"too many failed logins: try again in 2 seconds\"}"));
    String metrics = ConsoleClient.anonymous(base()).get("/metrics").body();
    assertThat(metrics)
        .contains("bellwatch_web_logins_total{result=\"failed\",} 5.0")
        .contains("bellwatch_web_logins_total{result=\"throttled\",} 1.0");
    clock.step(Duration.ofSeconds(2));
    assertThat(c.login("admin1", TestAccounts.PASSWORD).statusCode()).isEqualTo(200);
  }

  @Test
  void everyRouteAnswersEachRoleAsItsDocumentedLeastRoleAndTeacherFlagSay() throws Exception {
    JsonNode api = OpenApi.read();
    Map<String, WebServer.Access> server = new java.util.HashMap<>();
    agent
        .operations()
        .forEach(
            o ->
                server.put(
                    o.method() + " " + o.path(), new WebServer.Access(o.access(), o.teachers())));
    List<String> roles = List.of("anonymous", "teacher", "viewer", "coordinator", "admin");
    List<String> table = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (OpenApi.Op op : OpenApi.operations(api)) {
      Role least = Role.valueOf(op.role().toUpperCase(java.util.Locale.ROOT));
      assertThat(server.get(op.method() + " " + op.path()))
          .as("x-role and x-teacher of %s %s", op.method(), op.path())
          .isEqualTo(new WebServer.Access(least, op.teachers()));
      if (op.operation().has("x-auth")) {
        // Not a console-session route (the backup route takes the store's admin token):
        // BackupCommandTest.
        continue;
      }
      for (String role : roles) {
        // Fresh sessions: one of the routes is logout, and bodies are empty ({}), so nothing
        // changes.
        ConsoleClient c =
            role.equals("anonymous")
                ? ConsoleClient.anonymous(base())
                : as(TestAccounts.username(role));
        int status =
            c.send(
                    op.method(),
                    OpenApi.concrete(op.path()),
                    op.method().equals("GET") ? null : "{}")
                .statusCode();
        Role r = Role.valueOf(role.toUpperCase(java.util.Locale.ROOT));
        String outcome = status == 401 ? "401" : status == 403 ? "403" : "allowed";
        table.add(op.method() + " " + op.path() + " as " + role + ": " + outcome);
        boolean admitted = r.atLeast(least) || r == Role.TEACHER && op.teachers();
        String want = admitted ? "allowed" : r == Role.ANONYMOUS ? "401" : "403";
        expected.add(op.method() + " " + op.path() + " as " + role + ": " + want);
      }
    }
    assertThat(table).isEqualTo(expected);
    assertThat(expected)
        .contains(
            "GET /api/v1/blocks as viewer: 403",
            "GET /api/v1/reports/heatmap as viewer: allowed",
            "POST /api/v1/reviews/{domain}/decision as coordinator: 403",
            "GET /api/v1/audit as coordinator: 403",
            "GET /api/v1/site as anonymous: 401",
            "GET /health as anonymous: allowed",
            // A teacher reads its own sections' rows and reports, never the accounts, audit or
            // decisions.
            "GET /api/v1/blocks as teacher: allowed",
            "GET /api/v1/reports/heatmap as teacher: allowed",
            "GET /api/v1/sections/{section} as teacher: allowed",
            "POST /api/v1/reviews/{domain}/decision as teacher: 403",
            "GET /api/v1/accounts as teacher: 403",
            "GET /api/v1/audit as teacher: 403",
            "GET /api/v1/status/dead-letters as teacher: 403");
  }

  @Test
  void coordinatorsSeeBlockRowsWithoutStudentUsernamesAndAdminsWithThem() throws Exception {
    JsonNode coordinator = as("coordinator1").getJson("/api/v1/blocks?instructional=true");
    JsonNode admin = as("admin1").getJson("/api/v1/blocks?instructional=true");
    assertThat(coordinator.get("blocks").get(0).get("user").isNull()).isTrue();
    assertThat(coordinator.get("blocks").get(0).get("evidence").toString()).doesNotContain("alice");
    assertThat(admin.get("blocks").get(0).get("user").asText()).isEqualTo("alice");
    assertThat(as("viewer1").get("/api/v1/blocks").statusCode()).isEqualTo(403);
    String csv = as("coordinator1").get("/api/v1/blocks?format=csv").body();
    assertThat(csv).doesNotContain("alice");
  }

  @Test
  void aCoordinatorRequestsAnUnblockAndItAnswersEveryoneSeesTheHistoryAndTheAuditLogHasBoth()
      throws Exception {
    ConsoleClient coordinator = as("coordinator1");
    ConsoleClient admin = as("admin1");
    HttpResponse<String> req =
        coordinator.post(
            "/api/v1/reviews/Chat.Example.NET/request",
            "{\"note\":\"Period 3 uses it for a debate\",\"sections\":[\"cls-alg\",\"cls-alg\",\"cls-bio\"]}");
    assertThat(req.statusCode()).isEqualTo(200);
    assertThat(
            admin
                .post(
                    "/api/v1/reviews/chat.example.net/decision", "{\"decision\":\"kept_blocked\"}")
                .statusCode())
        .isEqualTo(400);
    HttpResponse<String> decided =
        admin.post(
            "/api/v1/reviews/chat.example.net/decision",
            "{\"decision\":\"alternative\",\"note\":\"chat is unfiltered\",\"alternative\":\"the LMS discussion board\"}");
    assertThat(decided.statusCode()).isEqualTo(200);
    assertThat(
            admin
                .post("/api/v1/reviews/never.example/decision", "{\"decision\":\"unblocked\"}")
                .statusCode())
        .isEqualTo(404);

    // The first version's bodies (note, not reason) still work; steps show the reason under both
    // names.
    String t = clock.instant().toString();
    String requested =
        """
        {"time":"%s","actor":"coordinator1","role":"coordinator","action":"requested",
         "note":"Period 3 uses it for a debate","reason":"Period 3 uses it for a debate","sections":["cls-alg","cls-bio"],
         "url_prefix":null,"need_from":null,"need_until":null,"scope":null,"until":null,"alternative":null}"""
            .formatted(t);
    String answered =
        """
        {"time":"%s","actor":"admin1","role":"admin","action":"alternative","note":"chat is unfiltered",
         "reason":"chat is unfiltered","sections":[],"url_prefix":null,"need_from":null,"need_until":null,
         "scope":"everyone","until":null,"alternative":"the LMS discussion board"}"""
            .formatted(t);
    JsonNode expected =
        mapper.readTree(
            """
        {"domain":"chat.example.net","status":"alternative","expires":null,"request":%s,"decision":%s,
         "history":[%s,%s]}"""
                .formatted(requested, answered, requested, answered));
    assertThat(as("viewer1").getJson("/api/v1/reviews/chat.example.net")).isEqualTo(expected);
    assertThat(as("viewer1").getJson("/api/v1/reviews?status=alternative").get("items").get(0))
        .isEqualTo(expected);

    List<String> audit = new ArrayList<>();
    admin
        .getJson("/api/v1/audit?limit=20")
        .get("items")
        .forEach(
            e ->
                audit.add(
                    e.get("actor").asText()
                        + " "
                        + e.get("action").asText()
                        + " "
                        + e.get("target").asText()
                        + " "
                        + e.get("client").asText()
                        + " "
                        + e.get("detail").asText()));
    assertThat(audit)
        .contains(
            "admin1 review_decided chat.example.net 127.0.0.1 alternative",
            "coordinator1 review_requested chat.example.net 127.0.0.1 sections cls-alg, cls-bio",
            "admin1 login null 127.0.0.1 null");
  }

  @Test
  void anAdminAddsAndDisablesAccountsAndCannotRemoveTheLastAdmin() throws Exception {
    ConsoleClient admin = as("admin1");
    HttpResponse<String> weak =
        admin.post(
            "/api/v1/accounts",
            "{\"username\":\"Teacher.Two\",\"role\":\"coordinator\",\"password\":\"short\"}");
    assertThat(mapper.readTree(weak.body()))
        .isEqualTo(
            mapper.readTree("{\"error\":\"password: a password needs at least 12 characters\"}"));
    HttpResponse<String> added =
        admin.post(
            "/api/v1/accounts",
            "{\"username\":\"Teacher.Two\",\"role\":\"coordinator\",\"password\":\"plenty of long secrets\"}");
    assertThat(added.statusCode()).isEqualTo(201);
    assertThat(
            (JsonNode)
                ((com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(added.body()))
                    .without(List.of("created", "updated")))
        .isEqualTo(
            mapper.readTree(
                "{\"username\":\"teacher.two\",\"role\":\"coordinator\",\"disabled\":false}"));
    ConsoleClient teacher = ConsoleClient.loggedIn(base(), "teacher.two", "plenty of long secrets");
    clock.step(Duration.ofMillis(1));
    assertThat(
            admin.send("PUT", "/api/v1/accounts/teacher.two", "{\"disabled\":true}").statusCode())
        .isEqualTo(200);
    assertThat(teacher.get("/api/v1/site").statusCode()).isEqualTo(401);
    assertThat(teacher.login("teacher.two", "plenty of long secrets").statusCode()).isEqualTo(401);
    HttpResponse<String> last =
        admin.send("PUT", "/api/v1/accounts/admin1", "{\"role\":\"viewer\"}");
    assertThat(last.statusCode()).isEqualTo(409);
  }
}
