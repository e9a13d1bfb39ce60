package org.bellwatch.agent.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.config.KafkaLink;
import org.bellwatch.agent.export.Messages;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.store.EventStore.EventRef;
import org.bellwatch.agent.store.Outbox;
import org.bellwatch.agent.testing.KafkaBrokers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub refuses a message whose Kafka key names another site than its body: a school's exporter
 * keys every message by its own site id, so only a broken or forging producer writes such a one.
 */
class HubConsumerKeyTest {
  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private List<DistrictStore.Change> read(List<ConsumerRecord<String, byte[]>> records)
      throws Exception {
    KafkaLink link = KafkaBrokers.plaintextLink("127.0.0.1:9", "keys", null, null);
    HubConfig cfg =
        new HubConfig("District", link, "g", dir, InetAddress.getLoopbackAddress(), 0, List.of());
    try (DistrictStore store = DistrictStore.open(dir, java.time.ZoneOffset.UTC)) {
      HubConsumer c = new HubConsumer(cfg, store, new BellwatchMeters(registry));
      return c.changes(new ConsumerRecords<>(Map.of(new TopicPartition("keys.x", 0), records)));
    }
  }

  private double rejected(String reason) {
    var c = registry.find(BellwatchMeters.HUB_REJECTED).tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void messagesKeyedByAnotherSiteThanTheirBodyNamesAreRefusedAsKeyMismatch() throws Exception {
    var e = DistrictStoreTest.GAMES;
    String id = Outbox.id(EventRef.of(e));
    byte[] block =
        Messages.block("baker-ms", "Baker", new Outbox.Entry(1, EventRef.of(e), null, e));
    byte[] health =
        Messages.health("baker-ms", "Baker", Instant.parse("2026-09-15T15:00:00Z"), "ok", 0);
    List<DistrictStore.Change> stored =
        read(
            List.of(
                new ConsumerRecord<>("keys.blocks", 0, 0, "adams-es/" + id, block),
                new ConsumerRecord<>("keys.health", 0, 1, "adams-es", health),
                new ConsumerRecord<>("keys.blocks", 0, 2, "baker-ms/" + id, block),
                new ConsumerRecord<>("keys.health", 0, 3, "baker-ms", health)));

    assertThat(rejected(HubConsumer.KEY_MISMATCH)).isEqualTo(2);
    assertThat(stored).hasSize(2);
    assertThat(((DistrictStore.Change.Block) stored.get(0)).message().site()).isEqualTo("baker-ms");
    assertThat(((DistrictStore.Change.Health) stored.get(1)).site()).isEqualTo("baker-ms");
  }
}
