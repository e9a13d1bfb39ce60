package org.bellwatch.agent.report;

/**
 * A {@link ReportFilter} resolved to dictionary ids: one plain method that compares integers, so
 * that a report over millions of rows pays a few array reads per row and no lambda or boxing.
 */
final class RowMatcher {
  /** Column value meaning "any": no filter on that column. */
  private static final int ANY = -2;

  private final EventIndex idx;
  private final int period;
  private final int room;
  private final int teacher;
  private final int section;
  private final int category;
  private final int domain;
  private final int method;
  private final int instructional;
  private final int whileTeaching;

  /**
   * By section id: may the row be seen ({@link ReportFilter#allowedSections}); null when every row
   * may.
   */
  private final boolean[] allowed;

  private final boolean impossible;

  RowMatcher(EventIndex idx, ReportFilter f) {
    this.idx = idx;
    this.period = id(idx.periods, f.period());
    this.room = id(idx.rooms, f.room());
    this.teacher = id(idx.teachers, f.teacher());
    this.section = id(idx.sections, f.section());
    this.category = id(idx.categories, f.category());
    this.domain = id(idx.domains, f.domain());
    this.method = id(idx.methods, f.method());
    this.instructional = f.instructional() == null ? ANY : f.instructional() ? 1 : 0;
    this.whileTeaching = f.whileTeaching() == null ? ANY : f.whileTeaching() ? 1 : 0;
    this.allowed = allowed(idx.sections, f.allowedSections());
    // A value the index never saw (id -1) can match no row: reports skip the scan entirely.
    this.impossible =
        period == -1
            || room == -1
            || teacher == -1
            || section == -1
            || category == -1
            || domain == -1
            || method == -1
            || allowed != null && noneAllowed(allowed);
  }

  private static boolean[] allowed(Dictionary sections, java.util.Set<String> scope) {
    if (scope == null) {
      return null;
    }
    // Indexed by every section id the dictionary holds now: rows added later wait for the read
    // lock.
    boolean[] ok = new boolean[sections.size()];
    for (String s : scope) {
      int id = sections.find(s);
      if (id > Dictionary.NULL) {
        ok[id] = true;
      }
    }
    return ok;
  }

  private static boolean noneAllowed(boolean[] allowed) {
    for (boolean a : allowed) {
      if (a) {
        return false;
      }
    }
    return true;
  }

  private static int id(Dictionary dict, String value) {
    return value == null ? ANY : dict.find(value);
  }

  boolean impossible() {
    return impossible;
  }

  boolean test(int i) {
    return (domain == ANY || idx.domain[i] == domain)
        && (instructional == ANY || idx.instructional[i] == (instructional == 1))
        && (whileTeaching == ANY || idx.whileTeaching[i] == (whileTeaching == 1))
        && (room == ANY || idx.room[i] == room)
        && (section == ANY || idx.section[i] == section)
        && (period == ANY || idx.period[i] == period)
        && (teacher == ANY || idx.teacher[i] == teacher)
        && (category == ANY || idx.category[i] == category)
        && (method == ANY || idx.method[i] == method)
        && (allowed == null || allowed[idx.section[i]]);
  }
}
