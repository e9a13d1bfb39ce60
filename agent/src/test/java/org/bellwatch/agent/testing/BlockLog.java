package org.bellwatch.agent.testing;

import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.correlate.AttemptSink;
import org.bellwatch.agent.correlate.BlockEvidence;
import org.bellwatch.agent.event.BlockEvent;

/**
 * The block events a correlator or pipeline gave out, as a store would hold them: in the order
 * given out, a merged event in the place of the one it replaces; also every call, for tests of what
 * was given out when.
 */
public final class BlockLog implements AttemptSink {
  private final List<BlockEvent> events = new ArrayList<>();
  private final List<String> calls = new ArrayList<>();

  @Override
  public void emitted(List<BlockEvidence> evidence, BlockEvent event) {
    events.add(event);
    calls.add("emitted " + event.domain());
  }

  @Override
  public void merged(
      BlockEvent before, BlockEvidence added, List<BlockEvidence> evidence, BlockEvent after) {
    int i = indexOf(before);
    if (i < 0) {
      events.add(after); // an event given out before this log began (a store's, after a restart)
    } else {
      events.set(i, after);
    }
    calls.add("merged " + added.evidence());
  }

  @Override
  public void repeated(BlockEvidence e, boolean attributed) {
    calls.add((attributed ? "repeated late " : "repeated ") + e.evidence());
  }

  @Override
  public void lateUnmatched(BlockEvidence e) {
    calls.add("late unmatched " + e.evidence());
  }

  @Override
  public void settled(BlockEvent event) {
    calls.add("settled " + event.domain());
  }

  private int indexOf(BlockEvent e) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i) == e) {
        return i;
      }
    }
    return -1;
  }

  /** The events as they stand. */
  public List<BlockEvent> events() {
    return events;
  }

  /**
   * Every call in order, e.g. {@code emitted games.example.com}, {@code merged <evidence line>}.
   */
  public List<String> calls() {
    return calls;
  }
}
