package org.bellwatch.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.pipeline.Agent;
import org.bellwatch.agent.schedule.SiteModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a running agent's /metrics names: every Bellwatch family with its type and help text, and
 * every series name with its label keys (never the values, which follow the input), compared with
 * the checked-in list {@code metrics/metric-names.txt}. Dashboards, alert rules and users' own
 * queries rely on these names; moving where a meter is registered must not change one. The agent
 * runs on the sample site with a UDP and a TCP syslog listener and the intake journal, so that
 * every subsystem registers its meters. Rewrite the list deliberately with {@code
 * -Dbellwatch.updateGolden=true}.
 */
class MetricNamesSnapshotTest {
  static final Path SITE =
      Path.of(System.getProperty("bellwatch.repo", "..")).resolve("config/sample-site");
  static final Path EXPECTED = Path.of("src/test/resources/metrics/metric-names.txt");
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)$");
  private static final Pattern LABEL_KEY =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");

  @TempDir Path dir;

  @Test
  void aRunningAgentExportsExactlyTheNamesLabelKeysAndHelpOfTheCheckedInList() throws Exception {
    Files.writeString(
        dir.resolve("bellwatch.yaml"),
        """
        site: {name: Snapshot test, timezone: America/Los_Angeles}
        schedule: {dir: '%1$s/schedule'}
        capture:
          pcap_files: ['%1$s/capture/site.pcap']
        logs:
          files:
            - {vendor: squid, path: '%1$s/logs/squid-access.log'}
            - {vendor: squidguard, path: '%1$s/logs/squidguard.log'}
            - {vendor: unbound, path: '%1$s/logs/unbound.log'}
        filter: {redirects_are_blocks: true, proxy_addresses: ['10.10.0.8']}
        syslog:
          listeners:
            - {name: squid-udp, protocol: udp, bind: 127.0.0.1, port: 0, vendor: squid, allow: [127.0.0.0/8]}
            - {name: squid-tcp, protocol: tcp, bind: 127.0.0.1, port: 0, vendor: squid, allow: [127.0.0.0/8]}
        store: {dir: store}
        web: {bind: 127.0.0.1, port: 0}
        """
            .formatted(SITE.toAbsolutePath().normalize()));
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    long truth = Files.readAllLines(SITE.resolve("truth.jsonl")).size();
    String metrics;
    try (Agent agent =
        Agent.start(
            cfg, SiteModel.load(cfg.schedule().dir(), cfg.site().timezone()), Clock.systemUTC())) {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest scrape =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/metrics"))
              .build();
      // Every input read (the capture replayed, each tailed file's blocks attributed) and the first
      // retention
      // pass made: the lazily made counters of this input all exist.
      await("the sample site read")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> http.send(scrape, HttpResponse.BodyHandlers.ofString()).body(),
              m ->
                  agent.state().equals("running")
                      && sum(m, "bellwatch_correlate_blocks_total", "") >= truth
                      && cfg.logs().files().stream()
                          .allMatch(
                              f ->
                                  sum(
                                          m,
                                          "bellwatch_logs_lines_total",
                                          "vendor=\"" + f.vendor() + "\"")
                                      >= lines(f.path()))
                      && m.contains("bellwatch_store_retention_runs_total{"));
      // Scraped once more: the scrapes above are served requests, so the HTTP timer exists now.
      metrics = http.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
    }
    List<String> actual = List.copyOf(snapshot(metrics));
    if (Boolean.getBoolean("bellwatch.updateGolden")) {
      Files.createDirectories(EXPECTED.getParent());
      Files.write(EXPECTED, actual);
    }
    assertThat(actual).containsExactlyElementsOf(Files.readAllLines(EXPECTED));
  }

  private static long lines(Path file) {
    try {
      return Files.readAllLines(file).size();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The sum of the samples of {@code name} whose labels include {@code label}. */
  private static double sum(String metrics, String name, String label) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(name + "{") && l.contains(label))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /**
   * One line per family ({@code TYPE} and {@code HELP}) and per series name with its sorted label
   * keys, for the agent's own metrics: the JVM's depend on the garbage collector and on whether one
   * has run.
   */
  static TreeSet<String> snapshot(String metrics) {
    TreeSet<String> lines = new TreeSet<>();
    for (String line : metrics.lines().toList()) {
      if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
        if (ours(line.substring(7))) {
          lines.add(line);
        }
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches() || !ours(m.group(1))) {
        continue;
      }
      TreeSet<String> keys = new TreeSet<>();
      Matcher k = LABEL_KEY.matcher(m.group(2) == null ? "" : m.group(2));
      while (k.find()) {
        keys.add(k.group(1));
      }
      lines.add(m.group(1) + " " + keys);
    }
    return lines;
  }

  private static boolean ours(String name) {
    return Arrays.asList("bellwatch_", "process_cpu_seconds", "system_cpus").stream()
        .anyMatch(name::startsWith);
  }
}
