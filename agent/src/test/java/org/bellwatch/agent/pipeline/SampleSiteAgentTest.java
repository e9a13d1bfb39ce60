package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.schedule.SiteModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent run on the bundled sample site (`bellwatch run --config
 * config/sample-site/bellwatch.yaml`).
 */
class SampleSiteAgentTest {
  @TempDir Path state;

  @Test
  void theAgentOnTheSampleSiteServesEveryTruthEventInstructionalOrNot() throws Exception {
    BellwatchConfig sample = ConfigLoader.load(SampleSiteReplayTest.SITE.resolve("bellwatch.yaml"));
    BellwatchConfig cfg =
        new BellwatchConfig(
            sample.site(),
            sample.schedule(),
            sample.capture(),
            sample.logs(),
            sample.syslog(),
            sample.dns(),
            sample.correlate(),
            new BellwatchConfig.Store(state, false),
            sample.retention(),
            new BellwatchConfig.Web(InetAddress.getLoopbackAddress(), 0),
            sample.auth(),
            sample.privacy(),
            sample.filter());
    org.bellwatch.agent.testing.ApiSession.createAdmin(state, cfg.site().timezone());
    try (Agent agent =
        Agent.start(
            cfg, SiteModel.load(cfg.schedule().dir(), cfg.site().timezone()), Clock.systemUTC())) {
      await("the agent running")
          .atMost(Duration.ofSeconds(60))
          .until(() -> agent.state().equals("running"));
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + agent.port();
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      String cookie = org.bellwatch.agent.testing.ApiSession.login(base);
      long truth = Files.readAllLines(SampleSiteReplayTest.SITE.resolve("truth.jsonl")).size();
      // The Squid log is followed by the tailer: its blocks arrive after the capture has been
      // replayed.
      HttpRequest blocks =
          HttpRequest.newBuilder(URI.create(base + "/api/v1/blocks?limit=1000"))
              .header("Cookie", cookie)
              .build();
      JsonNode body =
          await("every truth event served")
              .atMost(Duration.ofSeconds(60))
              .until(
                  () ->
                      new ObjectMapper()
                          .readTree(http.send(blocks, HttpResponse.BodyHandlers.ofString()).body()),
                  b -> b.get("count").asLong() >= truth);

      assertThat(body.get("count").asLong()).isEqualTo(truth);
      // Every block attributed as the truth says, though the capture is replayed before the log is
      // followed
      // and the wall clock is months after the sample day (regression: lease records replayed from
      // the
      // capture were pruned from memory by the first live tick, so the log's blocks lost their
      // devices).
      ObjectMapper json = new ObjectMapper();
      Set<JsonNode> expected = new HashSet<>();
      for (String line : Files.readAllLines(SampleSiteReplayTest.SITE.resolve("truth.jsonl"))) {
        expected.add(json.readTree(line));
      }
      Set<JsonNode> served = new HashSet<>();
      for (JsonNode b : body.get("blocks")) {
        com.fasterxml.jackson.databind.node.ObjectNode o = json.createObjectNode();
        expected.iterator().next().fieldNames().forEachRemaining(f -> o.set(f, b.get(f)));
        served.add(o);
      }
      assertThat(served).isEqualTo(expected);
      Set<Boolean> flags = new HashSet<>();
      body.get("blocks").forEach(b -> flags.add(b.get("instructional").asBoolean()));
      assertThat(flags).containsExactlyInAnyOrder(true, false);
      String metrics =
          http.send(
                  HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics)
          .contains("bellwatch_decode_messages_total{proto=\"dhcp\",}")
          .contains("bellwatch_decode_messages_total{proto=\"dns\",}")
          .contains("bellwatch_correlate_blocks_total{instructional=\"false\",}");
    }
  }
}
