package org.bellwatch.agent.hub;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * The district's figures over a range of days, summed from {@link SchoolDay} rows (one per school
 * and day): in all, by school, by domain blocked during class, by day. A lesson is a class section
 * on one day, so a school's lessons are the sum over its days of the sections blocked that day, and
 * a domain's those of the rows it appears in: no set of lessons is ever built.
 *
 * <p>A 30-day district range is some 4,400 rows of ~150 domains and ~300 sections each, so the sum
 * is kept in arrays indexed by small numbers, not in maps of boxed ids or sets of school names
 * (which cost ~36 µs a row): each domain read gets a slot ({@link IntSlots}), each school an index,
 * and a domain's schools are a bit set of school indexes. Only a row's head is read (its lessons
 * and distinct sections are written there). A section id names one school's section (the dictionary
 * key holds the site), so a school's distinct sections are the ids first seen in its rows: one bit
 * set over the dictionary counts both the school's and the range's.
 */
final class RangeTally implements DayTallies.Rows {
  /** Counts of one school, or of the whole range. */
  static final class Group {
    private final int index;
    long blocks;
    long instructional;
    int domains;
    int sections;
    long lessons;

    /** Instructional blocks by domain slot, and which slots this school's rows named. */
    private long[] byDomain = new long[0];

    private final BitSet named = new BitSet();

    Group() {
      this(-1);
    }

    private Group(int index) {
      this.index = index;
    }
  }

  /** Instructional blocks of one domain. */
  static final class Domain {
    final int id;
    long instructional;
    long lessons;

    /** The schools whose rows name it, by school index. */
    final BitSet schools = new BitSet();

    /** Blocks by category: ids and counts, in the order first seen (a domain has few). */
    private int[] categoryIds = new int[0];

    private long[] categoryBlocks = new long[0];

    Domain() {
      this(-1);
    }

    private Domain(int id) {
      this.id = id;
    }

    private void category(int category, long blocks) {
      for (int i = 0; i < categoryIds.length; i++) {
        if (categoryIds[i] == category) {
          categoryBlocks[i] += blocks;
          return;
        }
      }
      categoryIds = Arrays.copyOf(categoryIds, categoryIds.length + 1);
      categoryBlocks = Arrays.copyOf(categoryBlocks, categoryBlocks.length + 1);
      categoryIds[categoryIds.length - 1] = category;
      categoryBlocks[categoryBlocks.length - 1] = blocks;
    }
  }

  private final IntFunction<String> names;
  final Map<String, Group> schools = new TreeMap<>();
  private final List<String> schoolIds = new ArrayList<>();

  /** Every domain the rows named, by slot. */
  final List<Domain> domains = new ArrayList<>();

  private final IntSlots domainSlots = new IntSlots();
  final Map<String, long[]> days = new TreeMap<>();

  /** The whole range (its {@code byDomain} unused: see {@link #domains}). */
  final Group total = new Group();

  /** Sections seen in the range, by dictionary id. */
  private final BitSet sectionsSeen = new BitSet();

  private final Reader reader = new Reader();

  /**
   * @param names the name of a dictionary id ({@link DayTallies#name})
   */
  RangeTally(IntFunction<String> names) {
    this.names = names;
  }

  @Override
  public void row(String day, String school, byte[] value) {
    Group g = schools.get(school);
    if (g == null) {
      g = new Group(schoolIds.size());
      schools.put(school, g);
      schoolIds.add(school);
    }
    reader.school = g;
    reader.day = days.computeIfAbsent(day, k -> new long[2]);
    SchoolDay.read(value, reader);
  }

  private final class Reader implements SchoolDay.Reader {
    Group school;
    long[] day;
    Domain domain;

    @Override
    public void totals(long blocks, long instructional, int lessons) {
      total.blocks += blocks;
      total.instructional += instructional;
      school.blocks += blocks;
      school.instructional += instructional;
      day[0] += blocks;
      day[1] += instructional;
      school.lessons += lessons;
      total.lessons += lessons;
    }

    @Override
    public void domain(int id, long instructional, int lessons) {
      int slot = domainSlots.slot(id);
      if (slot == domains.size()) {
        domains.add(new Domain(id));
        total.domains++;
      }
      domain = domains.get(slot);
      domain.instructional += instructional;
      domain.lessons += lessons;
      domain.schools.set(school.index);
      if (slot >= school.byDomain.length) {
        school.byDomain = Arrays.copyOf(school.byDomain, Math.max(slot + 1, domains.size() + 16));
      }
      school.byDomain[slot] += instructional;
      if (!school.named.get(slot)) {
        school.named.set(slot);
        school.domains++;
      }
    }

    @Override
    public void section(int id) {
      if (!sectionsSeen.get(id)) {
        sectionsSeen.set(id);
        school.sections++;
        total.sections++;
      }
    }

    @Override
    public void category(int id, long blocks) {
      domain.category(id, blocks);
    }
  }

  /** Schools with a block during class. */
  long schoolsBlocked() {
    return schools.values().stream().filter(g -> g.instructional > 0).count();
  }

  String name(int id) {
    return names.apply(id);
  }

  /** The ids of the schools whose rows name the domain. */
  Stream<String> schoolsOf(Domain d) {
    return d.schools.stream().mapToObj(schoolIds::get);
  }

  /** The domain a school's classes were blocked from most often (ties: by name), or null. */
  String topDomain(Group g) {
    String best = null;
    long most = 0;
    for (int slot = g.named.nextSetBit(0); slot >= 0; slot = g.named.nextSetBit(slot + 1)) {
      String name = name(domains.get(slot).id);
      if (best == null
          || g.byDomain[slot] > most
          || g.byDomain[slot] == most && name.compareTo(best) < 0) {
        best = name;
        most = g.byDomain[slot];
      }
    }
    return best;
  }

  /** The category most of a domain's blocks carried (ties: by name), or null. */
  String category(Domain d) {
    String best = null;
    long most = 0;
    for (int i = 0; i < d.categoryIds.length; i++) {
      String name = name(d.categoryIds[i]);
      long n = d.categoryBlocks[i];
      if (best == null || n > most || n == most && name.compareTo(best) < 0) {
        best = name;
        most = n;
      }
    }
    return best;
  }
}
