package org.bellwatch.agent.pipeline;

import java.util.List;
import org.bellwatch.agent.correlate.AttemptSink;
import org.bellwatch.agent.correlate.BlockEvidence;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.metrics.BellwatchMeters;

/**
 * What the correlator gives out, counted and tied to the tailed lines it came from ({@link
 * OffsetLedger}), then handed to the next sink. A block counts once, when first attributed; late
 * evidence merged into it counts as {@code late_evidence{outcome="merged"}}, not as another block.
 */
final class CountedAttempts implements AttemptSink {
  private final OffsetLedger ledger;
  private final BellwatchMeters meters;
  private final AttemptSink next;

  CountedAttempts(OffsetLedger ledger, BellwatchMeters meters, AttemptSink next) {
    this.ledger = ledger;
    this.meters = meters;
    this.next = next;
  }

  @Override
  public void emitted(List<BlockEvidence> evidence, BlockEvent e) {
    ledger.emitted(evidence, e);
    meters.block(e.instructional());
    meters.attributed(e.mac() != null, e.room() != null, e.user() != null, e.section() != null);
    if (e.instructional()) {
      meters.instructionalBlock(e.category(), e.period());
    }
    next.emitted(evidence, e);
  }

  @Override
  public void merged(
      BlockEvent before, BlockEvidence added, List<BlockEvidence> evidence, BlockEvent after) {
    ledger.emitted(List.of(added), after);
    meters.lateEvidence("merged");
    next.merged(before, added, evidence, after);
  }

  @Override
  public void repeated(BlockEvidence e, boolean attributed) {
    ledger.released(e);
    if (attributed) {
      meters.lateEvidence("repeated");
    }
  }

  @Override
  public void lateUnmatched(BlockEvidence e) {
    meters.lateEvidence("unmatched");
  }

  @Override
  public void settled(BlockEvent e) {
    next.settled(e);
  }
}
