package org.bellwatch.agent.hub;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One school's blocks on one day of the district's calendar, as {@link DayTallies} keeps them: all
 * its blocks, the instructional ones, and for each domain blocked during class how many, by class
 * section and by category. Domains, sections and categories are ids of the {@link DayTallies}
 * dictionary, so a row is a few kilobytes of numbers and a month of a district's rows is read
 * without building a string.
 *
 * <p>A row is written as signed variable-length numbers (zigzag, then 7 bits a byte) in two parts.
 * The head is what a range's figures need ({@link #read} stops at its end): blocks, instructional
 * blocks, the number of distinct sections blocked during class and their ids in ascending order
 * (each as its distance from the one before), the number of domains, then per domain its id, its
 * instructional blocks, its number of sections (its lessons that day), the number of categories and
 * (id, blocks) pairs. The tail, read only to change the row ({@link #decode}), holds each domain's
 * (section id, blocks) pairs, domain by domain in the head's order: with them a block taken out
 * says whether its section's lesson went with it.
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

  /**
   * What {@link #read} finds in a row's head, in the order written: the totals, each distinct
   * section, then each domain and its categories.
   */
  interface Reader {
    /**
     * @param lessons the sections blocked during class that day (each a lesson)
     */
    void totals(long blocks, long instructional, int lessons);

    void section(int id);

    /**
     * @param lessons the sections blocked from the domain that day
     */
    void domain(int id, long instructional, int lessons);

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
    List<Map.Entry<Integer, Domain>> byId = new ArrayList<>(domains.entrySet());
    int pairs = 0;
    for (Map.Entry<Integer, Domain> e : byId) {
      pairs += e.getValue().sections.size();
    }
    int[] sections = new int[pairs];
    int n = 0;
    for (Map.Entry<Integer, Domain> e : byId) {
      for (int id : e.getValue().sections.keySet()) {
        sections[n++] = id;
      }
    }
    Arrays.sort(sections);
    int distinct = 0;
    for (int i = 0; i < n; i++) {
      if (i == 0 || sections[i] != sections[i - 1]) {
        sections[distinct++] = sections[i];
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 + distinct * 2 + pairs * 4);
    put(out, blocks);
    put(out, instructional);
    put(out, distinct);
    int previous = 0;
    for (int i = 0; i < distinct; i++) {
      put(out, sections[i] - previous);
      previous = sections[i];
    }
    put(out, byId.size());
    for (Map.Entry<Integer, Domain> e : byId) {
      Domain d = e.getValue();
      put(out, e.getKey());
      put(out, d.instructional);
      put(out, d.sections.size());
      putAll(out, d.categories);
    }
    for (Map.Entry<Integer, Domain> e : byId) {
      e.getValue()
          .sections
          .forEach(
              (id, blocks) -> {
                put(out, id);
                put(out, blocks[0]);
              });
    }
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

  /** A stored row, head and tail, to be changed. */
  static SchoolDay decode(byte[] value) {
    SchoolDay row = new SchoolDay();
    List<Domain> order = new ArrayList<>();
    List<Integer> lessons = new ArrayList<>();
    Cursor c =
        read(
            value,
            new Reader() {
              @Override
              public void totals(long blocks, long instructional, int lessons) {
                row.blocks = blocks;
                row.instructional = instructional;
              }

              @Override
              public void section(int id) {
                // The tail names each domain's sections.
              }

              @Override
              public void domain(int id, long instructional, int sections) {
                Domain d = new Domain();
                d.instructional = instructional;
                row.domains.put(id, d);
                order.add(d);
                lessons.add(sections);
              }

              @Override
              public void category(int id, long blocks) {
                order.get(order.size() - 1).categories.put(id, new long[] {blocks});
              }
            });
    for (int i = 0; i < order.size(); i++) {
      for (int s = lessons.get(i); s > 0; s--) {
        order.get(i).sections.put((int) c.next(), new long[] {c.next()});
      }
    }
    return row;
  }

  /** Reads a row's head as {@link #encode} wrote it; returns where its tail starts. */
  static Cursor read(byte[] value, Reader r) {
    Cursor c = new Cursor(value);
    long blocks = c.next();
    long instructional = c.next();
    int sections = (int) c.next();
    r.totals(blocks, instructional, sections);
    int id = 0;
    for (int s = sections; s > 0; s--) {
      id += (int) c.next();
      r.section(id);
    }
    for (long d = c.next(); d > 0; d--) {
      r.domain((int) c.next(), c.next(), (int) c.next());
      for (long k = c.next(); k > 0; k--) {
        r.category((int) c.next(), c.next());
      }
    }
    return c;
  }

  /** A position in a row's bytes. */
  static final class Cursor {
    private final byte[] v;
    private int at;

    private Cursor(byte[] v) {
      this.v = v;
    }

    /** The next number. */
    long next() {
      long z = 0;
      int shift = 0;
      byte b;
      do {
        b = v[at++];
        z |= (long) (b & 0x7f) << shift;
        shift += 7;
      } while (b < 0);
      return (z >>> 1) ^ -(z & 1);
    }
  }
}
