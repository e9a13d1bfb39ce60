package org.bellwatch.agent.pipeline;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.bellwatch.agent.correlate.AttemptSink;
import org.bellwatch.agent.correlate.BlockAttempt;
import org.bellwatch.agent.correlate.BlockEvidence;
import org.bellwatch.agent.correlate.StoredAttempts;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.event.Lease;
import org.bellwatch.agent.ingest.tail.Mark;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.report.EventIndex;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.store.SpaceReserve;
import org.bellwatch.agent.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects block events on the pipeline thread and writes them to the store in batches (one RocksDB
 * WriteBatch each), with the marks of tailed files that those events complete ({@link OffsetLedger}
 * gives the rule), and with the lease records that changed since the last batch. A failed write
 * keeps the batch and retries on the next flush rather than losing it.
 *
 * <p>Late evidence merged into an attempt given out before replaces its event: in the batch when
 * that event still waits here, else as a {@link EventStore.Replacement} written with the next batch
 * (rollups and the report index follow). The correlator finds attempts it no longer remembers
 * through {@link #near}: the store as this sink's next write will leave it.
 *
 * <p>A mark is stored under the file's source id, and its check under the id plus {@link
 * #CHECK_SUFFIX}.
 */
final class StoreSink implements AttemptSink, StoredAttempts {
  static final int BATCH = 512;

  /**
   * Events held for retry while writes fail (a full disk) before the pipeline stops taking input:
   * about 75 MB of heap. Past it, the inputs' own limits take over (TCP senders paused, tailed
   * files left where they are, captured frames and UDP messages dropped and counted), rather than
   * the heap running out.
   */
  static final int MAX_HELD = 50_000;

  static final String CHECK_SUFFIX = "#check";
  private static final Logger log = LoggerFactory.getLogger(StoreSink.class);

  /** Why the last write failed (disk full, I/O error), or null once a write succeeds again. */
  private volatile String failure;

  private final EventStore store;
  private final BellwatchMeters meters;
  private final EventIndex index;
  private final OffsetLedger ledger;
  private final List<Pending> pending = new ArrayList<>();

  /**
   * Lease records changed since the last successful write, the latest version of each (a record is
   * stored under its address and start, so a renewal replaces it): bounded by the records, not the
   * renewals, while writes fail.
   */
  private final Map<LeaseKey, Lease> leaseChanges = new LinkedHashMap<>();

  private final Map<String, Mark> stored = new HashMap<>();
  private int flushAt = BATCH;
  private final LongSupplier freeBytes;
  private final int maxHeld;

  /** An event to write; {@code before}: the stored event it replaces, or null for a new attempt. */
  private static final class Pending {
    final BlockEvent before;
    BlockEvent event;
    List<BlockEvidence> evidence;
    Map<String, OffsetLedger.Span> spans;

    Pending(
        BlockEvent before,
        BlockEvent event,
        List<BlockEvidence> evidence,
        Map<String, OffsetLedger.Span> spans) {
      this.before = before;
      this.event = event;
      this.evidence = evidence;
      this.spans = spans;
    }
  }

  /** {@code index} receives the events the store newly wrote, for the reports. */
  StoreSink(EventStore store, EventIndex index, BellwatchMeters meters, OffsetLedger ledger) {
    this(store, index, meters, ledger, SpaceReserve.usableBytesOf(store.dir()), MAX_HELD);
  }

  /**
   * {@code freeBytes} measures the store's file system; {@code maxHeld} is {@link #MAX_HELD} (tests
   * lower it).
   */
  StoreSink(
      EventStore store,
      EventIndex index,
      BellwatchMeters meters,
      OffsetLedger ledger,
      LongSupplier freeBytes,
      int maxHeld) {
    this.store = store;
    this.index = index;
    this.meters = meters;
    this.ledger = ledger;
    this.freeBytes = freeBytes;
    this.maxHeld = maxHeld;
  }

  StoreSink(EventStore store, EventIndex index, BellwatchMeters meters) {
    this(store, index, meters, new OffsetLedger());
  }

  @Override
  public void emitted(List<BlockEvidence> evidence, BlockEvent e) {
    pending.add(new Pending(null, e, evidence, ledger.take(e)));
    if (pending.size() >= flushAt) {
      flush();
    }
  }

  @Override
  public void merged(
      BlockEvent before, BlockEvidence added, List<BlockEvidence> evidence, BlockEvent after) {
    Map<String, OffsetLedger.Span> spans = ledger.take(after);
    for (int i = pending.size() - 1; i >= 0; i--) {
      Pending p = pending.get(i);
      if (p.event == before) {
        p.event = after;
        p.evidence = evidence;
        if (!spans.isEmpty()) {
          Map<String, OffsetLedger.Span> union = new HashMap<>(p.spans);
          spans.forEach((source, span) -> union.merge(source, span, OffsetLedger.Span::union));
          p.spans = union;
        }
        return;
      }
    }
    pending.add(new Pending(before, after, evidence, spans));
    if (pending.size() >= flushAt) {
      flush();
    }
  }

  /**
   * The stored attempts of {@code domain} in [{@code from}, {@code to}] as the next write leaves
   * them: events waiting here are included, events they replace are not. A store that cannot be
   * read gives what waits here (the evidence then becomes an attempt of its own, as before merging
   * existed).
   */
  @Override
  public List<BlockAttempt> near(String domain, Instant from, Instant to) {
    List<BlockAttempt> found = new ArrayList<>();
    try {
      found.addAll(store.attemptsNear(domain, from, to));
    } catch (StoreException e) {
      meters.storeError();
      log.error("cannot look for the attempt late evidence belongs to: {}", e.getMessage());
    }
    for (Pending p : pending) {
      if (p.before != null) {
        EventStore.EventRef gone = EventStore.EventRef.of(p.before);
        found.removeIf(a -> EventStore.EventRef.of(a.event()).equals(gone));
      }
    }
    for (Pending p : pending) {
      BlockEvent e = p.event;
      if (e.domain().equals(domain) && !e.time().isBefore(from) && !e.time().isAfter(to)) {
        EventStore.EventRef ref = EventStore.EventRef.of(e);
        found.removeIf(a -> EventStore.EventRef.of(a.event()).equals(ref));
        found.add(new BlockAttempt(e, p.evidence));
      }
    }
    return found;
  }

  /** A lease record the pipeline added or changed: stored with the next batch. */
  void leaseChanged(Lease l) {
    leaseChanges.put(new LeaseKey(l.ip(), l.start()), l);
  }

  /**
   * The mark of {@code source} this sink last stored, or null when it stored none since it started.
   */
  Mark storedMark(String source) {
    return stored.get(source);
  }

  /** Events waiting for a line before them to leave the correlator (for tests). */
  int held() {
    return pending.size();
  }

  /** Writes what can be written; true when the write (if any) succeeded. */
  boolean flush() {
    Map<String, Mark> marks = new LinkedHashMap<>();
    for (String source : ledger.sources()) {
      marks.put(source, ledger.safe(source));
    }
    // An event with a line at or past a source's mark waits; the mark then stops at that event's
    // first
    // line, which may hold back other events: repeat until nothing changes (marks only go down).
    boolean[] held = new boolean[pending.size()];
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int i = 0; i < held.length; i++) {
        if (held[i]) {
          continue;
        }
        for (Map.Entry<String, OffsetLedger.Span> s : pending.get(i).spans.entrySet()) {
          Mark m = marks.get(s.getKey());
          if (m == null || s.getValue().lastEnd() > m.offset()) {
            held[i] = true;
            break;
          }
        }
        if (held[i]) {
          changed = true;
          for (Map.Entry<String, OffsetLedger.Span> s : pending.get(i).spans.entrySet()) {
            Mark m = marks.get(s.getKey());
            if (m != null && s.getValue().first().offset() < m.offset()) {
              marks.put(s.getKey(), s.getValue().first());
            }
          }
        }
      }
    }
    List<BlockAttempt> ready = new ArrayList<>();
    List<EventStore.Replacement> replacements = new ArrayList<>();
    List<Pending> waiting = new ArrayList<>();
    for (int i = 0; i < held.length; i++) {
      Pending p = pending.get(i);
      if (held[i]) {
        waiting.add(p);
      } else if (p.before == null) {
        ready.add(new BlockAttempt(p.event, p.evidence));
      } else {
        replacements.add(
            new EventStore.Replacement(p.before, new BlockAttempt(p.event, p.evidence)));
      }
    }
    Map<String, Long> offsets = new LinkedHashMap<>();
    Map<String, Mark> advanced = new HashMap<>();
    marks.forEach(
        (source, m) -> {
          Mark before = stored.get(source);
          if (m != null && (before == null || m.offset() > before.offset())) {
            offsets.put(source, m.offset());
            offsets.put(source + CHECK_SUFFIX, m.check());
            advanced.put(source, m);
          }
        });
    if (ready.isEmpty() && replacements.isEmpty() && offsets.isEmpty() && leaseChanges.isEmpty()) {
      flushAt = waiting.size() + BATCH;
      return true;
    }
    long free = freeBytes.getAsLong();
    if (free < SpaceReserve.MIN_FREE_BYTES) {
      // RocksDB failing mid-write on a full disk stops accepting writes until it is reopened: do
      // not try.
      return failed(
          "no space left on the store's file system ("
              + free
              + " bytes free, "
              + SpaceReserve.MIN_FREE_BYTES
              + " needed)");
    }
    try {
      EventStore.Written written =
          store.write(ready, replacements, offsets, List.copyOf(leaseChanges.values()));
      leaseChanges.clear();
      index.replace(written.removed(), written.added());
      meters.storeWritten(written.newAttempts());
      pending.clear();
      pending.addAll(waiting);
      stored.putAll(advanced);
      flushAt = waiting.size() + BATCH;
      if (failure != null) {
        log.info("store writes work again; the events kept for retry are stored");
        failure = null;
        SpaceReserve.ensure(store.dir());
      }
      return true;
    } catch (StoreException e) {
      return failed(e.getMessage());
    }
  }

  /**
   * Keeps every pending event (and so every file mark after them) for the next flush: the next
   * tick, or another batch later, not at every event.
   */
  private boolean failed(String why) {
    flushAt = pending.size() + BATCH;
    meters.storeError();
    if (failure == null) {
      log.error("{} ({} events kept for retry)", why, pending.size());
    }
    failure = "cannot write: " + why + " (" + pending.size() + " events kept in memory for retry)";
    return false;
  }

  /**
   * True while writes fail and {@link #MAX_HELD} events wait: the pipeline then takes no more
   * input.
   */
  boolean backlogged() {
    return failure != null && pending.size() >= maxHeld;
  }

  /** Why writes fail now (for /health), or null when the last write succeeded. */
  String failure() {
    return failure;
  }

  /** What identifies a stored lease record (see {@code LeaseRecords.key}). */
  private record LeaseKey(InetAddress ip, Instant start) {}
}
