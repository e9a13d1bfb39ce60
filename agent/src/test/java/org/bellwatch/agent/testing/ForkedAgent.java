package org.bellwatch.agent.testing;

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
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.bellwatch.agent.store.EventStore;

/**
 * {@code bellwatch run} in its own JVM (the test's class path), for the tests that kill or stop the
 * real process: its folder holds {@code bellwatch.yaml}, the store and one output file per start.
 */
public final class ForkedAgent {
  private static final Pattern INODE = Pattern.compile("ino=(\\d+)");
  private final Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper mapper = new ObjectMapper();

  public ForkedAgent(Path dir) {
    this.dir = dir;
  }

  /** A free loopback port for the agent's web server. */
  public static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Starts the agent; its output goes to {@code agent-RUN.out} in the folder. */
  public Process start(int run) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            "org.bellwatch.agent.cli.BellwatchCli",
            "run",
            "--config",
            dir.resolve("bellwatch.yaml").toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(output(run).toFile());
    return pb.start();
  }

  public Path output(int run) {
    return dir.resolve("agent-" + run + ".out");
  }

  /**
   * Waits until the agent's web server answers: it has opened the store and started tailing. The
   * bound only catches an agent that never comes up: a JVM start on a loaded CI machine can take
   * tens of seconds.
   */
  public void awaitListening(int port) {
    Awaitility.await("the agent listening on port " + port)
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptionsInstanceOf(java.io.IOException.class)
        .until(
            () ->
                http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                            .build(),
                        HttpResponse.BodyHandlers.discarding())
                    != null);
  }

  /**
   * Polls the blocks API (bounded) until it reports {@code expected} events; returns the last total
   * seen.
   */
  public long awaitTotal(int port, long expected, Duration limit) {
    long[] total = {-1};
    String[] cookie = {null};
    try {
      Awaitility.await("the blocks API reporting " + expected + " events")
          .atMost(limit)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                try {
                  if (cookie[0] == null) {
                    cookie[0] = ApiSession.login("http://127.0.0.1:" + port);
                  }
                  total[0] =
                      mapper
                          .readTree(
                              http.send(
                                      HttpRequest.newBuilder(
                                              URI.create(
                                                  "http://127.0.0.1:"
                                                      + port
                                                      + "/api/v1/blocks?limit=1"))
                                          .header("Cookie", cookie[0])
                                          .build(),
                                      HttpResponse.BodyHandlers.ofString())
                                  .body())
                          .get("total")
                          .asLong();
                } catch (java.io.IOException notYetListening) {
                  total[0] = -1;
                }
                return total[0] >= expected;
              });
    } catch (ConditionTimeoutException e) {
      // The caller compares what was seen last with what it expected, which names both.
    }
    return total[0];
  }

  /** The domains of the stored events, in store order (the agent must be stopped). */
  public List<String> storedDomains() throws Exception {
    List<String> domains = new ArrayList<>();
    try (EventStore store = EventStore.open(dir.resolve("store"), ZoneOffset.UTC, false)) {
      store.forEach(null, null, e -> domains.add(e.domain()));
    }
    return domains;
  }

  /**
   * Checks, with the agent stopped, that the stored events are exactly the blocks of the lines
   * before the stored marks of the files in {@code logs}; {@code domainOf} gives a line's block
   * domain. Returns how many events are stored.
   */
  public int assertMarksAndEventsAgree(Path logs, Function<String, String> domainOf)
      throws Exception {
    Map<String, Long> marks;
    List<String> stored = new ArrayList<>();
    try (EventStore store = EventStore.open(dir.resolve("store"), ZoneOffset.UTC, false)) {
      marks = store.sources().offsets("file:");
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
      assertThat(m.getValue())
          .as("mark of %s within %s", m.getKey(), file)
          .isLessThanOrEqualTo(content.length);
      String text = new String(content, 0, m.getValue().intValue(), StandardCharsets.UTF_8);
      assertThat(text.isEmpty() || text.endsWith("\n"))
          .as("mark of %s at a line end", m.getKey())
          .isTrue();
      for (String l : text.split("\n")) {
        if (!l.isEmpty()) {
          beforeMarks.add(domainOf.apply(l));
        }
      }
    }
    assertThat(stored).doesNotHaveDuplicates();
    assertThat(new TreeSet<>(stored)).isEqualTo(beforeMarks);
    return stored.size();
  }
}
