package org.bellwatch.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.config.KafkaLink;
import org.bellwatch.agent.hub.Hub;
import org.bellwatch.agent.pipeline.Agent;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.testing.KafkaBrokers;
import org.bellwatch.agent.testing.TestCertificate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard against a real agent, a real district hub and Debian's Prometheus: the
 * agent runs on the sample site (with syslog listeners and, where permitted, live capture on
 * loopback, so that every source has series) over HTTPS as the package's default configuration
 * serves it, exporting to a real Kafka broker (KRaft, in this JVM) that a hub reads; Prometheus
 * scrapes both every second using config/prometheus/prometheus.yml (with its ca_file pointing at
 * the test's certificate), and every PromQL expression of config/grafana/bellwatch.json, the
 * District row's included, must return data, and each template variable's query must find its
 * label. {@code promtool check metrics} must accept the agent's and the hub's /metrics.
 *
 * <p>Needs the {@code prometheus} and {@code promtool} programs (Debian package prometheus);
 * skipped without them unless {@code -Dbellwatch.prometheus.required=true} (scripts/test sets it
 * and installs them). Live capture needs CAP_NET_RAW: without it the expressions over libpcap and
 * decoder counters are left out, unless {@code -Dbellwatch.capture.required=true}.
 */
class PrometheusDashboardTest {
  static final Path REPO = Path.of(System.getProperty("bellwatch.repo", ".."));
  static final Path SITE = REPO.resolve("config/sample-site");

  /** Metrics that only live capture produces in this test. */
  static final List<String> CAPTURE_ONLY =
      List.of("bellwatch_capture_pcap", "bellwatch_decode_malformed");

  @TempDir Path dir;

  private HttpClient http;

  @Test
  void everyDashboardExpressionReturnsDataFromPrometheusScrapingARunningAgent() throws Exception {
    boolean required = Boolean.getBoolean("bellwatch.prometheus.required");
    Assumptions.assumeTrue(
        required || (onPath("prometheus") && onPath("promtool")),
        "prometheus and promtool are not installed (apt-get install prometheus)");
    Files.writeString(
        dir.resolve("bellwatch.yaml"),
        """
        site: {name: Dashboard test, timezone: America/Los_Angeles}
        schedule: {dir: '%1$s/schedule'}
        capture:
          pcap_files: ['%1$s/capture/site.pcap']
          interfaces: [lo]
          promiscuous: false
        logs:
          files: [{vendor: squid, path: '%1$s/logs/squid-access.log'}]
        syslog:
          listeners:
            - {name: squid-udp, protocol: udp, bind: 127.0.0.1, port: 0, vendor: squid, allow: [127.0.0.0/8]}
            - {name: squid-tcp, protocol: tcp, bind: 127.0.0.1, port: 0, vendor: squid, allow: [127.0.0.0/8]}
        store: {dir: store}
        web: {port: 0, tls_cert_file: console.crt, tls_key_file: console.key}
        """
            .formatted(SITE.toAbsolutePath().normalize()));
    KafkaBrokers kafka = KafkaBrokers.shared();
    kafka.createDistrictTopics("dash", List.of("dash-ms"), 1, 1);
    Files.writeString(
        dir.resolve("bellwatch.yaml"),
        Files.readString(dir.resolve("bellwatch.yaml"))
            + """
        export:
          kafka: {bootstrap_servers: ['%s'], topic_prefix: dash, site_id: dash-ms, site_name: Dashboard Middle}
        """
                .formatted(kafka.bootstrapServers()));
    TestCertificate cert = TestCertificate.create(dir, "console");
    http = HttpClient.newBuilder().sslContext(cert.trustingIt()).build();
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    HubConfig hubConfig =
        new HubConfig(
            "Dashboard district",
            new KafkaLink(
                List.of(kafka.bootstrapServers()),
                "dash",
                null,
                null,
                "PLAINTEXT",
                null,
                null,
                null,
                null,
                Duration.ofSeconds(10),
                1_000),
            "dash-hub",
            dir.resolve("hub"),
            InetAddress.getLoopbackAddress(),
            0,
            List.of(new HubConfig.Account("it", "district_it", null, "unused")),
            java.time.ZoneId.of("UTC"),
            List.of("dash-ms"));
    try (Agent agent =
            Agent.start(
                cfg,
                SiteModel.load(cfg.schedule().dir(), cfg.site().timezone()),
                Clock.systemUTC());
        Hub hub = Hub.start(hubConfig, Clock.systemUTC())) {
      await("the agent running")
          .atMost(Duration.ofSeconds(60))
          .until(() -> agent.state().equals("running"));
      String base = "https://127.0.0.1:" + agent.port();
      feedEverySource(agent, base);

      // /health follows the same counters: the syslog listener that received a line is receiving.
      JsonNode health =
          await("the syslog listener receiving on /health")
              .atMost(Duration.ofSeconds(20))
              .until(
                  () -> new ObjectMapper().readTree(get(base + "/health")),
                  h ->
                      h.toString()
                          .contains("{\"name\":\"syslog:squid-udp\",\"state\":\"receiving\""));
      assertThat(health.toString())
          .contains("{\"name\":\"syslog:squid-udp\",\"state\":\"receiving\"")
          .contains("{\"name\":\"files\",\"state\":\"replayed\"");
      String metrics = get(base + "/metrics");
      boolean capturing = metrics.contains("bellwatch_capture_pcap_received{");
      Assumptions.assumeFalse(
          !capturing && Boolean.getBoolean("bellwatch.capture.required"),
          "live capture on lo is required but did not start");
      assertThat(promtool(metrics)).as("promtool check metrics").isEmpty();
      String hubBase = "http://127.0.0.1:" + hub.port();
      feedTheHub(kafka, hubBase);
      assertThat(promtool(get(hubBase + "/metrics"))).as("promtool check metrics (hub)").isEmpty();

      int promPort = freePort();
      String scrape =
          Files.readString(REPO.resolve("config/prometheus/prometheus.yml"))
              .replace("scrape_interval: 15s", "scrape_interval: 1s")
              .replace("evaluation_interval: 15s", "evaluation_interval: 1s")
              .replace("'127.0.0.1:8080'", "'127.0.0.1:" + agent.port() + "'")
              .replace("'127.0.0.1:8090'", "'127.0.0.1:" + hub.port() + "'")
              .replace("/etc/prometheus/bellwatch-console.crt", cert.certPem().toString());
      // Regression: the example scraped http:// while the package's default configuration serves
      // HTTPS.
      assertThat(scrape)
          .contains("scrape_interval: 1s")
          .contains(":" + agent.port())
          .contains("scheme: https")
          .contains("ca_file: " + cert.certPem());
      Files.writeString(dir.resolve("prometheus.yml"), scrape);
      Files.copy(
          REPO.resolve("config/prometheus/bellwatch.rules.yml"),
          dir.resolve("bellwatch.rules.yml"));
      Process prometheus =
          new ProcessBuilder(
                  "prometheus",
                  "--config.file=" + dir.resolve("prometheus.yml"),
                  "--storage.tsdb.path=" + dir.resolve("tsdb"),
                  "--web.listen-address=127.0.0.1:" + promPort)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start();
      try {
        String api = "http://127.0.0.1:" + promPort + "/api/v1/query?query=";
        // Five scrapes: enough samples for rate() over the dashboard's windows.
        awaitNonEmpty(
            api, "count_over_time(up{job=\"bellwatch\"}[1m]) >= 5", Duration.ofSeconds(40));
        awaitNonEmpty(
            api, "count_over_time(up{job=\"bellwatch-hub\"}[1m]) >= 5", Duration.ofSeconds(20));
        get(base + "/health"); // a few more requests between scrapes, for the HTTP panels
        long requested = Instant.now().getEpochSecond();
        awaitNonEmpty(
            api, "timestamp(up{job=\"bellwatch\"}) > " + requested, Duration.ofSeconds(20));

        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (String expr : dashboardExpressions()) {
          if (!capturing && CAPTURE_ONLY.stream().anyMatch(expr::contains)) {
            continue;
          }
          String query = variables(expr);
          JsonNode answer = query(api, query);
          checked++;
          if (!answer.path("status").asText().equals("success")
              || answer.path("data").path("result").isEmpty()) {
            failures.add(expr + " -> " + answer);
          }
        }
        assertThat(failures)
            .as(
                "dashboard expressions without data (%s)",
                Files.readString(dir.resolve("prometheus.log"))
                    .lines()
                    .reduce((a, b) -> b)
                    .orElse(""))
            .isEmpty();
        assertThat(checked).isGreaterThan(45);
        assertThat(templateValues(api))
            .as("template variables' values")
            .containsEntry("site", List.of("dash-ms"))
            .containsEntry("hub", List.of("bellwatch-hub"))
            .containsEntry("job", List.of("bellwatch"));
        assertRulesEvaluate("http://127.0.0.1:" + promPort + "/api/v1/rules");
      } finally {
        prometheus.destroy();
        if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly();
        }
      }
    }
  }

  /**
   * Traffic for the series that the sample site's files do not produce: a Squid block and a
   * malformed line over UDP syslog, a TCP syslog connection, a malformed DNS datagram on loopback
   * (for live capture) and requests to the API.
   */
  private void feedEverySource(Agent agent, String base) throws Exception {
    byte[] block =
        ("<166>Sep 15 08:10:00 proxy1 squid[812]: 1789485000.250 5 10.0.1.20 TCP_DENIED/403 3900 CONNECT"
                + " games.example.com:443 alice HIER_NONE/- text/html")
            .getBytes(StandardCharsets.UTF_8);
    byte[] malformed =
        "<166>Sep 15 08:10:01 proxy1 squid[812]: not a squid line".getBytes(StandardCharsets.UTF_8);
    byte[] badDns = {0x12, 0x34, 0x01};
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      s.send(new DatagramPacket(block, block.length, agent.syslogAddress("squid-udp")));
      s.send(new DatagramPacket(malformed, malformed.length, agent.syslogAddress("squid-udp")));
      // Live capture on lo, unless it could not open (then failing on /health, and its series are
      // left out
      // below): the capture thread may still be arming its filter, so one datagram per poll until
      // counted.
      if (!get(base + "/health").contains("{\"name\":\"capture:lo\",\"state\":\"failing\"")) {
        await("a malformed DNS datagram captured")
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  s.send(
                      new DatagramPacket(
                          badDns, badDns.length, InetAddress.getLoopbackAddress(), 53));
                  return get(base + "/metrics").contains("bellwatch_decode_malformed_total{");
                });
      }
    }
    InetSocketAddress tcp = agent.syslogAddress("squid-tcp");
    try (Socket s = new Socket(tcp.getAddress(), tcp.getPort())) {
      String line =
          "<166>1 2026-09-15T19:00:00Z proxy1 squid 812 - - 1789497600.000 5 10.0.1.21 TCP_DENIED/403 3900"
              + " GET http://chat.example.net/ - HIER_NONE/- text/html\n";
      s.getOutputStream().write(line.getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
    }
    get(base + "/health");
    get(base + "/api/v1/blocks?limit=5");
    get(base + "/api/v1/domains/games.example.com");
    await("the malformed syslog line counted")
        .atMost(Duration.ofSeconds(20))
        .until(() -> get(base + "/metrics").contains("bellwatch_logs_malformed_total{"));
  }

  /**
   * The hub's side of the district row: one message that is not JSON, refused by name. (The listed
   * school's counters exist from zero; that the agent's blocks reach them over Kafka is
   * ExportAgentTest's and DistrictTest's to show: a fresh broker's first transactions take a minute
   * here.)
   */
  private void feedTheHub(KafkaBrokers kafka, String hubBase) throws Exception {
    try (KafkaProducer<String, byte[]> p = kafka.producer()) {
      p.send(
              new ProducerRecord<>(
                  "dash.blocks.dash-ms",
                  "dash-ms/garbage",
                  "not json".getBytes(StandardCharsets.UTF_8)))
          .get(30, TimeUnit.SECONDS);
    }
    await("the hub refusing the garbage")
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> get(hubBase + "/metrics"),
            m -> m.contains("bellwatch_hub_rejected_total{reason=\"not_json\",} 1.0"));
  }

  /** A dashboard expression with its variables as the test's Grafana would set them. */
  private static String variables(String expr) {
    return expr.replace("$job", "bellwatch")
        .replace("$site", ".*")
        .replace("$hub", "bellwatch-hub")
        .replace("$__rate_interval", "1m")
        .replace("$__range", "5m");
  }

  /**
   * Each template variable's values: its {@code label_values(SERIES, LABEL)} query asked of
   * Prometheus as the series selector, and the label's values collected from the answer.
   */
  private Map<String, List<String>> templateValues(String api) throws Exception {
    JsonNode dash =
        new ObjectMapper().readTree(REPO.resolve("config/grafana/bellwatch.json").toFile());
    Map<String, List<String>> out = new java.util.TreeMap<>();
    for (JsonNode v : dash.path("templating").path("list")) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("label_values\\((.+), (\\w+)\\)")
              .matcher(v.path("definition").asText());
      assertThat(m.matches()).as("variable %s: %s", v.path("name"), v.path("definition")).isTrue();
      Set<String> values = new java.util.TreeSet<>();
      query(api, variables(m.group(1)))
          .path("data")
          .path("result")
          .forEach(r -> values.add(r.path("metric").path(m.group(2)).asText()));
      out.put(v.path("name").asText(), List.copyOf(values));
    }
    return out;
  }

  /**
   * The shipped alerting rules (config/prometheus/bellwatch.rules.yml, named by the scrape example)
   * were loaded and each evaluated without error against the agent's series; the syslog
   * kernel-drops rule is among them (issue 17, finding 6).
   */
  private void assertRulesEvaluate(String rulesApi) throws Exception {
    // Until each rule has been evaluated once (a rule never evaluated shows the zero time, year 1).
    JsonNode rules =
        await("every rule evaluated")
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(250))
            .until(
                () ->
                    new ObjectMapper()
                        .readTree(get(rulesApi))
                        .path("data")
                        .path("groups")
                        .path(0)
                        .path("rules"),
                r ->
                    !r.isEmpty()
                        && r.findValuesAsText("lastEvaluation").stream()
                            .noneMatch(t -> t.startsWith("0001-")));
    assertThat(rules.findValuesAsText("name"))
        .contains(
            "BellwatchDown",
            "BellwatchSyslogKernelDrops",
            "BellwatchSyslogDropped",
            "BellwatchCaptureDropped",
            "BellwatchStoreErrors",
            "BellwatchMirrorPortSilent",
            "BellwatchMailNotSent");
    assertThat(rules.findValuesAsText("health")).as("rule health: %s", rules).containsOnly("ok");
    assertThat(rules.findValuesAsText("query"))
        .anyMatch(q -> q.contains("bellwatch_syslog_kernel_drops_total"));
  }

  private List<String> dashboardExpressions() throws IOException {
    JsonNode dash =
        new ObjectMapper().readTree(REPO.resolve("config/grafana/bellwatch.json").toFile());
    Set<String> exprs = new LinkedHashSet<>();
    dash.path("panels")
        .forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
    assertThat(exprs).doesNotContain("");
    return List.copyOf(exprs);
  }

  private void awaitNonEmpty(String api, String expr, Duration limit) throws Exception {
    JsonNode[] last = {null};
    try {
      // An IOException: Prometheus is not listening yet.
      await(expr)
          .atMost(limit)
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptionsInstanceOf(IOException.class)
          .until(
              () -> {
                last[0] = query(api, expr);
                return !last[0].path("data").path("result").isEmpty();
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "Prometheus never answered "
              + expr
              + ": "
              + last[0]
              + "; log: "
              + Files.readString(dir.resolve("prometheus.log")),
          e);
    }
  }

  private JsonNode query(String api, String expr) throws Exception {
    return new ObjectMapper().readTree(get(api + URLEncoder.encode(expr, StandardCharsets.UTF_8)));
  }

  private String get(String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** promtool's complaints about an exposition, or empty when it passes. */
  private String promtool(String metrics) throws Exception {
    Process p =
        new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(metrics.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() == 0 ? "" : out.isEmpty() ? "exit " + p.exitValue() : out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean onPath(String program) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }
}
