package org.bellwatch.agent.store;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.bellwatch.agent.correlate.BlockAttempt;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.store.EventStore.EventRef;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The read side of the {@code events} family ({@link EventCodec}: time-ordered keys, versioned
 * values): pages newest first, ranges oldest first, attempts near a time, events by address. Every
 * question is a bounded scan or a multi-get over the time-ordered keys.
 */
final class EventReads {
  private final Path dir;
  private final RocksDB db;
  private final ColumnFamilyHandle events;
  private final EventCodec codec = new EventCodec();

  EventReads(RocksFamilies families) {
    this.dir = families.dir;
    this.db = families.db;
    this.events = families.events;
  }

  private StoreException readFailed(Exception e) {
    return new StoreException("store " + dir + ": read failed: " + e.getMessage(), e);
  }

  /**
   * The stored attempts of {@code domain} whose time lies in [{@code from}, {@code to}], with their
   * evidence records (null for events stored before records were kept).
   */
  List<BlockAttempt> attemptsNear(String domain, Instant from, Instant to) throws StoreException {
    List<BlockAttempt> out = new ArrayList<>();
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(events, ro)) {
      long toMicros = EventCodec.micros(to);
      for (it.seek(EventCodec.key(EventCodec.micros(from), 0)); it.isValid(); it.next()) {
        if (EventCodec.timeOf(it.key()) > toMicros) {
          break;
        }
        BlockAttempt a = codec.decodeAttempt(it.value());
        if (domain.equals(a.event().domain())) {
          out.add(a);
        }
      }
      it.status();
    } catch (RocksDBException | IOException e) {
      throw readFailed(e);
    }
    return out;
  }

  /** Events matching {@code q}, newest first. */
  List<BlockEvent> query(BlockQuery q) throws StoreException {
    List<BlockEvent> out = new ArrayList<>();
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(events, ro)) {
      if (q.to() == null) {
        it.seekToLast();
      } else {
        it.seekForPrev(EventCodec.key(EventCodec.micros(q.to()) - 1, -1L));
      }
      long fromMicros = q.from() == null ? Long.MIN_VALUE : EventCodec.micros(q.from());
      for (; it.isValid() && out.size() < q.limit(); it.prev()) {
        if (EventCodec.timeOf(it.key()) < fromMicros) {
          break;
        }
        BlockEvent e = codec.decode(it.value());
        if (q.instructional() == null || q.instructional() == e.instructional()) {
          out.add(e);
        }
      }
      it.status();
    } catch (RocksDBException | IOException e) {
      throw readFailed(e);
    }
    return out;
  }

  /** The stored events at these addresses, in the same order, null where none is stored. */
  List<BlockEvent> getEach(List<EventRef> refs) throws StoreException {
    List<BlockEvent> out = new ArrayList<>(refs.size());
    if (refs.isEmpty()) {
      return out;
    }
    List<byte[]> keys = refs.stream().map(r -> EventCodec.key(r.micros(), r.suffix())).toList();
    try {
      for (byte[] v : db.multiGetAsList(Collections.nCopies(keys.size(), events), keys)) {
        out.add(v == null ? null : codec.decode(v));
      }
    } catch (RocksDBException | IOException e) {
      throw readFailed(e);
    }
    return out;
  }

  /** The stored events at these addresses, in the same order (missing ones are skipped). */
  List<BlockEvent> get(List<EventRef> refs) throws StoreException {
    List<BlockEvent> out = getEach(refs);
    out.removeIf(e -> e == null);
    return out;
  }

  /**
   * Every event in [{@code from}, {@code to}) oldest first, with or without its evidence lines (the
   * bulk of a value: loading the report index at start skips them).
   */
  void forEach(Instant from, Instant to, boolean withEvidence, Consumer<BlockEvent> consumer)
      throws StoreException {
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(events, ro)) {
      if (from == null) {
        it.seekToFirst();
      } else {
        it.seek(EventCodec.key(EventCodec.micros(from), 0));
      }
      long toMicros = to == null ? Long.MAX_VALUE : EventCodec.micros(to);
      for (; it.isValid(); it.next()) {
        if (EventCodec.timeOf(it.key()) >= toMicros) {
          break;
        }
        consumer.accept(codec.decode(it.value(), withEvidence));
      }
      it.status();
    } catch (RocksDBException | IOException e) {
      throw readFailed(e);
    }
  }

  /** The time of the oldest stored event, or null when there is none. */
  Instant oldestEventTime() throws StoreException {
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(events, ro)) {
      it.seekToFirst();
      if (!it.isValid()) {
        it.status();
        return null;
      }
      long micros = EventCodec.timeOf(it.key());
      return Instant.ofEpochSecond(
          Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    } catch (RocksDBException e) {
      throw readFailed(e);
    }
  }
}
