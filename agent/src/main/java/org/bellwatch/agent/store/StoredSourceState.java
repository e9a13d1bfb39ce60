package org.bellwatch.agent.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.bellwatch.agent.event.Lease;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The {@code offsets} family (source name to an 8-byte big-endian offset) and the {@code leases}
 * family ({@link LeaseRecords}). Writes go into the event store's batch ({@link #addTo}), never
 * alone.
 */
final class StoredSourceState implements SourceState {
  private final RocksFamilies families;

  StoredSourceState(RocksFamilies families) {
    this.families = families;
  }

  /**
   * Adds offsets and changed lease records to a write batch (a record changed twice keeps its last
   * value).
   */
  void addTo(WriteBatch wb, Map<String, Long> sourceOffsets, List<Lease> leaseChanges)
      throws RocksDBException {
    for (Map.Entry<String, Long> o : sourceOffsets.entrySet()) {
      wb.put(
          families.offsets,
          o.getKey().getBytes(StandardCharsets.UTF_8),
          ByteBuffer.allocate(8).putLong(o.getValue()).array());
    }
    for (Lease l : leaseChanges) {
      wb.put(families.leases, LeaseRecords.key(l), LeaseRecords.value(l));
    }
  }

  @Override
  public OptionalLong offset(String source) throws StoreException {
    try {
      byte[] v = families.db.get(families.offsets, source.getBytes(StandardCharsets.UTF_8));
      return v == null || v.length != 8
          ? OptionalLong.empty()
          : OptionalLong.of(ByteBuffer.wrap(v).getLong());
    } catch (RocksDBException e) {
      throw new StoreException("store " + families.dir + ": read failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Map<String, Long> offsets(String prefix) throws StoreException {
    Map<String, Long> out = new TreeMap<>();
    byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = families.db.newIterator(families.offsets, ro)) {
      for (it.seek(p); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (k.length < p.length || !Arrays.equals(k, 0, p.length, p, 0, p.length)) {
          break;
        }
        byte[] v = it.value();
        if (v.length == 8) {
          out.put(new String(k, StandardCharsets.UTF_8), ByteBuffer.wrap(v).getLong());
        }
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StoreException("store " + families.dir + ": read failed: " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public void forEachLease(Instant after, Consumer<Lease> consumer) throws StoreException {
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = families.db.newIterator(families.leases, ro)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        Lease l = LeaseRecords.read(it.key(), it.value());
        if (l.end().isAfter(after)) {
          consumer.accept(l);
        }
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StoreException(
          "store " + families.dir + ": cannot read the lease history: " + e.getMessage(), e);
    }
  }

  @Override
  public void deleteLeasesBefore(Instant cutoff) throws StoreException {
    families.deleteRange(
        families.leases, LeaseRecords.firstKeyAt(Instant.EPOCH), LeaseRecords.firstKeyAt(cutoff));
  }
}
