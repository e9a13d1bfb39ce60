package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.bellwatch.agent.testing.ApiSession;
import org.bellwatch.agent.testing.ForkedAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while the agent stores batches: {@code bellwatch run} in its own JVM follows a Squid log
 * that grows by {@value #CHUNK} lines every 100 ms, and is stopped with SIGTERM (what systemd
 * sends) at some moment of that work, {@value #STOPS} times, then started again to finish.
 *
 * <p>Each stop must be the orderly one: exit status 143 (128 + SIGTERM, which the unit counts as
 * success), before systemd would kill it ({@link #STOP_BOUND}), with the agent's "stopped" line and
 * no "pipeline did not stop" warning (the agent's own limit, {@link Agent#STOP_LIMIT}), and leaving
 * a store whose events are exactly the blocks of the lines before its stored marks. Then the log
 * stops growing, and after the last start every line's block is stored exactly once. The default
 * merge windows are kept, so every stop has attempts still open in the correlator that the shutdown
 * must emit and store with their marks.
 */
class SigtermTest {
  static final int CHUNK = 200;
  static final int STOPS = 3;

  /**
   * The unit's TimeoutStopSec: systemd kills a stop that takes longer, and what it had not stored
   * would then rest on the next start's replay. The bound is about correctness, not speed (an
   * orderly stop of this load takes well under a second when the machine is idle, several under
   * heavy load): read from the unit, so the test and the unit cannot disagree.
   */
  static final Duration STOP_BOUND = unitStopTimeout();

  static Duration unitStopTimeout() {
    Path unit =
        Path.of(System.getProperty("bellwatch.repo", "..")).resolve("systemd/bellwatch.service");
    try {
      return Files.readAllLines(unit).stream()
          .filter(l -> l.startsWith("TimeoutStopSec="))
          .map(
              l ->
                  Duration.ofSeconds(
                      Long.parseLong(l.substring("TimeoutStopSec=".length()).trim())))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException(unit + " sets no TimeoutStopSec"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @TempDir Path dir;

  final long base = Instant.now().minus(Duration.ofDays(1)).getEpochSecond();

  String line(int i) {
    return (base + i / 10)
        + ".000 5 10.0.2."
        + (i % 200)
        + " TCP_DENIED/403 3900 GET http://t"
        + i
        + ".example.org/ - HIER_NONE/- text/html\n";
  }

  static String domain(String line) {
    return line.substring(line.indexOf("http://") + 7, line.indexOf("/ - "));
  }

  @Test
  // Several agent JVMs start and stop in turn: about 20 s on a quiet machine, but 290 s was
  // measured at a
  // load average of 28 on two cores, near the default 5 min limit (junit-platform.properties).
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void anAgentStoppedWithSigtermMidBatchExitsCleanlyAndStoresEveryLineExactlyOnce()
      throws Exception {
    Path logs = Files.createDirectories(dir.resolve("squid"));
    int port = ForkedAgent.freePort();
    Files.writeString(
        dir.resolve("bellwatch.yaml"),
        """
        site: {timezone: UTC}
        logs:
          poll_interval_ms: 50
          files:
            - {vendor: squid, path: 'squid/access.log'}
        store: {dir: store}
        web: {port: %d}
        """
            .formatted(port));
    ApiSession.createAdmin(dir.resolve("store"), ZoneOffset.UTC);
    ForkedAgent forked = new ForkedAgent(dir);
    Path access = logs.resolve("access.log");
    Files.writeString(access, line(0), StandardCharsets.UTF_8, StandardOpenOption.CREATE);

    List<Throwable> writerFailure = new ArrayList<>();
    AtomicBoolean stopsDone = new AtomicBoolean();
    AtomicInteger written = new AtomicInteger(1);
    // The log grows by CHUNK lines every 100 ms for as long as the stops go on, so each lands
    // mid-stream.
    Thread writer =
        new Thread(
            () -> {
              try {
                while (!stopsDone.get()) {
                  StringBuilder chunk = new StringBuilder();
                  for (int i = 0; i < CHUNK; i++) {
                    chunk.append(line(written.getAndIncrement()));
                  }
                  Files.writeString(
                      access, chunk, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                  Thread.sleep(
                      100); // pacing the writer, not a wait: the log keeps growing while the stops
                  // go on
                }
              } catch (Throwable t) {
                writerFailure.add(t);
              }
            },
            "squid-writer");

    Random moment = new Random(23);
    List<Integer> storedAtStops = new ArrayList<>();
    for (int run = 0; run < STOPS; run++) {
      Process agent = forked.start(run);
      forked.awaitListening(port);
      if (run == 0) {
        writer.start();
      }
      Thread.sleep(
          moment.nextInt(
              400, 1000)); // the behaviour under test, not a wait: the signal lands mid-work
      assertOrderlyStop(agent, forked.output(run));
      storedAtStops.add(forked.assertMarksAndEventsAgree(logs, SigtermTest::domain));
    }
    stopsDone.set(true);
    writer.join(60_000);
    assertThat(writerFailure).isEmpty();
    int lines = written.get();
    // The agent made progress between stops, and the last run starts with lines still to read.
    assertThat(storedAtStops).isSorted().doesNotContain(0).doesNotHaveDuplicates();
    assertThat(storedAtStops).last().isNotEqualTo(lines);

    Process agent = forked.start(STOPS);
    forked.awaitListening(port);
    long total = forked.awaitTotal(port, lines, Duration.ofMinutes(2));
    assertOrderlyStop(agent, forked.output(STOPS));
    assertThat(total).isEqualTo(lines);
    Set<String> expected = new TreeSet<>();
    for (int i = 0; i < lines; i++) {
      expected.add("t" + i + ".example.org");
    }
    List<String> stored = forked.storedDomains();
    assertThat(stored).hasSize(lines).doesNotHaveDuplicates();
    assertThat(new TreeSet<>(stored)).isEqualTo(expected);
  }

  /**
   * Sends SIGTERM and checks the exit: status 143, within the unit's stop timeout, with the agent's
   * stop line.
   */
  static void assertOrderlyStop(Process agent, Path output) throws Exception {
    agent.destroy(); // SIGTERM on Linux
    boolean exited = agent.waitFor(STOP_BOUND.toSeconds(), TimeUnit.SECONDS);
    String out = Files.readString(output);
    assertThat(exited)
        .as("exited before systemd's TimeoutStopSec (%s); output:%n%s", STOP_BOUND, out)
        .isTrue();
    assertThat(agent.exitValue()).as("exit status; output:%n%s", out).isEqualTo(143);
    assertThat(out)
        .containsPattern(
            "INFO  Agent: stopped in \\d+ ms: inputs closed, \\d+ queued inputs drained, "
                + "last batch and file offsets stored, store closed")
        .doesNotContain("pipeline did not stop")
        .doesNotContain("ERROR");
  }
}
