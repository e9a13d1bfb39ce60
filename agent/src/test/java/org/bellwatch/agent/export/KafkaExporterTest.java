package org.bellwatch.agent.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  private static KafkaLink link(String prefix, String bootstrap, long lagWarn) {
    return new KafkaLink(
        List.of(bootstrap),
        prefix,
        "lincoln-ms",
        "Lincoln Middle",
        "PLAINTEXT",
        null,
        null,
        null,
        null,
        Duration.ofSeconds(6),
        lagWarn);
  }

  @Test
  void storedEventsAndTheirLateEvidenceReachKafkaKeyedBySiteAndEventInStoreOrder()
      throws Exception {
    String prefix = "order";
    kafka.createTopics(List.of(prefix + ".blocks", prefix + ".health"), 3, 1);
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
      try (KafkaExporter exporter =
          new KafkaExporter(
              link(prefix, kafka.bootstrapServers(), 100),
              store.outbox(),
              store.console().reviews(),
              new BellwatchMeters(new SimpleMeterRegistry()),
              Clock.systemUTC(),
              () -> "ok")) {
        exporter.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> store.outbox().pending() == 0);
      }
      String firstId = Outbox.id(EventStore.EventRef.of(first));
      String secondId = Outbox.id(EventStore.EventRef.of(second));
      List<Message> blocks = TopicReader.readAll(kafka.bootstrapServers(), prefix + ".blocks");
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
      assertThat(TopicReader.readAll(kafka.bootstrapServers(), prefix + ".health"))
          .first()
          .satisfies(h -> assertThat(h.value().get("status").asText()).isEqualTo("ok"));
    }
  }

  @Test
  void aStoresHistoryIsSentOnceInOrderWhenItsExportIsEnabledAlsoWhenTheAgentStopsMidWay()
      throws Exception {
    String prefix = "history";
    kafka.createTopics(List.of(prefix + ".blocks", prefix + ".health"), 1, 1);
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
        TopicReader.readAll(kafka.bootstrapServers(), prefix + ".blocks").stream()
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
    kafka.createTopics(List.of(prefix + ".blocks", prefix + ".health"), 1, 1);
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
        TopicReader.readAll(kafka.bootstrapServers(), prefix + ".blocks").stream()
            .map(m -> m.value().get("event_id").asText())
            .toList();
    assertThat(sent).containsExactlyElementsOf(ids);
  }
}
