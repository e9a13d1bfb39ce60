package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.testing.ApiSession;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lease history outlives a restart: a DHCP server log line read before the agent stopped still
 * says which device held the address when a block arrives after it started again (the line is not
 * read twice, its offset having been stored).
 */
class LeaseHistoryRestartTest {
  @TempDir Path dir;

  @Test
  void aBlockAfterARestartIsAttributedToTheDeviceLeasedBeforeIt() throws Exception {
    SiteFolder.write(dir);
    Path dhcpLog = dir.resolve("dhcpd.log");
    Path squidLog = dir.resolve("access.log");
    Files.writeString(
        dhcpLog,
        "<190>Sep 15 08:00:00 dhcp1 dhcpd[901]: DHCPACK on 10.0.1.30 to 02:00:5e:10:01:30"
            + " (RM101-CB30) via 10.0.1.1\n");
    Files.writeString(squidLog, "");
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        """
        site: {name: Test School, timezone: America/Los_Angeles}
        schedule: {dir: .}
        logs:
          poll_interval_ms: 50
          files:
            - {vendor: isc_dhcpd, path: dhcpd.log}
            - {vendor: squid, path: access.log}
        store: {dir: store}
        web: {port: 0}
        """);
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    Clock clock = Clock.fixed(Instant.parse("2026-09-15T16:00:00Z"), ZoneOffset.UTC);
    ApiSession.createAdmin(cfg.store().dir(), cfg.site().timezone());
    SiteModel site = SiteModel.load(cfg.schedule().dir(), cfg.site().timezone());
    HttpClient http = HttpClient.newHttpClient();

    try (Agent agent = Agent.start(cfg, site, clock)) {
      String base = "http://127.0.0.1:" + agent.port();
      awaitMetric(http, base, "bellwatch_identity_lease_records ", "1.0");
    }
    // 08:10 Los Angeles: period 1, inside the lease acknowledged at 08:00 (an hour by default).
    Files.writeString(
        squidLog,
        "1789485000.250 5 10.0.1.30 TCP_DENIED/403 3900 CONNECT games.example.com:443 -"
            + " HIER_NONE/- text/html\n",
        StandardOpenOption.APPEND);
    try (Agent agent = Agent.start(cfg, site, clock)) {
      String base = "http://127.0.0.1:" + agent.port();
      String cookie = ApiSession.login(base);
      HttpRequest get =
          HttpRequest.newBuilder(URI.create(base + "/api/v1/blocks"))
              .header("Cookie", cookie)
              .build();
      ObjectMapper mapper = new ObjectMapper();
      JsonNode body =
          await("the block stored")
              .atMost(Duration.ofSeconds(20))
              .until(
                  () ->
                      mapper.readTree(http.send(get, HttpResponse.BodyHandlers.ofString()).body()),
                  b -> b.get("count").asInt() >= 1);

      assertThat(body.get("count").asInt()).isEqualTo(1);
      JsonNode block = body.get("blocks").get(0);
      assertThat(block.get("client_ip").asText()).isEqualTo("10.0.1.30");
      assertThat(block.get("mac").asText()).isEqualTo("02:00:5e:10:01:30");
      assertThat(block.get("hostname").asText()).isEqualTo("RM101-CB30");
      assertThat(block.get("room").asText()).isEqualTo("RM101");
      assertThat(block.get("section").asText()).isEqualTo("cls-alg");
      assertThat(block.get("evidence"))
          .isEqualTo(
              mapper.readTree(
                  """
          ["squid: 10.0.1.30 TCP_DENIED/403 CONNECT games.example.com:443 at 2026-09-15T15:10:00.250Z",
           "dhcp: 10.0.1.30 leased to 02:00:5e:10:01:30 (RM101-CB30) from 2026-09-15T15:00:00.000Z until \
          2026-09-15T16:00:00.000Z; isc_dhcpd log: 10.0.1.30 to 02:00:5e:10:01:30 at 2026-09-15T15:00:00.000Z",
           "room: host name RM101-CB30 names room RM101",
           "schedule: 2026-09-15 runs 'regular', period 1 08:00-08:50 America/Los_Angeles",
           "section: room RM101 has cls-alg (Algebra I - 1, ms.rivera) in session"]
          """));
    }
  }

  private static void awaitMetric(HttpClient http, String base, String line, String value)
      throws Exception {
    HttpRequest get = HttpRequest.newBuilder(URI.create(base + "/metrics")).build();
    await(line + value + " on /metrics")
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                http.send(get, HttpResponse.BodyHandlers.ofString()).body().contains(line + value));
  }
}
