package org.bellwatch.agent.report;

import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.event.StorageException;

/**
 * The block events a report filter selects, whole (evidence included), newest first, a page at a
 * time.
 */
public interface BlockQueries {
  Reports.Page<BlockEvent> blocks(ReportFilter f, int offset, int limit) throws StorageException;
}
