package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.bellwatch.agent.capture.LiveCapture;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.schedule.SiteModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The capture interface goes down and comes back, then disappears and is created again: the agent
 * captures on one end of a veth pair whose other end lies in a network namespace this test creates,
 * and DNS queries are sent from that namespace. Needs root and {@code ip}; skipped elsewhere unless
 * {@code -Dbellwatch.capture.required=true} (scripts/test), like the other live-capture tests.
 */
class CaptureInterfaceRecoveryTest {
  final String tag = Long.toString(ProcessHandle.current().pid() % 100_000);
  final String ns = "bwrec" + tag;
  final String iface = "bwreca" + tag;
  final String peer = "bwrecb" + tag;
  final HttpClient http = HttpClient.newHttpClient();
  final ObjectMapper mapper = new ObjectMapper();
  final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  final Logger captureLog = (Logger) LoggerFactory.getLogger(LiveCapture.class);

  @TempDir Path dir;

  @AfterEach
  void removeNamespace() throws Exception {
    captureLog.detachAppender(logged);
    run(false, "ip", "link", "del", iface);
    run(false, "ip", "netns", "del", ns);
  }

  /** Runs a command; with {@code check}, fails the test when it fails. Returns its exit status. */
  static int run(boolean check, String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    if (check && p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed: " + out);
    }
    return p.exitValue();
  }

  /**
   * The veth pair: {@code iface} here with 10.203.0.1/30, {@code peer} in the namespace with
   * 10.203.0.2/30.
   */
  void createLink() throws Exception {
    run(true, "ip", "link", "add", iface, "type", "veth", "peer", "name", peer);
    run(true, "ip", "link", "set", peer, "netns", ns);
    run(true, "ip", "addr", "add", "10.203.0.1/30", "dev", iface);
    run(true, "ip", "link", "set", iface, "up");
    run(true, "ip", "-n", ns, "addr", "add", "10.203.0.2/30", "dev", peer);
    run(true, "ip", "-n", ns, "link", "set", peer, "up");
  }

  /** Sends {@code n} DNS queries from the namespace to 10.203.0.1:53. */
  void sendQueries(int n) throws Exception {
    run(
        true,
        "ip",
        "netns",
        "exec",
        ns,
        "python3",
        "-c",
        """
        import socket, struct, time, sys
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for i in range(int(sys.argv[1])):
            q = struct.pack('>HHHHHH', i, 0x0100, 1, 0, 0, 0) + b'\\x09bellwatch\\x04test\\x00\\x00\\x01\\x00\\x01'
            s.sendto(q, ('10.203.0.1', 53))
            time.sleep(0.02)
        """,
        Integer.toString(n));
  }

  JsonNode get(int port, String path) throws Exception {
    return mapper.readTree(
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  JsonNode captureSource(int port) throws Exception {
    for (JsonNode s : get(port, "/health").get("sources")) {
      if (s.get("name").asText().equals("capture:" + iface)) {
        return s;
      }
    }
    throw new AssertionError("no capture source in /health");
  }

  double dnsMessages(int port) throws Exception {
    String text =
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    for (String l : text.split("\n")) {
      if (l.startsWith("bellwatch_decode_messages_total{") && l.contains("proto=\"dns\"")) {
        return Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  static void await(String what, Duration limit, Callable<Boolean> check) {
    Awaitility.await(what).atMost(limit).pollInterval(Duration.ofMillis(100)).until(check);
  }

  /**
   * Sends queries until {@code atLeast} DNS messages were decoded in all (the capture may be
   * re-arming).
   */
  void awaitDecoded(int port, double atLeast) {
    await(
        atLeast + " DNS messages decoded",
        Duration.ofSeconds(60),
        () -> {
          sendQueries(5);
          return dnsMessages(port) >= atLeast;
        });
  }

  long logLines(Predicate<String> which) {
    List<ILoggingEvent> copy;
    synchronized (logged) {
      copy = new ArrayList<>(logged.list);
    }
    return copy.stream().map(ILoggingEvent::getFormattedMessage).filter(which).count();
  }

  @Test
  void
      captureOnAnInterfaceThatGoesDownOrDisappearsFailsVisiblyOnceAndResumesByItselfWhenItComesBack()
          throws Exception {
    if (run(false, "ip", "netns", "add", ns) != 0) {
      Assumptions.assumeFalse(
          Boolean.getBoolean("bellwatch.capture.required"), "capture required but ip netns failed");
      Assumptions.abort("needs root and ip netns");
    }
    createLink();
    Files.writeString(
        dir.resolve("bellwatch.yaml"),
        """
        site: {timezone: UTC}
        capture: {interfaces: [%s]}
        store: {dir: store}
        web: {port: 0, metrics_public: true}
        """
            .formatted(iface));
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    logged.start();
    captureLog.addAppender(logged);
    try (Agent agent =
        Agent.start(
            cfg, SiteModel.load(cfg.schedule().dir(), cfg.site().timezone()), Clock.systemUTC())) {
      int port = agent.port();
      awaitDecoded(port, 1);
      await(
          "the capture source receiving",
          Duration.ofSeconds(10),
          () -> captureSource(port).get("state").asText().equals("receiving"));

      // Down: libpcap's loop ends with "The interface went down"; reopening fails while it stays
      // down.
      run(true, "ip", "link", "set", iface, "down");
      await(
          "the capture source failing",
          Duration.ofSeconds(10),
          () -> captureSource(port).get("state").asText().equals("failing"));
      assertThat(captureSource(port).get("error").asText())
          .contains("opening it again until it works");
      // The first reopenings (after 1 s, then 2 s of backoff, in real time) fail: throughout them
      // the log
      // keeps its one line and says nothing of a resumption.
      Awaitility.await("one stopped line and no resumption while reopening fails")
          .during(Duration.ofMillis(3_500))
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  logLines(m -> m.startsWith("capture on " + iface + " stopped:")) == 1
                      && logLines(m -> m.contains("resumed")) == 0);

      run(true, "ip", "link", "set", iface, "up");
      double before = dnsMessages(port);
      awaitDecoded(port, before + 1);
      await(
          "the capture source receiving again",
          Duration.ofSeconds(10),
          () -> captureSource(port).get("state").asText().equals("receiving"));
      assertThat(logLines(m -> m.equals("capture on " + iface + " resumed"))).isEqualTo(1);

      // Deleted and created again (a new interface under the same name).
      run(true, "ip", "link", "del", iface);
      await(
          "the capture source failing after the interface disappeared",
          Duration.ofSeconds(10),
          () -> captureSource(port).get("state").asText().equals("failing"));
      createLink();
      before = dnsMessages(port);
      awaitDecoded(port, before + 1);
      await(
          "the capture source receiving on the new interface",
          Duration.ofSeconds(10),
          () -> captureSource(port).get("state").asText().equals("receiving"));
      assertThat(logLines(m -> m.startsWith("capture on " + iface + " stopped:"))).isEqualTo(2);
      assertThat(logLines(m -> m.equals("capture on " + iface + " resumed"))).isEqualTo(2);
    }
  }
}
