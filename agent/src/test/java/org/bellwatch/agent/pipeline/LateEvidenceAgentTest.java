package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.sim.TestCapture;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.testing.ApiSession;
import org.bellwatch.agent.testing.SiteFolder;
import org.bellwatch.agent.testing.SteppedClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "done when": the agent reads a capture, and the DNS filter's log lines of the same
 * lookups arrive over syslog minutes later, some before a restart and some after it; each attempt
 * is held once, with the capture's and the log's evidence (and the proxy's user, which gives the
 * user's section).
 */
class LateEvidenceAgentTest {
  static final String CB1 = "02:00:5e:10:01:20";
  static final String CB2 = "02:00:5e:10:01:21";
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();
  final ObjectMapper mapper = new ObjectMapper();

  static Instant la(String time) {
    return LocalDate.parse("2026-09-15")
        .atTime(java.time.LocalTime.parse(time))
        .atZone(java.time.ZoneId.of("America/Los_Angeles"))
        .toInstant();
  }

  @Test
  void
      dnsFilterLinesArrivingMinutesLateAcrossARestartJoinTheCapturedAttemptsWhichTheApiHoldsOnceEach()
          throws Exception {
    SiteFolder.write(dir);
    new TestCapture()
        .dhcpAck(la("07:30"), CB1, "10.0.1.20", "RM102-CB01", 7200)
        .dhcpAck(la("07:31"), CB2, "10.0.1.21", "RM101-CB02", 7200)
        .answerA(la("08:10:00.962"), "10.0.1.20", CB1, "games.example.com", "0.0.0.0")
        .answerA(la("08:12:30.250"), "10.0.1.21", CB2, "chat.example.net", "0.0.0.0")
        .write(dir.resolve("capture.pcap"));
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        """
        site: {name: Test School, timezone: America/Los_Angeles}
        schedule: {dir: .}
        capture: {pcap_files: [capture.pcap]}
        syslog:
          listeners:
            - {name: dnsmasq, protocol: tcp, bind: 127.0.0.1, port: 0, vendor: dnsmasq, allow: [127.0.0.0/8]}
            - {name: squid, protocol: udp, bind: 127.0.0.1, port: 0, vendor: squid, allow: [127.0.0.0/8]}
        store: {dir: store}
        web: {port: 0}
        """);
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    ApiSession.createAdmin(cfg.store().dir(), cfg.site().timezone());
    SiteModel site = SiteModel.load(cfg.schedule().dir(), cfg.site().timezone());
    String gamesLine =
        "dnsmasq: 10.0.1.20 config games.example.com is 0.0.0.0 rule config at 2026-09-15T15:10:00.000Z";
    String chatLine =
        "dnsmasq: 10.0.1.21 config chat.example.net is 0.0.0.0 rule config at 2026-09-15T15:12:30.000Z";
    String squidLine =
        "squid: 10.0.1.21 TCP_DENIED/403 CONNECT chat.example.net:443 user Bob at 2026-09-15T15:12:31.400Z";
    // Five minutes after the capture's last answer: the filter's log lines are minutes late.
    SteppedClock clock = new SteppedClock(la("08:17:30"));

    try (Agent agent = Agent.start(cfg, site, clock)) {
      String base = "http://127.0.0.1:" + agent.port();
      String cookie = ApiSession.login(base);
      await(base, cookie, blocks -> blocks.size() == 2);
      sendTcp(
          agent.syslogAddress("dnsmasq"),
          "<30>Sep 15 08:10:00 dnsmasq[812]: 7 10.0.1.20/53211 query[A] games.example.com from 10.0.1.20",
          "<30>Sep 15 08:10:00 dnsmasq[812]: 7 10.0.1.20/53211 config games.example.com is 0.0.0.0");

      List<JsonNode> blocks =
          await(base, cookie, b -> evidence(b, "games.example.com").contains(gamesLine));

      assertThat(blocks).hasSize(2);
      assertThat(metric(base, "bellwatch_correlate_late_evidence_total{outcome=\"merged\",}"))
          .isEqualTo("1.0");
    }

    clock.step(
        Duration.ofMinutes(3)); // the agent is restarted; the capture file is read again at start
    try (Agent agent = Agent.start(cfg, site, clock)) {
      String base = "http://127.0.0.1:" + agent.port();
      String cookie = ApiSession.login(base);
      sendTcp(
          agent.syslogAddress("dnsmasq"),
          "<30>Sep 15 08:12:30 dnsmasq[812]: 9 10.0.1.21/40233 query[A] chat.example.net from 10.0.1.21",
          "<30>Sep 15 08:12:30 dnsmasq[812]: 9 10.0.1.21/40233 config chat.example.net is 0.0.0.0");
      sendUdp(
          agent.syslogAddress("squid"),
          "<166>Sep 15 08:12:31 proxy1 squid[812]: 1789485151.400 5 10.0.1.21"
              + " TCP_DENIED/403 3900 CONNECT chat.example.net:443 Bob HIER_NONE/- text/html");

      List<JsonNode> blocks =
          await(
              base,
              cookie,
              b -> evidence(b, "chat.example.net").containsAll(List.of(chatLine, squidLine)));

      assertThat(blocks).hasSize(2);
      JsonNode chat = byDomain(blocks, "chat.example.net");
      assertThat(chat.get("time").asText()).isEqualTo("2026-09-15T15:12:30.000Z");
      assertThat(chat.get("source").asText()).isEqualTo("dnsmasq");
      assertThat(chat.get("user").asText()).isEqualTo("Bob");
      assertThat(chat.get("url").asText()).isEqualTo("chat.example.net:443");
      assertThat(chat.get("room").asText()).isEqualTo("RM101");
      assertThat(chat.get("section").asText())
          .as("Bob's enrollment wins over the room's class")
          .isEqualTo("cls-bio");
      assertThat(evidence(blocks, "chat.example.net"))
          .startsWith(
              chatLine,
              "dns: 10.0.0.53 answered 10.0.1.21 chat.example.net A 0.0.0.0 (sinkhole) at 2026-09-15T15:12:30.250Z",
              squidLine);
      JsonNode games = byDomain(blocks, "games.example.com");
      assertThat(games.get("time").asText()).isEqualTo("2026-09-15T15:10:00.000Z");
      assertThat(evidence(blocks, "games.example.com"))
          .startsWith(
              gamesLine,
              "dns: 10.0.0.53 answered 10.0.1.20 games.example.com A 0.0.0.0 (sinkhole) at 2026-09-15T15:10:00.962Z");
      JsonNode top =
          get(
              base,
              cookie,
              "/api/v1/reports/top-domains?from=2026-09-15T00:00:00Z&to=2026-09-16T00:00:00Z");
      assertThat(top.get("items"))
          .extracting(d -> d.get("domain").asText() + " " + d.get("attempts").asLong())
          .containsExactlyInAnyOrder("games.example.com 1", "chat.example.net 1");
      assertThat(metric(base, "bellwatch_correlate_late_evidence_total{outcome=\"merged\",}"))
          .isEqualTo("2.0");
      assertThat(metric(base, "bellwatch_correlate_late_evidence_total{outcome=\"repeated\",}"))
          .as("the capture read again at start adds nothing")
          .isEqualTo("2.0");
      assertThat(metric(base, "bellwatch_correlate_blocks_total{instructional=\"true\",}"))
          .isEqualTo("0.0");
    }
    try (EventStore store = EventStore.open(cfg.store().dir(), cfg.site().timezone(), false)) {
      LocalDate day = LocalDate.parse("2026-09-15");
      assertThat(store.dailyCounts(day, day))
          .containsExactlyInAnyOrder(
              new EventStore.DailyCount(day, "chat.example.net", 1, 1),
              new EventStore.DailyCount(day, "games.example.com", 1, 1));
    }
  }

  static JsonNode byDomain(List<JsonNode> blocks, String domain) {
    return blocks.stream()
        .filter(b -> b.get("domain").asText().equals(domain))
        .findFirst()
        .orElseThrow();
  }

  static List<String> evidence(List<JsonNode> blocks, String domain) {
    List<String> out = new ArrayList<>();
    blocks.stream()
        .filter(b -> b.get("domain").asText().equals(domain))
        .forEach(b -> b.get("evidence").forEach(x -> out.add(x.asText())));
    return out;
  }

  private List<JsonNode> await(String base, String cookie, Predicate<List<JsonNode>> done)
      throws Exception {
    return Awaitility.await("the blocks reaching the expected state")
        .atMost(Duration.ofSeconds(20))
        .until(() -> blocks(base, cookie), done);
  }

  private List<JsonNode> blocks(String base, String cookie) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    get(base, cookie, "/api/v1/blocks").get("blocks").forEach(out::add);
    return out;
  }

  private JsonNode get(String base, String cookie, String path) throws Exception {
    HttpRequest get =
        HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie).build();
    return mapper.readTree(http.send(get, HttpResponse.BodyHandlers.ofString()).body());
  }

  private String metric(String base, String name) throws Exception {
    String text =
        http.send(
                HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return text.lines()
        .filter(l -> l.startsWith(name + " "))
        .map(l -> l.substring(name.length() + 1))
        .findFirst()
        .orElse("absent");
  }

  static void sendTcp(InetSocketAddress to, String... messages) throws Exception {
    try (Socket s = new Socket(to.getAddress(), to.getPort())) {
      for (String m : messages) {
        byte[] b = m.getBytes(StandardCharsets.UTF_8);
        s.getOutputStream().write((b.length + " ").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().write(b);
      }
    }
  }

  static void sendUdp(InetSocketAddress to, String message) throws Exception {
    byte[] b = message.getBytes(StandardCharsets.UTF_8);
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      s.send(new DatagramPacket(b, b.length, to));
    }
  }
}
