package org.bellwatch.agent.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.bellwatch.agent.export.Messages;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A poll's offsets become committable only once a sync of the store's log that started after its
 * write has ended.
 */
class DurableOffsetsTest {
  private static final TopicPartition A = new TopicPartition("d.blocks.adams-es", 0);
  private static final TopicPartition B = new TopicPartition("d.blocks.baker-ms", 1);

  @TempDir Path dir;

  private static Map<TopicPartition, OffsetAndMetadata> at(TopicPartition tp, long offset) {
    return Map.of(tp, new OffsetAndMetadata(offset));
  }

  @Test
  void offsetsOfAPollWrittenAfterASyncStartedAreNotCommittableUntilTheNextSync() {
    DurableOffsets offsets = new DurableOffsets();
    offsets.written(at(A, 10));
    assertThat(offsets.syncStarting()).isTrue();
    offsets.written(at(A, 20));
    assertThat(offsets.takeDurable()).as("the sync has not ended").isEmpty();

    offsets.synced();

    assertThat(offsets.takeDurable()).isEqualTo(at(A, 10));
    assertThat(offsets.takeDurable()).as("taken once").isEmpty();
    assertThat(offsets.unsynced()).isTrue();
    assertThat(offsets.syncStarting()).isTrue();
    offsets.synced();
    assertThat(offsets.takeDurable()).isEqualTo(at(A, 20));
    assertThat(offsets.syncStarting()).as("nothing left to sync").isFalse();
  }

  @Test
  void eachPartitionCommitsTheNewestOffsetItsSyncedPollsReached() {
    DurableOffsets offsets = new DurableOffsets();
    offsets.written(Map.of(A, new OffsetAndMetadata(5), B, new OffsetAndMetadata(7)));
    offsets.written(at(A, 9));
    offsets.syncStarting();
    offsets.synced();
    offsets.written(at(B, 12));

    assertThat(offsets.takeDurable())
        .isEqualTo(Map.of(A, new OffsetAndMetadata(9), B, new OffsetAndMetadata(7)));
  }

  @Test
  void aSyncThatEndsAfterANewConsumerStartedMakesNoneOfTheOldConsumersPollsCommittable() {
    DurableOffsets offsets = new DurableOffsets();
    offsets.written(at(A, 10));
    offsets.syncStarting();
    offsets.clear();
    offsets.synced();

    assertThat(offsets.takeDurable()).isEmpty();
  }

  @Test
  void aSyncOfTheRealStoreMakesThePollsWrittenBeforeItCommittableAndIsCounted() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DurableOffsets offsets = new DurableOffsets();
    try (DistrictStore store = DistrictStore.open(dir.resolve("store"), ZoneOffset.UTC);
        StoreSyncs syncs =
            new StoreSyncs(
                offsets, store::syncLog, new BellwatchMeters(registry), Duration.ofHours(1))) {
      byte[] health =
          Messages.health("adams-es", "Adams", Instant.parse("2026-12-07T15:00:00Z"), "ok", 0);
      store.apply(
          List.of(
              new DistrictStore.Change.Health(
                  "adams-es", "Adams", DistrictFamilies.JSON.readTree(health))));
      offsets.written(at(A, 1));

      syncs.sync();
      syncs.sync();

      assertThat(offsets.takeDurable()).isEqualTo(at(A, 1));
      assertThat(registry.get(BellwatchMeters.HUB_STORE_SYNC).tag("result", "ok").timer().count())
          .as("a sync with nothing written is skipped")
          .isEqualTo(1);
    }
  }

  @Test
  void afterAFailedSyncNoLaterSyncMakesAPollCommittableUntilTheConsumerStartsAgain()
      throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DurableOffsets offsets = new DurableOffsets();
    boolean[] fail = {true};
    StoreSyncs.Log disk =
        () -> {
          if (fail[0]) {
            throw new StoreException("hub store: write failed: fsync: EIO", null);
          }
        };
    try (StoreSyncs syncs =
        new StoreSyncs(offsets, disk, new BellwatchMeters(registry), Duration.ofHours(1))) {
      offsets.written(at(A, 10));
      assertThatThrownBy(syncs::sync).hasMessageContaining("EIO");
      fail[0] = false;
      offsets.written(at(A, 20));

      // The kernel may have dropped the failed sync's pages: a later fsync would succeed without
      // them.
      assertThatThrownBy(syncs::sync).hasMessageContaining("EIO");
      assertThatThrownBy(syncs::check).hasMessageContaining("EIO");
      assertThat(offsets.takeDurable()).isEmpty();
      assertThat(
              registry.get(BellwatchMeters.HUB_STORE_SYNC).tag("result", "failed").timer().count())
          .isEqualTo(1);

      syncs.reset();
      offsets.written(at(A, 5));
      syncs.sync();
      assertThat(offsets.takeDurable()).isEqualTo(at(A, 5));
    }
  }
}
