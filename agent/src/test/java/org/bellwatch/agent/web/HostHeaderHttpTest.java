package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Host header against DNS rebinding (issue 17, finding 11: any Host was answered): a request
 * that names another site is refused with 421 before any route, on every kind of path; this
 * console's names and addresses are answered.
 */
class HostHeaderHttpTest {
  static final ObjectMapper mapper = new ObjectMapper();
  @TempDir static Path dir;
  static WebLayer web;

  @BeforeAll
  static void start() throws Exception {
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        """
        site: {name: Test School, timezone: America/Los_Angeles}
        store: {dir: store}
        web: {port: 0, allowed_hosts: [Bellwatch.School.Example, "*.district.example"]}
        auth: {pbkdf2_iterations: 1000}
        """);
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    web = WebLayer.start(cfg, SiteModel.load(null, cfg.site().timezone()), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    web.close();
  }

  static RawHttp.Response get(String path, String host) throws Exception {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Host", host);
    return RawHttp.send("127.0.0.1", web.port(), "GET", path, h, null);
  }

  @Test
  void aRequestNamingAnotherSiteIsRefusedWith421OnEveryKindOfPathAndCarriesTheSecurityHeaders()
      throws Exception {
    int port = web.port();
    List<String> answers = new ArrayList<>();
    for (String host :
        List.of(
            "evil.example:" + port,
            "rebind.evil.example",
            "127.0.0.1.nip.io:" + port,
            "localhost.evil.example",
            "school.example",
            "district.example",
            "a.b.district.example",
            "203.0.113.9")) {
      for (String path :
          List.of("/", "/app.js", "/health", "/metrics", "/api/v1/auth/session", "/no/such/page")) {
        RawHttp.Response r = get(path, host);
        answers.add(host + " " + path + " " + r.status());
        assertThat(r.header("content-security-policy")).isEqualTo(WebServer.CSP);
        assertThat(r.header("x-frame-options")).isEqualTo("DENY");
        assertThat(r.header("cache-control")).isEqualTo("no-store");
        assertThat(mapper.readTree(r.body()).get("error").asText())
            .isEqualTo(
                "'"
                    + HostCheck.host(host)
                    + "' is not a name of this console: if people reach it by that name, add it to web.allowed_hosts");
      }
      answers.add(
          host
              + " login "
              + RawHttp.send(
                      "127.0.0.1",
                      port,
                      "POST",
                      "/api/v1/auth/login",
                      Map.of(
                          "Host",
                          host,
                          "Origin",
                          "http://" + host,
                          "Content-Type",
                          "application/json"),
                      "{\"username\":\"admin1\",\"password\":\"" + TestAccounts.PASSWORD + "\"}")
                  .status());
    }
    assertThat(answers).allSatisfy(a -> assertThat(a).endsWith(" 421"));
  }

  @Test
  void thisConsolesNamesAndAddressesAreAnswered() throws Exception {
    int port = web.port();
    String kernel = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    List<String> allowed =
        List.of(
            "127.0.0.1:" + port,
            "localhost:" + port,
            "LOCALHOST.",
            "[::1]:" + port,
            "127.0.0.2",
            "bellwatch.school.example",
            "Bellwatch.School.Example:443",
            "console.district.example",
            kernel,
            kernel + ":" + port);
    for (String host : allowed) {
      assertThat(get("/health", host).status()).as(host).isEqualTo(200);
    }
    // A login through an allowed name works as before.
    assertThat(
            RawHttp.send(
                    "127.0.0.1",
                    port,
                    "POST",
                    "/api/v1/auth/login",
                    Map.of(
                        "Host",
                        "bellwatch.school.example",
                        "Origin",
                        "http://bellwatch.school.example",
                        "Content-Type",
                        "application/json"),
                    "{\"username\":\"admin1\",\"password\":\"" + TestAccounts.PASSWORD + "\"}")
                .status())
        .isEqualTo(200);
    // HTTP/1.0 has no Host header; a browser always sends one, so none names no other site.
    assertThat(RawHttp.send("127.0.0.1", port, "GET /health HTTP/1.0", Map.of(), null).status())
        .isEqualTo(200);
  }
}
