package org.bellwatch.agent.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The school days whose rollups changed since the export last sent them: one key per day in the
 * offsets family, beside the export's cursor, written in the same WriteBatch as the counts that
 * changed, so a crash cannot lose a change the district has not seen. A day is one key however
 * often it changes while the link is down: an outage of days leaves one mark per day, not one per
 * batch.
 *
 * <p>Key: {@link #PREFIX} then the school-local epoch day (4 bytes, big-endian). Value: the RocksDB
 * sequence number before the write that marked it (8 bytes), which every later write exceeds: the
 * exporter clears a mark only if it still holds the version it read before reading the day's counts
 * ({@link #clear}), so a change made while a day was being sent is sent again.
 */
final class RollupMarks {
  static final byte[] PREFIX = "export:kafka:rollup:".getBytes(StandardCharsets.UTF_8);

  /** A day to send and the version of its mark when it was read. */
  record Mark(LocalDate day, long version) {}

  private final RocksFamilies families;

  RollupMarks(RocksFamilies families) {
    this.families = families;
  }

  static byte[] key(int epochDay) {
    return ByteBuffer.allocate(PREFIX.length + 4).put(PREFIX).putInt(epochDay).array();
  }

  /** Marks the days in the batch about to be written. */
  void addTo(WriteBatch wb, Set<Integer> epochDays) throws RocksDBException {
    if (epochDays.isEmpty()) {
      return;
    }
    byte[] version = ByteBuffer.allocate(8).putLong(families.db.getLatestSequenceNumber()).array();
    for (int day : epochDays) {
      wb.put(families.offsets, key(day), version);
    }
  }

  /** Up to {@code max} marked days, oldest first. */
  List<Mark> list(int max) throws StoreException {
    List<Mark> out = new ArrayList<>();
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = families.db.newIterator(families.offsets, ro)) {
      for (it.seek(PREFIX); it.isValid() && out.size() < max; it.next()) {
        byte[] k = it.key();
        if (k.length != PREFIX.length + 4
            || !Arrays.equals(k, 0, PREFIX.length, PREFIX, 0, PREFIX.length)) {
          break;
        }
        int day = ByteBuffer.wrap(k, PREFIX.length, 4).getInt();
        out.add(new Mark(LocalDate.ofEpochDay(day), ByteBuffer.wrap(it.value()).getLong()));
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StoreException(
          "store " + families.dir + ": cannot read the export's rollup days: " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Clears the marks that still hold the version read; the caller holds the writer's lock, so no
   * write can mark a day between the comparison and the delete.
   */
  void clear(List<Mark> sent) throws StoreException {
    try (WriteBatch wb = new WriteBatch()) {
      for (Mark m : sent) {
        byte[] k = key((int) m.day().toEpochDay());
        byte[] v = families.db.get(families.offsets, k);
        if (v != null && v.length == 8 && ByteBuffer.wrap(v).getLong() == m.version()) {
          wb.delete(families.offsets, k);
        }
      }
      families.db.write(families.writeOptions, wb);
    } catch (RocksDBException e) {
      throw new StoreException(
          "store " + families.dir + ": cannot store the export's rollup days: " + e.getMessage(),
          e);
    }
  }
}
