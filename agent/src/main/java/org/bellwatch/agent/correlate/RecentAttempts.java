package org.bellwatch.agent.correlate;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.bellwatch.agent.event.BlockEvent;

/**
 * Attempts already given out, kept in memory while late evidence may still join them: in the order
 * they were given out (nearly the order of their first evidence: the correlator gives them out in
 * that order, except for evidence later than the reorder window), and chained by client and name
 * without the device (to find them). A queue and a chain rather than ordered sets: every attempt
 * passes through here, and letting them go in the order they came is enough. Pipeline thread only.
 */
final class RecentAttempts {
  private final Map<AttemptKey, Attempt> bySubject = new HashMap<>();
  private final ArrayDeque<Attempt> order = new ArrayDeque<>();

  void add(Attempt a) {
    a.remembered = true;
    a.subject = a.key.subject();
    order.addLast(a);
    a.nextSameSubject = bySubject.put(a.subject, a);
  }

  /**
   * The first of the remembered attempts of {@code subject} (client and name), chained by {@link
   * Attempt#nextSameSubject}; null when none.
   */
  Attempt of(AttemptKey subject) {
    return bySubject.get(subject);
  }

  /** True when an attempt whose event has the same identity as {@code e} is remembered. */
  boolean holdsEvent(AttemptKey subject, BlockEvent e) {
    for (Attempt a = of(subject); a != null; a = a.nextSameSubject) {
      if (a.event != null && sameEvent(a.event, e)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The longest-remembered attempt if its first evidence is before {@code cut}, taken out; else
   * null.
   */
  Attempt pollBefore(Instant cut) {
    Attempt a = order.peekFirst();
    return a != null && a.first.isBefore(cut) ? pollOldest() : null;
  }

  /** The longest-remembered attempt, taken out; null when empty. */
  Attempt pollOldest() {
    Attempt a = order.pollFirst();
    if (a != null) {
      forget(a);
    }
    return a;
  }

  int size() {
    return order.size();
  }

  private void forget(Attempt a) {
    AttemptKey s = a.subject;
    Attempt head = bySubject.get(s);
    if (head == a) {
      if (a.nextSameSubject == null) {
        bySubject.remove(s);
      } else {
        bySubject.put(s, a.nextSameSubject);
      }
    } else {
      Attempt prev = head;
      while (prev.nextSameSubject != a) {
        prev = prev.nextSameSubject;
      }
      prev.nextSameSubject = a.nextSameSubject;
    }
    a.nextSameSubject = null;
    a.subject = null;
    a.remembered = false;
  }

  /**
   * Two events of one attempt as the store identifies them: time (to the microsecond), client,
   * name, source and method make the store key.
   */
  static boolean sameEvent(BlockEvent a, BlockEvent b) {
    return a.time().getEpochSecond() == b.time().getEpochSecond()
        && a.time().getNano() / 1000 == b.time().getNano() / 1000
        && java.util.Objects.equals(a.clientIp(), b.clientIp())
        && java.util.Objects.equals(a.domain(), b.domain())
        && java.util.Objects.equals(a.source(), b.source())
        && java.util.Objects.equals(a.method(), b.method());
  }
}
