package org.bellwatch.agent.report;

import java.util.List;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.event.StorageException;
import org.bellwatch.agent.store.EventStore.EventRef;

/**
 * Block queries as the agent answers them: the in-heap index finds the page ({@link
 * Reports#blocks}), the events themselves (with their evidence, which the index does not hold) are
 * read by their addresses.
 */
public final class IndexedBlocks implements BlockQueries {
  /**
   * Reads stored events by address, in order, skipping any no longer stored ({@code
   * EventStore::get}).
   */
  @FunctionalInterface
  public interface Events {
    List<BlockEvent> get(List<EventRef> refs) throws StorageException;
  }

  private final Reports reports;
  private final Events events;

  public IndexedBlocks(Reports reports, Events events) {
    this.reports = reports;
    this.events = events;
  }

  @Override
  public Reports.Page<BlockEvent> blocks(ReportFilter f, int offset, int limit)
      throws StorageException {
    Reports.Page<EventRef> page = reports.blocks(f, offset, limit);
    return new Reports.Page<>(events.get(page.items()), page.total(), page.offset(), page.limit());
  }
}
