package org.bellwatch.agent.hub;

import static org.bellwatch.agent.hub.DistrictFamilies.JSON;
import static org.bellwatch.agent.hub.DistrictFamilies.bytes;
import static org.bellwatch.agent.hub.DistrictFamilies.key;
import static org.bellwatch.agent.hub.DistrictFamilies.keyText;
import static org.bellwatch.agent.hub.DistrictFamilies.micros;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bellwatch.agent.hub.DistrictStore.Change;
import org.bellwatch.agent.store.StoreException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The hub store's write path: the consumer's messages in one atomic batch each, a block read again
 * stored once and counted once, with the tallies it changes and a school's first record in the same
 * batch; and the deletes of old block events ({@link DistrictRetention}), with their counts.
 */
final class DistrictWriter {
  /**
   * Block events deleted in one batch: each batch is one atomic write with the tallies it changes,
   * so a hub stopped during a pass keeps counts that match its events, and the writer of new
   * messages waits at most one batch.
   */
  static final int DELETE_BATCH = 10_000;

  private final DistrictFamilies families;
  private final DistrictCounts counts;
  private final DayTallies days;

  DistrictWriter(DistrictFamilies families, DistrictCounts counts, DayTallies days) {
    this.families = families;
    this.counts = counts;
    this.days = days;
  }

  /**
   * A batch of changes with what can be worked out from them alone, before the store is looked at:
   * the block keys, in order and sorted, and the tallies and day tallies of the blocks they add.
   * {@link HubConsumer} prepares a poll on its own thread while the store writes the one before, so
   * that the writer thread, which holds the counts' lock, does only what needs the store. Applied
   * once.
   */
  final class Batch {
    private final List<Change> changes;

    /** The block keys written, in the changes' order: a replaced id's delete before its message. */
    private final List<BlockWrite> writes;

    /** The same, sorted by key (stably: of two writes of one key, the later stays later). */
    private final List<BlockWrite> sorted;

    /**
     * Each block message counted once, as if none were stored already; {@link #write} takes out
     * what the batch overwrites or replaces.
     */
    private final Tallies delta = new Tallies();

    private final DayTallies.Counts byDay = days.new Counts();

    private Batch(List<Change> changes) throws RocksDBException {
      this.changes = changes;
      this.writes = new ArrayList<>(changes.size() + 16);
      for (Change c : changes) {
        if (c instanceof Change.Block b) {
          BlockMessage m = b.message();
          if (m.replaces() != null) {
            String old = keyText(m.site(), m.replaces());
            writes.add(new BlockWrite(old, bytes(old), null));
          }
          String k = keyText(m.site(), m.eventId());
          writes.add(new BlockWrite(k, bytes(k), m));
          delta.add(m.site(), m.domain(), 1, m.instructional() ? 1 : 0);
          byDay.count(m, 1);
        }
      }
      this.sorted = new ArrayList<>(writes);
      // The memtable inserts each key next to the one before it, walking its skip list from there
      // rather than from the top; RocksDB's bytewise order is unsigned.
      sorted.sort((x, y) -> Arrays.compareUnsigned(x.key(), y.key()));
    }
  }

  /**
   * A block's key written in a batch: the message stored under it, or (null) a delete of the event
   * a message replaces.
   */
  private record BlockWrite(String text, byte[] key, BlockMessage message) {}

  /**
   * The changes as a {@link Batch}; needs no lock (a name seen for the first time is given its id
   * in the day tallies' dictionary, which is thread-safe).
   */
  Batch prepare(List<Change> changes) throws StoreException {
    try {
      return new Batch(changes);
    } catch (RocksDBException e) {
      throw families.writeFailed(e);
    }
  }

  /**
   * Writes the changes in one atomic batch, in order (a later change to a key wins), with the
   * tallies they change. A block stored already (a message read again) replaces itself and is
   * counted once. Holds the counts' lock throughout (see {@link DistrictCounts}).
   */
  void apply(Batch batch) throws StoreException {
    synchronized (counts) {
      write(batch);
    }
  }

