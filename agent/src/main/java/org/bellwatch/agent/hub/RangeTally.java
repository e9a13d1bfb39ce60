package org.bellwatch.agent.hub;

import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * The district's figures over a range of days, summed from {@link SchoolDay} rows (one per school
 * and day): in all, by school, by domain blocked during class, by day. A lesson is a class section
 * on one day, so a school's lessons are the sum over its days of the sections blocked that day, and
 * a domain's those of the rows it appears in: no set of lessons is ever built.
 */
final class RangeTally implements DayTallies.Rows {
  /** Counts of one school, or of the whole range. */
  static final class Group {
    long blocks;
    long instructional;
    final BitSet domains = new BitSet();
    final BitSet sections = new BitSet();
    long lessons;
    final Map<Integer, long[]> byDomain = new HashMap<>();
  }

  /** Instructional blocks of one domain. */
  static final class Domain {
    long instructional;
    long lessons;
    final Set<String> schools = new HashSet<>();
    final Map<Integer, long[]> categories = new HashMap<>();
  }

  private final IntFunction<String> names;
  final Map<String, Group> schools = new TreeMap<>();
  final Map<Integer, Domain> domains = new HashMap<>();
  final Map<String, long[]> days = new TreeMap<>();

  /** The whole range (its {@code byDomain} unused: see {@link #domains}). */
  final Group total = new Group();

  private final BitSet rowSections = new BitSet();
  private final Reader reader = new Reader();

  /**
   * @param names the name of a dictionary id ({@link DayTallies#name})
   */
  RangeTally(IntFunction<String> names) {
    this.names = names;
  }

  @Override
  public void row(String day, String school, byte[] value) {
    reader.school = schools.computeIfAbsent(school, k -> new Group());
    reader.schoolId = school;
    reader.day = days.computeIfAbsent(day, k -> new long[2]);
    rowSections.clear();
    SchoolDay.read(value, reader);
    reader.school.lessons += rowSections.cardinality();
    total.lessons += rowSections.cardinality();
  }

  private final class Reader implements SchoolDay.Reader {
    Group school;
    String schoolId;
    long[] day;
    Domain domain;

    @Override
    public void totals(long blocks, long instructional) {
      total.blocks += blocks;
      total.instructional += instructional;
      school.blocks += blocks;
      school.instructional += instructional;
      day[0] += blocks;
      day[1] += instructional;
    }

    @Override
    public void domain(int id, long instructional) {
      domain = domains.computeIfAbsent(id, k -> new Domain());
      domain.instructional += instructional;
      domain.schools.add(schoolId);
      school.domains.set(id);
      school.byDomain.computeIfAbsent(id, k -> new long[1])[0] += instructional;
      total.domains.set(id);
    }

    @Override
    public void section(int id, long blocks) {
      rowSections.set(id);
      school.sections.set(id);
      total.sections.set(id);
      domain.lessons++;
    }

    @Override
    public void category(int id, long blocks) {
      domain.categories.computeIfAbsent(id, k -> new long[1])[0] += blocks;
    }
  }

  /** Schools with a block during class. */
  long schoolsBlocked() {
    return schools.values().stream().filter(g -> g.instructional > 0).count();
  }

  String name(int id) {
    return names.apply(id);
  }

  /** The domain a school's classes were blocked from most often (ties: by name), or null. */
  String topDomain(Group g) {
    return g.byDomain.entrySet().stream()
        .max(
            Comparator.comparingLong((Map.Entry<Integer, long[]> e) -> e.getValue()[0])
                .thenComparing(e -> name(e.getKey()), Comparator.reverseOrder()))
        .map(e -> name(e.getKey()))
        .orElse(null);
  }

  /** The category most of a domain's blocks carried (ties: by name), or null. */
  String category(Domain d) {
    return d.categories.entrySet().stream()
        .max(
            Comparator.comparingLong((Map.Entry<Integer, long[]> e) -> e.getValue()[0])
                .thenComparing(e -> name(e.getKey()), Comparator.reverseOrder()))
        .map(e -> name(e.getKey()))
        .orElse(null);
  }
}
