package org.bellwatch.agent.report;

import java.util.Arrays;

/**
 * Per-group counts of a report (attempts, instructional attempts, first and last time) and distinct
 * counts of sections, users, rooms, domains and devices, kept as primitive arrays indexed by
 * dictionary id: one flat bitset array per dimension, {@code words} longs per group. A report over
 * a school's 90 days touches millions of rows; boxed sets per row would cost more than the whole
 * scan, and one flat array per dimension keeps the per-row update to an index computation and an
 * OR. Two stats over disjoint row ranges combine with {@link #merge} (reports scan halves of a
 * range on two cores).
 */
final class GroupStats {
  /** Distinct dimensions, in the order of {@link #distinct}. */
  static final int SECTIONS = 0;

  static final int USERS = 1;
  static final int ROOMS = 2;
  static final int DOMAINS = 3;
  static final int DEVICES = 4;

  private final EventIndex idx;
  private final int groups;
  private final int wSection;
  private final int wUser;
  private final int wRoom;
  private final int wDomain;
  private final int wDevice;
  final long[] attempts;
  final long[] instructional;
  final long[] first;
  final long[] last;
  private final long[] sections;
  private final long[] users;
  private final long[] rooms;
  private final long[] domains;
  private final long[] devices;

  /** {@code groups} is the dictionary size of the grouping column (ids 0 .. groups-1). */
  GroupStats(EventIndex idx, int groups) {
    this.idx = idx;
    this.groups = groups;
    wSection = words(idx.sections);
    wUser = words(idx.users);
    wRoom = words(idx.rooms);
    wDomain = words(idx.domains);
    wDevice = words(idx.devices);
    this.attempts = new long[groups];
    this.instructional = new long[groups];
    this.first = new long[groups];
    this.last = new long[groups];
    Arrays.fill(first, Long.MAX_VALUE);
    Arrays.fill(last, Long.MIN_VALUE);
    sections = new long[groups * wSection];
    users = new long[groups * wUser];
    rooms = new long[groups * wRoom];
    domains = new long[groups * wDomain];
    devices = new long[groups * wDevice];
  }

  private static int words(Dictionary d) {
    return (d.size() + 63) >>> 6;
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
    // Unknown (null) values are not counted as a distinct section, user, room or device (a block
    // logged
    // with a user but no client address has no device); a domain is never null.
    int v = idx.section[row];
    if (v != Dictionary.NULL) {
      sections[group * wSection + (v >>> 6)] |= 1L << v;
    }
    v = idx.user[row];
    if (v != Dictionary.NULL) {
      users[group * wUser + (v >>> 6)] |= 1L << v;
    }
    v = idx.room[row];
    if (v != Dictionary.NULL) {
      rooms[group * wRoom + (v >>> 6)] |= 1L << v;
    }
    v = idx.domain[row];
    domains[group * wDomain + (v >>> 6)] |= 1L << v;
    v = idx.device[row];
    if (v != Dictionary.NULL) {
      devices[group * wDevice + (v >>> 6)] |= 1L << v;
    }
  }

  /** Adds {@code other} (same index, same groups, disjoint rows) into this. */
  void merge(GroupStats other) {
    for (int g = 0; g < groups; g++) {
      attempts[g] += other.attempts[g];
      instructional[g] += other.instructional[g];
      first[g] = Math.min(first[g], other.first[g]);
      last[g] = Math.max(last[g], other.last[g]);
    }
    or(sections, other.sections);
    or(users, other.users);
    or(rooms, other.rooms);
    or(domains, other.domains);
    or(devices, other.devices);
  }

  private static void or(long[] a, long[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] |= b[i];
    }
  }

  boolean seen(int group) {
    return attempts[group] > 0;
  }

  int distinct(int dimension, int group) {
    long[] set;
    int w;
    switch (dimension) {
      case SECTIONS -> {
        set = sections;
        w = wSection;
      }
      case USERS -> {
        set = users;
        w = wUser;
      }
      case ROOMS -> {
        set = rooms;
        w = wRoom;
      }
      case DOMAINS -> {
        set = domains;
        w = wDomain;
      }
      default -> {
        set = devices;
        w = wDevice;
      }
    }
    int n = 0;
    for (int i = group * w, end = i + w; i < end; i++) {
      n += Long.bitCount(set[i]);
    }
    return n;
  }
}
