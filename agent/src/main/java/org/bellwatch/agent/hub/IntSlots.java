package org.bellwatch.agent.hub;

import java.util.Arrays;

/**
 * Numbers the distinct ints it is given 0, 1, 2... in the order first seen, so that counts kept by
 * id (a dictionary id of {@link DayTallies}, which runs to the size of the whole dictionary) can
 * sit in arrays as long as the ids a query meets. Open addressing with linear probing, no boxing: a
 * lookup is a multiply, a mask and (mostly) one probe.
 */
final class IntSlots {
  private static final int FREE = -1;

  /** Keys and their slots side by side ({@code table[2i]} key, {@code table[2i + 1]} slot). */
  private int[] table = newTable(64);

  private int size;

  /**
   * The slot of the key: its own if seen before, else the next one (how many keys it had before).
   */
  int slot(int key) {
    int mask = table.length / 2 - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      int k = table[2 * i];
      if (k == key && table[2 * i + 1] != FREE) {
        return table[2 * i + 1];
      }
      if (table[2 * i + 1] == FREE) {
        table[2 * i] = key;
        table[2 * i + 1] = size;
        if (++size * 2 > table.length / 2) {
          grow();
        }
        return size - 1;
      }
    }
  }

  private void grow() {
    int[] old = table;
    table = newTable(old.length);
    int mask = table.length / 2 - 1;
    for (int j = 0; j < old.length; j += 2) {
      if (old[j + 1] != FREE) {
        int i = mix(old[j]) & mask;
        while (table[2 * i + 1] != FREE) {
          i = (i + 1) & mask;
        }
        table[2 * i] = old[j];
        table[2 * i + 1] = old[j + 1];
      }
    }
  }

  /** A table of twice as many entries as {@code ints} holds now, all free. */
  private static int[] newTable(int ints) {
    int[] t = new int[ints * 2];
    Arrays.fill(t, FREE);
    return t;
  }

  /** Spreads ids that are mostly consecutive over the table (Fibonacci hashing). */
  private static int mix(int key) {
    int h = key * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
