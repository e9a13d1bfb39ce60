package org.bellwatch.agent.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bellwatch.agent.event.BlockEvent;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The {@code rollups} family: daily counters per school-local day, kind and domain, added with
 * RocksDB's {@code uint64add} merge operator so that writers never read-modify-write. Key: the
 * epoch day (4 bytes), the kind (1 byte), the domain (UTF-8). Counts change only inside the event
 * store's batches ({@link Batch}), so they always agree with the events stored.
 */
final class Rollups {
  /** Rollup kinds: the byte after the day in a rollup key. */
  static final byte ROLLUP_ATTEMPTS = 1;

  static final byte ROLLUP_INSTRUCTIONAL = 2;

  private final RocksFamilies families;
  private final DayOf dayOf;
  private final ZoneId zone;

  Rollups(RocksFamilies families, ZoneId zone) {
    this.families = families;
    this.dayOf = new DayOf(zone);
    this.zone = zone;
  }

  /** The school's time zone, whose calendar days the rollups count. */
  ZoneId zone() {
    return zone;
  }

  /** One rollup counter of a batch: school-local day, kind and domain. */
  private record Key(int day, byte kind, String domain) {}

  /**
   * The counters of one write batch, summed per key: one merge operand per day, kind and domain.
   */
  final class Batch {
    private final Map<Key, long[]> counts = new HashMap<>();

    /**
     * Adds {@code sign} to the event's attempts (and instructional) counter of its school-local day
     * and domain.
     */
    void count(long micros, BlockEvent e, int sign) {
      int day = dayOf.of(micros);
      counts.computeIfAbsent(new Key(day, ROLLUP_ATTEMPTS, e.domain()), k -> new long[1])[0] +=
          sign;
      if (e.instructional()) {
        counts
                .computeIfAbsent(new Key(day, ROLLUP_INSTRUCTIONAL, e.domain()), k -> new long[1])[
                0] +=
            sign;
      }
    }

    /** The school-local epoch days whose counters this batch changes. */
    Set<Integer> days() {
      Set<Integer> out = new TreeSet<>();
      counts.forEach(
          (k, c) -> {
            if (c[0] != 0) {
              out.add(k.day());
            }
          });
      return out;
    }

    void addTo(WriteBatch wb) throws RocksDBException {
      for (Map.Entry<Key, long[]> c : counts.entrySet()) {
        if (c.getValue()[0] != 0) {
          Key k = c.getKey();
          // uint64add wraps: adding the two's complement of a count takes it away.
          wb.merge(families.rollups, key(k.day(), k.kind(), k.domain()), operand(c.getValue()[0]));
        }
      }
    }
  }

  /**
   * Daily counters per domain for school-local days in [{@code from}, {@code to}], by day then
   * domain.
   */
  List<EventStore.DailyCount> dailyCounts(LocalDate from, LocalDate to) throws StoreException {
    Map<String, long[]> counts = new TreeMap<>();
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = families.db.newIterator(families.rollups, ro)) {
      byte[] end = key(to.plusDays(1), (byte) 0, "");
      for (it.seek(key(from, (byte) 0, "")); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (Arrays.compareUnsigned(k, end) >= 0) {
          break;
        }
        ByteBuffer b = ByteBuffer.wrap(k);
        LocalDate day = LocalDate.ofEpochDay(b.getInt());
        byte kind = b.get();
        String domain = new String(k, 5, k.length - 5, StandardCharsets.UTF_8);
        long[] c = counts.computeIfAbsent(day + "\u0000" + domain, x -> new long[2]);
        long v = ByteBuffer.wrap(it.value()).order(ByteOrder.LITTLE_ENDIAN).getLong();
        c[kind == ROLLUP_INSTRUCTIONAL ? 1 : 0] += v;
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StoreException("store " + families.dir + ": read failed: " + e.getMessage(), e);
    }
    List<EventStore.DailyCount> out = new ArrayList<>();
    counts.forEach(
        (k, c) -> {
          int sep = k.indexOf('\u0000');
          out.add(
              new EventStore.DailyCount(
                  LocalDate.parse(k.substring(0, sep)), k.substring(sep + 1), c[0], c[1]));
        });
    return out;
  }

  /** Every school-local epoch day with a stored counter, oldest first. */
  Set<Integer> days() throws StoreException {
    Set<Integer> out = new TreeSet<>();
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = families.db.newIterator(families.rollups, ro)) {
      for (it.seekToFirst(); it.isValid(); ) {
        int day = ByteBuffer.wrap(it.key()).getInt();
        out.add(day);
        // The next day's first key: one seek per day, not a step per counter.
        it.seek(key(day + 1, (byte) 0, ""));
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StoreException("store " + families.dir + ": read failed: " + e.getMessage(), e);
    }
    return out;
  }

  /** Deletes every daily rollup before the school-local day {@code cutoff}. */
  void deleteBefore(LocalDate cutoff) throws StoreException {
    families.deleteRange(
        families.rollups, key(LocalDate.ofEpochDay(0), (byte) 0, ""), key(cutoff, (byte) 0, ""));
  }

  private static byte[] key(LocalDate day, byte kind, String domain) {
    return key((int) day.toEpochDay(), kind, domain);
  }

  private static byte[] key(int epochDay, byte kind, String domain) {
    byte[] d = domain.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(5 + d.length).putInt(epochDay).put(kind).put(d).array();
  }

  /** A uint64add operand: a fixed64 little-endian integer, as RocksDB's operator reads it. */
  private static byte[] operand(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
  }

  /**
   * The school-local epoch day of event times, converting only when a time leaves the cached day.
   */
  private static final class DayOf {
    private final ZoneId zone;
    private long start = Long.MAX_VALUE;
    private long end = Long.MIN_VALUE;
    private int day;

    DayOf(ZoneId zone) {
      this.zone = zone;
    }

    int of(long micros) {
      if (micros < start || micros >= end) {
        LocalDate d =
            Instant.ofEpochSecond(
                    Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L)
                .atZone(zone)
                .toLocalDate();
        day = (int) d.toEpochDay();
        start = EventCodec.micros(d.atStartOfDay(zone).toInstant());
        end = EventCodec.micros(d.plusDays(1).atStartOfDay(zone).toInstant());
      }
      return day;
    }
  }
}
