package org.bellwatch.agent.hub;

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
    Out out = new Out(16 + distinct * 2 + byId.size() * 8 + pairs * 4);
    out.put(blocks);
    out.put(instructional);
    out.put(distinct);
    int previous = 0;
    for (int i = 0; i < distinct; i++) {
      out.put(sections[i] - previous);
      previous = sections[i];
    }
    out.put(byId.size());
    for (Map.Entry<Integer, Domain> e : byId) {
      Domain d = e.getValue();
      out.put(e.getKey());
      out.put(d.instructional);
      out.put(d.sections.size());
      out.put(d.categories.size());
      d.categories.forEach(out::put);
    }
    for (Map.Entry<Integer, Domain> e : byId) {
      e.getValue().sections.forEach(out::put);
    }
    return out.bytes();
  }

  /**
   * A row's bytes as they are written: not a ByteArrayOutputStream, whose write takes a lock for
   * every byte (two thirds of the CPU of writing a row went there).
   */
  private static final class Out {
    private byte[] buf;
    private int n;

    Out(int size) {
      buf = new byte[size];
    }

    /** A count of an id. */
    void put(Integer id, long[] count) {
      put(id);
      put(count[0]);
    }

    void put(long v) {
      if (n + 10 > buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2 + 10);
      }
      long z = (v << 1) ^ (v >> 63);
      while ((z & ~0x7fL) != 0) {
        buf[n++] = (byte) ((z & 0x7f) | 0x80);
        z >>>= 7;
      }
      buf[n++] = (byte) z;
    }

    byte[] bytes() {
      return Arrays.copyOf(buf, n);
    }
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
