package org.bellwatch.agent.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.config.KafkaLink;
import org.bellwatch.agent.export.Messages;
import org.bellwatch.agent.export.Topics;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.testing.KafkaBrokers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub commits a poll's offsets only once its store's log is synced to disk after the poll's
 * write: a power cut then loses nothing Kafka would not deliver again.
 */
class HubConsumerDurabilityTest {
  private static final String SITE = "adams-es";
  private static final int MESSAGES = 40;

  @TempDir Path dir;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final KafkaBrokers kafka;
  private final String prefix = "durable" + System.nanoTime();
  private final Topics topics = new Topics(prefix);
  private final String groupId = prefix + "-hub";

  HubConsumerDurabilityTest() throws Exception {
    kafka = KafkaBrokers.shared();
  }

  /** Health messages, one after another, each with its number as its export backlog. */
  private void send() throws Exception {
    kafka.createTopics(topics.ofSite(SITE), 1, 1);
    try (KafkaProducer<String, byte[]> p = kafka.producer()) {
      Instant t = Instant.parse("2026-12-07T15:00:00Z");
      for (int i = 0; i < MESSAGES; i++) {
        byte[] m = Messages.health(SITE, "Adams", t.plusSeconds(i), "ok", i);
        p.send(new ProducerRecord<>(topics.health(SITE), SITE, m)).get();
      }
    }
  }

  private Map<TopicPartition, Long> committed() throws Exception {
    try (Admin admin = kafka.admin()) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
      return offsets.entrySet().stream()
          .filter(e -> e.getValue() != null)
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
  }

  private HubConsumer consumer(DistrictStore store, StoreSyncs.Log storeLog) {
    KafkaLink link = KafkaBrokers.plaintextLink(kafka.bootstrapServers(), prefix, null, null);
    HubConfig cfg =
        new HubConfig(
            "District", link, groupId, dir, InetAddress.getLoopbackAddress(), 0, List.of());
    return new HubConsumer(cfg, store, new BellwatchMeters(registry), storeLog);
  }

  private static long lastStored(DistrictStore store) throws Exception {
    var school = store.schools().get(SITE);
    return school == null ? -1 : school.path("health").path("export_pending").asLong(-1);
  }

  private long syncs() {
    var t = registry.find(BellwatchMeters.HUB_STORE_SYNC).tag("result", "ok").timer();
    return t == null ? 0 : t.count();
  }

  @Test
  void storedMessagesOffsetsAreNotCommittedUntilTheStoresLogIsSyncedAfterTheirWrite()
      throws Exception {
    send();
    CountDownLatch diskDone = new CountDownLatch(1);
    try (DistrictStore store = DistrictStore.open(dir.resolve("store"), ZoneOffset.UTC)) {
      // The store's own sync, held back as on a slow disk until the test lets it end.
      StoreSyncs.Log slowDisk =
          () -> {
            store.syncLog();
            try {
              diskDone.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          };
      HubConsumer consumer = consumer(store, slowDisk);
      try {
        consumer.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> lastStored(store) == MESSAGES - 1);

        // Written, but its sync not ended: nothing is committed.
        await()
            .during(Duration.ofMillis(2_000))
            .atMost(Duration.ofSeconds(5))
            .until(() -> committed().isEmpty());
        assertThat(syncs()).isZero();

        diskDone.countDown();

        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    committed()
                        .equals(
                            Map.of(new TopicPartition(topics.health(SITE), 0), (long) MESSAGES)));
        assertThat(syncs()).isPositive();
      } finally {
        diskDone.countDown();
        consumer.close();
      }
    }
  }
}
