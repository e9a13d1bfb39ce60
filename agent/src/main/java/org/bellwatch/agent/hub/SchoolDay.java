package org.bellwatch.agent.hub;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * One school's blocks on one day of the district's calendar, as {@link DayTallies} keeps them: all
 * its blocks, the instructional ones, and for each domain blocked during class how many, by class
 * section and by category. Domains, sections and categories are ids of the {@link DayTallies}
 * dictionary, so a row is a few hundred bytes of numbers and a month of a district's rows is read
 * without building a string.
 *
 * <p>A row is written as signed variable-length numbers (zigzag, then 7 bits a byte): blocks,
 * instructional blocks, the number of domains, then per domain its id, its instructional blocks,
 * the number of sections and (id, blocks) pairs, the number of categories and (id, blocks) pairs.
 */
final class SchoolDay {
  long blocks;
  long instructional;

  /** Instructional blocks by domain id. */
  final Map<Integer, Domain> domains = new HashMap<>();

  /** One domain's instructional blocks of the day, by section id and by category id. */
  static final class Domain {
    long instructional;
    final Map<Integer, long[]> sections = new HashMap<>();
    final Map<Integer, long[]> categories = new HashMap<>();
  }

  /** What {@link #read} finds, in the order written: a domain, then its sections and categories. */
  interface Reader {
    void totals(long blocks, long instructional);

    void domain(int id, long instructional);

    void section(int id, long blocks);

    void category(int id, long blocks);
  }

  /**
   * Counts {@code n} blocks (negative: removes them); {@code section} and {@code category} are -1
   * when the event has none. Only instructional blocks are counted by domain.
   */
  void add(boolean isInstructional, int domain, int section, int category, long n) {
    blocks += n;
    if (isInstructional) {
      instructional += n;
      Domain d = domains.computeIfAbsent(domain, k -> new Domain());
      d.instructional += n;
      if (section >= 0) {
        d.sections.computeIfAbsent(section, k -> new long[1])[0] += n;
      }
      if (category >= 0) {
        d.categories.computeIfAbsent(category, k -> new long[1])[0] += n;
      }
    }
  }

  /** Adds another row's counts to this one; counts that reach zero are dropped. */
  void addAll(SchoolDay other) {
    blocks += other.blocks;
    instructional += other.instructional;
    other.domains.forEach(
        (id, o) -> {
          Domain d = domains.computeIfAbsent(id, k -> new Domain());
          d.instructional += o.instructional;
          merge(d.sections, o.sections);
          merge(d.categories, o.categories);
          if (d.instructional == 0 && d.sections.isEmpty() && d.categories.isEmpty()) {
            domains.remove(id);
          }
        });
  }

  private static void merge(Map<Integer, long[]> into, Map<Integer, long[]> from) {
    from.forEach(
        (id, n) -> {
          long[] m = into.computeIfAbsent(id, k -> new long[1]);
          m[0] += n[0];
          if (m[0] == 0) {
            into.remove(id);
          }
        });
  }

  boolean isEmpty() {
    return blocks == 0 && instructional == 0 && domains.isEmpty();
  }

  byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 + domains.size() * 12);
    put(out, blocks);
    put(out, instructional);
    put(out, domains.size());
    domains.forEach(
        (id, d) -> {
          put(out, id);
          put(out, d.instructional);
          putAll(out, d.sections);
          putAll(out, d.categories);
        });
    return out.toByteArray();
  }

  private static void putAll(ByteArrayOutputStream out, Map<Integer, long[]> counts) {
    put(out, counts.size());
    counts.forEach(
        (id, n) -> {
          put(out, id);
          put(out, n[0]);
        });
  }

  private static void put(ByteArrayOutputStream out, long v) {
    long z = (v << 1) ^ (v >> 63);
    while ((z & ~0x7fL) != 0) {
      out.write((int) (z & 0x7f) | 0x80);
      z >>>= 7;
    }
    out.write((int) z);
  }

  static SchoolDay decode(byte[] value) {
    SchoolDay row = new SchoolDay();
    read(
        value,
        new Reader() {
          Domain current;

          @Override
          public void totals(long blocks, long instructional) {
            row.blocks = blocks;
            row.instructional = instructional;
          }

          @Override
          public void domain(int id, long instructional) {
            current = row.domains.computeIfAbsent(id, k -> new Domain());
            current.instructional = instructional;
          }

          @Override
          public void section(int id, long blocks) {
            current.sections.put(id, new long[] {blocks});
          }

          @Override
          public void category(int id, long blocks) {
            current.categories.put(id, new long[] {blocks});
          }
        });
    return row;
  }

  /** Reads a row as {@link #encode} wrote it. */
  static void read(byte[] value, Reader r) {
    int[] at = {0};
    r.totals(get(value, at), get(value, at));
    for (long d = get(value, at); d > 0; d--) {
      r.domain((int) get(value, at), get(value, at));
      for (long s = get(value, at); s > 0; s--) {
        r.section((int) get(value, at), get(value, at));
      }
      for (long c = get(value, at); c > 0; c--) {
        r.category((int) get(value, at), get(value, at));
      }
    }
  }

  private static long get(byte[] v, int[] at) {
    long z = 0;
    int shift = 0;
    byte b;
    do {
      b = v[at[0]++];
      z |= (long) (b & 0x7f) << shift;
      shift += 7;
    } while (b < 0);
    return (z >>> 1) ^ -(z & 1);
  }
}
