package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.testing.SteppedClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The running agent under a wall clock that jumps: it follows a Squid log while the test steps its
 * injected clock by two hours, forward or back, between two pieces of evidence or while one attempt
 * is open. The pipeline ticks in real time (once a second), so the test awaits what a tick does (a
 * counter on /metrics, the jump's log line) rather than sleeping for ticks.
 */
class ClockJumpAgentTest {
  static final Instant T0 = Instant.parse("2026-09-15T15:00:00Z");

  @TempDir Path dir;

  final HttpClient http = HttpClient.newHttpClient();
  final ListAppender<ILoggingEvent> idleLog = new ListAppender<>();
  final Logger idleLogger = (Logger) LoggerFactory.getLogger(IdleTime.class);

  @AfterEach
  void detachLog() {
    idleLogger.detachAppender(idleLog);
  }

  static String squid(Instant t, String client, String url) {
    return t.getEpochSecond()
        + ".000 5 "
        + client
        + " TCP_DENIED/403 3900 GET "
        + url
        + " - HIER_NONE/- text/html\n";
  }

  Agent start(SteppedClock clock, int mergeSecs, int reorderSecs) throws Exception {
    Files.writeString(
        dir.resolve("bellwatch.yaml"),
        """
        site: {timezone: UTC}
        logs:
          poll_interval_ms: 50
          files:
            - {vendor: squid, path: access.log}
        correlate: {merge_window_secs: %d, reorder_window_secs: %d}
        store: {dir: store}
        web: {port: 0, metrics_public: true}
        """
            .formatted(mergeSecs, reorderSecs));
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    return Agent.start(cfg, SiteModel.load(cfg.schedule().dir(), cfg.site().timezone()), clock);
  }

  /** The sum of a counter's series on /metrics (0 when it has none yet). */
  double metric(Agent agent, String name) throws Exception {
    String text =
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    double sum = 0;
    for (String l : text.split("\n")) {
      if (l.startsWith(name + "{") || l.startsWith(name + " ")) {
        sum += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  void await(Agent agent, String name, double atLeast, Duration limit) {
    Awaitility.await(name + " reaching " + atLeast)
        .atMost(limit)
        .until(() -> metric(agent, name) >= atLeast);
  }

  /** Whether the pipeline has logged that it saw the wall clock jump (on the tick that saw it). */
  boolean jumpLogged(String direction) {
    synchronized (idleLog) {
      return idleLog.list.stream()
          .anyMatch(e -> e.getFormattedMessage().startsWith("the wall clock jumped " + direction));
    }
  }

  List<BlockEvent> stored() throws Exception {
    List<BlockEvent> events = new ArrayList<>();
    try (EventStore store = EventStore.open(dir.resolve("store"), ZoneOffset.UTC, false)) {
      store.forEach(null, null, events::add);
    }
    return events;
  }

  void append(String line) throws Exception {
    Files.writeString(
        dir.resolve("access.log"),
        line,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  @Test
  void aForwardJumpBetweenTwoPiecesOfEvidenceOfOneAttemptStoresOneEventWithBoth() throws Exception {
    SteppedClock clock = new SteppedClock(T0.plusSeconds(1));
    append(squid(T0, "10.0.3.7", "http://games.example.com/"));
    idleLog.start();
    idleLogger.addAppender(idleLog);
    try (Agent agent = start(clock, 10, 30)) {
      await(agent, "bellwatch_correlate_evidence_total", 1, Duration.ofSeconds(20));
      clock.step(Duration.ofHours(2));
      // A tick has seen the jumped clock (and moved event time as it does) before the retry
      // arrives: the
      // tick logs the jump and advances the pipeline on the pipeline thread before it takes the
      // next input.
      Awaitility.await("a tick seeing the forward jump")
          .atMost(Duration.ofSeconds(20))
          .until(() -> jumpLogged("forward"));
      append(squid(T0.plusSeconds(3), "10.0.3.7", "http://games.example.com/again"));
      await(agent, "bellwatch_correlate_evidence_total", 2, Duration.ofSeconds(20));
    } // close emits the open attempt and stores it

    assertThat(stored())
        .containsExactly(
            new BlockEvent(
                T0,
                "10.0.3.7",
                null,
                null,
                null,
                "games.example.com",
                "http://games.example.com/",
                null,
                "squid",
                "proxy-deny",
                null,
                null,
                null,
                null,
                null,
                false,
                List.of(
                    "squid: 10.0.3.7 TCP_DENIED/403 GET http://games.example.com/ at 2026-09-15T15:00:00.000Z",
                    "squid: 10.0.3.7 TCP_DENIED/403 GET http://games.example.com/again at 2026-09-15T15:00:03.000Z",
                    "dhcp: no lease known for 10.0.3.7 at 2026-09-15T15:00:00.000Z",
                    "schedule: no bell period at 2026-09-15T15:00:00.000Z",
                    "room unknown: the time is outside instructional periods")));
  }

  @Test
  void aBackwardJumpWhileAnAttemptIsOpenStillStoresItWithinItsWindowsInRealTime() throws Exception {
    SteppedClock clock = new SteppedClock(T0.plusSeconds(1));
    append(squid(T0, "10.0.3.8", "http://chat.example.net/"));
    try (Agent agent = start(clock, 1, 2)) {
      await(agent, "bellwatch_correlate_evidence_total", 1, Duration.ofSeconds(20));
      long jumped = System.nanoTime();
      clock.step(Duration.ofHours(-2));
      // No input follows: only idle ticks can close the attempt (2 s reorder window, ticks every
      // second),
      // in real time: within a minute even on a loaded machine, where trusting the clock would take
      // 2 h.
      await(agent, "bellwatch_store_events_written_total", 1, Duration.ofSeconds(60));
      assertThat(Duration.ofNanos(System.nanoTime() - jumped)).isLessThan(Duration.ofSeconds(60));
    }
    assertThat(stored())
        .extracting(BlockEvent::time, BlockEvent::clientIp, BlockEvent::domain)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(T0, "10.0.3.8", "chat.example.net"));
  }
}
