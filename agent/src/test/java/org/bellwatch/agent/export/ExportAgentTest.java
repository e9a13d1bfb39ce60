package org.bellwatch.agent.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.pipeline.Agent;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.testing.KafkaBrokers;
import org.bellwatch.agent.testing.TopicReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `bellwatch run` with export.kafka: the agent on the sample site publishes every block it stores. */
class ExportAgentTest {
  private static final Path SITE = Path.of(System.getProperty("bellwatch.repo", ".."), "config", "sample-site");
  @TempDir
  Path state;

  /** The blocks topic read as the hub reads it: the last message per event id, replaced ids removed. */
  private static Map<String, JsonNode> latest(KafkaBrokers kafka) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (TopicReader.Message m : TopicReader.readAll(kafka.bootstrapServers(), "agent.blocks")) {
      if (m.value().hasNonNull("replaces")) {
        out.remove(m.value().get("replaces").asText());
      }
      out.put(m.value().get("event_id").asText(), m.value());
    }
    return out;
  }

  /** The value of an untagged sample in Prometheus text, or -1. */
  private static double metric(String text, String name) {
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    return -1;
  }

  @Test
  void theAgentPublishesEveryStoredBlockAndReportsItsExportInHealthAndMetrics() throws Exception {
    KafkaBrokers kafka = KafkaBrokers.shared();
    kafka.createTopics(List.of("agent.blocks", "agent.health"), 1, 1);
    BellwatchConfig sample = ConfigLoader.load(SITE.resolve("bellwatch.yaml"));
    BellwatchConfig.KafkaLink link = new BellwatchConfig.KafkaLink(List.of(kafka.bootstrapServers()), "agent",
        "sample-ms", "Sample Middle", "PLAINTEXT", null, null, null, null, Duration.ofSeconds(10), 1_000);
    BellwatchConfig cfg = new BellwatchConfig(sample.site(), sample.schedule(), sample.capture(), sample.logs(),
        sample.syslog(), sample.dns(), sample.correlate(), new BellwatchConfig.Store(state, false), sample.retention(),
        new BellwatchConfig.Web(InetAddress.getLoopbackAddress(), 0), BellwatchConfig.Auth.DEFAULTS,
        BellwatchConfig.Privacy.DEFAULTS, BellwatchConfig.Filter.DEFAULTS, new BellwatchConfig.Export(link));
    try (Agent agent = Agent.start(cfg, SiteModel.load(cfg.schedule().dir(), cfg.site().timezone()),
        Clock.systemUTC())) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + agent.port();
      // Every event the store holds (new attempts written), once each after updates, and nothing left to send.
      await().atMost(Duration.ofSeconds(120)).until(() -> {
        String m = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        long stored = (long) metric(m, "bellwatch_store_events_written_total");
        return stored > 0 && metric(m, "bellwatch_export_pending") == 0 && latest(kafka).size() == stored;
      });
      assertThat(latest(kafka).values()).extracting(m -> m.get("site_id").asText()).containsOnly("sample-ms");
      await().atMost(Duration.ofSeconds(30)).until(() -> http.send(HttpRequest.newBuilder(URI.create(base
          + "/health")).build(), HttpResponse.BodyHandlers.ofString()).body().contains("\"export:kafka\""));
      String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).contains("bellwatch_export_pending 0.0")
          .contains("bellwatch_export_sent_total{kind=\"block\",}");
    }
  }
}
