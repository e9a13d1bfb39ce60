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
import org.bellwatch.agent.testing.ForkedAgent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost, nothing twice: {@code bellwatch run} in its own JVM follows a growing Squid log
 * that is rotated by rename, and is killed with SIGKILL several times while it works.
 *
 * <p>After every kill the store is opened and checked against the files: the stored events must be
 * exactly the blocks of the lines before the stored marks (a line past a mark is read again after
 * the restart, so its event must not be stored yet; a line before it is never read again, so its
 * event must be). After the last start, every line's block must be stored exactly once. The store
 * deduplicates events by key, so the per-kill invariant is what shows that marks and events travel
 * together.
 *
 * <p>The default run writes {@value #LINES} lines and kills {@value #KILLS} times (about 20 s); set
 * {@code -Dbellwatch.crash.lines=20000 -Dbellwatch.crash.kills=20} for a longer run.
 */
class TailCrashTest {
  static final int LINES = 3000;
  static final int KILLS = 4;
  static final int ROTATE_EVERY = 700;

  @TempDir Path dir;

  /** Held by the writer while it writes or rotates, and by the checks while they read the files. */
  final Object filesLock = new Object();

  final long base = Instant.now().minus(Duration.ofDays(1)).getEpochSecond();

  String line(int i) {
    return (base + i)
        + ".000 5 10.0.1.20 TCP_DENIED/403 3900 GET http://s"
        + i
        + ".example.com/ - HIER_NONE/-"
        + " text/html\n";
  }

  ForkedAgent forked;

  @BeforeEach
  void fork() {
    forked = new ForkedAgent(dir);
  }

  @Test
  // Several agent JVMs start and stop in turn: about 20 s on a quiet machine, but 290 s was
  // measured at a
  // load average of 28 on two cores, near the default 5 min limit (junit-platform.properties).
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void anAgentKilledWhileItTailsARotatingLogStoresEveryBlockExactlyOnce() throws Exception {
    int lines = Integer.getInteger("bellwatch.crash.lines", LINES);
    int kills = Integer.getInteger("bellwatch.crash.kills", KILLS);
    Path logs = Files.createDirectories(dir.resolve("squid"));
    int port = ForkedAgent.freePort();
    Files.writeString(
        dir.resolve("bellwatch.yaml"),
        """
        site: {timezone: UTC}
        logs:
          poll_interval_ms: 50
          files:
            - {vendor: squid, path: 'squid/access.log*'}
        correlate: {merge_window_secs: 0, reorder_window_secs: 0}
        store: {dir: store}
        web: {port: %d}
        """
            .formatted(port));

    org.bellwatch.agent.testing.ApiSession.createAdmin(dir.resolve("store"), ZoneOffset.UTC);
    AtomicBoolean writing = new AtomicBoolean(true);
    List<Throwable> writerFailure = new ArrayList<>();
    Thread writer =
        new Thread(
            () -> {
              try {
                Random pace = new Random(7);
                for (int i = 0; i < lines; i++) {
                  synchronized (filesLock) {
                    if (i > 0 && i % ROTATE_EVERY == 0) {
                      rotate(logs);
                    }
                    Files.writeString(
                        logs.resolve("access.log"),
                        line(i),
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                  }
                  if (i % 100 == 0) {
                    Thread.sleep(
                        pace.nextInt(
                            80,
                            160)); // pacing the writer, not a wait: the log grows while the kills
                    // go on
                  }
                }
              } catch (Throwable t) {
                writerFailure.add(t);
              } finally {
                writing.set(false);
              }
            },
            "squid-writer");
    writer.start();

    Random chaos = new Random(11);
    List<Integer> storedAtKills = new ArrayList<>();
    for (int k = 0; k < kills; k++) {
      Process agent = forked.start(k);
      forked.awaitListening(port);
      Thread.sleep(
          chaos.nextInt(
              300,
              1500)); // the behaviour under test, not a wait: the kill lands at a random moment of
      // its work
      agent.destroyForcibly();
      assertThat(agent.waitFor(20, TimeUnit.SECONDS)).isTrue();
      synchronized (filesLock) {
        storedAtKills.add(forked.assertMarksAndEventsAgree(logs, TailCrashTest::domain));
      }
    }
    writer.join(60_000);
    assertThat(writerFailure).isEmpty();
    // The kills hit an agent at work: the checks above compared real marks with real events.
    assertThat(storedAtKills).last().isNotEqualTo(0);

    Process agent = forked.start(kills);
    try {
      assertThat(forked.awaitTotal(port, lines, Duration.ofMinutes(2))).isEqualTo(lines);
    } finally {
      agent.destroy(); // SIGTERM: the shutdown hook closes the store
      assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    Set<String> expected = new TreeSet<>();
    for (int i = 0; i < lines; i++) {
      expected.add("s" + i + ".example.com");
    }
    List<String> stored = forked.storedDomains();
    assertThat(stored).hasSize(lines);
    assertThat(new TreeSet<>(stored)).isEqualTo(expected);
  }

  /** logrotate without copytruncate: access.log.N becomes N+1, access.log becomes access.log.1. */
  static void rotate(Path logs) throws Exception {
    int n = 1;
    while (Files.exists(logs.resolve("access.log." + n))) {
      n++;
    }
    for (int i = n; i > 1; i--) {
      Files.move(logs.resolve("access.log." + (i - 1)), logs.resolve("access.log." + i));
    }
    Files.move(logs.resolve("access.log"), logs.resolve("access.log.1"));
  }

  /** The block domain of a line written by {@link #line}. */
  static String domain(String line) {
    return line.substring(line.indexOf("http://") + 7, line.indexOf("/ - "));
  }
}