  private void write(Batch batch) throws StoreException {
    Set<String> added = new HashSet<>();
    // Sized for the messages up front: growing a batch of thousands of messages copies it again and
    // again.
    int size = 64 * 1024;
    for (BlockWrite w : batch.writes) {
      size += w.key().length + (w.message() == null ? 0 : w.message().bytes().length) + 16;
    }
    try (WriteBatch wb = new WriteBatch(size)) {
      Map<String, BlockMessage> now = storedBefore(batch.writes);
      // The batch's counts, less what it overwrites or replaces: a block stored already, or written
      // earlier in the batch.
      Tallies delta = batch.delta;
      DayTallies.Counts byDay = batch.byDay;
      int next = 0;
      for (Change c : batch.changes) {
        if (c instanceof Change.Block b) {
          BlockMessage m = b.message();
          BlockWrite w = batch.writes.get(next++);
          if (w.message() == null) {
            uncount(delta, byDay, now.put(w.text(), null));
            w = batch.writes.get(next++);
          }
          uncount(delta, byDay, now.put(w.text(), m));
          firstHeard(wb, m.site(), m.siteName(), added);
        } else if (c instanceof Change.Health h) {
          wb.put(families.sites, bytes(h.site()), siteValue(h.siteName(), h.message()));
          added.add(h.site());
        } else if (c instanceof Change.Request r) {
          wb.put(families.requests, key(r.site(), r.key()), JSON.writeValueAsBytes(r.message()));
          firstHeard(wb, r.site(), r.siteName(), added);
        }
      }
      for (BlockWrite w : batch.sorted) {
        if (w.message() == null) {
          wb.delete(families.blocks, w.key());
        } else {
          wb.put(families.blocks, w.key(), w.message().bytes());
        }
      }
      counts.stage(wb, delta);
      byDay.writeTo(wb);
      families.db.write(families.writeOptions, wb);
      counts.written(delta, added);
    } catch (RocksDBException | IOException e) {
      throw families.writeFailed(e);
    }
  }

  /**
   * Deletes every school's block events whose time is before {@code cutoff}, and their counts from
   * the tallies; returns how many. A school's keys run in time order, so its events before the
   * cutoff are one range, which is compacted after so that the disk space comes back.
   */
  long deleteBlocksBefore(Instant cutoff) throws StoreException {
    long deleted = 0;
    try {
      for (String site : counts.heard()) {
        byte[] from = key(site, "");
        byte[] to = key(site, micros(cutoff));
        long before = deleted;
        int n;
        do {
          n = deleteBatch(site, from, to);
          deleted += n;
        } while (n == DELETE_BATCH);
        if (deleted > before) {
          families.db.compactRange(families.blocks, from, to);
        }
      }
    } catch (RocksDBException e) {
      throw new StoreException(
          "hub store " + families.dir + ": delete failed: " + e.getMessage(), e);
    }
    return deleted;
  }

  /**
   * Deletes up to {@link #DELETE_BATCH} of a school's events in [from, to) with their counts,
   * holding the counts' lock as a write does.
   */
  private int deleteBatch(String site, byte[] from, byte[] to) throws RocksDBException {
    Tallies delta = new Tallies();
    DayTallies.Counts byDay = days.new Counts();
    int n = 0;
    synchronized (counts) {
      try (ReadOptions ro = new ReadOptions();
          RocksIterator it = families.db.newIterator(families.blocks, ro);
          WriteBatch wb = new WriteBatch()) {
        for (it.seek(from);
            it.isValid() && n < DELETE_BATCH && Arrays.compare(it.key(), to) < 0;
            it.next()) {
          byte[] k = it.key();
          uncount(
              delta,
              byDay,
              stored(
                  site,
                  new String(k, from.length, k.length - from.length, StandardCharsets.UTF_8),
                  it.value()));
          wb.delete(families.blocks, k);
          n++;
        }
        it.status();
        if (n == 0) {
          return 0;
        }
        counts.stage(wb, delta);
        byDay.writeTo(wb);
        families.db.write(families.writeOptions, wb);
        counts.written(delta, Set.of());
      }
    }
    return n;
  }

