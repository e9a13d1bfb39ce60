package org.bellwatch.agent.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The evidence behind the decision queue: every site blocked during class in a range, with how much
 * instruction it touched, ranked by {@link #score}. Review state is not known here; the web layer
 * joins it.
 *
 * <p>One pass over the range's rows (integer compares, as every report) counts per domain; the
 * distinct counts of blocks during class (sections, teachers, students, rooms, periods) are bitsets
 * allocated only for domains that have such a block, so a site's thousands of never-instructional
 * domains cost a counter each. A second pass over the previous range of equal length counts only
 * instructional attempts. Blocks marked as blocked while teaching also count their lessons (a
 * section on a school-local day) and teachers.
 */
public final class DecisionQueue {
  /**
   * One site of the queue. Distinct counts are over its blocks during class; {@code attempts} and
   * {@code category} over all of its blocks in the range.
   */
  public record Row(
      String domain,
      String category,
      long instructionalAttempts,
      long attempts,
      int sections,
      int teachers,
      int students,
      int rooms,
      List<String> periods,
      long previousInstructionalAttempts,
      Integer trendPct,
      int whileTeachingLessons,
      int whileTeachingTeachers,
      double score) {}

  /** The ranked rows of a range, and the previous range they are compared with. */
  public record Result(
      Instant from, Instant to, Instant previousFrom, Instant previousTo, List<Row> rows) {}

  private final EventIndex idx;
  private final LocalDays days;

  /** Per user id, the id of the same name among teachers (-1 when no teacher has it). */
  private final int[] teacherOfUser;

  private final long[] attempts;
  private final long[] instructional;
  private final long[] previous;
  private final Site[] sites;
  private final Categories categories;

  private DecisionQueue(EventIndex idx, ZoneId zone) {
    this.idx = idx;
    this.days = new LocalDays(zone);
    int domains = idx.domains.size();
    attempts = new long[domains];
    instructional = new long[domains];
    previous = new long[domains];
    sites = new Site[domains];
    categories = new Categories(domains);
    teacherOfUser = new int[idx.users.size()];
    for (int u = 1; u < teacherOfUser.length; u++) {
      teacherOfUser[u] = idx.teachers.find(idx.users.value(u));
    }
  }

  /**
   * The queue of {@code f}'s range (both ends set), against the range of equal length just before
   * it; a lesson is a section on a school-local day of {@code zone}. Read lock held.
   */
  static Result compute(EventIndex idx, ReportFilter f, ZoneId zone) {
    Duration length = Duration.between(f.from(), f.to());
    ReportFilter before = f.withRange(f.from().minus(length), f.from());
    DecisionQueue q = new DecisionQueue(idx, zone);
    q.scan(f, true);
    q.scan(before, false);
    return new Result(f.from(), f.to(), before.from(), before.to(), q.rows());
  }

  /**
   * What one lesson whose teacher was blocked while teaching adds to a site's score ({@link
   * #score}).
   */
  static final double WHILE_TEACHING_LESSON = 60.0;

  /**
   * The rank of a site: {@code 10 x sections + 5 x teachers + 2 x students + 60 x lessons blocked
   * while teaching + log2(1 + instructional attempts)}, one decimal. A section is a lesson a block
   * interrupted and weighs most; a teacher is someone who can say what the site is for; students
   * are the people kept from it; attempts add little beyond that, and with diminishing returns,
   * since one student retrying a game fifty times is not fifty lessons. A lesson (a section on one
   * day) whose own teacher was blocked while teaching it is the lesson itself stopped, for the
   * whole class: it weighs as its section and a class of 25 students would ({@code 10 + 2 x 25}),
   * so a site teachers teach with ranks above one that many students try on their own.
   */
  static double score(
      int sections,
      int teachers,
      int students,
      int whileTeachingLessons,
      long instructionalAttempts) {
    double s =
        10.0 * sections
            + 5.0 * teachers
            + 2.0 * students
            + WHILE_TEACHING_LESSON * whileTeachingLessons
            + Math.log1p(instructionalAttempts) / Math.log(2);
    return Math.round(s * 10) / 10.0;
  }

  /**
   * Counts the rows matching {@code f}: everything for the range itself, instructional attempts for
   * the previous one.
   */
  private void scan(ReportFilter f, boolean current) {
    RowMatcher match = f.compile(idx);
    if (match.impossible()) {
      return;
    }
    int[] range = idx.range(f.from(), f.to());
    for (int i = range[0]; i < range[1]; i++) {
      if (!match.test(i)) {
        continue;
      }
      if (current) {
        add(i);
      } else if (idx.instructional[i]) {
        previous[idx.domain[i]]++;
      }
    }
  }

  private void add(int i) {
    int d = idx.domain[i];
    attempts[d]++;
    categories.add(d, idx.category[i]);
    if (idx.instructional[i]) {
      instructional[d]++;
      Site s = sites[d];
      if (s == null) {
        s = new Site(idx);
        sites[d] = s;
      }
      s.add(idx, i, teacherOfUser);
      if (idx.whileTeaching[i]) {
        s.lessons.add((long) idx.section[i] << 32 | days.dayOf(idx.time[i]).toEpochDay());
        Site.set(s.teachingTeachers, idx.teacher[i]);
      }
    }
  }

  private List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    int[] category = categories.mostFrequent();
    for (int d = 0; d < sites.length; d++) {
      Site s = sites[d];
      if (s == null) {
        continue;
      }
      int sections = Site.count(s.sections);
      int teachers = Site.count(s.teachers);
      int students = s.students();
      int lessons = s.lessons.size();
      List<String> periods = new ArrayList<>();
      for (int p = 1; p < idx.periods.size(); p++) {
        if (Site.has(s.periods, p)) {
          periods.add(idx.periods.value(p));
        }
      }
      periods.sort(Reports::periodOrder);
      long prev = previous[d];
      Integer trend = prev == 0 ? null : (int) Math.round((instructional[d] - prev) * 100.0 / prev);
      rows.add(
          new Row(
              idx.domains.value(d),
              idx.categories.value(category[d]),
              instructional[d],
              attempts[d],
              sections,
              teachers,
              students,
              Site.count(s.rooms),
              List.copyOf(periods),
              prev,
              trend,
              lessons,
              Site.count(s.teachingTeachers),
              score(sections, teachers, students, lessons, instructional[d])));
    }
    rows.sort(
        Comparator.comparingDouble(Row::score)
            .reversed()
            .thenComparing(Comparator.comparingLong(Row::instructionalAttempts).reversed())
            .thenComparing(Row::domain));
    return rows;
  }

  /**
   * The distinct values of one domain's blocks during class, as bitsets over the dictionaries' ids.
   */
  private static final class Site {
    final long[] sections;
    final long[] teachers;
    final long[] rooms;
    final long[] periods;

    /** Users who are not the teacher of the section they were blocked in. */
    final long[] students;

    /**
     * Devices of blocks with no user, and of blocks with one: a device seen with a user is that
     * user.
     */
    final long[] devicesAlone;

    final long[] devicesWithUser;

    /**
     * Teachers blocked while teaching, and their lessons: section id (high half) and local epoch
     * day.
     */
    final long[] teachingTeachers;

    final java.util.Set<Long> lessons = new java.util.HashSet<>();

    Site(EventIndex idx) {
      sections = bits(idx.sections);
      teachers = bits(idx.teachers);
      rooms = bits(idx.rooms);
      periods = bits(idx.periods);
      students = bits(idx.users);
      devicesAlone = bits(idx.devices);
      devicesWithUser = bits(idx.devices);
      teachingTeachers = bits(idx.teachers);
    }

    void add(EventIndex idx, int i, int[] teacherOfUser) {
      set(sections, idx.section[i]);
      int teacher = idx.teacher[i];
      set(teachers, teacher);
      set(rooms, idx.room[i]);
      set(periods, idx.period[i]);
      int user = idx.user[i];
      int device = idx.device[i];
      if (idx.whileTeaching[i]) {
        return; // the teacher's own block (their account or their device): no student's
      }
      if (user == Dictionary.NULL) {
        set(devicesAlone, device);
        return;
      }
      set(devicesWithUser, device);
      // A teacher blocked in the section they teach is not one of its students.
      if (teacher == Dictionary.NULL || teacherOfUser[user] != teacher) {
        set(students, user);
      }
    }

    /**
     * Distinct students: users who are not the section's teacher, plus devices seen only without a
     * user (DNS-only blocks name no user; a device that also appears with a user is counted as that
     * user). Blocks while teaching are their teacher's, from their account or their own device:
     * they count no student.
     */
    int students() {
      int n = count(students);
      for (int w = 0; w < devicesAlone.length; w++) {
        n += Long.bitCount(devicesAlone[w] & ~devicesWithUser[w]);
      }
      return n;
    }

    static long[] bits(Dictionary d) {
      return new long[(d.size() + 63) >>> 6];
    }

    static void set(long[] bits, int v) {
      if (v != Dictionary.NULL) {
        bits[v >>> 6] |= 1L << v;
      }
    }

    static boolean has(long[] bits, int v) {
      return (bits[v >>> 6] & 1L << v) != 0;
    }

    static int count(long[] bits) {
      int n = 0;
      for (long w : bits) {
        n += Long.bitCount(w);
      }
      return n;
    }
  }

  /**
   * Each domain's most frequent category. A domain nearly always keeps one category, so the first
   * one seen is counted in an array; only a second category of the same domain goes to a map.
   */
  private static final class Categories {
    private final int[] first;
    private final long[] firstCount;
    private final Map<Long, long[]> others = new HashMap<>();

    Categories(int domains) {
      first = new int[domains];
      firstCount = new long[domains];
    }

    void add(int domain, int category) {
      if (category == Dictionary.NULL) {
        return;
      }
      if (first[domain] == Dictionary.NULL) {
        first[domain] = category;
      }
      if (first[domain] == category) {
        firstCount[domain]++;
      } else {
        others.computeIfAbsent((long) domain << 32 | category, k -> new long[1])[0]++;
      }
    }

    /**
     * Per domain, the id of its most frequent known category, or NULL; among equally frequent ones
     * the category the index interned first (the lower id), so that the answer does not depend on
     * map order.
     */
    int[] mostFrequent() {
      int[] best = first.clone();
      long[] bestCount = firstCount.clone();
      for (Map.Entry<Long, long[]> e : others.entrySet()) {
        int domain = (int) (e.getKey() >>> 32);
        int category = (int) (long) e.getKey();
        long n = e.getValue()[0];
        if (n > bestCount[domain] || n == bestCount[domain] && category < best[domain]) {
          best[domain] = category;
          bestCount[domain] = n;
        }
      }
      return best;
    }
  }
}
