package org.bellwatch.agent.correlate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.event.Lease;

/**
 * The evidence of one attempt. {@code first} is its earliest evidence time and {@code lease} the
 * lease that covered the address then; {@code event} is null while the attempt waits, then the
 * event last given out for it.
 */
final class Attempt {
  /** Waiting and remembered attempts in output order: first evidence, then client address text. */
  static final Comparator<Attempt> OUTPUT_ORDER =
      (x, y) -> {
        // Written out rather than composed from key extractors: the sets ordered by it change at
        // every
        // attempt, and the comparisons are a visible share of correlation's cost.
        int c = x.first.compareTo(y.first);
        if (c == 0) {
          c = x.clientText.compareTo(y.clientText);
        }
        return c != 0 ? c : Long.compare(x.seq, y.seq);
      };

  static final Comparator<BlockEvidence> BY_TIME = Comparator.comparing(BlockEvidence::time);

  final AttemptKey key;
  final String clientText;
  final long seq;
  List<BlockEvidence> evidence = new ArrayList<>(2);
  Instant first;
  Lease lease;
  BlockEvent event;

  /** The next waiting attempt of the same key (the correlator chains them: most keys have one). */
  Attempt nextSameKey;

  /** The next remembered attempt of the same client and name ({@link RecentAttempts}). */
  Attempt nextSameSubject;

  /** The key without the device, while remembered. */
  AttemptKey subject;

  /** True while {@link RecentAttempts} holds it. */
  boolean remembered;

  Attempt(AttemptKey key, String clientText, long seq, Instant first, Lease lease) {
    this.key = key;
    this.clientText = clientText;
    this.seq = seq;
    this.first = first;
    this.lease = lease;
  }

  /**
   * True when the attempt holds a record with the same evidence line (the line quotes the record
   * and its time).
   */
  boolean holds(BlockEvidence e) {
    for (int i = 0; i < evidence.size(); i++) {
      if (evidence.get(i).evidence().equals(e.evidence())) {
        return true;
      }
    }
    return false;
  }
}
