package org.bellwatch.agent.report;

import java.util.Arrays;

/**
 * Per-group counts of a report (attempts, instructional attempts, first and last time) and distinct
 * counts of sections, users, rooms, domains and devices, kept as primitive arrays indexed by dictionary
 * id and one bitset per group and dimension, allocated when the group is first seen. A report over a
 * school's 90 days touches millions of rows; boxed sets per row would cost more than the whole scan.
 */
final class GroupStats {
  /** Distinct dimensions, in the order of {@link #distinct}. */
  static final int SECTIONS = 0;
  static final int USERS = 1;
  static final int ROOMS = 2;
  static final int DOMAINS = 3;
  static final int DEVICES = 4;

  private final EventIndex idx;
  private final int[][] columns;
  private final int[] words;
  final long[] attempts;
  final long[] instructional;
  final long[] first;
  final long[] last;
  private final long[][][] bits;

  /** {@code groups} is the dictionary size of the grouping column (ids 0 .. groups-1). */
  GroupStats(EventIndex idx, int groups) {
    this.idx = idx;
    this.columns = new int[][] {idx.section, idx.user, idx.room, idx.domain, idx.device};
    Dictionary[] dicts = {idx.sections, idx.users, idx.rooms, idx.domains, idx.devices};
    this.words = new int[dicts.length];
    for (int d = 0; d < dicts.length; d++) {
      words[d] = (dicts[d].size() + 63) >>> 6;
    }
    this.attempts = new long[groups];
    this.instructional = new long[groups];
    this.first = new long[groups];
    this.last = new long[groups];
    Arrays.fill(first, Long.MAX_VALUE);
    Arrays.fill(last, Long.MIN_VALUE);
    this.bits = new long[dicts.length][groups][];
  }

  void add(int group, int row) {
    attempts[group]++;
    if (idx.instructional[row]) {
      instructional[group]++;
    }
    long t = idx.time[row];
    if (t < first[group]) {
      first[group] = t;
    }
    if (t > last[group]) {
      last[group] = t;
    }
    for (int d = 0; d < columns.length; d++) {
      int v = columns[d][row];
      // Unknown (null) values are not counted as a distinct section, user or room.
      if (v == Dictionary.NULL && d != DOMAINS && d != DEVICES) {
        continue;
      }
      long[] set = bits[d][group];
      if (set == null) {
        set = new long[words[d]];
        bits[d][group] = set;
      }
      set[v >>> 6] |= 1L << (v & 63);
    }
  }

  boolean seen(int group) {
    return attempts[group] > 0;
  }

  int distinct(int dimension, int group) {
    long[] set = bits[dimension][group];
    if (set == null) {
      return 0;
    }
    int n = 0;
    for (long w : set) {
      n += Long.bitCount(w);
    }
    return n;
  }
}
