package org.bellwatch.agent.hub;

import java.time.Duration;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.store.StoreException;
import org.bellwatch.agent.util.PeriodicTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs the hub store's log to disk on a thread of its own, every {@link #EVERY} while polls are
 * being written, and on the consumer's thread when it finds nothing more to read and before it
 * hands its partitions away; each sync makes the polls written before it started durable ({@link
 * DurableOffsets}). A sync per write would wait for the disk on every poll (about 200 ms for a
 * poll's 5 MB on the benchmarks' disk, a fourth of the store's rate: docs/benchmarks.md, "Hub
 * ingest, third pass"); one a second overlaps the writes and leaves the committed offsets at most
 * about a second behind the store.
 *
 * <p>A failed sync stays failed until {@link #reset}: after a failed fsync the kernel may have
 * dropped the unwritten pages and a later fsync succeeds without them (so no later sync may make
 * those polls durable); the consumer closes and reads again from its committed offsets.
 */
final class StoreSyncs implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoreSyncs.class);

  /** How often the log is synced while polls are being written. */
  static final Duration EVERY = Duration.ofSeconds(1);

  /** Syncs the store's log: every write that returned before is then on disk. */
  interface Log {
    void sync() throws StoreException;
  }

  private final DurableOffsets offsets;
  private final Log storeLog;
  private final BellwatchMeters meters;
  private final PeriodicTask thread;

  private volatile StoreException failed;

  StoreSyncs(DurableOffsets offsets, Log storeLog, BellwatchMeters meters, Duration every) {
    this.offsets = offsets;
    this.storeLog = storeLog;
    this.meters = meters;
    this.thread = new PeriodicTask("hub-store-sync", every, this::syncWritten);
  }

  void start() {
    thread.start();
  }

  /**
   * Syncs the log if a poll was written since the last sync started, then marks the polls written
   * before this one started durable. One sync at a time (the thread's and the consumer's).
   */
  synchronized void sync() throws StoreException {
    check();
    if (!offsets.syncStarting()) {
      return;
    }
    long start = System.nanoTime();
    try {
      storeLog.sync();
    } catch (StoreException e) {
      failed = e;
      meters.hubStoreSync("failed", Duration.ofNanos(System.nanoTime() - start));
      throw e;
    }
    meters.hubStoreSync("ok", Duration.ofNanos(System.nanoTime() - start));
    offsets.synced();
  }

  /** Throws the failure of an earlier sync (until {@link #reset}). */
  void check() throws StoreException {
    StoreException e = failed;
    if (e != null) {
      throw e;
    }
  }

  /** For a new consumer: no failure, no offsets. */
  void reset() {
    failed = null;
    offsets.clear();
  }

  private void syncWritten() {
    if (!offsets.unsynced()) {
      return;
    }
    try {
      sync();
    } catch (StoreException e) {
      log.warn("hub: syncing the store's log failed, no offset is committed: {}", e.getMessage());
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again.
      log.warn("hub: syncing the store's log failed: {}", e.toString());
    }
  }

  /** Stops the thread, after a sync in progress: the store closes next. */
  @Override
  public void close() {
    thread.close();
  }
}