  private static void uncount(Tallies delta, DayTallies.Counts byDay, BlockMessage was)
      throws RocksDBException {
    if (was != null) {
      delta.add(was.site(), was.domain(), -1, was.instructional() ? -1 : 0);
      byDay.count(was, -1);
    }
  }

  /**
   * Counts every stored block into the day tallies, once, for a store written before they were kept
   * or kept in another time zone; a school at a time (keys are in school order), so that only one
   * school's rows are held at once.
   */
  void countStoredDays() throws StoreException {
    synchronized (counts) {
      try (ReadOptions ro = new ReadOptions();
          RocksIterator it = families.db.newIterator(families.blocks, ro)) {
        DayTallies.Counts byDay = days.new Counts();
        String school = null;
        for (it.seekToFirst(); it.isValid(); it.next()) {
          String k = new String(it.key(), StandardCharsets.UTF_8);
          int sep = k.indexOf('\0');
          String site = k.substring(0, sep);
          if (school != null && !school.equals(site)) {
            writeDays(byDay);
            byDay = days.new Counts();
          }
          school = site;
          byDay.count(stored(site, k.substring(sep + 1), it.value()), 1);
        }
        it.status();
        writeDays(byDay);
      } catch (RocksDBException e) {
        throw new StoreException(
            "hub store " + families.dir + ": counting days failed: " + e.getMessage(), e);
      }
    }
  }

  private void writeDays(DayTallies.Counts byDay) throws RocksDBException {
    try (WriteBatch wb = new WriteBatch()) {
      byDay.writeTo(wb);
      families.db.write(families.writeOptions, wb);
    }
  }

  /**
   * The blocks the writes overwrite or replace that are stored already (by key text; absent when
   * not stored), read in one multi-get: with the Bloom filters (the memtable's and each table's), a
   * key that is not stored costs no block read.
   */
  private Map<String, BlockMessage> storedBefore(List<BlockWrite> blockWrites)
      throws RocksDBException {
    Map<String, BlockMessage> out = new HashMap<>(blockWrites.size() * 2);
    if (blockWrites.isEmpty()) {
      return out;
    }
    List<byte[]> keys = new ArrayList<>(blockWrites.size());
    for (BlockWrite w : blockWrites) {
      keys.add(w.key());
    }
    List<byte[]> values =
        families.db.multiGetAsList(Collections.nCopies(keys.size(), families.blocks), keys);
    for (int i = 0; i < keys.size(); i++) {
      byte[] v = values.get(i);
      if (v != null) {
        String k = blockWrites.get(i).text();
        int sep = k.indexOf('\0');
        out.put(k, stored(k.substring(0, sep), k.substring(sep + 1), v));
      }
    }
    return out;
  }

  /**
   * A stored block as a message: the message itself, or, as the first stores kept it, the event
   * with the school's name (its counted fields are all that is needed of it).
   */
  private static BlockMessage stored(String site, String id, byte[] value) {
    BlockMessage.Read r = BlockMessage.read(value);
    if (r.message() != null) {
      return r.message();
    }
    try {
      JsonNode v = JSON.readTree(value);
      JsonNode e = v.path("event");
      return new BlockMessage(
          site,
          v.path("school_name").asText(site),
          id,
          null,
          e.path("domain").asText(""),
          e.path("instructional").asBoolean(),
          e.hasNonNull("section") ? e.get("section").asText() : null,
          e.hasNonNull("category") ? e.get("category").asText() : null,
          value);
    } catch (IOException e) {
      return new BlockMessage(site, site, id, null, "", false, null, null, value);
    }
  }

  /** A school's record when its first message is not a health message: its name, no health yet. */
  private void firstHeard(WriteBatch wb, String site, String name, Set<String> added)
      throws RocksDBException, IOException {
    if (!counts.heardOf(site) && added.add(site)) {
      wb.put(families.sites, bytes(site), siteValue(name, null));
    }
  }

  private static byte[] siteValue(String name, JsonNode health) throws IOException {
    ObjectNode v = JSON.createObjectNode();
    v.put("school_name", name);
    v.set("health", health);
    return JSON.writeValueAsBytes(v);
  }
}
