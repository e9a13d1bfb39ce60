package org.bellwatch.agent.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.export.Messages;
import org.bellwatch.agent.export.Topics;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.store.EventStore.EventRef;
import org.bellwatch.agent.store.Outbox;
import org.bellwatch.agent.testing.DistrictEvents;
import org.bellwatch.agent.testing.KafkaBrokers;
import org.bellwatch.agent.testing.ShiftedClock;
import org.bellwatch.agent.testing.TopicReader;
import org.bellwatch.agent.web.Passwords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/kafka.md, "Upgrading from shared topics": the hub reads the shared topics of before beside
 * the schools' own, so what a school sent before its upgrade and what it sends after both reach the
 * hub, once each.
 */
class SharedTopicsUpgradeTest {
  private static final Instant MONDAY = Instant.parse("2026-09-14T15:00:00Z");
  private static final String IT_PASSWORD = "district it password 1";
  @TempDir Path dir;

  @Test
  void aSchoolsBlocksFromBeforeAndAfterItMovedToItsOwnTopicsReachTheHubOnceEach() throws Exception {
    KafkaBrokers kafka = KafkaBrokers.shared();
    String prefix = "upgrade";
    Topics topics = new Topics(prefix);
    kafka.createTopics(List.of(prefix + ".blocks", prefix + ".health", prefix + ".requests"), 3, 1);
    kafka.createDistrictTopics(prefix, List.of("adams-es"), 1, 1);

    // Before the upgrade the school stored an event and its exporter sent it as the exporter of
    // before did (the shared topic, the school's partition, key SITE_ID/EVENT_ID); Kafka
    // acknowledged it, so the school's cursor is past it.
    ZoneId zone = ZoneId.of("America/Chicago");
    BlockEvent before = DistrictEvents.block(MONDAY, 0, "before.example");
    String beforeId = Outbox.id(EventRef.of(before));
    try (EventStore store = EventStore.open(dir.resolve("adams"), zone, false)) {
      store.recordOutbox();
      store.append(List.of(before));
      List<Outbox.Entry> sent = store.outbox().after(store.outbox().cursor(), 10);
      assertThat(sent).hasSize(1);
      store.outbox().acknowledge(sent.get(0).seq());
    }
    try (KafkaProducer<String, byte[]> p = kafka.producer()) {
      p.send(
              new ProducerRecord<>(
                  prefix + ".blocks",
                  Topics.partition("adams-es", 3),
                  Messages.blockKey("adams-es", beforeId),
                  Messages.block(
                      "adams-es",
                      "Adams Elementary",
                      new Outbox.Entry(1, EventRef.of(before), null, before))))
          .get();
    }

    HubConfig cfg =
        new HubConfig(
            "Springfield",
            KafkaBrokers.plaintextLink(kafka.bootstrapServers(), prefix, null, null),
            prefix + "-hub",
            dir.resolve("hub"),
            InetAddress.getLoopbackAddress(),
            0,
            List.of(
                new HubConfig.Account(
                    "it", "district_it", null, Passwords.hash(IT_PASSWORD.toCharArray(), 1000))));
    try (DistrictSite adams =
            new DistrictSite(
                "adams-es",
                "Adams Elementary",
                zone,
                dir.resolve("adams"),
                prefix,
                kafka.bootstrapServers());
        Hub hub = Hub.start(cfg, new ShiftedClock(MONDAY.plus(Duration.ofDays(4))))) {
      BlockEvent after = DistrictEvents.block(MONDAY, 1, "after.example");
      adams.store.append(List.of(after));
      List<String> both =
          List.of("adams-es/" + Outbox.id(EventRef.of(after)), "adams-es/" + beforeId);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> DistrictTest.blockKeys(hub, "it", IT_PASSWORD), keys -> keys.size() >= 2);
      assertThat(DistrictTest.blockKeys(hub, "it", IT_PASSWORD)).containsExactlyElementsOf(both);
      assertThat(TopicReader.readAll(kafka.bootstrapServers(), topics.blocks("adams-es")))
          .as("the upgraded school sent, on its own topic, only what Kafka had not acknowledged")
          .extracting(m -> m.value().get("event_id").asText())
          .containsExactly(Outbox.id(EventRef.of(after)));
      assertThat(sharedTopicMessages(hub))
          .as("the hub's metrics name what still came from the shared topic")
          .isEqualTo("bellwatch_hub_shared_topic_messages_total{school=\"unlisted\",} 1.0");
    }
  }

  /** The hub's count of messages read from the shared topics, from its {@code /metrics}. */
  private static String sharedTopicMessages(Hub hub) throws Exception {
    return DistrictAclsTest.metricLines(hub)
        .filter(l -> l.startsWith("bellwatch_hub_shared_topic_messages_total{"))
        .reduce((a, b) -> a + "\n" + b)
        .orElse("");
  }
}
