package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bellwatch.agent.access.AdminToken;
import org.bellwatch.agent.cli.BellwatchCli;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.pipeline.Agent;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Findings of the security review (docs/security.md) against a running agent over plain HTTP:
 * static paths that try to climb out of the console, the security headers on every kind of answer,
 * and secrets that must never reach the log.
 */
class WebSecurityTest {
  @TempDir static Path dir;
  static Agent agent;
  static BellwatchConfig cfg;
  static final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  static final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  static final Logger ours = (Logger) LoggerFactory.getLogger("org.bellwatch");
  static Level oursBefore;

  @BeforeAll
  static void start() throws Exception {
    // Everything our code logs, at every level, while the agent runs.
    oursBefore = ours.getLevel();
    ours.setLevel(Level.DEBUG);
    logged.start();
    root.addAppender(logged);
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        """
        site: {name: Test School, timezone: America/Los_Angeles}
        store: {dir: store}
        web: {port: %d}
        auth: {pbkdf2_iterations: 1000}
        """
            .formatted(freePort()));
    cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    TestAccounts.write(cfg.store().dir(), cfg.site().timezone());
    agent = Agent.start(cfg, SiteModel.load(null, cfg.site().timezone()), Clock.systemUTC());
    await("the agent running")
        .atMost(Duration.ofSeconds(30))
        .until(() -> agent.state().equals("running"));
  }

  /** The backup command reaches the agent at its configured port, so the port cannot be 0 here. */
  static int freePort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @AfterAll
  static void stop() {
    agent.close();
    root.detachAppender(logged);
    ours.setLevel(oursBefore);
  }

  static String base() {
    return "http://127.0.0.1:" + agent.port();
  }

  /** One raw HTTP/1.1 request, so that no client library normalises or re-encodes the path. */
  static RawResponse raw(String requestTarget) throws Exception {
    try (Socket s = new Socket("127.0.0.1", agent.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET "
                  + requestTarget
                  + " HTTP/1.1\r\nHost: 127.0.0.1:"
                  + agent.port()
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(text.substring(9, 12));
      Map<String, String> headers = new LinkedHashMap<>();
      int end = text.indexOf("\r\n\r\n");
      for (String line : text.substring(text.indexOf("\r\n") + 2, end).split("\r\n")) {
        int colon = line.indexOf(':');
        headers.put(
            line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
      }
      return new RawResponse(status, headers, text.substring(end + 4));
    }
  }

  record RawResponse(int status, Map<String, String> headers, String body) {}

  @Test
  void staticPathsThatClimbOutOfTheConsoleNeverServeAnotherFile() throws Exception {
    // logback.xml and WebServer.class sit on the classpath one folder above /console: reaching
    // either (or
    // /etc/passwd) means the static handler left the console's resources.
    List<String> probes =
        List.of(
            "/../logback.xml",
            "/%2e%2e/logback.xml",
            "/%2E%2E/logback.xml",
            "/.%2e/logback.xml",
            "/..%2flogback.xml",
            "/%2e%2e%2flogback.xml",
            "/..%5clogback.xml",
            "/..\\logback.xml",
            "/..;/logback.xml",
            "/%252e%252e/logback.xml",
            "/app.js/../../logback.xml",
            "/./../logback.xml",
            "//logback.xml",
            "/../org/bellwatch/agent/web/WebServer.class",
            "/%2e%2e/org/bellwatch/agent/web/WebServer.class",
            "/../../../../../../etc/passwd",
            "/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
            "/%c0%ae%c0%ae/logback.xml",
            "/file:/etc/passwd",
            "/console/../logback.xml");
    Map<String, String> leaks = new LinkedHashMap<>();
    for (String probe : probes) {
      RawResponse r = raw(probe);
      if (r.body().contains("<configuration>")
          || r.body().contains("root:")
          || r.body().contains("\u00ca\u00fe\u00ba\u00be")) {
        leaks.put(probe, r.status() + " " + r.body().substring(0, Math.min(80, r.body().length())));
      }
      assertThat(r.status()).as(probe).isIn(400, 404);
    }
    assertThat(leaks).isEmpty();
    // The console's own files are still there.
    assertThat(raw("/app.js").status()).isEqualTo(200);
  }

  @Test
  void everyKindOfAnswerCarriesTheSecurityHeaders() throws Exception {
    ConsoleClient anonymous = ConsoleClient.anonymous(base());
    ConsoleClient admin = ConsoleClient.loggedIn(base(), "admin1", TestAccounts.PASSWORD);
    Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
    answers.put("console page", anonymous.get("/"));
    answers.put("static script", anonymous.get("/app.js"));
    answers.put("static style", anonymous.get("/app.css"));
    answers.put("health", anonymous.get("/health"));
    answers.put("api json", admin.get("/api/v1/site"));
    answers.put("metrics", admin.get("/metrics"));
    answers.put("401 not logged in", anonymous.get("/api/v1/blocks"));
    answers.put(
        "403 role too low",
        ConsoleClient.loggedIn(base(), "viewer1", TestAccounts.PASSWORD).get("/api/v1/blocks"));
    answers.put("404 unknown path", anonymous.get("/no/such/page"));
    answers.put("400 bad body", admin.post("/api/v1/auth/password", "not json"));
    answers.put("401 failed login", anonymous.login("admin1", "wrong password for the headers"));
    Map<String, Map<String, String>> seen = new LinkedHashMap<>();
    for (var e : answers.entrySet()) {
      seen.put(
          e.getKey() + " " + e.getValue().statusCode(),
          securityHeaders(e.getValue().headers().map()));
    }
    Map<String, String> expected = expectedHeaders();
    Map<String, Map<String, String>> want = new LinkedHashMap<>();
    seen.keySet().forEach(k -> want.put(k, expected));
    assertThat(seen).isEqualTo(want);
    assertThat(seen.keySet())
        .containsExactly(
            "console page 200",
            "static script 200",
            "static style 200",
            "health 200",
            "api json 200",
            "metrics 200",
            "401 not logged in 401",
            "403 role too low 403",
            "404 unknown path 404",
            "400 bad body 400",
            "401 failed login 401");
    // Answers with data are never cached; the console's own files (no data) may be revalidated.
    Map<String, String> caching = new LinkedHashMap<>();
    answers.forEach((k, v) -> caching.put(k, v.headers().firstValue("cache-control").orElse(null)));
    assertThat(caching)
        .containsExactly(
            Map.entry("console page", "max-age=0"),
            Map.entry("static script", "max-age=0"),
            Map.entry("static style", "max-age=0"),
            Map.entry("health", "no-store"),
            Map.entry("api json", "no-store"),
            Map.entry("metrics", "no-store"),
            Map.entry("401 not logged in", "no-store"),
            Map.entry("403 role too low", "no-store"),
            Map.entry("404 unknown path", "no-store"),
            Map.entry("400 bad body", "no-store"),
            Map.entry("401 failed login", "no-store"));
    // Over plain HTTP there is no HSTS (it would pin a name that has no certificate): see
    // ConsoleTlsTest.
    assertThat(answers.get("console page").headers().firstValue("strict-transport-security"))
        .isEmpty();
  }

  @Test
  void aPathJettyRefusesBeforeAnyRouteStillCarriesTheSecurityHeaders() throws Exception {
    // An ambiguous path is refused by Jetty's URI checks with 400 before a Javalin handler runs.
    RawResponse r = raw("/..%2flogback.xml");
    assertThat(r.status()).isEqualTo(400);
    assertThat(securityHeaders(r.headers())).isEqualTo(expectedHeaders());
    assertThat(r.headers().get("cache-control")).isEqualTo("no-store");
  }

  static Map<String, String> expectedHeaders() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("content-security-policy", WebServer.CSP);
    m.put("x-content-type-options", "nosniff");
    m.put("referrer-policy", "no-referrer");
    m.put("x-frame-options", "DENY");
    m.put("cross-origin-opener-policy", "same-origin");
    return m;
  }

  static Map<String, String> securityHeaders(Map<String, ?> headers) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String name : expectedHeaders().keySet()) {
      Object v = headers.get(name);
      m.put(
          name,
          v == null
              ? null
              : v instanceof List<?> l
                  ? String.join(",", l.stream().map(String::valueOf).toList())
                  : v.toString());
    }
    return m;
  }

  @Test
  void theLogNeverHoldsAPasswordSessionIdCsrfTokenOrTheAdminToken() throws Exception {
    String wrong = "Wrong-Guess-7f3a9c";
    String next = "a brand new passphrase 42";
    ConsoleClient.anonymous(base()).login("admin1", wrong);
    ConsoleClient.anonymous(base()).login(wrong, wrong);
    ConsoleClient c = ConsoleClient.loggedIn(base(), "coordinator1", TestAccounts.PASSWORD);
    String cookie = c.cookie.substring(c.cookie.indexOf('=') + 1);
    String csrf = c.csrf;
    HttpResponse<String> changed =
        c.post(
            "/api/v1/auth/password",
            ConsoleClient.MAPPER
                .createObjectNode()
                .put("current_password", TestAccounts.PASSWORD)
                .put("new_password", next)
                .toString());
    assertThat(changed.statusCode()).isEqualTo(200);
    ConsoleClient again = ConsoleClient.loggedIn(base(), "coordinator1", next);
    again.post("/api/v1/auth/logout", null);
    Path cfgFile = dir.resolve("bellwatch.yaml");
    assertThat(
            BellwatchCli.execute(
                "backup", "--config", cfgFile.toString(), dir.resolve("copy").toString()))
        .isZero();
    String token = AdminToken.read(cfg.store().dir());
    // A request with a wrong token is refused; its token must not be echoed into the log either.
    String forged = "forged-admin-token-000111222";
    ConsoleClient.HTTP.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + "/api/v1/admin/backup"))
            .header("Origin", base())
            .header(AdminToken.HEADER, forged)
            .header("Content-Type", "application/json")
            .POST(
                java.net.http.HttpRequest.BodyPublishers.ofString(
                    "{\"target\":\"" + dir.resolve("copy2") + "\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());

    List<String> lines = new ArrayList<>();
    for (ILoggingEvent e : List.copyOf(logged.list)) {
      lines.add(
          e.getLoggerName()
              + " "
              + e.getFormattedMessage()
              + (e.getThrowableProxy() == null
                  ? ""
                  : ThrowableProxyUtil.asString(e.getThrowableProxy())));
    }
    String all = String.join("\n", lines);
    assertThat(lines).as("the agent logged at all while this ran").isNotEmpty();
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("password", TestAccounts.PASSWORD);
    secrets.put("wrong password", wrong);
    secrets.put("new password", next);
    secrets.put("session id", cookie);
    secrets.put("csrf token", csrf);
    secrets.put("admin token", token);
    secrets.put("forged admin token", forged);
    Map<String, Boolean> found = new LinkedHashMap<>();
    secrets.forEach((name, value) -> found.put(name, all.contains(value)));
    assertThat(found).containsOnlyKeys(secrets.keySet()).doesNotContainValue(true);
  }
}
