package org.bellwatch.agent.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.bellwatch.agent.correlate.BlockEvent;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.report.EventIndex;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects block events on the pipeline thread and writes them to the store in batches (one RocksDB
 * WriteBatch each). A failed write keeps the batch and retries on the next flush rather than losing it.
 */
final class StoreSink implements Consumer<BlockEvent> {
  static final int BATCH = 512;
  private static final Logger log = LoggerFactory.getLogger(StoreSink.class);

  private final EventStore store;
  private final BellwatchMeters meters;
  private final EventIndex index;
  private final List<BlockEvent> pending = new ArrayList<>();

  /** {@code index} receives the events the store newly wrote, for the reports. */
  StoreSink(EventStore store, EventIndex index, BellwatchMeters meters) {
    this.store = store;
    this.index = index;
    this.meters = meters;
  }

  @Override
  public void accept(BlockEvent e) {
    pending.add(e);
    if (pending.size() >= BATCH) {
      flush();
    }
  }

  /** Writes what is pending; true when nothing is left pending. */
  boolean flush() {
    if (pending.isEmpty()) {
      return true;
    }
    try {
      List<BlockEvent> written = store.append(pending);
      index.addAll(written);
      meters.storeWritten(written.size());
      pending.clear();
      return true;
    } catch (StoreException e) {
      meters.storeError();
      log.error("{} ({} events kept for retry)", e.getMessage(), pending.size());
      return false;
    }
  }
}
