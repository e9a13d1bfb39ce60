package org.bellwatch.agent.pipeline;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.bellwatch.agent.correlate.BlockEvent;
import org.bellwatch.agent.identity.Lease;
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
 * WriteBatch each), with the marks of tailed files that those events complete ({@link OffsetLedger} gives
 * the rule), and with the lease records that changed since the last batch. A failed write keeps the batch
 * and retries on the next flush rather than losing it.
 *
 * <p>A mark is stored under the file's source id, and its check under the id plus {@link #CHECK_SUFFIX}.
 */
final class StoreSink implements Consumer<BlockEvent> {
  static final int BATCH = 512;
  /**
   * Events held for retry while writes fail (a full disk) before the pipeline stops taking input: about
   * 75 MB of heap. Past it, the inputs' own limits take over (TCP senders paused, tailed files left where
   * they are, captured frames and UDP messages dropped and counted), rather than the heap running out.
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
   * Lease records changed since the last successful write, the latest version of each (a record is stored
   * under its address and start, so a renewal replaces it): bounded by the records, not the renewals, while
   * writes fail.
   */
  private final Map<LeaseKey, Lease> leaseChanges = new LinkedHashMap<>();
  private final Map<String, Mark> stored = new HashMap<>();
  private int flushAt = BATCH;
  private final LongSupplier freeBytes;
  private final int maxHeld;

  private record Pending(BlockEvent event, Map<String, OffsetLedger.Span> spans) {
  }

  /** {@code index} receives the events the store newly wrote, for the reports. */
  StoreSink(EventStore store, EventIndex index, BellwatchMeters meters, OffsetLedger ledger) {
    this(store, index, meters, ledger, SpaceReserve.usableBytesOf(store.dir()), MAX_HELD);
  }

  /** {@code freeBytes} measures the store's file system; {@code maxHeld} is {@link #MAX_HELD} (tests lower it). */
  StoreSink(EventStore store, EventIndex index, BellwatchMeters meters, OffsetLedger ledger, LongSupplier freeBytes,
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
  public void accept(BlockEvent e) {
    pending.add(new Pending(e, ledger.take(e)));
    if (pending.size() >= flushAt) {
      flush();
    }
  }

  /** A lease record the pipeline added or changed: stored with the next batch. */
  void leaseChanged(Lease l) {
    leaseChanges.put(new LeaseKey(l.ip(), l.start()), l);
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
    // An event with a line at or past a source's mark waits; the mark then stops at that event's first
    // line, which may hold back other events: repeat until nothing changes (marks only go down).
    boolean[] held = new boolean[pending.size()];
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int i = 0; i < held.length; i++) {
        if (held[i]) {
          continue;
        }
        for (Map.Entry<String, OffsetLedger.Span> s : pending.get(i).spans().entrySet()) {
          Mark m = marks.get(s.getKey());
          if (m == null || s.getValue().lastEnd() > m.offset()) {
            held[i] = true;
            break;
          }
        }
        if (held[i]) {
          changed = true;
          for (Map.Entry<String, OffsetLedger.Span> s : pending.get(i).spans().entrySet()) {
            Mark m = marks.get(s.getKey());
            if (m != null && s.getValue().first().offset() < m.offset()) {
              marks.put(s.getKey(), s.getValue().first());
            }
          }
        }
      }
    }
    List<BlockEvent> ready = new ArrayList<>();
    List<Pending> waiting = new ArrayList<>();
    for (int i = 0; i < held.length; i++) {
      if (held[i]) {
        waiting.add(pending.get(i));
      } else {
        ready.add(pending.get(i).event());
      }
    }
    Map<String, Long> offsets = new LinkedHashMap<>();
    Map<String, Mark> advanced = new HashMap<>();
    marks.forEach((source, m) -> {
      Mark before = stored.get(source);
      if (m != null && (before == null || m.offset() > before.offset())) {
        offsets.put(source, m.offset());
        offsets.put(source + CHECK_SUFFIX, m.check());
        advanced.put(source, m);
      }
    });
    if (ready.isEmpty() && offsets.isEmpty() && leaseChanges.isEmpty()) {
      flushAt = waiting.size() + BATCH;
      return true;
    }
    long free = freeBytes.getAsLong();
    if (free < SpaceReserve.MIN_FREE_BYTES) {
      // RocksDB failing mid-write on a full disk stops accepting writes until it is reopened: do not try.
      return failed("no space left on the store's file system (" + free + " bytes free, " + SpaceReserve.MIN_FREE_BYTES
          + " needed)");
    }
    try {
      List<BlockEvent> written = store.append(ready, offsets, List.copyOf(leaseChanges.values()));
      leaseChanges.clear();
      index.addAll(written);
      meters.storeWritten(written.size());
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
   * Keeps every pending event (and so every file mark after them) for the next flush: the next tick, or
   * another batch later, not at every event.
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

  /** True while writes fail and {@link #MAX_HELD} events wait: the pipeline then takes no more input. */
  boolean backlogged() {
    return failure != null && pending.size() >= maxHeld;
  }

  /** Why writes fail now (for /health), or null when the last write succeeded. */
  String failure() {
    return failure;
  }

  /** What identifies a stored lease record (see {@code LeaseRecords.key}). */
  private record LeaseKey(InetAddress ip, Instant start) {
  }
}
