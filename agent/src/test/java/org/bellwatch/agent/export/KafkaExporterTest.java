package org.bellwatch.agent.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bellwatch.agent.config.KafkaLink;
import org.bellwatch.agent.correlate.BlockAttempt;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.store.Outbox;
import org.bellwatch.agent.testing.DistrictEvents;
import org.bellwatch.agent.testing.KafkaBrokers;
import org.bellwatch.agent.testing.TopicReader;
import org.bellwatch.agent.testing.TopicReader.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The site's export against a real Kafka broker (KRaft, in this JVM). */
class KafkaExporterTest {
  private static final Instant MONDAY = Instant.parse("2026-09-14T15:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static KafkaBrokers kafka;
  @TempDir Path storeDir;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = KafkaBrokers.own(); // this class stops its broker: not the shared one
  }

  @AfterAll
  static void stopKafka() throws Exception {
    kafka.close();
  }

  /** The site's exporter over {@code store}, publishing under {@code prefix}. */
  private KafkaExporter exporter(String prefix, EventStore store) throws Exception {
    return new KafkaExporter(
        link(prefix, kafka.bootstrapServers(), 100),
        store.outbox(),
        store.console().reviews(),
        new BellwatchMeters(new SimpleMeterRegistry()),
        Clock.systemUTC(),
        () -> "ok");
  }

  private static KafkaLink link(String prefix, String bootstrap, long lagWarn) {
    return KafkaBrokers.plaintextLink(bootstrap, prefix, "lincoln-ms", "Lincoln Middle", lagWarn);
  }

