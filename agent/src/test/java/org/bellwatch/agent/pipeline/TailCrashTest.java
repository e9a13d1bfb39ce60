package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.ServerSocket;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwatch.agent.store.EventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost, nothing twice: {@code bellwatch run} in its own JVM follows a growing Squid log that is
 * rotated by rename, and is killed with SIGKILL several times while it works.
 *
 * <p>After every kill the store is opened and checked against the files: the stored events must be
 * exactly the blocks of the lines before the stored marks (a line past a mark is read again after the
 * restart, so its event must not be stored yet; a line before it is never read again, so its event must
 * be). After the last start, every line's block must be stored exactly once. The store deduplicates
 * events by key, so the per-kill invariant is what shows that marks and events travel together.
 *
 * <p>The default run writes {@value #LINES} lines and kills {@value #KILLS} times (about 20 s); set
 * {@code -Dbellwatch.crash.lines=20000 -Dbellwatch.crash.kills=20} for a longer run.
 */
class TailCrashTest {
  static final int LINES = 3000;
  static final int KILLS = 4;
  static final int ROTATE_EVERY = 700;
  private static final Pattern INODE = Pattern.compile("ino=(\\d+)");

  @TempDir
  Path dir;

  final HttpClient http = HttpClient.newHttpClient();
  final ObjectMapper mapper = new ObjectMapper();
  /** Held by the writer while it writes or rotates, and by the checks while they read the files. */
  final Object filesLock = new Object();
  final long base = Instant.now().minus(Duration.ofDays(1)).getEpochSecond();

  String line(int i) {
    return (base + i) + ".000 5 10.0.1.20 TCP_DENIED/403 3900 GET http://s" + i + ".example.com/ - HIER_NONE/-"
        + " text/html\n";
  }

  @Test
  void anAgentKilledWhileItTailsARotatingLogStoresEveryBlockExactlyOnce() throws Exception {
    int lines = Integer.getInteger("bellwatch.crash.lines", LINES);
    int kills = Integer.getInteger("bellwatch.crash.kills", KILLS);
    Path logs = Files.createDirectories(dir.resolve("squid"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.writeString(dir.resolve("bellwatch.yaml"), """
        site: {timezone: UTC}
        logs:
          poll_interval_ms: 50
          files:
            - {vendor: squid, path: 'squid/access.log*'}
        correlate: {merge_window_secs: 0, reorder_window_secs: 0}
        store: {dir: store}
        web: {port: %d}
        """.formatted(port));

    org.bellwatch.agent.testing.ApiSession.createAdmin(dir.resolve("store"), ZoneOffset.UTC);
    AtomicBoolean writing = new AtomicBoolean(true);
    List<Throwable> writerFailure = new ArrayList<>();
    Thread writer = new Thread(() -> {
      try {
        Random pace = new Random(7);
        for (int i = 0; i < lines; i++) {
          synchronized (filesLock) {
            if (i > 0 && i % ROTATE_EVERY == 0) {
              rotate(logs);
            }
            Files.writeString(logs.resolve("access.log"), line(i), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
          }
          if (i % 100 == 0) {
            Thread.sleep(pace.nextInt(80, 160));
          }
        }
      } catch (Throwable t) {
        writerFailure.add(t);
      } finally {
        writing.set(false);
      }
    }, "squid-writer");
    writer.start();

    Random chaos = new Random(11);
    List<Integer> storedAtKills = new ArrayList<>();
    for (int k = 0; k < kills; k++) {
      Process agent = start(k);
      awaitListening(port);
      Thread.sleep(chaos.nextInt(300, 1500)); // the kill lands at some moment of its work
      agent.destroyForcibly();
      assertThat(agent.waitFor(20, TimeUnit.SECONDS)).isTrue();
      synchronized (filesLock) {
        storedAtKills.add(assertMarksAndEventsAgree(logs));
      }
    }
    writer.join(60_000);
    assertThat(writerFailure).isEmpty();
    // The kills hit an agent at work: the checks above compared real marks with real events.
    assertThat(storedAtKills).last().isNotEqualTo(0);

    Process agent = start(kills);
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      long total = -1;
      String cookie = null;
      while (total < lines && System.nanoTime() < deadline) {
        try {
          if (cookie == null) {
            cookie = org.bellwatch.agent.testing.ApiSession.login("http://127.0.0.1:" + port);
          }
          total = mapper.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
              + "/api/v1/blocks?limit=1")).header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString())
              .body()).get("total").asLong();
        } catch (java.io.IOException notYetListening) {
          total = -1;
        }
        Thread.sleep(100);
      }
      assertThat(total).isEqualTo(lines);
    } finally {
      agent.destroy(); // SIGTERM: the shutdown hook closes the store
      assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    Set<String> expected = new TreeSet<>();
    for (int i = 0; i < lines; i++) {
      expected.add("s" + i + ".example.com");
    }
    List<String> stored = storedDomains();
    assertThat(stored).hasSize(lines);
    assertThat(new TreeSet<>(stored)).isEqualTo(expected);
  }

  /** Waits (bounded) until the agent's web server answers: it has opened the store and started tailing. */
  void awaitListening(int port) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
            HttpResponse.BodyHandlers.discarding());
        return;
      } catch (java.io.IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("the agent did not listen on port " + port + " within 30 s");
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

  Process start(int run) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        "org.bellwatch.agent.cli.BellwatchCli", "run", "--config", dir.resolve("bellwatch.yaml").toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("agent-" + run + ".out").toFile());
    return pb.start();
  }

  List<String> storedDomains() throws Exception {
    List<String> domains = new ArrayList<>();
    try (EventStore store = EventStore.open(dir.resolve("store"), ZoneOffset.UTC, false)) {
      store.forEach(null, null, e -> domains.add(e.domain()));
    }
    return domains;
  }

  /** The stored events are exactly the blocks of the lines before the stored marks. */
  int assertMarksAndEventsAgree(Path logs) throws Exception {
    Map<String, Long> marks;
    List<String> stored = new ArrayList<>();
    try (EventStore store = EventStore.open(dir.resolve("store"), ZoneOffset.UTC, false)) {
      marks = store.offsets("file:");
      store.forEach(null, null, e -> stored.add(e.domain()));
    }
    Map<Long, Path> byInode = new HashMap<>();
    File[] files = logs.toFile().listFiles();
    for (File f : files) {
      byInode.put(((Number) Files.getAttribute(f.toPath(), "unix:ino")).longValue(), f.toPath());
    }
    Set<String> beforeMarks = new TreeSet<>();
    for (Map.Entry<String, Long> m : marks.entrySet()) {
      if (m.getKey().endsWith("#check")) {
        continue;
      }
      Matcher ino = INODE.matcher(m.getKey());
      assertThat(ino.find()).as("source id %s names its inode", m.getKey()).isTrue();
      Path file = byInode.get(Long.parseLong(ino.group(1)));
      assertThat(file).as("file of %s", m.getKey()).isNotNull();
      byte[] content = Files.readAllBytes(file);
      assertThat(m.getValue()).as("mark of %s within %s", m.getKey(), file).isLessThanOrEqualTo(content.length);
      String text = new String(content, 0, m.getValue().intValue(), StandardCharsets.UTF_8);
      assertThat(text.isEmpty() || text.endsWith("\n")).as("mark of %s at a line end", m.getKey()).isTrue();
      for (String l : text.split("\n")) {
        if (!l.isEmpty()) {
          beforeMarks.add(l.substring(l.indexOf("http://") + 7, l.indexOf("/ - ")));
        }
      }
    }
    assertThat(stored).doesNotHaveDuplicates();
    assertThat(new TreeSet<>(stored)).isEqualTo(beforeMarks);
    return stored.size();
  }
}
