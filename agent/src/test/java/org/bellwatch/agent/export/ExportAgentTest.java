package org.bellwatch.agent.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.bellwatch.agent.config.Auth;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.config.KafkaLink;
import org.bellwatch.agent.config.Notifications;
import org.bellwatch.agent.hub.Hub;
import org.bellwatch.agent.pipeline.Agent;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.store.BlockQuery;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.store.Outbox;
import org.bellwatch.agent.testing.KafkaBrokers;
import org.bellwatch.agent.testing.TopicReader;
import org.bellwatch.agent.web.Passwords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bellwatch run` with export.kafka: the agent on the sample site publishes every block it stores.
 */
class ExportAgentTest {
  private static final Path SITE =
      Path.of(System.getProperty("bellwatch.repo", ".."), "config", "sample-site");
  @TempDir Path state;
  @TempDir Path hubStore;

  /**
   * The blocks topic read as the hub reads it: the last message per event id, replaced ids removed.
   */
  private static Map<String, JsonNode> latest(KafkaBrokers kafka) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (TopicReader.Message m :
        TopicReader.readAll(kafka.bootstrapServers(), "agent.blocks.sample-ms")) {
      if (m.value().hasNonNull("replaces")) {
        out.remove(m.value().get("replaces").asText());
      }
      out.put(m.value().get("event_id").asText(), m.value());
    }
    return out;
  }

  /** The value of a sample tagged with the site alone in Prometheus text, or -1. */
  private static double metric(String text, String name) {
    String head = name + "{site=\"sample-ms\",} ";
    for (String line : text.split("\n")) {
      if (line.startsWith(head)) {
        return Double.parseDouble(line.substring(head.length()).trim());
      }
    }
    return -1;
  }

  /**
   * The sample site's agent on the test's store, exporting to {@code kafka} under the prefix, or
   * not.
   */
  private BellwatchConfig config(KafkaBrokers kafka, String prefix) throws Exception {
    return config(kafka, prefix, true);
  }

  /**
   * As {@link #config(KafkaBrokers, String)}; without inputs, the agent reads no capture or log
   * file: it stores nothing new, and exports only what its store holds.
   */
  private BellwatchConfig config(KafkaBrokers kafka, String prefix, boolean inputs)
      throws Exception {
    BellwatchConfig sample = ConfigLoader.load(SITE.resolve("bellwatch.yaml"));
    BellwatchConfig.Capture c = sample.capture();
    BellwatchConfig.Export export =
        kafka == null
            ? BellwatchConfig.Export.NONE
            : new BellwatchConfig.Export(
                new KafkaLink(
                    List.of(kafka.bootstrapServers()),
                    prefix,
                    "sample-ms",
                    "Sample Middle",
                    "PLAINTEXT",
                    null,
                    null,
                    null,
                    null,
                    Duration.ofSeconds(10),
                    1_000));
    return new BellwatchConfig(
        sample.site(),
        sample.schedule(),
        inputs
            ? c
            : new BellwatchConfig.Capture(
                List.of(),
                List.of(),
                c.snaplenBytes(),
                c.bufferBytes(),
                c.promiscuous(),
                c.queueCapacity(),
                c.immediateMode()),
        inputs ? sample.logs() : new BellwatchConfig.Logs(List.of(), sample.logs().pollInterval()),
        sample.syslog(),
        sample.dns(),
        sample.correlate(),
        new BellwatchConfig.Store(state, false),
        sample.retention(),
        new BellwatchConfig.Web(InetAddress.getLoopbackAddress(), 0),
        Auth.DEFAULTS,
        BellwatchConfig.Privacy.DEFAULTS,
        BellwatchConfig.Filter.DEFAULTS,
        export,
        Notifications.NONE);
  }

  private static Agent start(BellwatchConfig cfg) throws Exception {
    return Agent.start(
        cfg, SiteModel.load(cfg.schedule().dir(), cfg.site().timezone()), Clock.systemUTC());
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void theAgentPublishesEveryStoredBlockAndReportsItsExportInHealthAndMetrics() throws Exception {
    KafkaBrokers kafka = KafkaBrokers.shared();
    kafka.createTopics(new Topics("agent").ofSite("sample-ms"), 1, 1);
    try (Agent agent = start(config(kafka, "agent"))) {
      String base = "http://127.0.0.1:" + agent.port();
      // Every event the store holds (new attempts written), once each after updates, and nothing
      // left to send. The agent may store more (its logs are still being read): what is checked is
      // the one scrape that showed the export caught up, never a later one.
      AtomicReference<String> caughtUp = new AtomicReference<>();
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () -> {
                String m = get(base + "/metrics");
                long stored = (long) metric(m, "bellwatch_store_events_written_total");
                caughtUp.set(m);
                return stored > 0
                    && metric(m, "bellwatch_export_pending") == 0
                    && latest(kafka).size() == stored;
              });
      assertThat(latest(kafka).values())
          .extracting(m -> m.get("site_id").asText())
          .containsOnly("sample-ms");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(base + "/health").contains("\"export:kafka\""));
      // Every series carries the school's site id (one value per agent): the dashboard's site
      // variable.
      assertThat(caughtUp.get())
          .contains("bellwatch_export_pending{site=\"sample-ms\",} 0.0")
          .contains("bellwatch_export_sent_total{kind=\"block\",site=\"sample-ms\",}")
          .contains("jvm_threads_live_threads{site=\"sample-ms\",}");
    }
  }

  @Test
  void anAgentThatRanWithoutExportSendsWhatItHadStoredToTheHubOnceWhenExportIsTurnedOn()
      throws Exception {
    List<String> stored = new ArrayList<>();
    try (Agent agent = start(config(null, null))) {
      String base = "http://127.0.0.1:" + agent.port();
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () -> get(base + "/health").contains("{\"name\":\"files\",\"state\":\"replayed\""));
      assertThat(get(base + "/metrics"))
          .doesNotContain("site=")
          .doesNotContain("bellwatch_export_");
    }
    try (EventStore store = EventStore.open(state, ZoneId.of("America/Los_Angeles"), true)) {
      store
          .query(new BlockQuery(null, null, null, 10_000))
          .forEach(e -> stored.add("sample-ms/" + Outbox.id(EventStore.EventRef.of(e))));
    }
    assertThat(stored).hasSizeGreaterThan(20);
    KafkaBrokers kafka = KafkaBrokers.shared();
    kafka.createDistrictTopics("history", List.of("sample-ms"), 1, 1);
    String password = "district it history pw";
    HubConfig hubConfig =
        new HubConfig(
            "District",
            new KafkaLink(
                List.of(kafka.bootstrapServers()),
                "history",
                null,
                null,
                "PLAINTEXT",
                null,
                null,
                null,
                null,
                Duration.ofSeconds(10),
                1_000),
            "history-hub",
            hubStore,
            InetAddress.getLoopbackAddress(),
            0,
            List.of(
                new HubConfig.Account(
                    "it", "district_it", null, Passwords.hash(password.toCharArray(), 1000))));
    // The agent starts again with export on and no input: the first run may have stopped before
    // it read all of its logs, and a second run reading on would store events the first had not.
    try (Agent agent = start(config(kafka, "history", false));
        Hub hub = Hub.start(hubConfig, Clock.systemUTC())) {
      String base = "http://127.0.0.1:" + agent.port();
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  get(base + "/health").contains("{\"name\":\"export:kafka\",\"state\":\"sent\""));
      assertThat(metric(get(base + "/metrics"), "bellwatch_export_backfilled_total"))
          .isEqualTo(stored.size());
      HttpRequest blocks =
          HttpRequest.newBuilder(
                  URI.create(
                      "http://127.0.0.1:" + hub.port() + "/api/v1/district/blocks?limit=5000"))
              .header(
                  "Authorization",
                  "Basic "
                      + java.util.Base64.getEncoder()
                          .encodeToString(
                              ("it:" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
              .build();
      List<String> atHub = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                atHub.clear();
                new ObjectMapper()
                    .readTree(
                        HttpClient.newHttpClient()
                            .send(blocks, HttpResponse.BodyHandlers.ofString())
                            .body())
                    .get("blocks")
                    .forEach(
                        b ->
                            atHub.add(b.get("school").asText() + "/" + b.get("event_id").asText()));
                return atHub.size() >= stored.size();
              });
      assertThat(atHub).containsExactlyInAnyOrderElementsOf(stored);
    }
    // Each event crossed Kafka once: the history, then nothing more (the restart of the agent sent
    // no copy).
    assertThat(TopicReader.readAll(kafka.bootstrapServers(), "history.blocks.sample-ms"))
        .extracting(
            m -> m.value().get("site_id").asText() + "/" + m.value().get("event_id").asText())
        .containsExactlyInAnyOrderElementsOf(stored);
  }
}
