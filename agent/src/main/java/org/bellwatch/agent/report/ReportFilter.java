package org.bellwatch.agent.report;

import java.time.Instant;

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

  /** A row test over the index: values never seen match nothing. Build and use under the index's read lock. */
  RowMatcher compile(EventIndex idx) {
    return new RowMatcher(idx, this);
  }
}
