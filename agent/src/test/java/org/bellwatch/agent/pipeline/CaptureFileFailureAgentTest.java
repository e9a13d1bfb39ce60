package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A source that fails while the agent runs says why in the log, and /health says the agent is
 * degraded.
 */
class CaptureFileFailureAgentTest {
  final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  final Logger agentLog = (Logger) LoggerFactory.getLogger(Agent.class);

  @TempDir Path dir;

  @AfterEach
  void detach() {
    agentLog.detachAppender(logged);
  }

  /**
   * Regression: a missing capture file was logged as "file input failed: PATH", with no reason,
   * while /health answered ok.
   */
  @Test
  void aCaptureFileThatCannotBeReadIsLoggedWithItsReasonAndHealthIsDegradedNamingTheSource()
      throws Exception {
    logged.start();
    agentLog.addAppender(logged);
    SiteFolder.write(dir);
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        """
        site: {timezone: America/Los_Angeles}
        schedule: {dir: .}
        capture: {pcap_files: [gone.pcap]}
        store: {dir: store}
        web: {port: 0}
        """);
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    try (Agent agent =
        Agent.start(
            cfg, SiteModel.load(cfg.schedule().dir(), cfg.site().timezone()), Clock.systemUTC())) {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest get =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/health"))
              .build();
      HttpResponse<String> health =
          await("/health degraded")
              .atMost(Duration.ofSeconds(20))
              .until(
                  () -> http.send(get, HttpResponse.BodyHandlers.ofString()),
                  h -> h.body().contains("\"degraded\""));

      String reason = dir.resolve("gone.pcap") + ": no such file";
      JsonNode body = new ObjectMapper().readTree(health.body());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(body.get("status").asText()).isEqualTo("degraded");
      assertThat(body.get("pipeline").asText()).isEqualTo("running");
      assertThat(body.get("failing").toString()).isEqualTo("[\"files\"]");
      assertThat(body.get("sources").toString())
          .isEqualTo(
              "[{\"name\":\"files\",\"state\":\"failing\","
                  + "\"last_seen\":null,\"silent_since\":null,\"error\":\""
                  + reason
                  + "\"}]");
      assertThat(logged.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .contains("capture.pcap_files: replay stopped: " + reason);
    }
  }
}
