package org.bellwatch.agent.correlate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Attempts already given out, kept in memory while late evidence may still join them: by first evidence
 * (to let them go in order) and by client and name without the device (to find them). Pipeline thread only.
 */
final class RecentAttempts {
  private final Map<AttemptKey, List<Attempt>> bySubject = new HashMap<>();
  private final TreeSet<Attempt> byFirst = new TreeSet<>(Attempt.OUTPUT_ORDER);

  void add(Attempt a) {
    byFirst.add(a);
    bySubject.computeIfAbsent(a.key.subject(), k -> new ArrayList<>(2)).add(a);
  }

  /** Takes {@code a} out (before its first evidence time changes, which orders it). */
  void remove(Attempt a) {
    if (byFirst.remove(a)) {
      forget(a);
    }
  }

  /** Remembered attempts of the subject (client and name); empty when none. */
  List<Attempt> of(AttemptKey subject) {
    List<Attempt> list = bySubject.get(subject);
    return list == null ? List.of() : list;
  }

  /** True when an attempt whose event has the same identity as {@code e} is remembered. */
  boolean holdsEvent(AttemptKey subject, BlockEvent e) {
    for (Attempt a : of(subject)) {
      if (a.event != null && sameEvent(a.event, e)) {
        return true;
      }
    }
    return false;
  }

  /** The oldest attempt if its first evidence is before {@code cut}, taken out; else null. */
  Attempt pollBefore(Instant cut) {
    if (byFirst.isEmpty() || !byFirst.first().first.isBefore(cut)) {
      return null;
    }
    return pollOldest();
  }

  /** The oldest attempt, taken out; null when empty. */
  Attempt pollOldest() {
    Attempt a = byFirst.pollFirst();
    if (a != null) {
      forget(a);
    }
    return a;
  }

  int size() {
    return byFirst.size();
  }

  private void forget(Attempt a) {
    AttemptKey s = a.key.subject();
    List<Attempt> list = bySubject.get(s);
    list.remove(a);
    if (list.isEmpty()) {
      bySubject.remove(s);
    }
  }

  /**
   * Two events of one attempt as the store identifies them: time (to the microsecond), client, name, source
   * and method make the store key.
   */
  static boolean sameEvent(BlockEvent a, BlockEvent b) {
    return a.time().getEpochSecond() == b.time().getEpochSecond()
        && a.time().getNano() / 1000 == b.time().getNano() / 1000
        && java.util.Objects.equals(a.clientIp(), b.clientIp()) && a.domain().equals(b.domain())
        && java.util.Objects.equals(a.source(), b.source()) && java.util.Objects.equals(a.method(), b.method());
  }
}
