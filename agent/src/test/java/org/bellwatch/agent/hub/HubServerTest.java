package org.bellwatch.agent.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.config.KafkaLink;
import org.bellwatch.agent.testing.KafkaBrokers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub's HTTP server on its own: what Jetty refuses before any route is reached. */
class HubServerTest {
  @TempDir Path dir;

  /** The raw answer to one request target, read until the server closes the connection. */
  private static String raw(int port, String target) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              ("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      s.getInputStream().transferTo(all);
      return all.toString(StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void ambiguousPathsAreRefusedWith400BeforeAnyRouteAsJetty11Did() throws Exception {
    // Javalin 7 relaxes Jetty 12 to its LEGACY URI rules; the hub sets Jetty's default back.
    // Nothing here reaches Kafka: the producer is made, but no route that would send is called.
    KafkaLink link = KafkaBrokers.plaintextLink("127.0.0.1:9", "unused", null, null);
    HubConfig cfg =
        new HubConfig(
            "Springfield",
            link,
            "unused-hub",
            dir,
            InetAddress.getLoopbackAddress(),
            0,
            List.of(),
            ZoneId.of("America/Chicago"));
    try (DistrictStore store = DistrictStore.open(dir.resolve("store"), cfg.timezone());
        DecisionPublisher decisions = new DecisionPublisher(cfg);
        HubServer server =
            new HubServer(
                cfg,
                new HubApi(store, decisions, Clock.systemUTC(), cfg.timezone()),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                () -> new HubServer.Health(true, null, 0),
                Clock.systemUTC())) {
      int port = server.start();
      for (String target :
          List.of(
              "/..%2f..%2fetc/passwd",
              "/api/v1/district/%2e%2e/health", "/api/v1/district/..;/health")) {
        assertThat(raw(port, target))
            .as(target)
            .startsWith("HTTP/1.1 400 ")
            .doesNotContain("root:")
            .doesNotContain("\"status\":\"ok\"");
      }
      assertThat(raw(port, "/health")).startsWith("HTTP/1.1 200 ").contains("\"status\":\"ok\"");
    }
  }
}
