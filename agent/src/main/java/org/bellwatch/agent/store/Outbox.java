package org.bellwatch.agent.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.store.EventStore.EventRef;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The store as an outbox: every event stored or replaced gets the next sequence number, in the same
 * WriteBatch as the event itself, so what is stored and what is to be sent cannot disagree after a
 * crash. An exporter reads the entries after its cursor, sends them, and {@link #acknowledge}s the
 * last one its destination confirmed: the cursor moves and the entries up to it are deleted in one
 * batch. Sequence numbers are dense, so the unsent count is a subtraction.
 *
 * <p>Entry key: the sequence number (8 bytes, big-endian). Value: the event's key (micros, suffix),
 * then, for a replacement that moved the event to another key, the key it had before (16 more
 * bytes).
 */
public final class Outbox {
  /**
   * Where the cursor lives in the offsets family, beside the file offsets (whose keys never start
   * so).
   */
  static final byte[] CURSOR_KEY = "export:kafka".getBytes(StandardCharsets.UTF_8);

  /** The time (epoch micros) of the last review request sent, beside the cursor. */
  static final byte[] REQUESTS_KEY = "export:kafka:requests".getBytes(StandardCharsets.UTF_8);

  /**
   * One outbox entry: the event now stored under {@code ref} ({@code event} null if retention
   * removed it since), and the key it replaced, if it moved.
   */
  public record Entry(long seq, EventRef ref, EventRef replaced, BlockEvent event) {}

  private final EventStore store;
  private final RocksDB db;
  private final ColumnFamilyHandle entries;
  private final ColumnFamilyHandle offsets;
  private final WriteOptions writeOptions;

  Outbox(
      EventStore store,
      RocksDB db,
      ColumnFamilyHandle entries,
      ColumnFamilyHandle offsets,
      WriteOptions writeOptions) {
    this.store = store;
    this.db = db;
    this.entries = entries;
    this.offsets = offsets;
    this.writeOptions = writeOptions;
  }

  /**
   * An event's id outside the store: its key as two fixed-width hex numbers (time in micros,
   * suffix).
   */
  public static String id(EventRef ref) {
    // By hand, not String.format: the exporter names every event it sends, and the formatter's
    // parsing of its pattern was a tenth of the exporter's CPU.
    char[] c = new char[33];
    hex(ref.micros(), c, 0);
    c[16] = '-';
    hex(ref.suffix(), c, 17);
    return new String(c);
  }

  /** The 16 lower-case hex digits of {@code v}, zero-padded, into {@code c} from {@code at}. */
  private static void hex(long v, char[] c, int at) {
    for (int i = 15; i >= 0; i--) {
      c[at + i] = Character.forDigit((int) (v & 0xf), 16);
      v >>>= 4;
    }
  }

  static byte[] key(long seq) {
    return ByteBuffer.allocate(8).putLong(seq).array();
  }

  static byte[] value(EventRef to, EventRef from) {
    ByteBuffer b =
        ByteBuffer.allocate(from == null ? 16 : 32).putLong(to.micros()).putLong(to.suffix());
    if (from != null) {
      b.putLong(from.micros()).putLong(from.suffix());
    }
    return b.array();
  }

  /**
   * One past the greatest sequence number written or acknowledged: a trimmed outbox never reuses
   * one.
   */
  static long nextSequence(RocksDB db, ColumnFamilyHandle entries, ColumnFamilyHandle offsets)
      throws RocksDBException {
    long next = cursor(db, offsets) + 1;
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(entries, ro)) {
      it.seekToLast();
      if (it.isValid()) {
        next = Math.max(next, ByteBuffer.wrap(it.key()).getLong() + 1);
      }
      it.status();
    }
    return next;
  }

  private static long cursor(RocksDB db, ColumnFamilyHandle offsets) throws RocksDBException {
    byte[] v = db.get(offsets, CURSOR_KEY);
    return v == null || v.length != 8 ? -1 : ByteBuffer.wrap(v).getLong();
  }

  /** The sequence number of the last acknowledged entry, or -1 before the first. */
  public long cursor() throws StoreException {
    try {
      return cursor(db, offsets);
    } catch (RocksDBException e) {
      throw new StoreException(
          "store " + store.dir() + ": cannot read the export cursor: " + e.getMessage(), e);
    }
  }

  /** Entries written and not yet acknowledged. */
  public long pending() throws StoreException {
    return Math.max(0, store.outboxNext() - 1 - cursor());
  }

  /** Up to {@code max} entries after {@code after}, in order, each with the event as stored now. */
  public List<Entry> after(long after, int max) throws StoreException {
    List<long[]> raw = new ArrayList<>();
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(entries, ro)) {
      for (it.seek(key(after + 1)); it.isValid() && raw.size() < max; it.next()) {
        ByteBuffer v = ByteBuffer.wrap(it.value());
        long[] row = new long[5];
        row[0] = ByteBuffer.wrap(it.key()).getLong();
        row[1] = v.getLong();
        row[2] = v.getLong();
        row[3] = v.remaining() >= 16 ? v.getLong() : Long.MIN_VALUE;
        row[4] = v.remaining() >= 8 ? v.getLong() : 0;
        raw.add(row);
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StoreException(
          "store " + store.dir() + ": cannot read the outbox: " + e.getMessage(), e);
    }
    List<EventRef> refs = raw.stream().map(r -> new EventRef(r[1], r[2])).toList();
    List<BlockEvent> events = store.getEach(refs);
    List<Entry> out = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      long[] r = raw.get(i);
      EventRef replaced = r[3] == Long.MIN_VALUE && r[4] == 0 ? null : new EventRef(r[3], r[4]);
      out.add(new Entry(r[0], refs.get(i), replaced, events.get(i)));
    }
    return Collections.unmodifiableList(out);
  }

  /** The time of the last review request sent (epoch micros), or -1 before the first. */
  public long requestsSent() throws StoreException {
    try {
      byte[] v = db.get(offsets, REQUESTS_KEY);
      return v == null || v.length != 8 ? -1 : ByteBuffer.wrap(v).getLong();
    } catch (RocksDBException e) {
      throw new StoreException(
          "store " + store.dir() + ": cannot read the export cursor: " + e.getMessage(), e);
    }
  }

  /** Records that the review requests up to this time (epoch micros) were sent. */
  public void requestsSent(long micros) throws StoreException {
    try {
      db.put(offsets, writeOptions, REQUESTS_KEY, key(micros));
    } catch (RocksDBException e) {
      throw new StoreException(
          "store " + store.dir() + ": cannot store the export cursor: " + e.getMessage(), e);
    }
  }

  /**
   * Queues up to {@code max} more of the events stored before the export was first enabled (the
   * oldest first; see {@link EventStore#recordOutbox}); returns how many were queued, 0 once none
   * remain.
   */
  public int backfill(int max) throws StoreException {
    return store.backfillOutbox(max);
  }

  /** Whether events stored before the export was first enabled remain to be queued. */
  public boolean backfilling() {
    return store.backfillPending();
  }

  /**
   * A school day whose rollup changed since it was last sent, with its counters as stored when read
   * (empty if retention removed the day since), and the version of its mark ({@link RollupMarks}).
   */
  public record RollupDay(LocalDate day, List<EventStore.DailyCount> counts, long version) {}

  /**
   * Up to {@code max} days whose rollups changed since they were last sent, oldest first. Each
   * day's mark is read before its counts: a change stored after the read marks the day again.
   */
  public List<RollupDay> changedRollups(int max) throws StoreException {
    List<RollupDay> out = new ArrayList<>();
    for (RollupMarks.Mark m : store.rollupMarks(max)) {
      out.add(new RollupDay(m.day(), store.dailyCounts(m.day(), m.day()), m.version()));
    }
    return out;
  }

  /** Records that these days were sent (those marked again since they were read stay marked). */
  public void rollupsSent(List<RollupDay> sent) throws StoreException {
    store.rollupsSent(sent.stream().map(d -> new RollupMarks.Mark(d.day(), d.version())).toList());
  }

  /** The school's time zone: the rollups count its calendar days. */
  public ZoneId zone() {
    return store.zone();
  }

  /** Moves the cursor to {@code seq} and deletes the entries up to it, in one batch. */
  public void acknowledge(long seq) throws StoreException {
    try (WriteBatch wb = new WriteBatch()) {
      wb.put(offsets, CURSOR_KEY, key(seq));
      wb.deleteRange(entries, key(0), key(seq + 1));
      db.write(writeOptions, wb);
    } catch (RocksDBException e) {
      throw new StoreException(
          "store " + store.dir() + ": cannot store the export cursor: " + e.getMessage(), e);
    }
  }
}