  @Test
  void storedEventsAndTheirLateEvidenceReachKafkaKeyedBySiteAndEventInStoreOrder()
      throws Exception {
    String prefix = "order";
    kafka.createTopics(new Topics(prefix).ofSite("lincoln-ms"), 3, 1);
    try (EventStore store = EventStore.open(storeDir, ZoneId.of("UTC"), false)) {
      store.recordOutbox();
      BlockEvent first = DistrictEvents.block(MONDAY, 0, "games.example");
      BlockEvent second = DistrictEvents.block(MONDAY, 1, "video.example");
      store.append(List.of(first, second));
      BlockEvent merged = DistrictEvents.withEvidence(first, "squid: TCP_DENIED/403");
      store.write(
          List.of(),
          List.of(new EventStore.Replacement(first, new BlockAttempt(merged, null))),
          Map.of(),
          List.of());
      try (KafkaExporter exporter = exporter(prefix, store)) {
        exporter.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> store.outbox().pending() == 0);
      }
      String firstId = Outbox.id(EventStore.EventRef.of(first));
      String secondId = Outbox.id(EventStore.EventRef.of(second));
      List<Message> blocks =
          TopicReader.readAll(kafka.bootstrapServers(), prefix + ".blocks.lincoln-ms");
      assertThat(blocks)
          .extracting(Message::key)
          .containsExactly(
              "lincoln-ms/" + firstId, "lincoln-ms/" + secondId, "lincoln-ms/" + firstId);
      assertThat(blocks)
          .extracting(Message::partition)
          .containsOnly(Topics.partition("lincoln-ms", 3));
      Message update = blocks.get(2);
      assertThat(update.value().get("v").asInt()).isEqualTo(1);
      assertThat(update.value().get("type").asText()).isEqualTo("block");
      assertThat(update.value().get("site_id").asText()).isEqualTo("lincoln-ms");
      assertThat(update.value().get("site_name").asText()).isEqualTo("Lincoln Middle");
      assertThat(update.value().get("event_id").asText()).isEqualTo(firstId);
      assertThat(update.value().get("replaces").isNull()).isTrue();
      assertThat(update.value().get("event").get("evidence"))
          .extracting(n -> n.asText())
          .containsExactly("dns: answer 0.0.0.0", "squid: TCP_DENIED/403");
      assertThat(update.value().get("event").get("domain").asText()).isEqualTo("games.example");
      assertThat(TopicReader.readAll(kafka.bootstrapServers(), prefix + ".health.lincoln-ms"))
          .first()
          .satisfies(h -> assertThat(h.value().get("status").asText()).isEqualTo("ok"));
    }
  }

  @Test
  void aStoresHistoryIsSentOnceInOrderWhenItsExportIsEnabledAlsoWhenTheAgentStopsMidWay()
      throws Exception {
    String prefix = "history";
    kafka.createTopics(new Topics(prefix).ofSite("lincoln-ms"), 1, 1);
    List<String> ids = new ArrayList<>();
    try (EventStore store = EventStore.open(storeDir, ZoneId.of("UTC"), false)) {
      List<BlockEvent> history = new ArrayList<>();
      for (int i = 0; i < KafkaExporter.BATCH * 2 + 500; i++) {
        history.add(DistrictEvents.block(MONDAY, i, "site" + i % 40 + ".example"));
        ids.add(Outbox.id(EventStore.EventRef.of(history.get(i))));
      }
      store.append(history);
    }
    SimpleMeterRegistry first = new SimpleMeterRegistry();
    try (EventStore store = EventStore.open(storeDir, ZoneId.of("UTC"), false)) {
      store.recordOutbox();
      try (KafkaExporter exporter =
          new KafkaExporter(
              link(prefix, kafka.bootstrapServers(), 100),
              store.outbox(),
              store.console().reviews(),
              new BellwatchMeters(first),
              Clock.systemUTC(),
              () -> "ok")) {
        // One round, then the agent stops: the first batch is acknowledged, the rest of the history
        // waits.
        assertThat(exporter.round()).as("more to send").isTrue();
        assertThat(exporter.status().state()).isEqualTo("sending");
      }
      BlockEvent meanwhile = DistrictEvents.block(MONDAY, 100_000, "new.example");
      store.append(
          List.of(meanwhile)); // after the history's newest: queued at once, before the rest of it
      ids.add(KafkaExporter.BATCH, Outbox.id(EventStore.EventRef.of(meanwhile)));
    }
    SimpleMeterRegistry second = new SimpleMeterRegistry();
    try (EventStore store = EventStore.open(storeDir, ZoneId.of("UTC"), false)) {
      store.recordOutbox();
      try (KafkaExporter exporter =
          new KafkaExporter(
              link(prefix, kafka.bootstrapServers(), 100),
              store.outbox(),
              store.console().reviews(),
              new BellwatchMeters(second),
              Clock.systemUTC(),
              () -> "ok")) {
        exporter.start();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> exporter.status().state().equals("sent"));
      }
    }
    List<String> sent =
        TopicReader.readAll(kafka.bootstrapServers(), prefix + ".blocks.lincoln-ms").stream()
            .map(m -> m.value().get("event_id").asText())
            .toList();
    assertThat(sent).containsExactlyElementsOf(ids);
    assertThat(
            first.get(BellwatchMeters.EXPORT_BACKFILLED).counter().count()
                + second.get(BellwatchMeters.EXPORT_BACKFILLED).counter().count())
        .isEqualTo(KafkaExporter.BATCH * 2 + 500);
  }

  @Test
  void eventsStoredWhileTheBrokerIsDownAreSentOnceItIsBackAndNotAgainAfterARestart()
      throws Exception {
    String prefix = "outage";
    kafka.createTopics(new Topics(prefix).ofSite("lincoln-ms"), 1, 1);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<String> ids = new ArrayList<>();
    try (EventStore store = EventStore.open(storeDir, ZoneId.of("UTC"), false)) {
      store.recordOutbox();
      try (KafkaExporter exporter =
          new KafkaExporter(
              link(prefix, kafka.bootstrapServers(), 5),
              store.outbox(),
              store.console().reviews(),
              new BellwatchMeters(registry),
              Clock.systemUTC(),
              () -> "ok")) {
        exporter.start();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> exporter.status().state().equals("sent"));
        int broker = kafka.brokerIds().get(0);
        kafka.stopBroker(broker);
        for (int i = 0; i < 40; i++) {
          BlockEvent e = DistrictEvents.block(MONDAY, i, "site" + i + ".example");
          store.append(List.of(e));
          ids.add(Outbox.id(EventStore.EventRef.of(e)));
        }
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> exporter.status().state().equals("failing"));
        assertThat(exporter.status().error())
            .startsWith("40 block events wait to be sent to Kafka since");
        assertThat(registry.get(BellwatchMeters.EXPORT_PENDING).gauge().value()).isEqualTo(40);
        assertThat(registry.get(BellwatchMeters.EXPORT_LAG_SECONDS).gauge().value())
            .isGreaterThanOrEqualTo(0);
        kafka.restartBroker(broker);
        await().atMost(Duration.ofSeconds(120)).until(() -> store.outbox().pending() == 0);
        assertThat(exporter.status().state()).isEqualTo("sent");
        assertThat(registry.get(BellwatchMeters.EXPORT_ERRORS).counters()).isNotEmpty();
      }
    }
    try (EventStore store = EventStore.open(storeDir, ZoneId.of("UTC"), false)) {
      store.recordOutbox();
      assertThat(store.outbox().pending()).isZero();
      BlockEvent after = DistrictEvents.block(MONDAY, 100, "after.example");
      store.append(List.of(after));
      ids.add(Outbox.id(EventStore.EventRef.of(after)));
      try (KafkaExporter exporter =
          new KafkaExporter(
              link(prefix, kafka.bootstrapServers(), 5),
              store.outbox(),
              store.console().reviews(),
              new BellwatchMeters(new SimpleMeterRegistry()),
              Clock.systemUTC(),
              () -> "ok")) {
        exporter.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> store.outbox().pending() == 0);
      }
    }
    List<String> sent =
        TopicReader.readAll(kafka.bootstrapServers(), prefix + ".blocks.lincoln-ms").stream()
            .map(m -> m.value().get("event_id").asText())
            .toList();
    assertThat(sent).containsExactlyElementsOf(ids);
  }

  /** The rollups topic as a compacting consumer keeps it: the last message per key. */
  private static Map<String, JsonNode> latestRollups(String topic) {
    Map<String, JsonNode> out = new TreeMap<>();
    for (Message m : TopicReader.readAll(kafka.bootstrapServers(), topic)) {
      out.put(m.key(), m.value());
    }
    return out;
  }

  /** A rollup message as expected, but for {@code as_of} (the time it was read from the store). */
  private static JsonNode rollup(String day, long attempts, long instructional, String domains) {
    try {
      return JSON.readTree(
          "{\"v\":1,\"type\":\"rollup\",\"site_id\":\"lincoln-ms\",\"site_name\":\"Lincoln Middle\","
              + "\"day\":\""
              + day
              + "\",\"timezone\":\"America/Denver\",\"attempts\":"
              + attempts
              + ",\"instructional\":"
              + instructional
              + ",\"domains\":["
              + domains
              + "],\"left_out\":{\"domains\":0,\"attempts\":0,\"instructional\":0}}");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String domain(String name, long attempts, long instructional) {
    return "{\"domain\":\""
        + name
        + "\",\"attempts\":"
        + attempts
        + ",\"instructional\":"
        + instructional
        + "}";
  }

  /** The messages without their {@code as_of}, which must be an instant. */
  private static Map<String, JsonNode> withoutAsOf(Map<String, JsonNode> messages) {
    Map<String, JsonNode> out = new TreeMap<>();
    messages.forEach(
        (k, v) -> {
          ObjectNode copy = v.deepCopy();
          Instant.parse(copy.remove("as_of").asText());
          out.put(k, copy);
        });
    return out;
  }

  @Test
  void eachSchoolDaysRollupIsPublishedBySiteAndDayAndSentAgainWhenLateEvidenceOrAnOutageChangesIt()
      throws Exception {
    String prefix = "rollups";
    String topic = prefix + ".rollups.lincoln-ms";
    kafka.createTopics(new Topics(prefix).ofSite("lincoln-ms"), 3, 1);
    ZoneId denver = ZoneId.of("America/Denver");
    // Monday 09:00 in Denver, and 00:00:30 on Tuesday: its DNS answer, logged late, was on Monday.
    Instant tuesday = LocalDate.of(2026, 9, 15).atStartOfDay(denver).toInstant().plusSeconds(30);
    BlockEvent afterMidnight = DistrictEvents.block(tuesday, 0, "video.example");
    try (EventStore store = EventStore.open(storeDir, denver, false)) {
      store.recordOutbox();
      store.append(
          List.of(
              DistrictEvents.block(MONDAY, 0, "games.example"),
              DistrictEvents.block(MONDAY, 1, "games.example"),
              DistrictEvents.block(MONDAY, 2, "video.example"),
              afterMidnight,
              DistrictEvents.block(tuesday, 3, "games.example")));
      try (KafkaExporter exporter = exporter(prefix, store)) {
        exporter.start();
        Map<String, JsonNode> first =
            Map.of(
                "lincoln-ms/2026-09-14",
                rollup(
                    "2026-09-14",
                    3,
                    2,
                    domain("games.example", 2, 1) + "," + domain("video.example", 1, 1)),
                "lincoln-ms/2026-09-15",
                rollup(
                    "2026-09-15",
                    2,
                    1,
                    domain("games.example", 1, 0) + "," + domain("video.example", 1, 1)));
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> withoutAsOf(latestRollups(topic)).equals(first));
        assertThat(TopicReader.readAll(kafka.bootstrapServers(), topic))
            .extracting(Message::partition)
            .containsOnly(Topics.partition("lincoln-ms", 3));

        // Late evidence moves the attempt after midnight to Monday: both days are sent again.
        store.write(
            List.of(),
            List.of(
                new EventStore.Replacement(
                    afterMidnight,
                    new BlockAttempt(
                        DistrictEvents.withEvidence(
                            DistrictEvents.block(tuesday.minusSeconds(40), 0, "video.example"),
                            "squid: TCP_DENIED/403"),
                        null))),
            Map.of(),
            List.of());
        Map<String, JsonNode> moved =
            Map.of(
                "lincoln-ms/2026-09-14",
                rollup(
                    "2026-09-14",
                    4,
                    3,
                    domain("games.example", 2, 1) + "," + domain("video.example", 2, 2)),
                "lincoln-ms/2026-09-15",
                rollup("2026-09-15", 1, 0, domain("games.example", 1, 0)));
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    store.outbox().changedRollups(10).isEmpty()
                        && withoutAsOf(latestRollups(topic)).equals(moved));

        // The link is down for a while: Wednesday changes three times, and is one day to send.
        int broker = kafka.brokerIds().get(0);
        kafka.stopBroker(broker);
        Instant wednesday = MONDAY.plus(Duration.ofDays(2));
        for (int i = 0; i < 3; i++) {
          store.append(List.of(DistrictEvents.block(wednesday, i, "chat.example")));
        }
        assertThat(store.outbox().changedRollups(10))
            .extracting(Outbox.RollupDay::day)
            .containsExactly(LocalDate.of(2026, 9, 16));
        kafka.restartBroker(broker);
        Map<String, JsonNode> caughtUp = new TreeMap<>(moved);
        caughtUp.put(
            "lincoln-ms/2026-09-16", rollup("2026-09-16", 3, 2, domain("chat.example", 3, 2)));
        await()
            .atMost(Duration.ofSeconds(120))
            .until(
                () ->
                    store.outbox().changedRollups(10).isEmpty()
                        && withoutAsOf(latestRollups(topic)).equals(caughtUp));
      }
    }
  }
}
