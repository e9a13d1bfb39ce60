package org.bellwatch.agent.hub;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bellwatch.agent.store.StoreException;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The hub ingest benchmark's two ceilings below Kafka ({@code HubIngestBench}): how fast this
 * machine stores the same block messages when no Kafka consumer shares it. In this package so that
 * both open the store exactly as the hub does ({@link DistrictFamilies#open}: its RocksDB options,
 * its WAL, its Bloom filters), with nothing copied into the benchmark.
 */
public final class StoreCeiling {
  private StoreCeiling() {}

  /**
   * RocksDB alone: each message put under the hub's key ({@link DistrictFamilies#key}: site, 0x00,
   * event id, read from the message before the clock starts) in batches of a poll's size ({@link
   * HubConsumer#MAX_POLL_RECORDS}), each batch's keys first looked up in one multi-get as the hub's
   * redelivery check does; no parsing, no counting. Events a second.
   */
  public static double rocksAlone(Path dir, List<byte[]> values) throws StoreException {
    int batch = HubConsumer.MAX_POLL_RECORDS;
    List<byte[]> keys = new ArrayList<>(values.size());
    for (byte[] v : values) {
      BlockMessage m = BlockMessage.read(v).message();
      keys.add(DistrictFamilies.key(m.site(), m.eventId()));
    }
    try (DistrictFamilies f = DistrictFamilies.open(dir)) {
      long t0 = System.nanoTime();
      for (int i = 0; i < keys.size(); i += batch) {
        List<byte[]> ks = keys.subList(i, Math.min(keys.size(), i + batch));
        f.db.multiGetAsList(Collections.nCopies(ks.size(), f.blocks), ks);
        try (WriteBatch wb = new WriteBatch()) {
          for (int j = 0; j < ks.size(); j++) {
            wb.put(f.blocks, ks.get(j), values.get(i + j));
          }
          f.db.write(f.writeOptions, wb);
        }
      }
      f.db.syncWal();
      return keys.size() / ((System.nanoTime() - t0) / 1e9);
    } catch (RocksDBException e) {
      throw new StoreException("store ceiling: " + e.getMessage(), e);
    }
  }

  /**
   * The hub's store path without Kafka: each poll's worth of messages read ({@link
   * BlockMessage#read}), prepared and applied as {@link HubConsumer} does, on one thread (no
   * overlap of preparing and writing). Events a second.
   */
  public static double storePath(Path dir, List<byte[]> values) throws StoreException {
    int batch = HubConsumer.MAX_POLL_RECORDS;
    try (DistrictStore store = DistrictStore.open(dir, ZoneOffset.UTC)) {
      long t0 = System.nanoTime();
      for (int i = 0; i < values.size(); i += batch) {
        List<DistrictStore.Change> changes = new ArrayList<>(batch);
        for (byte[] v : values.subList(i, Math.min(values.size(), i + batch))) {
          changes.add(new DistrictStore.Change.Block(BlockMessage.read(v).message()));
        }
        store.apply(store.prepare(changes));
      }
      store.syncLog();
      return values.size() / ((System.nanoTime() - t0) / 1e9);
    }
  }
}
