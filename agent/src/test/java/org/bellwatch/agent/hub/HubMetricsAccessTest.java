package org.bellwatch.agent.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.testing.KafkaBrokers;
import org.bellwatch.agent.web.Passwords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may read the hub's {@code /metrics} ({@code hub.metrics_public}), over real HTTP against a
 * started {@link HubServer}: the series count every school's blocks, so when they are not public
 * only district IT reads them, by HTTP Basic (Prometheus's {@code basic_auth}) or a console
 * session. Its Kafka is an address nothing listens on: no route here sends.
 */
class HubMetricsAccessTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PW = "district console pw 1";
  private static final String ADAMS_BLOCKS =
      "bellwatch_hub_school_blocks_total{school=\"adams-es\",} 3.0";

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private int port;

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  /**
   * Starts a hub on loopback with district IT {@code it} and Baker's coordinator {@code baker};
   * {@code metricsPublic} null leaves {@code hub.metrics_public} to its default. Adams has stored
   * three blocks.
   */
  private void start(Boolean metricsPublic) throws Exception {
    String hash = Passwords.hash(PW.toCharArray(), 1000);
    InetAddress bind = InetAddress.getLoopbackAddress();
    HubConfig cfg =
        new HubConfig(
            "Springfield",
            KafkaBrokers.plaintextLink("127.0.0.1:9", "metrics", null, null),
            "metrics-hub",
            dir,
            bind,
            0,
            List.of(
                new HubConfig.Account("it", "district_it", null, hash),
                new HubConfig.Account("baker", "school_coordinator", "baker-ms", hash)),
            ZoneId.of("America/Chicago"),
            List.of("adams-es", "baker-ms"),
            null,
            null,
            HubConfig.Retention.DEFAULT,
            metricsPublic == null ? HubConfig.metricsPublicByDefault(bind) : metricsPublic);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BellwatchMeters meters = new BellwatchMeters(registry);
    meters.hubSchools(cfg.schools(), () -> 1, () -> 0);
    meters.hubSchoolBlocks("adams-es", 3, 2);
    DistrictStore store = DistrictStore.open(dir.resolve("store"), cfg.timezone());
    open.add(store);
    DecisionPublisher decisions = new DecisionPublisher(cfg);
    open.add(decisions);
    HubServer server =
        new HubServer(
            cfg,
            new HubApi(store, decisions, Clock.systemUTC(), cfg.timezone()),
            registry,
            () -> new HubServer.Health(true, null, 1),
            Clock.systemUTC());
    open.add(server);
    port = server.start();
  }

  private String base() {
    return "http://127.0.0.1:" + port;
  }

  private static String basic(String user) {
    return basic(user, PW);
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> get(String path, String header, String value) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path));
    if (header != null) {
      b.header(header, value);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The session cookie ({@code name=value}) of a console login. */
  private String login(String user) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base() + "/api/v1/auth/login"))
                    .header("Sec-Fetch-Mode", "cors")
                    .header("Origin", base())
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"username\":\"" + user + "\",\"password\":\"" + PW + "\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private static String answer(HttpResponse<String> r) {
    return r.statusCode() + " " + r.body();
  }

  @Test
  void whenTheHubsMetricsAreNotPublicARequestWithoutALoginIs401WithABasicChallenge()
      throws Exception {
    start(false);
    HttpResponse<String> r = get("/metrics", null, null);
    assertThat(answer(r)).isEqualTo("401 {\"error\":\"log in first\"}");
    assertThat(r.headers().firstValue("WWW-Authenticate"))
        .hasValue("Basic realm=\"bellwatch-hub\", charset=\"UTF-8\"");
    assertThat(answer(get("/metrics", "Authorization", basic("nobody", "not a password"))))
        .as("an unknown account")
        .isEqualTo("401 {\"error\":\"unknown user or wrong password\"}");
  }

  @Test
  void whenTheHubsMetricsAreNotPublicASchoolCoordinatorIsRefusedByBasicAndBySession()
      throws Exception {
    start(false);
    String refused =
        "403 {\"error\":\"the hub's metrics count every school's blocks: district IT only\"}";
    assertThat(answer(get("/metrics", "Authorization", basic("baker"))))
        .as("HTTP Basic")
        .isEqualTo(refused);
    assertThat(answer(get("/metrics", "Cookie", login("baker"))))
        .as("a console session")
        .isEqualTo(refused);
  }

  @Test
  void whenTheHubsMetricsAreNotPublicDistrictItReadsThemAsPrometheusTextByBasicAndBySession()
      throws Exception {
    start(false);
    for (HttpResponse<String> r :
        List.of(
            get("/metrics", "Authorization", basic("it")),
            get("/metrics", "Cookie", login("it")))) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(r.body())
          .contains("# TYPE bellwatch_hub_school_blocks_total counter\n")
          .contains(ADAMS_BLOCKS + "\n");
    }
  }

  @Test
  void healthAnswersWithoutALoginWhenTheHubsMetricsAreNotPublic() throws Exception {
    start(false);
    HttpResponse<String> r = get("/health", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()))
        .isEqualTo(JSON.readTree("{\"status\":\"ok\",\"schools\":1,\"error\":\"\"}"));
  }

  @Test
  void onALoopbackBindTheHubsMetricsArePublicByDefault() throws Exception {
    start(null);
    HttpResponse<String> r = get("/metrics", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains(ADAMS_BLOCKS + "\n");
  }
}
