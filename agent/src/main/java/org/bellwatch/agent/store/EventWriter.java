package org.bellwatch.agent.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bellwatch.agent.correlate.BlockAttempt;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.event.Lease;
import org.bellwatch.agent.store.EventStore.EventRef;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The event store's write path: one WriteBatch per pipeline batch holding the new and replaced
 * events, their rollup counts ({@link Rollups.Batch}), the offsets and lease records they came with
 * ({@link StoredSourceState#addTo}) and, once an exporter asked, their outbox entries. It knows the
 * greatest key stored, so most batches need no read to tell new events from ones stored already.
 */
final class EventWriter {
  private final Path dir;
  private final RocksDB db;
  private final WriteOptions writeOptions;
  private final ColumnFamilyHandle events;
  private final ColumnFamilyHandle outbox;
  private final Rollups rollups;
  private final StoredSourceState sources;
  private final RollupMarks rollupMarks;
  private final EventCodec codec = new EventCodec();

  /** Whether writes add outbox entries (an exporter is configured); guarded by {@code this}. */
  private boolean outboxOn;

  /** The sequence number of the next outbox entry; guarded by {@code this}. */
  long outboxNext;

  /**
   * Stored events not yet in the outbox because they predate the export, or null; guarded by {@code
   * this}.
   */
  private OutboxBackfill backfill;

  private final ColumnFamilyHandle offsets;

  /**
   * The key and value being added to a write batch, in direct buffers: RocksDB copies them into the
   * batch straight from there, where a Java array costs one more copy and allocation per event on
   * each side. Used only inside {@link #write}, which is synchronized.
   */
  private final ByteBuffer keyBuf = ByteBuffer.allocateDirect(EventCodec.KEY_BYTES);

  private ByteBuffer valueBuf = ByteBuffer.allocateDirect(4096);

  /**
   * The greatest event key stored (time, then suffix, compared as RocksDB compares the key bytes).
   * A key above it cannot be in the store, so write() looks up only keys at or below it: events
   * arrive in nearly time order, and most batches need no read at all. Guarded by {@code this}.
   */
  private long lastMicros = Long.MIN_VALUE;

  private long lastSuffix;
  private boolean empty = true;

  EventWriter(RocksFamilies families, Rollups rollups, StoredSourceState sources) {
    this.dir = families.dir;
    this.db = families.db;
    this.writeOptions = families.writeOptions;
    this.events = families.events;
    this.outbox = families.outbox;
    this.offsets = families.offsets;
    this.rollups = rollups;
    this.sources = sources;
    this.rollupMarks = new RollupMarks(families);
  }

  synchronized void readLastKey() throws StoreException {
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(events, ro)) {
      it.seekToLast();
      if (it.isValid()) {
        byte[] k = it.key();
        ByteBuffer b = ByteBuffer.wrap(k);
        lastMicros = b.getLong();
        lastSuffix = k.length >= EventCodec.KEY_BYTES ? b.getLong() : 0;
        empty = false;
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StoreException(
          "store " + dir + ": cannot read its last event: " + e.getMessage(), e);
    }
  }

  /** True when key (m, s) sorts after the last stored key, as unsigned big-endian bytes. */
  private boolean afterLast(long m, long s) {
    if (empty) {
      return true;
    }
    int c = Long.compareUnsigned(m, lastMicros);
    return c > 0 || c == 0 && Long.compareUnsigned(s, lastSuffix) > 0;
  }

  /**
   * Writes new attempts, replacements of stored events, source offsets and lease records in one
   * atomic batch, with the daily rollups adjusted in the same batch. A new attempt whose key is
   * stored already (input read again) is not written or counted again. A replacement removes what
   * is stored under the old key and under the new one (counting each down) and writes the new event
   * (counting it up), so an attempt counts once however often late evidence joins it and whether or
   * not its key moves; a replacement written twice changes nothing the second time.
   */
  synchronized EventStore.Written write(
      List<BlockAttempt> batch,
      List<EventStore.Replacement> replacements,
      Map<String, Long> sourceOffsets,
      List<Lease> leaseChanges)
      throws StoreException {
    if (batch.isEmpty()
        && replacements.isEmpty()
        && sourceOffsets.isEmpty()
        && leaseChanges.isEmpty()) {
      return new EventStore.Written(List.of(), List.of(), 0);
    }
    List<BlockEvent> written = new ArrayList<>(batch.size());
    int n = batch.size();
    long[] micros = new long[n];
    long[] suffix = new long[n];
    List<byte[]> lookup = new ArrayList<>();
    List<Integer> lookupRows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      BlockEvent e = batch.get(i).event();
      micros[i] = EventCodec.micros(e.time());
      suffix[i] = EventCodec.suffix(e);
      if (!afterLast(micros[i], suffix[i])) {
        lookup.add(EventCodec.key(micros[i], suffix[i]));
        lookupRows.add(i);
      }
    }
    try (WriteBatch wb = new WriteBatch()) {
      boolean[] stored = new boolean[n];
      if (!lookup.isEmpty()) {
        List<byte[]> existing =
            db.multiGetAsList(Collections.nCopies(lookup.size(), events), lookup);
        for (int j = 0; j < existing.size(); j++) {
          stored[lookupRows.get(j)] = existing.get(j) != null;
        }
      }
      Set<EventRef> seen = new HashSet<>();
      Rollups.Batch counts = rollups.new Batch();
      LastKey last = new LastKey();
      Map<EventRef, BlockAttempt> inserted = replacements.isEmpty() ? Map.of() : new HashMap<>();
      long outboxSeq = outboxNext;
      for (int i = 0; i < n; i++) {
        EventRef ref = new EventRef(micros[i], suffix[i]);
        if (stored[i] || !seen.add(ref)) {
          continue;
        }
        BlockAttempt a = batch.get(i);
        BlockEvent e = a.event();
        written.add(e);
        EventCodec.key(micros[i], suffix[i], keyBuf);
        valueBuf = codec.value(e, micros[i], a.evidence(), valueBuf);
        wb.put(events, keyBuf, valueBuf);
        if (outboxOn && (backfill == null || !backfill.awaits(ref))) {
          wb.put(outbox, Outbox.key(outboxSeq++), Outbox.value(ref, null));
        }
        counts.count(micros[i], e, 1);
        last.offer(micros[i], suffix[i]);
        if (!replacements.isEmpty()) {
          inserted.put(ref, a);
        }
      }
      List<BlockEvent> removed = new ArrayList<>();
      List<BlockEvent> added = new ArrayList<>(written);
      // Replacements, one after the other over what the store and the batch hold (a later one may
      // touch a
      // key an earlier one wrote): null in the overlay is a key this batch deletes.
      Map<EventRef, byte[]> overlay = new HashMap<>();
      for (EventStore.Replacement r : replacements) {
        EventRef from = EventRef.of(r.before());
        EventRef to = EventRef.of(r.after().event());
        for (EventRef ref : from.equals(to) ? List.of(to) : List.of(from, to)) {
          byte[] old = current(ref, overlay, inserted);
          if (old != null) {
            BlockEvent gone = codec.decode(old);
            counts.count(ref.micros(), gone, -1);
            removed.add(gone);
            wb.delete(events, EventCodec.key(ref.micros(), ref.suffix()));
            overlay.put(ref, null);
          }
        }
        byte[] value = codec.value(r.after());
        wb.put(events, EventCodec.key(to.micros(), to.suffix()), value);
        overlay.put(to, value);
        // Left to the backfill only when it will send both keys' events: a replacement of an event
        // the
        // district has (or will have from the outbox) must say which id it replaces.
        if (outboxOn && (backfill == null || !backfill.awaits(to) || !backfill.awaits(from))) {
          wb.put(outbox, Outbox.key(outboxSeq++), Outbox.value(to, from.equals(to) ? null : from));
        }
        counts.count(to.micros(), r.after().event(), 1);
        added.add(r.after().event());
        last.offer(to.micros(), to.suffix());
      }
      counts.addTo(wb);
      if (outboxOn) {
        rollupMarks.addTo(wb, counts.days());
      }
      sources.addTo(wb, sourceOffsets, leaseChanges);
      db.write(writeOptions, wb);
      outboxNext = outboxSeq;
      if (last.any) {
        lastMicros = last.micros;
        lastSuffix = last.suffix;
        empty = false;
      }
      return new EventStore.Written(removed, added, written.size());
    } catch (RocksDBException | IOException e) {
      throw new StoreException("store " + dir + ": write failed: " + e.getMessage(), e);
    }
  }

  /** The value stored under {@code ref} as this batch leaves it so far. */
  private byte[] current(
      EventRef ref, Map<EventRef, byte[]> overlay, Map<EventRef, BlockAttempt> inserted)
      throws RocksDBException {
    if (overlay.containsKey(ref)) {
      return overlay.get(ref);
    }
    BlockAttempt a = inserted.get(ref);
    return a != null ? codec.value(a) : db.get(events, EventCodec.key(ref.micros(), ref.suffix()));
  }

  /**
   * The greatest key a write adds, compared as RocksDB compares key bytes (see {@link
   * #lastMicros}).
   */
  private final class LastKey {
    long micros = lastMicros;
    long suffix = lastSuffix;
    boolean any;

    void offer(long m, long s) {
      if (empty && !any
          || Long.compareUnsigned(m, micros) > 0
          || m == micros && Long.compareUnsigned(s, suffix) > 0) {
        micros = m;
        suffix = s;
      }
      any = true;
    }
  }

  public synchronized Instant newestEventTime() {
    return empty
        ? Instant.MIN
        : Instant.ofEpochSecond(
            Math.floorDiv(lastMicros, 1_000_000L), Math.floorMod(lastMicros, 1_000_000L) * 1000L);
  }

  /** See {@link EventStore#recordOutbox}. */
  synchronized void recordOutbox() throws StoreException {
    outboxOn = true;
    try {
      byte[] state = db.get(offsets, OutboxBackfill.KEY);
      if (state != null) {
        backfill = OutboxBackfill.decode(state);
        return;
      }
      boolean exportedBefore = db.get(offsets, Outbox.CURSOR_KEY) != null || outboxNext > 0;
      backfill =
          exportedBefore || empty
              ? null
              : new OutboxBackfill(null, new EventRef(lastMicros, lastSuffix));
      try (WriteBatch wb = new WriteBatch()) {
        wb.put(
            offsets,
            OutboxBackfill.KEY,
            backfill == null ? OutboxBackfill.DONE : backfill.encode());
        if (!exportedBefore) {
          // The history's daily counts too, one mark per stored day: rollups outlive the events.
          rollupMarks.addTo(wb, rollups.days());
        }
        db.write(writeOptions, wb);
      }
    } catch (RocksDBException e) {
      throw new StoreException(
          "store " + dir + ": cannot read the export's backfill: " + e.getMessage(), e);
    }
  }

  /** Whether stored events from before the export remain to be put in the outbox. */
  synchronized boolean backfillPending() {
    return backfill != null;
  }

  /**
   * Puts up to {@code max} of the events stored before the export into the outbox, the oldest
   * first, in one batch with the backfill's new position; returns how many. Events retention
   * removed are not there to queue.
   */
  synchronized int backfillOutbox(int max) throws StoreException {
    if (backfill == null || max <= 0) {
      return 0;
    }
    List<EventRef> refs = new ArrayList<>(Math.min(max, 4096));
    boolean over;
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(events, ro)) {
      EventRef after = backfill.after();
      if (after == null) {
        it.seekToFirst();
      } else {
        it.seek(EventCodec.key(after.micros(), after.suffix()));
        if (it.isValid() && refOf(it.key()).equals(after)) {
          it.next();
        }
      }
      for (; it.isValid() && refs.size() < max; it.next()) {
        EventRef ref = refOf(it.key());
        if (OutboxBackfill.compare(ref, backfill.upTo()) > 0) {
          break;
        }
        refs.add(ref);
      }
      over = !it.isValid() || OutboxBackfill.compare(refOf(it.key()), backfill.upTo()) > 0;
      it.status();
    } catch (RocksDBException e) {
      throw new StoreException(
          "store " + dir + ": cannot read events for the export's backfill: " + e.getMessage(), e);
    }
    OutboxBackfill next =
        over || refs.isEmpty()
            ? null
            : new OutboxBackfill(refs.get(refs.size() - 1), backfill.upTo());
    long seq = outboxNext;
    try (WriteBatch wb = new WriteBatch()) {
      for (EventRef ref : refs) {
        wb.put(outbox, Outbox.key(seq++), Outbox.value(ref, null));
      }
      wb.put(offsets, OutboxBackfill.KEY, next == null ? OutboxBackfill.DONE : next.encode());
      db.write(writeOptions, wb);
    } catch (RocksDBException e) {
      throw new StoreException(
          "store " + dir + ": cannot write the export's backfill: " + e.getMessage(), e);
    }
    outboxNext = seq;
    backfill = next;
    return refs.size();
  }

  /** The event address of a key in the events family (keys of old stores may lack the suffix). */
  private static EventRef refOf(byte[] key) {
    ByteBuffer b = ByteBuffer.wrap(key);
    return new EventRef(b.getLong(), key.length >= EventCodec.KEY_BYTES ? b.getLong() : 0);
  }

  /** The days whose rollups changed since they were last sent ({@link RollupMarks}). */
  List<RollupMarks.Mark> rollupMarks(int max) throws StoreException {
    return rollupMarks.list(max);
  }

  /**
   * Clears the marks of days sent, unless a write marked them again since they were read: under
   * this writer's lock, so none can in between.
   */
  synchronized void rollupsSent(List<RollupMarks.Mark> sent) throws StoreException {
    rollupMarks.clear(sent);
  }

  /** The sequence number the next outbox entry will get: one past the last written. */
  synchronized long outboxNext() {
    return outboxNext;
  }
}
