package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.pipeline.Agent;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running agent over HTTP: health, metrics, the blocks API, the console's files and their
 * headers.
 */
class AgentHttpTest {
  @TempDir static Path dir;
  static Agent agent;
  static final HttpClient http = HttpClient.newHttpClient();
  static final ObjectMapper mapper = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    SiteFolder.write(dir);
    // 08:10 and 11:40 in Los Angeles on 2026-09-15: one block in period 1, one at lunch.
    SiteFolder.write(
        dir.resolve("access.log"),
        """
        1789485000.250 5 10.0.1.20 TCP_DENIED/403 3900 CONNECT games.example.com:443 alice HIER_NONE/- text/html
        1789485001.000 5 10.0.1.20 TCP_DENIED/407 3900 GET http://x.example/ - HIER_NONE/- text/html
        1789497600.000 5 10.0.1.21 TCP_DENIED/403 3900 GET http://chat.example.net/ - HIER_NONE/- text/html
        this line is garbage
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
        auth: {pbkdf2_iterations: 1000}
        """);
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    TestAccounts.write(cfg.store().dir(), cfg.site().timezone());
    agent =
        Agent.start(
            cfg, SiteModel.load(cfg.schedule().dir(), cfg.site().timezone()), Clock.systemUTC());
    await("the agent running")
        .atMost(Duration.ofSeconds(30))
        .until(() -> agent.state().equals("running"));
    admin = ConsoleClient.loggedIn(base(), "admin1", TestAccounts.PASSWORD);
    // The log is followed by the tailer: wait until its blocks are stored and its garbage line is
    // kept.
    await("the log's blocks stored and its garbage line kept")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                mapper.readTree(get("/api/v1/blocks").body()).get("count").asInt() >= 2
                    && !mapper
                        .readTree(get("/api/v1/status/dead-letters").body())
                        .get("letters")
                        .isEmpty());
  }

  static ConsoleClient admin;

  static String base() {
    return "http://127.0.0.1:" + agent.port();
  }

  @AfterAll
  static void stop() {
    agent.close();
  }

  /** A GET as the admin (the tests of what other roles see are in ConsoleAuthHttpTest). */
  static HttpResponse<String> get(String path) throws Exception {
    return admin.get(path);
  }

  @Test
  void healthIsOkOnceThePipelineRunsAndNamesEachSource() throws Exception {
    HttpResponse<String> r = get("/health");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = mapper.readTree(r.body());
    assertThat(body.get("status").asText()).isEqualTo("ok");
    assertThat(body.get("pipeline").asText()).isEqualTo("running");
    assertThat(body.get("schedule").asText()).isEqualTo("ok");
    JsonNode source = body.get("sources").get(0);
    assertThat(source.get("name").asText()).isEqualTo("logs:squid");
    // Receiving once its lines were counted; silent until the first sampling after that.
    assertThat(source.get("state").asText()).isIn("receiving", "silent");
    assertThat(body.get("sources")).hasSize(1);
  }

  @Test
  void theBlocksApiReturnsBothInstructionalAndOtherBlocksNewestFirst() throws Exception {
    JsonNode body = mapper.readTree(get("/api/v1/blocks").body());
    assertThat(body.get("count").asInt()).isEqualTo(2);
    assertThat(body.get("total").asInt()).isEqualTo(2);
    JsonNode lunch = body.get("blocks").get(0);
    JsonNode period1 = body.get("blocks").get(1);
    assertThat(lunch.get("domain").asText()).isEqualTo("chat.example.net");
    assertThat(lunch.get("period").asText()).isEqualTo("Lunch");
    assertThat(lunch.get("instructional").asBoolean()).isFalse();
    assertThat(period1.get("time").asText()).isEqualTo("2026-09-15T15:10:00.250Z");
    assertThat(period1.get("user").asText()).isEqualTo("alice");
    assertThat(period1.get("section").asText()).isEqualTo("cls-alg");
    assertThat(period1.get("instructional").asBoolean()).isTrue();

    JsonNode during = mapper.readTree(get("/api/v1/blocks?instructional=true").body());
    assertThat(during.get("blocks")).hasSize(1);
    assertThat(during.get("blocks").get(0).get("domain").asText()).isEqualTo("games.example.com");
  }

  @Test
  void everyRouteIsInTheOpenApiFileAndAnswersWithADocumentedStatusAndKeys() throws Exception {
    JsonNode api = OpenApi.read();
    assertThat(new java.util.TreeSet<>(agent.routes())).isEqualTo(OpenApi.paths(api));
    assertThat(
            new java.util.TreeSet<>(
                agent.operations().stream().map(o -> o.method() + " " + o.path()).toList()))
        .isEqualTo(
            new java.util.TreeSet<>(
                OpenApi.operations(api).stream().map(o -> o.method() + " " + o.path()).toList()));

    for (OpenApi.Op op : OpenApi.operations(api)) {
      String concrete = OpenApi.concrete(op.path());
      // A state-changing call gets its own session (one of them is logout) and an empty body: it
      // must be
      // refused as a documented bad request, never change anything.
      ConsoleClient caller =
          op.method().equals("GET")
              ? admin
              : ConsoleClient.loggedIn(base(), "admin1", TestAccounts.PASSWORD);
      HttpResponse<String> r =
          caller.send(op.method(), concrete, op.method().equals("GET") ? null : "{}");
      JsonNode responses = op.operation().get("responses");
      assertThat(responses.has(Integer.toString(r.statusCode())))
          .as("%s %s answered %s: %s", op.method(), concrete, r.statusCode(), r.body())
          .isTrue();
      JsonNode schema = OpenApi.schema(api, responses.get(Integer.toString(r.statusCode())));
      if (schema.has("properties")) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        mapper.readTree(r.body()).fieldNames().forEachRemaining(keys::add);
        java.util.Set<String> allowed = new java.util.TreeSet<>();
        schema.get("properties").fieldNames().forEachRemaining(allowed::add);
        assertThat(keys).as("keys of %s %s", op.method(), concrete).isEqualTo(allowed);
      }
    }
  }

  @Test
  void reportsAndCsvExportAnswerOverHttp() throws Exception {
    JsonNode top = mapper.readTree(get("/api/v1/reports/top-domains").body());
    assertThat(top.get("items").get(0).get("domain").asText()).isEqualTo("games.example.com");
    assertThat(top.get("items").get(0).get("sections").asInt()).isEqualTo(1);

    HttpResponse<String> csv = get("/api/v1/blocks?instructional=true&format=csv");
    assertThat(csv.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
    assertThat(csv.body().split("\r\n")).hasSize(2);
    assertThat(csv.body())
        .startsWith(
            "time,client_ip,mac,hostname,user,user_name,domain,url,category,source,method,"
                + "room,section,section_title,course,teacher,teacher_name,period,instructional,while_teaching,evidence\r\n"
                + "2026-09-15T15:10:00.250Z,10.0.1.20,");
    assertThat(get("/api/v1/reports/breakdown/planet").statusCode()).isEqualTo(404);
    assertThat(get("/api/v1/domains/never.example").statusCode()).isEqualTo(404);
  }

  @Test
  void badQueryParametersAreA400WithTheParameterNamed() throws Exception {
    HttpResponse<String> r = get("/api/v1/blocks?limit=0");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(mapper.readTree(r.body()).get("error").asText())
        .isEqualTo("limit: '0' must be a whole number from 1 to 1000");
    assertThat(get("/api/v1/blocks?from=yesterday").statusCode()).isEqualTo(400);
  }

  @Test
  void metricsArePrometheusTextWithPipelineCountersAndNoAddressesInTags() throws Exception {
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    // The simpleclient text format (0.0.4) writes a comma after the last label.
    assertThat(r.body())
        .contains("bellwatch_logs_lines_total{result=\"blocked\",vendor=\"squid\",} 2.0")
        .contains("bellwatch_logs_lines_total{result=\"auth-challenge\",vendor=\"squid\",} 1.0")
        .contains(
            "bellwatch_logs_malformed_total{reason=\"squid_too_few_fields\",vendor=\"squid\",} 1.0")
        .contains("bellwatch_correlate_blocks_total{instructional=\"true\",} 1.0")
        .contains("bellwatch_store_events_written_total 2.0")
        .contains("jvm_memory_used_bytes")
        .doesNotContain("10.0.1.20")
        .doesNotContain("example.com")
        .doesNotContain("alice");
  }

  @Test
  void anAnonymousVisitorSeesTheLoginFormAndNoBlocksInAHeadlessBrowser() throws Exception {
    Chromium.assumeAvailable();
    Path profile = java.nio.file.Files.createTempDirectory(dir, "chromium");
    // --virtual-time-budget lets the page's fetches finish before the DOM is dumped.
    java.util.List<String> command = Chromium.command(profile);
    command.addAll(
        java.util.List.of(
            "--virtual-time-budget=10000", "--dump-dom", "http://127.0.0.1:" + agent.port() + "/"));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String dom =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    assertThat(dom)
        .contains("<section id=\"login\" aria-labelledby=\"login-title\">")
        .contains("Log in to see blocked sites.")
        .doesNotContain("games.example.com")
        .doesNotContain("Test School");
  }

  @Test
  void theConsoleIsServedWithAStrictContentSecurityPolicy() throws Exception {
    HttpResponse<String> page = ConsoleClient.anonymous(base()).get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<script type=\"module\" src=\"app.js\"></script>");
    assertThat(page.headers().firstValue("content-security-policy")).contains(WebServer.CSP);
    assertThat(page.headers().firstValue("x-content-type-options")).contains("nosniff");
    assertThat(get("/app.js").statusCode()).isEqualTo(200);
    assertThat(mapper.readTree(get("/api/v1/site").body()))
        .isEqualTo(
            mapper.readTree(
                """
        {"name":"Test School","timezone":"America/Los_Angeles",
         "terms":[{"id":"sy-2026","title":"2026-27","type":"schoolYear","start":"2026-08-17","end":"2027-06-11"}],
         "data":{"first":"2026-09-15T15:10:00.250Z","last":"2026-09-15T18:40:00Z"}}"""));
  }
}
