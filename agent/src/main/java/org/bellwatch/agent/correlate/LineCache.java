package org.bellwatch.agent.correlate;

/**
 * Evidence lines already written, by the identity of the objects they describe (a lease, a host
 * name and room, a room and section): one lease or one class period explains many blocks, and
 * building the same line per block was a large share of attribution's allocation. Direct-mapped: a
 * colliding pair simply replaces the slot, so the cache stays a fixed size.
 */
final class LineCache {
  private static final int SLOTS = 4096;
  private final Object[] firsts = new Object[SLOTS];
  private final Object[] seconds = new Object[SLOTS];
  private final String[] lines = new String[SLOTS];

  /** The line cached for the pair ({@code first}, {@code second}) by identity, or null. */
  String get(Object first, Object second) {
    int s = slot(first, second);
    return firsts[s] == first && seconds[s] == second ? lines[s] : null;
  }

  String put(Object first, Object second, String line) {
    int s = slot(first, second);
    firsts[s] = first;
    seconds[s] = second;
    lines[s] = line;
    return line;
  }

  private static int slot(Object first, Object second) {
    int h = System.identityHashCode(first) * 31 + System.identityHashCode(second);
    return (h ^ (h >>> 16)) & (SLOTS - 1);
  }
}
