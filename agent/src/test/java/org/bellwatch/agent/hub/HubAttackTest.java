package org.bellwatch.agent.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.config.KafkaLink;
import org.bellwatch.agent.export.Messages;
import org.bellwatch.agent.export.Topics;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.store.EventStore.EventRef;
import org.bellwatch.agent.store.Outbox;
import org.bellwatch.agent.testing.KafkaBrokers;
import org.bellwatch.agent.testing.SteppedClock;
import org.bellwatch.agent.web.Passwords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attacker's pass over the hub (issue 20): a school coordinator reaching for another school, a
 * caller without a login, a script guessing passwords, district IT's decision route fed hostile
 * bodies, and one school's Kafka credentials writing hostile messages. The hub here runs its real
 * server, store and consumer's message handling; its Kafka is an address nothing listens on, so a
 * decision is never acknowledged.
 */
class HubAttackTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PW = "district console pw 1";
  private static final String ID = Outbox.id(EventRef.of(DistrictStoreTest.GAMES));

  @TempDir Path dir;
  private final SteppedClock clock = new SteppedClock(Instant.parse("2026-09-16T15:00:00Z"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private HubConfig cfg;
  private DistrictStore store;
  private DecisionPublisher decisions;
  private HubServer server;
  private int port;

  @BeforeEach
  void start() throws Exception {
    KafkaLink link = KafkaBrokers.plaintextLink("127.0.0.1:9", "attack", null, null);
    String hash = Passwords.hash(PW.toCharArray(), 1000);
    cfg =
        new HubConfig(
            "Springfield",
            link,
            "attack-hub",
            dir,
            InetAddress.getLoopbackAddress(),
            0,
            List.of(
                new HubConfig.Account("it", "district_it", null, hash),
                new HubConfig.Account("baker", "school_coordinator", "baker-ms", hash)),
            ZoneId.of("America/Chicago"));
    store = DistrictStore.open(dir.resolve("store"), cfg.timezone());
    decisions = new DecisionPublisher(cfg);
    server =
        new HubServer(
            cfg,
            new HubApi(store, decisions, clock, cfg.timezone()),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            () -> new HubServer.Health(true, null, 2),
            clock);
    port = server.start();
    consume(
        List.of(
            block("adams-es", Messages.block("adams-es", "Adams Elementary", entry())),
            block("baker-ms", Messages.block("baker-ms", "Baker Middle", entry()))));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    decisions.close();
    store.close();
  }

  private static Outbox.Entry entry() {
    var e = DistrictStoreTest.GAMES;
    return new Outbox.Entry(1, EventRef.of(e), null, e);
  }

  private static ConsumerRecord<String, byte[]> block(String site, byte[] value) {
    return new ConsumerRecord<>("attack.blocks", 0, 0, site + "/" + ID, value);
  }

  /** Reads the records as the hub's consumer does and stores what it keeps. */
  private List<DistrictStore.Change> consume(List<ConsumerRecord<String, byte[]>> records)
      throws Exception {
    Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> byTopic = new LinkedHashMap<>();
    records.forEach(
        r ->
            byTopic
                .computeIfAbsent(new TopicPartition(r.topic(), 0), k -> new ArrayList<>())
                .add(r));
    List<DistrictStore.Change> kept =
        new PollChanges(new Topics(cfg.kafka().topicPrefix()), new BellwatchMeters(registry))
            .changes(new ConsumerRecords<>(byTopic));
    store.apply(kept);
    return kept;
  }

  private double rejected(String reason) {
    var c = registry.find(BellwatchMeters.HUB_REJECTED).tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> get(String auth, String path) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> decide(String body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/v1/district/decisions"))
                .header("Authorization", basic("it", PW))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static String answer(HttpResponse<String> r) {
    return r.statusCode() + " " + r.body();
  }

  @Test
  void aSchoolCoordinatorNamingAnotherSchoolInAnyShapeGetsOnlyARefusalOrTheirOwnSchool()
      throws Exception {
    String baker = basic("baker", PW);
    String refused = "403 {\"error\":\"school: your account sees only baker-ms\"}";
    for (String path :
        List.of(
            "/api/v1/district/blocks?school=adams-es",
            "/api/v1/district/blocks?school=adams%2Des",
            "/api/v1/district/blocks?school=adams-es&school=baker-ms",
            "/api/v1/district/blocks?school=unlisted",
            "/api/v1/district/requests?school=adams-es",
            "/api/v1/district/schools/adams-es/summary",
            "/api/v1/district/schools/adams%2Des/summary",
            "/api/v1/district/schools/unlisted/summary")) {
      assertThat(answer(get(baker, path))).as(path).isEqualTo(refused);
    }
    for (String path :
        List.of(
            "/api/v1/district/blocks?school=ADAMS-ES",
            "/api/v1/district/blocks?school=",
            "/api/v1/district/schools/Adams-es/summary",
            "/api/v1/district/schools/%20/summary")) {
      assertThat(get(baker, path).statusCode()).as(path).isEqualTo(400);
    }
    // A parameter the route does not read, or a second value after the caller's own school, changes
    // nothing: every answer holds Baker only.
    for (String path :
        List.of(
            "/api/v1/district/blocks?school=baker-ms&school=adams-es",
            "/api/v1/district/blocks?School=adams-es",
            "/api/v1/district/overview?school=adams-es",
            "/api/v1/district/schools?school=adams-es",
            "/api/v1/district/summary?school=adams-es",
            "/api/v1/district/queue?school=adams-es",
            "/api/v1/district/decisions?school=adams-es")) {
      HttpResponse<String> r = get(baker, path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.body()).as(path).doesNotContain("adams").doesNotContain("Adams");
    }
    HttpResponse<String> decision =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/district/decisions"))
                    .header("Authorization", baker)
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"domain\":\"games.example\",\"action\":\"unblocked\","
                                + "\"reason\":\"r\",\"schools\":[\"adams-es\"]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(answer(decision)).isEqualTo("403 {\"error\":\"decisions are made by district IT\"}");
  }

  @Test
  void withoutALoginOrWithAForgedSessionCookieNoDistrictRouteAnswersData() throws Exception {
    for (String path :
        List.of(
            "/api/v1/district/schools",
            "/api/v1/district/overview",
            "/api/v1/district/blocks",
            "/api/v1/district/requests",
            "/api/v1/district/summary",
            "/api/v1/district/schools/adams-es/summary",
            "/api/v1/district/queue",
            "/api/v1/district/decisions",
            "/api/v1/auth/session")) {
      assertThat(answer(get(null, path))).as(path).isEqualTo("401 {\"error\":\"log in first\"}");
      HttpResponse<String> forged =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                      .header("Cookie", "bw_hub_session=" + "A".repeat(43))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(answer(forged)).as(path).isEqualTo("401 {\"error\":\"log in first\"}");
    }
  }

  @Test
  void httpBasicPasswordGuessesBackOffAsTheLoginFormsDoWith429AndRetryAfter() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(get(basic("it", "guess number " + i), "/api/v1/district/schools").statusCode())
          .isEqualTo(401);
    }
    HttpResponse<String> sixth = get(basic("it", "guess number 5"), "/api/v1/district/schools");
    assertThat(answer(sixth))
        .isEqualTo("429 {\"error\":\"too many failed logins: try again in 2 seconds\"}");
    assertThat(sixth.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(get(basic("it", PW), "/api/v1/district/schools").statusCode())
        .as("a guesser's address waits even with the right password: no free oracle")
        .isEqualTo(429);
    clock.step(Duration.ofSeconds(2));
    assertThat(get(basic("it", PW), "/api/v1/district/schools").statusCode()).isEqualTo(200);
  }

  @Test
  void aDecisionIsHeldToASitesRulesForItsAlternativeAndLastDay() throws Exception {
    assertThat(
            answer(
                decide(
                    "{\"domain\":\"games.example\",\"action\":\"alternative\",\"reason\":\"r\","
                        + "\"alternative\":\""
                        + "y".repeat(501)
                        + "\"}")))
        .isEqualTo("400 {\"error\":\"alternative: at most 500 characters\"}");
    assertThat(
            answer(
                decide(
                    "{\"domain\":\"games.example\",\"action\":\"time_limited\",\"reason\":\"r\","
                        + "\"until\":\"2026-09-15\"}")))
        .isEqualTo("400 {\"error\":\"until: 2026-09-15 has passed (today is 2026-09-16)\"}");
    assertThat(
            answer(
                decide(
                    "{\"domain\":\"games.example\",\"action\":\"kept_blocked\",\"reason\":\"r\","
                        + "\"until\":\"2026-09-30\"}")))
        .isEqualTo(
            "400 {\"error\":\"until: only an unblocked or time_limited decision has a last day\"}");
  }

  @Test
  void aDecisionKafkaDoesNotAcknowledgeIsA503SayingSoAndIsNotKept() throws Exception {
    HttpResponse<String> r =
        decide("{\"domain\":\"games.example\",\"action\":\"kept_blocked\",\"reason\":\"games\"}");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(r.body()).get("error").asText())
        .startsWith("Kafka did not acknowledge the decision, so the schools may not get it: ");
    assertThat(JSON.readTree(get(basic("it", PW), "/api/v1/district/decisions").body()).toString())
        .isEqualTo("{\"decisions\":[]}");
  }

  @Test
  void oversizedAndDeeplyNestedDecisionBodiesAreRefusedBeforeAnyField() throws Exception {
    assertThat(decide("{\"reason\":\"" + "x".repeat(2_000_000) + "\"}").statusCode())
        .isEqualTo(413);
    assertThat(answer(decide("[".repeat(100_000) + "]".repeat(100_000))))
        .isEqualTo("400 {\"error\":\"the body is not JSON\"}");
  }

  @Test
  void aSchoolNameThatIsNotOneLineOfVisibleTextIsRefusedAsBadSiteNameAndMarkupIsKeptAsText()
      throws Exception {
    String markup = "<img src=x onerror=alert(1)>";
    List<ConsumerRecord<String, byte[]>> hostile = new ArrayList<>();
    for (String name :
        List.of(
            "Carver\u202Esloohcs",
            "Carver\u0000",
            "Carver\u001b[31m",
            "Carver\nHigh",
            "Carver\u2028High",
            "C".repeat(201),
            " ")) {
      hostile.add(block("carver-hs", Messages.block("carver-hs", name, entry())));
      hostile.add(
          new ConsumerRecord<>(
              "attack.health",
              0,
              0,
              "carver-hs",
              Messages.health("carver-hs", name, clock.instant(), "ok", 0)));
    }
    hostile.add(
        block(
            "carver-hs",
            ("{\"v\":1,\"type\":\"block\",\"site_id\":\"carver-hs\",\"site_name\":{\"a\":1},"
                    + "\"event_id\":\""
                    + ID
                    + "\",\"event\":{\"time\":\"2026-09-15T15:10:00Z\"}}")
                .getBytes(StandardCharsets.UTF_8)));
    assertThat(consume(hostile)).isEmpty();
    assertThat(rejected(BlockMessage.BAD_SITE_NAME)).isEqualTo(15);

    // Markup is text like any other: kept as sent, and the console inserts it as text.
    assertThat(
            consume(
                List.of(
                    block("carver-hs", Messages.block("carver-hs", markup, entry())),
                    block("dade-es", Messages.block("dade-es", "École Dade \u200D", entry())))))
        .hasSize(2);
    JsonNode schools = JSON.readTree(get(basic("it", PW), "/api/v1/district/schools").body());
    List<String> names = new ArrayList<>();
    schools.get("schools").forEach(s -> names.add(s.get("school_name").asText()));
    assertThat(names)
        .containsExactly("Adams Elementary", "Baker Middle", markup, "École Dade \u200D");
  }

  @Test
  void deeplyNestedOrNonUtf8MessagesAreRefusedAsNotJson() throws Exception {
    String deep =
        "{\"v\":1,\"type\":\"block\",\"site_id\":\"carver-hs\",\"event_id\":\""
            + ID
            + "\",\"event\":{\"time\":\"2026-09-15T15:10:00Z\",\"x\":"
            + "[".repeat(5_000)
            + "]".repeat(5_000)
            + "}}";
    byte[] latin1 =
        ("{\"v\":1,\"type\":\"block\",\"site_id\":\"carver-hs\",\"site_name\":\"Carv\u00e9r\","
                + "\"event_id\":\""
                + ID
                + "\",\"event\":{\"time\":\"2026-09-15T15:10:00Z\"}}")
            .getBytes(StandardCharsets.ISO_8859_1);
    assertThat(
            consume(
                List.of(
                    block("carver-hs", deep.getBytes(StandardCharsets.UTF_8)),
                    block("carver-hs", latin1))))
        .isEmpty();
    assertThat(rejected("not_json")).isEqualTo(2);
  }
}
