package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * Slow HTTP clients against a running agent whose console has a short {@code web.idle_timeout_secs}
 * (3 s) and {@code web.max_request_header_bytes} (4096): slowloris connections trickling request
 * headers, and headers past the limit.
 */
class SlowHttpClientTest {
  static final Duration IDLE = Duration.ofSeconds(3);
  @TempDir static Path dir;
  static Agent agent;

  @BeforeAll
  static void start() throws Exception {
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        """
        site: {name: Test School, timezone: America/Los_Angeles}
        store: {dir: store}
        web: {port: 0, idle_timeout_secs: %d, max_request_header_bytes: 4096}
        """
            .formatted(IDLE.toSeconds()));
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    agent = Agent.start(cfg, SiteModel.load(null, cfg.site().timezone()), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    agent.close();
  }

  /** A normal client's {@code GET /health}: its status and how long it took. */
  static long healthMillis() throws Exception {
    long started = System.nanoTime();
    HttpResponse<String> r =
        ConsoleClient.HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/health"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return (System.nanoTime() - started) / 1_000_000;
  }

  /** Everything the server sends until it closes the connection. */
  static String readToClose(Socket s) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    s.getInputStream().transferTo(all);
    return all.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void
      headersTrickledOneByteAtATimeOverManyConnectionsDoNotDelayANormalClientAndEndAtTheIdleTimeout()
          throws Exception {
    byte[] start =
        "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1);
    List<Socket> slow = new ArrayList<>();
    List<Long> normal = new ArrayList<>();
    // The client's first request pays for its own start (threads, classes); not the server's doing.
    healthMillis();
    try {
      for (int i = 0; i < 300; i++) {
        Socket s = new Socket("127.0.0.1", agent.port());
        s.setSoTimeout(20_000);
        slow.add(s);
      }
      // Each round sends the next byte on every connection, well within the idle timeout, so Jetty
      // sees
      // each connection as active; a normal client asks for /health in every round.
      long lastByte = 0;
      for (byte b : start) {
        for (Socket s : slow) {
          OutputStream out = s.getOutputStream();
          out.write(b);
          out.flush();
        }
        lastByte = System.nanoTime();
        normal.add(healthMillis());
        Thread.sleep(
            50); // the behaviour under test, not a wait: slow clients trickle a byte per round
      }
      // Then they stop mid-header. Each is closed once it has been silent for the idle timeout.
      List<String> answers = new ArrayList<>();
      for (Socket s : slow) {
        answers.add(readToClose(s));
      }
      long closedAfterMillis = (System.nanoTime() - lastByte) / 1_000_000;

      assertThat(normal)
          .as("a normal client's latency in ms while 300 connections trickle headers")
          .hasSize(start.length)
          .allMatch(ms -> ms < 2000);
      assertThat(closedAfterMillis)
          .as("all 300 closed, ms after their last byte")
          .isBetween(IDLE.toMillis() - 100, IDLE.toMillis() + 5000);
      // A request still being read when the timeout comes gets no answer: Jetty closes the
      // connection.
      assertThat(answers).hasSize(300).allMatch(String::isEmpty);
      assertThat(healthMillis()).isLessThan(2000);
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  /**
   * Regression: with the JDK's listen backlog of 50, a burst of 300 connections against a busy
   * acceptor had SYNs dropped, each costing a 1 s retransmission, so the first connections sat
   * silent past the idle timeout before their first byte and were closed (seen on Jetty 12 at load
   * average 7 to 30). {@code ss} shows a listening socket's backlog as its Send-Q.
   */
  @Test
  void theConsoleListensWithABacklogThatHoldsABurstOfConnections() throws Exception {
    Process ss =
        new ProcessBuilder("ss", "-Hltn", "sport = :" + agent.port())
            .redirectErrorStream(true)
            .start();
    String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(ss.waitFor()).isZero();
    String[] columns = out.split("\\s+");
    assertThat(columns).as(out).hasSizeGreaterThan(3);
    assertThat(columns[0]).isEqualTo("LISTEN");
    assertThat(Integer.parseInt(columns[2])).as("the listen backlog (Send-Q)").isEqualTo(1024);
  }

  @Test
  void requestHeadersOverTheLimitAreRefusedWith431AndTheConnectionIsClosed() throws Exception {
    try (Socket s = new Socket("127.0.0.1", agent.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              ("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(5000) + "\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      assertThat(readToClose(s)).startsWith("HTTP/1.1 431 ");
    }
    try (Socket s = new Socket("127.0.0.1", agent.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              ("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Fits: "
                      + "a".repeat(3000)
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      assertThat(readToClose(s)).as("a request within the limit").startsWith("HTTP/1.1 200 ");
    }
  }
}
