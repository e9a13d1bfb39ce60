package org.bellwatch.agent.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.config.KafkaLink;
import org.bellwatch.agent.correlate.BlockAttempt;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.store.Outbox;
import org.bellwatch.agent.testing.DistrictEvents;
import org.bellwatch.agent.testing.KafkaBrokers;
import org.bellwatch.agent.testing.ShiftedClock;
import org.bellwatch.agent.web.Passwords;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A district on a real Kafka broker: three schools' exporters, the hub's consumer and API, and
 * decisions flowing back, with the broker stopped for a while in the middle.
 */
class DistrictTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String IT_PASSWORD = "district it password 1";
  private static final String COORD_PASSWORD = "adams coordinator pw 1";
  private static final Instant MONDAY = Instant.parse("2026-09-14T15:00:00Z");
  private static KafkaBrokers kafka;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AutoCloseable> open = new ArrayList<>();
  @TempDir Path dir;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = KafkaBrokers.own(); // this class stops its broker: not the shared one
  }

  @AfterAll
  static void stopKafka() throws Exception {
    kafka.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private static HubConfig hubConfig(String prefix, Path store) throws Exception {
    KafkaLink link =
        new KafkaLink(
            List.of(kafka.bootstrapServers()),
            prefix,
            null,
            null,
            "PLAINTEXT",
            null,
            null,
            null,
            null,
            Duration.ofSeconds(10),
            1_000);
    return new HubConfig(
        "Springfield",
        link,
        prefix + "-hub",
        store,
        InetAddress.getLoopbackAddress(),
        0,
        List.of(
            new HubConfig.Account(
                "it", "district_it", null, Passwords.hash(IT_PASSWORD.toCharArray(), 1000)),
            new HubConfig.Account(
                "adams.coord",
                "school_coordinator",
                "adams-es",
                Passwords.hash(COORD_PASSWORD.toCharArray(), 1000))));
  }

  /**
   * The hub's clock: the week of the events, so that its retention (90 days by default) keeps them
   * whatever the date the test runs.
   */
  private static Clock weekOfTheEvents() {
    return new ShiftedClock(MONDAY.plus(Duration.ofDays(4)));
  }

  private <T extends AutoCloseable> T keep(T c) {
    open.add(c);
    return c;
  }

  private HttpResponse<String> get(Hub hub, String user, String password, String path)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + path))
            .header("Authorization", basic(user, password))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(Hub hub, String user, String password, String path, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + path))
            .header("Authorization", basic(user, password))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> hubBlockKeys(Hub hub) throws Exception {
    return blockKeys(hub, "it", IT_PASSWORD);
  }

  /** Every block the hub's API holds, as school/event id, one per row it answers. */
  static List<String> blockKeys(Hub hub, String user, String password) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + hub.port()
                                + "/api/v1/district/blocks?limit=5000"))
                    .header("Authorization", basic(user, password))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(r.body());
    List<String> keys = new ArrayList<>();
    body.get("blocks")
        .forEach(b -> keys.add(b.get("school").asText() + "/" + b.get("event_id").asText()));
    return keys;
  }

  /** Stores {@code n} blocks at the site; returns their keys as the hub names them. */
  private static List<String> store(DistrictSite site, int from, int n, String domain)
      throws Exception {
    List<String> keys = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      BlockEvent e =
          DistrictEvents.block(
              MONDAY, i, i % 3 == 0 ? domain : "site" + i + "." + site.id + ".example");
      site.store.append(List.of(e));
      keys.add(site.id + "/" + Outbox.id(EventStore.EventRef.of(e)));
    }
    return keys;
  }

  @Test
  void
      everySchoolsBlocksReachTheHubExactlyOnceThroughAnOutageAndAHubRestartAndADecisionReachesTheSchoolItNames()
          throws Exception {
    String prefix = "district";
    kafka.createDistrictTopics(prefix, List.of("adams-es", "baker-ms", "carver-hs"), 3, 1);
    DistrictSite adams =
        keep(
            new DistrictSite(
                "adams-es",
                "Adams Elementary",
                ZoneId.of("America/Chicago"),
                dir.resolve("adams"),
                prefix,
                kafka.bootstrapServers()));
    DistrictSite baker =
        keep(
            new DistrictSite(
                "baker-ms",
                "Baker Middle",
                ZoneId.of("America/Chicago"),
                dir.resolve("baker"),
                prefix,
                kafka.bootstrapServers()));
    DistrictSite carver =
        keep(
            new DistrictSite(
                "carver-hs",
                "Carver High",
                ZoneId.of("America/Denver"),
                dir.resolve("carver"),
                prefix,
                kafka.bootstrapServers()));
    Set<String> expected = new HashSet<>();
    expected.addAll(store(adams, 0, 12, "video.example"));
    expected.addAll(store(baker, 0, 20, "video.example"));
    expected.addAll(store(carver, 0, 30, "video.example"));
    Hub hub = Hub.start(hubConfig(prefix, dir.resolve("hub")), weekOfTheEvents());
    await().atMost(Duration.ofSeconds(60)).until(() -> hubBlockKeys(hub).size() == expected.size());

    // The link is lost: every school keeps storing; nothing is acknowledged, so nothing moves its
    // cursor.
    int broker = kafka.brokerIds().get(0);
    kafka.stopBroker(broker);
    expected.addAll(store(carver, 30, 25, "video.example"));
    expected.addAll(store(adams, 12, 3, "video.example"));
    // Late evidence moves one of Carver's stored attempts to an earlier time: a new id that
    // replaces the old.
    BlockEvent moved = DistrictEvents.block(MONDAY, 1, "site1.carver-hs.example");
    BlockEvent earlier =
        new BlockEvent(
            moved.time().minusSeconds(20),
            moved.clientIp(),
            moved.mac(),
            moved.hostname(),
            moved.user(),
            moved.domain(),
            moved.url(),
            moved.category(),
            moved.source(),
            moved.method(),
            moved.room(),
            moved.section(),
            moved.course(),
            moved.teacher(),
            moved.period(),
            moved.instructional(),
            List.of("dns: answer 0.0.0.0", "squid: TCP_DENIED/403"));
    carver.store.write(
        List.of(),
        List.of(new EventStore.Replacement(moved, new BlockAttempt(earlier, null))),
        Map.of(),
        List.of());
    expected.remove("carver-hs/" + Outbox.id(EventStore.EventRef.of(moved)));
    expected.add("carver-hs/" + Outbox.id(EventStore.EventRef.of(earlier)));
    await().atMost(Duration.ofSeconds(30)).until(() -> carver.exporter.pending() == 26);
    kafka.restartBroker(broker);
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                adams.exporter.pending() + carver.exporter.pending() == 0
                    && hubBlockKeys(hub).size() == expected.size());
    assertThat(hubBlockKeys(hub))
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(expected);

    // The hub restarts: it reads on from its committed offsets, and what it reads again changes
    // nothing.
    hub.close();
    Hub again = keep(Hub.start(hubConfig(prefix, dir.resolve("hub")), weekOfTheEvents()));
    expected.addAll(store(baker, 20, 5, "video.example"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> hubBlockKeys(again).size() == expected.size());
    assertThat(hubBlockKeys(again))
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(expected);
    JsonNode overview =
        JSON.readTree(get(again, "it", IT_PASSWORD, "/api/v1/district/overview").body());
    assertThat(overview.get("schools"))
        .extracting(s -> s.get("school").asText() + "=" + s.get("blocks").asLong())
        .containsExactly("carver-hs=55", "baker-ms=25", "adams-es=15");
    assertThat(overview.get("domains").get(0).get("domain").asText()).isEqualTo("video.example");
    assertThat(overview.get("domains").get(0).get("schools").asInt()).isEqualTo(3);

    // District IT decides for Carver alone; Carver applies it with the reason, Adams reads it and
    // leaves it.
    HttpResponse<String> decided =
        post(
            again,
            "it",
            IT_PASSWORD,
            "/api/v1/district/decisions",
            "{\"domain\":\"video.example\",\"action\":\"unblocked\",\"reason\":\"Used in Carver's science lessons\","
                + "\"schools\":[\"carver-hs\"],\"until\":\"2026-12-18\"}");
    assertThat(decided.statusCode()).as(decided.body()).isEqualTo(201);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                carver.store.console().reviews().get("video.example").isPresent()
                    && adams.decisionsCounted("other_school") == 1);
    Review review = carver.store.console().reviews().get("video.example").orElseThrow();
    assertThat(review.status()).isEqualTo(Review.UNBLOCKED);
    Review.Entry step = review.decision().orElseThrow();
    assertThat(step.actor()).isEqualTo("district:it");
    assertThat(step.reason()).isEqualTo("Used in Carver's science lessons");
    assertThat(step.until()).hasToString("2026-12-18");
    assertThat(adams.store.console().reviews().get("video.example")).isEmpty();
    assertThat(baker.store.console().reviews().get("video.example")).isEmpty();
  }

  @Test
  void aSchoolCoordinatorSeesOnlyTheirSchoolAndDistrictItSeesAll() throws Exception {
    String prefix = "scope";
    kafka.createDistrictTopics(prefix, List.of("adams-es", "baker-ms"), 1, 1);
    DistrictSite adams =
        keep(
            new DistrictSite(
                "adams-es",
                "Adams Elementary",
                ZoneId.of("America/Chicago"),
                dir.resolve("adams"),
                prefix,
                kafka.bootstrapServers()));
    DistrictSite baker =
        keep(
            new DistrictSite(
                "baker-ms",
                "Baker Middle",
                ZoneId.of("America/Chicago"),
                dir.resolve("baker"),
                prefix,
                kafka.bootstrapServers()));
    store(adams, 0, 2, "video.example");
    store(baker, 0, 3, "video.example");
    Hub hub = keep(Hub.start(hubConfig(prefix, dir.resolve("hub")), weekOfTheEvents()));
    await().atMost(Duration.ofSeconds(60)).until(() -> hubBlockKeys(hub).size() == 5);

    // A teacher at Adams asks for a review: the request goes up to the hub, and only Adams's staff
    // see it.
    adams
        .store
        .console()
        .reviews()
        .append(
            "video.example",
            new Review.Entry(
                Instant.parse("2026-09-15T14:00:00Z"),
                "t.adams",
                "teacher",
                Review.REQUESTED,
                "Needed for the water-cycle lesson",
                List.of("cls-2"),
                null,
                java.time.LocalDate.parse("2026-09-16"),
                java.time.LocalDate.parse("2026-09-30"),
                null,
                null,
                null),
            new org.bellwatch.agent.access.AuditEntry(
                Instant.now(), "t.adams", "review_requested", "video.example", "test", null));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                JSON.readTree(
                            get(hub, "adams.coord", COORD_PASSWORD, "/api/v1/district/requests")
                                .body())
                        .get("requests")
                        .size()
                    == 1);
    JsonNode request =
        JSON.readTree(get(hub, "it", IT_PASSWORD, "/api/v1/district/requests").body())
            .get("requests")
            .get(0);
    assertThat(request.get("site_id").asText()).isEqualTo("adams-es");
    assertThat(request.get("domain").asText()).isEqualTo("video.example");
    assertThat(request.get("reason").asText()).isEqualTo("Needed for the water-cycle lesson");
    assertThat(request.get("need_until").asText()).isEqualTo("2026-09-30");
    assertThat(request.has("actor")).isFalse();
    assertThat(
            get(hub, "adams.coord", COORD_PASSWORD, "/api/v1/district/requests?school=baker-ms")
                .statusCode())
        .isEqualTo(403);

    HttpResponse<String> other =
        get(hub, "adams.coord", COORD_PASSWORD, "/api/v1/district/blocks?school=baker-ms");
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(other.body()).get("error").asText())
        .isEqualTo("school: your account sees only adams-es");
    JsonNode own =
        JSON.readTree(get(hub, "adams.coord", COORD_PASSWORD, "/api/v1/district/blocks").body());
    assertThat(own.get("blocks"))
        .extracting(b -> b.get("school").asText())
        .containsExactly("adams-es", "adams-es");
    JsonNode overview =
        JSON.readTree(get(hub, "adams.coord", COORD_PASSWORD, "/api/v1/district/overview").body());
    assertThat(overview.get("schools"))
        .extracting(s -> s.get("school").asText())
        .containsExactly("adams-es");
    assertThat(
            post(
                    hub,
                    "adams.coord",
                    COORD_PASSWORD,
                    "/api/v1/district/decisions",
                    "{\"domain\":\"video.example\",\"action\":\"unblocked\",\"reason\":\"r\"}")
                .statusCode())
        .isEqualTo(403);
    assertThat(
            get(hub, "adams.coord", "wrong password here", "/api/v1/district/blocks").statusCode())
        .isEqualTo(401);
    assertThat(get(hub, "nobody", COORD_PASSWORD, "/api/v1/district/blocks").statusCode())
        .isEqualTo(401);

    JsonNode contract =
        new ObjectMapper(new YAMLFactory())
            .readTree(
                Path.of(System.getProperty("bellwatch.repo", ".."), "config", "hub-openapi.yaml")
                    .toFile());
    Set<String> documented = new java.util.TreeSet<>();
    contract
        .get("paths")
        .fields()
        .forEachRemaining(
            p ->
                p.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        m ->
                            documented.add(
                                m.toUpperCase(java.util.Locale.ROOT) + " " + p.getKey())));
    assertThat(hub.routes())
        .as("config/hub-openapi.yaml documents every route")
        .isEqualTo(documented);

    JsonNode all = JSON.readTree(get(hub, "it", IT_PASSWORD, "/api/v1/district/blocks").body());
    assertThat(all.get("blocks"))
        .extracting(b -> b.get("school").asText())
        .containsOnly("adams-es", "baker-ms")
        .hasSize(5);
    JsonNode baker3 =
        JSON.readTree(
            get(hub, "it", IT_PASSWORD, "/api/v1/district/blocks?school=baker-ms").body());
    assertThat(baker3.get("total").asInt()).isEqualTo(3);
    assertThat(baker3.get("blocks").get(0).get("school_name").asText()).isEqualTo("Baker Middle");
  }
}
