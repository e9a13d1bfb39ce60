package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.testing.ApiSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IPv6 fixture's frames (radvd, dnsmasq, dhclient -6, SLAAC clients; scripts/make-ipv6-fixture)
 * sent onto a veth pair, one end in a network namespace this test creates, the other captured live
 * by the agent ({@code run}): the capture filter lets neighbor discovery and DHCPv6 through, and
 * every IPv6 block names its device and room, as in the replay. Needs root and {@code ip}; skipped
 * elsewhere unless {@code -Dbellwatch.capture.required=true}, like the other live-capture tests.
 */
class Ipv6LiveCaptureTest {
  final String tag = Long.toString(ProcessHandle.current().pid() % 100_000);
  final String ns = "bwv6" + tag;
  final String iface = "bwv6a" + tag;
  final String peer = "bwv6b" + tag;

  @TempDir Path dir;

  @AfterEach
  void removeNamespace() throws Exception {
    CaptureInterfaceRecoveryTest.run(false, "ip", "link", "del", iface);
    CaptureInterfaceRecoveryTest.run(false, "ip", "netns", "del", ns);
  }

  /**
   * One Ethernet frame out of {@code argv[1]}: IPv4 UDP to port 53 from 192.0.2.1 carrying 3 bytes,
   * not DNS.
   */
  static final String PROBE =
      """
      import socket, struct, sys
      payload = bytes([0x12, 0x34, 0x01])
      udp = struct.pack('!HHHH', 53, 53, 8 + len(payload), 0) + payload
      ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, bytes([192, 0, 2, 1]),
                       bytes([192, 0, 2, 2]))
      c = sum(struct.unpack('!10H', ip))
      c = (c >> 16) + (c & 0xffff)
      c = ~(c + (c >> 16)) & 0xffff
      ip = ip[:10] + struct.pack('!H', c) + ip[12:]
      s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
      s.bind((sys.argv[1], 0))
      s.send(bytes([0xff] * 6 + [2, 0, 0, 0, 0, 0x99, 0x08, 0x00]) + ip + udp)
      """;

  @Test
  void framesOfSlaacAndDhcpv6ClientsCapturedLiveGiveEachIpv6BlockItsDeviceAndRoom()
      throws Exception {
    if (CaptureInterfaceRecoveryTest.run(false, "ip", "netns", "add", ns) != 0) {
      Assumptions.assumeFalse(
          Boolean.getBoolean("bellwatch.capture.required"), "capture required but ip netns failed");
      Assumptions.abort("needs root and ip netns");
    }
    CaptureInterfaceRecoveryTest.run(
        true, "ip", "link", "add", iface, "type", "veth", "peer", "name", peer);
    CaptureInterfaceRecoveryTest.run(true, "ip", "link", "set", peer, "netns", ns);
    CaptureInterfaceRecoveryTest.run(true, "ip", "link", "set", iface, "up");
    CaptureInterfaceRecoveryTest.run(true, "ip", "-n", ns, "link", "set", peer, "up");
    Path fixture = Ipv6FixtureReplayTest.FIXTURE;
    Files.writeString(
        dir.resolve("bellwatch.yaml"),
        """
        site: {timezone: UTC}
        schedule: {dir: %s}
        capture: {interfaces: [%s]}
        correlate: {merge_window_secs: 1, reorder_window_secs: 2}
        store: {dir: store}
        web: {port: 0}
        """
            .formatted(fixture.resolve("schedule").toAbsolutePath(), iface));
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    Map<String, String> truth = new HashMap<>();
    for (String line : Files.readAllLines(fixture.resolve("truth.tsv"), StandardCharsets.UTF_8)) {
      String[] f = line.split("\t");
      truth.put(f[0], f[1]);
    }
    ApiSession.createAdmin(cfg.store().dir(), cfg.site().timezone());
    try (Agent agent =
        Agent.start(
            cfg, SiteModel.load(cfg.schedule().dir(), cfg.site().timezone()), Clock.systemUTC())) {
      String base = "http://127.0.0.1:" + agent.port();
      CaptureInterfaceRecoveryTest.await(
          "the agent running", Duration.ofSeconds(60), () -> agent.state().equals("running"));
      String cookie = ApiSession.login(base);
      HttpClient http = HttpClient.newHttpClient();
      // libpcap hands frames over only once its handle is armed, a moment after start: probe frames
      // (a malformed
      // DNS datagram, which makes no block) until libpcap has counted one, then replay.
      CaptureInterfaceRecoveryTest.await(
          "the capture receiving frames",
          Duration.ofSeconds(30),
          () -> {
            CaptureInterfaceRecoveryTest.run(
                true, "ip", "netns", "exec", ns, "python3", "-c", PROBE, peer);
            return pcapReceived(http, base, cookie) > 0;
          });
      // Send the capture's frames as they were, in order, from the namespace's end (a tcpreplay).
      CaptureInterfaceRecoveryTest.run(
          true,
          "ip",
          "netns",
          "exec",
          ns,
          "python3",
          "-c",
          """
          import socket, struct, sys, time
          data = open(sys.argv[1], 'rb').read()
          s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
          s.bind((sys.argv[2], 0))
          p = 24
          while p < len(data):
              _, _, incl, _ = struct.unpack('<IIII', data[p:p + 16])
              s.send(data[p + 16:p + 16 + incl])
              p += 16 + incl
              time.sleep(0.005)
          """,
          fixture.resolve("capture.pcap").toAbsolutePath().toString(),
          peer);
      HttpRequest blocks =
          HttpRequest.newBuilder(URI.create(base + "/api/v1/blocks?limit=100"))
              .header("Cookie", cookie)
              .build();
      JsonNode[] body = new JsonNode[1];
      CaptureInterfaceRecoveryTest.await(
          "every IPv6 block stored",
          Duration.ofSeconds(60),
          () -> {
            body[0] =
                new ObjectMapper()
                    .readTree(http.send(blocks, HttpResponse.BodyHandlers.ofString()).body());
            return body[0].get("count").asInt() >= truth.size() - 1;
          });
      assertThat(body[0].get("count").asInt()).isEqualTo(truth.size() - 1); // less the header row
      for (JsonNode b : body[0].get("blocks")) {
        String mac = truth.get(b.get("client_ip").asText());
        assertThat(b.get("mac").asText()).as(b.toString()).isEqualTo(mac);
        assertThat(b.get("room").asText())
            .isEqualTo(mac.equals("02:66:00:00:00:13") ? "RM118" : "RM204");
        assertThat(b.get("method").asText()).isEqualTo("dns-sinkhole");
      }
    }
  }

  /**
   * Packets libpcap has handed over on the capture interface ({@code
   * bellwatch_capture_pcap_received}).
   */
  double pcapReceived(HttpClient http, String base, String cookie) throws Exception {
    String text =
        http.send(
                HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .header("Cookie", cookie)
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    for (String l : text.split("\n")) {
      if (l.startsWith("bellwatch_capture_pcap_received{")
          && l.contains("interface=\"" + iface + "\"")) {
        return Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }
}
