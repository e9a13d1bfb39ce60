package org.bellwatch.agent.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.bellwatch.agent.config.KafkaLink;
import org.bellwatch.agent.export.Messages;
import org.bellwatch.agent.export.Topics;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.store.EventStore.EventRef;
import org.bellwatch.agent.store.Outbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub refuses a message that names another school than the topic it was written to (the brokers
 * let a school write its own topics only, so the topic is the school's word), and a message whose
 * Kafka key names another site than its body: a school's exporter keys every message by its own
 * site id, so only a broken or forging producer writes such a one.
 */
class HubConsumerKeyTest {
  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** The records as one poll hands them over: grouped by their topic's partition, in order. */
  private List<DistrictStore.Change> read(List<ConsumerRecord<String, byte[]>> records) {
    Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> poll = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      poll.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), tp -> new ArrayList<>())
          .add(r);
    }
    return new PollChanges(new Topics("keys"), new BellwatchMeters(registry))
        .changes(new ConsumerRecords<>(poll));
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

    assertThat(rejected(PollChanges.KEY_MISMATCH)).isEqualTo(2);
    assertThat(stored).hasSize(2);
    assertThat(((DistrictStore.Change.Block) stored.get(0)).message().site()).isEqualTo("baker-ms");
    assertThat(((DistrictStore.Change.Health) stored.get(1)).site()).isEqualTo("baker-ms");
  }

  @Test
  void messagesOnASchoolsOwnTopicsThatNameAnotherSchoolAreRefusedAsSiteMismatchAndCounted()
      throws Exception {
    var e = DistrictStoreTest.GAMES;
    String id = Outbox.id(EventRef.of(e));
    Outbox.Entry entry = new Outbox.Entry(1, EventRef.of(e), null, e);
    Instant t = Instant.parse("2026-09-15T15:00:00Z");
    byte[] bakerBlock = Messages.block("baker-ms", "Baker", entry);
    byte[] adamsBlock = Messages.block("adams-es", "Adams", entry);
    byte[] bakerHealth = Messages.health("baker-ms", "Baker", t, "ok", 0);
    byte[] adamsHealth = Messages.health("adams-es", "Adams", t, "ok", 0);
    byte[] bakerRequest =
        Messages.request(
            "baker-ms",
            "Baker",
            "games.example",
            new Review.Entry(
                t,
                "t1",
                "teacher",
                Review.REQUESTED,
                "For class",
                List.of(),
                null,
                null,
                null,
                null,
                null,
                null));
    Topics topics = new Topics("keys");
    String blocks = topics.blocks("adams-es");
    String health = topics.health("adams-es");
    List<DistrictStore.Change> stored =
        read(
            List.of(
                // Key and body alike, both Baker's, on Adams's topic: as a forger writes them.
                new ConsumerRecord<>(blocks, 0, 0, "baker-ms/" + id, bakerBlock),
                new ConsumerRecord<>(blocks, 0, 1, "adams-es/" + id, bakerBlock),
                new ConsumerRecord<>(blocks, 0, 2, "baker-ms/" + id, adamsBlock),
                new ConsumerRecord<>(health, 0, 3, "baker-ms", bakerHealth),
                new ConsumerRecord<>(health, 0, 4, "baker-ms", adamsHealth),
                new ConsumerRecord<>(topics.requests("adams-es"), 0, 5, "baker-ms", bakerRequest),
                new ConsumerRecord<>(blocks, 0, 6, "adams-es/" + id, adamsBlock),
                new ConsumerRecord<>(health, 0, 7, "adams-es", adamsHealth)));

    assertThat(rejected(PollChanges.SITE_MISMATCH)).isEqualTo(6);
    assertThat(rejected(PollChanges.KEY_MISMATCH)).isZero();
    assertThat(stored).hasSize(2);
    var block = (DistrictStore.Change.Block) stored.get(0);
    assertThat(block.message().site()).isEqualTo("adams-es");
    assertThat(block.message().eventId()).isEqualTo(id);
    assertThat(((DistrictStore.Change.Health) stored.get(1)).site()).isEqualTo("adams-es");
  }

  @Test
  void aSchoolsTopicNameGivesItsKindAndSchoolAndTheSharedTopicsOfBeforeGiveNoSchool() {
    Topics topics = new Topics("d.x");
    assertThat(topics.origin("d.x.blocks.adams-es"))
        .isEqualTo(new Topics.Origin("blocks", "adams-es"));
    assertThat(topics.origin("d.x.requests.a_b")).isEqualTo(new Topics.Origin("requests", "a_b"));
    assertThat(topics.origin("d.x.health")).isEqualTo(new Topics.Origin("health", null));
    // Not read: another prefix, the prefix's dot as any character, rollups and decisions, site
    // parts that are no site id, a name with more parts.
    for (String other :
        List.of(
            "d.xx.blocks.adams-es",
            "dax.blocks.adams-es",
            "d.x.rollups.adams-es",
            "d.x.decisions",
            "d.x.blocks.Adams",
            "d.x.blocks.-adams",
            "d.x.blocks.adams.es",
            "d.x.blocks." + "a".repeat(65))) {
      assertThat(topics.origin(other)).as(other).isNull();
    }
  }

  @Test
  void theLongestPrefixAndSiteIdMakeTopicNamesKafkaTakes() {
    String prefix = "p".repeat(KafkaLink.MAX_TOPIC_PREFIX);
    String site = "s".repeat(64);
    Topics topics = new Topics(prefix);
    assertThat(topics.requests(site)).hasSize(249);
    for (String name : topics.ofSite(site)) {
      org.apache.kafka.common.internals.Topic.validate(name);
    }
    org.apache.kafka.common.internals.Topic.validate(topics.decisions());
  }
}
