package org.bellwatch.agent.report;

import java.time.Instant;
import java.util.function.IntPredicate;

/**
 * The filters every report takes. Null means "any". Text filters match exactly (domains lower-case,
 * sections by OneRoster sourcedId, teachers by username).
 */
public record ReportFilter(Instant from, Instant to, String period, String room, String teacher, String section,
    String category, String domain, String method, Boolean instructional) {

  public static ReportFilter between(Instant from, Instant to) {
    return new ReportFilter(from, to, null, null, null, null, null, null, null, null);
  }

  public ReportFilter withDomain(String d) {
    return new ReportFilter(from, to, period, room, teacher, section, category, d, method, instructional);
  }

  public ReportFilter withSection(String s) {
    return new ReportFilter(from, to, period, room, teacher, s, category, domain, method, instructional);
  }

  public ReportFilter withRange(Instant f, Instant t) {
    return new ReportFilter(f, t, period, room, teacher, section, category, domain, method, instructional);
  }

  /** A row predicate over the index: values never seen match nothing. Call under the index's read lock. */
  IntPredicate compile(EventIndex idx) {
    IntPredicate p = i -> true;
    p = and(p, idx.periods, period, idx.period);
    p = and(p, idx.rooms, room, idx.room);
    p = and(p, idx.teachers, teacher, idx.teacher);
    p = and(p, idx.sections, section, idx.section);
    p = and(p, idx.categories, category, idx.category);
    p = and(p, idx.domains, domain, idx.domain);
    p = and(p, idx.methods, method, idx.method);
    if (instructional != null) {
      boolean want = instructional;
      boolean[] col = idx.instructional;
      IntPredicate before = p;
      p = i -> col[i] == want && before.test(i);
    }
    return p;
  }

  private static IntPredicate and(IntPredicate p, Dictionary dict, String value, int[] column) {
    if (value == null) {
      return p;
    }
    int id = dict.find(value);
    return i -> column[i] == id && p.test(i);
  }
}
