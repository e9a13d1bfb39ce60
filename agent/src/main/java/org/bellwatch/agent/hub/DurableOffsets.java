package org.bellwatch.agent.hub;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which polls' offsets may go to Kafka: those of polls whose store write is on disk. A write
 * returns once its log record is in the kernel's page cache, which a killed process keeps but a
 * power cut does not; so a written poll's offsets wait for the next sync of the store's log to
 * start and end ({@link StoreSyncs}), and only then are they committable. A poll written while a
 * sync runs may or may not be in it, so it waits for the one after.
 *
 * <p>Offsets per partition only grow (polls are written in order), so each stage keeps the newest
 * offset of each partition. Thread-safe: the consumer's thread adds written polls and takes durable
 * offsets, the sync thread moves them between.
 */
final class DurableOffsets {
  /** Written since the last sync started. */
  private Map<TopicPartition, OffsetAndMetadata> written = new HashMap<>();

  /** Written before the sync in progress started. */
  private Map<TopicPartition, OffsetAndMetadata> syncing = new HashMap<>();

  /** On disk, not yet taken to be committed. */
  private final Map<TopicPartition, OffsetAndMetadata> durable = new HashMap<>();

  /** A poll whose store write has returned: its next offsets. */
  synchronized void written(Map<TopicPartition, OffsetAndMetadata> offsets) {
    newest(written, offsets);
  }

  /**
   * A sync of the store's log is starting: every poll written so far will be on disk when it ends.
   * Returns whether there is any.
   */
  synchronized boolean syncStarting() {
    newest(syncing, written);
    written = new HashMap<>();
    return !syncing.isEmpty();
  }

  /** The sync that last started has ended: the polls written before it are durable. */
  synchronized void synced() {
    newest(durable, syncing);
    syncing = new HashMap<>();
  }

  /** Whether a poll was written that no sync has started for. */
  synchronized boolean unsynced() {
    return !written.isEmpty();
  }

  /** The newest durable offset of each partition not taken before (empty when none). */
  synchronized Map<TopicPartition, OffsetAndMetadata> takeDurable() {
    Map<TopicPartition, OffsetAndMetadata> out = Map.copyOf(durable);
    durable.clear();
    return out;
  }

  /**
   * Forgets every offset: a new consumer reads again from the committed ones, and must not commit
   * what an earlier member of the group read.
   */
  synchronized void clear() {
    written = new HashMap<>();
    syncing = new HashMap<>();
    durable.clear();
  }

  private static void newest(
      Map<TopicPartition, OffsetAndMetadata> into, Map<TopicPartition, OffsetAndMetadata> from) {
    from.forEach((tp, o) -> into.merge(tp, o, (a, b) -> a.offset() >= b.offset() ? a : b));
  }
}
