package org.bellwatch.agent.correlate;

import java.util.List;
import org.bellwatch.agent.event.BlockEvent;

/**
 * An attributed attempt as it is stored: its block event and the evidence records it was attributed
 * from (what a later merge needs to attribute it again exactly as if all its evidence had come
 * together).
 *
 * @param event the block event
 * @param evidence the evidence records in time order, or null for an event stored before they were
 *     kept (the correlator then reads them back from the event's evidence lines)
 */
public record BlockAttempt(BlockEvent event, List<BlockEvidence> evidence) {
  public BlockAttempt {
    evidence = evidence == null ? null : List.copyOf(evidence);
  }
}
