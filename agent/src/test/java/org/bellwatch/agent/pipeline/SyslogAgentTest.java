package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running agent with syslog listeners: a Squid line over UDP and one over TCP become stored
 * blocks.
 */
class SyslogAgentTest {
  @TempDir Path dir;

  @Test
  void squidLinesSentOverUdpAndTcpSyslogAreServedAsBlocksByTheApi() throws Exception {
    SiteFolder.write(dir);
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        """
        site: {name: Test School, timezone: America/Los_Angeles}
        schedule: {dir: .}
        syslog:
          listeners:
            - {name: squid-udp, protocol: udp, bind: 127.0.0.1, port: 0, vendor: squid, allow: [127.0.0.0/8]}
            - {name: squid-tcp, protocol: tcp, bind: 127.0.0.1, port: 0, vendor: squid, allow: [127.0.0.0/8]}
        store: {dir: store}
        web: {port: 0}
        """);
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    // The clock stands a minute after both blocks, so the pipeline's tick closes their merge
    // windows.
    Clock clock = Clock.fixed(Instant.parse("2026-09-15T19:01:00Z"), ZoneOffset.UTC);
    org.bellwatch.agent.testing.ApiSession.createAdmin(cfg.store().dir(), cfg.site().timezone());
    try (Agent agent =
        Agent.start(cfg, SiteModel.load(cfg.schedule().dir(), cfg.site().timezone()), clock)) {
      byte[] udp =
          ("<166>Sep 15 08:10:00 proxy1 squid[812]: 1789485000.250 5 10.0.1.20 TCP_DENIED/403 3900 CONNECT"
                  + " games.example.com:443 alice HIER_NONE/- text/html")
              .getBytes(StandardCharsets.UTF_8);
      try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        s.send(new DatagramPacket(udp, udp.length, agent.syslogAddress("squid-udp")));
      }
      String tcp =
          "<166>1 2026-09-15T19:00:00Z proxy1 squid 812 - - 1789497600.000 5 10.0.1.21 TCP_DENIED/403 3900"
              + " GET http://chat.example.net/ - HIER_NONE/- text/html";
      InetSocketAddress a = agent.syslogAddress("squid-tcp");
      try (Socket s = new Socket(a.getAddress(), a.getPort())) {
        s.getOutputStream().write((tcp.length() + " " + tcp).getBytes(StandardCharsets.UTF_8));
      }

      HttpClient http = HttpClient.newHttpClient();
      ObjectMapper mapper = new ObjectMapper();
      String cookie =
          org.bellwatch.agent.testing.ApiSession.login("http://127.0.0.1:" + agent.port());
      HttpRequest get =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/api/v1/blocks"))
              .header("Cookie", cookie)
              .build();
      JsonNode body =
          await("both blocks stored")
              .atMost(Duration.ofSeconds(20))
              .until(
                  () ->
                      mapper.readTree(http.send(get, HttpResponse.BodyHandlers.ofString()).body()),
                  b -> b.get("count").asInt() >= 2);

      assertThat(body.get("count").asInt()).isEqualTo(2);
      JsonNode lunch = body.get("blocks").get(0);
      JsonNode period1 = body.get("blocks").get(1);
      assertThat(lunch.get("domain").asText()).isEqualTo("chat.example.net");
      assertThat(lunch.get("client_ip").asText()).isEqualTo("10.0.1.21");
      assertThat(lunch.get("period").asText()).isEqualTo("Lunch");
      assertThat(lunch.get("instructional").asBoolean()).isFalse();
      assertThat(period1.get("time").asText()).isEqualTo("2026-09-15T15:10:00.250Z");
      assertThat(period1.get("domain").asText()).isEqualTo("games.example.com");
      assertThat(period1.get("user").asText()).isEqualTo("alice");
      assertThat(period1.get("section").asText()).isEqualTo("cls-alg");
      assertThat(period1.get("source").asText()).isEqualTo("squid");
      assertThat(period1.get("instructional").asBoolean()).isTrue();
      String metrics =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + agent.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics)
          .contains("bellwatch_syslog_received_total{listener=\"squid-udp\",protocol=\"udp\",} 1.0")
          .contains(
              "bellwatch_syslog_received_total{listener=\"squid-tcp\",protocol=\"tcp\",} 1.0");
    }
  }
}
