package org.bellwatch.agent.report;

import java.time.Instant;
import java.util.Set;

/**
 * The filters every report takes. Null means "any". Text filters match exactly (domains lower-case,
 * sections by OneRoster sourcedId, teachers by username). {@code allowedSections} is the caller's
 * scope, not a choice: only blocks whose section is one of these match (null: every block, an empty
 * set: none). {@code whileTeaching}: only blocks with (true) or without (false) the
 * blocked-while-teaching mark.
 */
public record ReportFilter(
    Instant from,
    Instant to,
    String period,
    String room,
    String teacher,
    String section,
    String category,
    String domain,
    String method,
    Boolean instructional,
    Boolean whileTeaching,
    Set<String> allowedSections) {

  public ReportFilter {
    allowedSections = allowedSections == null ? null : Set.copyOf(allowedSections);
  }

  /** Every block the other filters match, with or without the blocked-while-teaching mark. */
  public ReportFilter(
      Instant from,
      Instant to,
      String period,
      String room,
      String teacher,
      String section,
      String category,
      String domain,
      String method,
      Boolean instructional,
      Set<String> allowedSections) {
    this(
        from,
        to,
        period,
        room,
        teacher,
        section,
        category,
        domain,
        method,
        instructional,
        null,
        allowedSections);
  }

  /** Every block the other filters match, whatever its section. */
  public ReportFilter(
      Instant from,
      Instant to,
      String period,
      String room,
      String teacher,
      String section,
      String category,
      String domain,
      String method,
      Boolean instructional) {
    this(from, to, period, room, teacher, section, category, domain, method, instructional, null);
  }

  public static ReportFilter between(Instant from, Instant to) {
    return new ReportFilter(from, to, null, null, null, null, null, null, null, null);
  }

  public ReportFilter withDomain(String d) {
    return new ReportFilter(
        from,
        to,
        period,
        room,
        teacher,
        section,
        category,
        d,
        method,
        instructional,
        whileTeaching,
        allowedSections);
  }

  public ReportFilter withSection(String s) {
    return new ReportFilter(
        from,
        to,
        period,
        room,
        teacher,
        s,
        category,
        domain,
        method,
        instructional,
        whileTeaching,
        allowedSections);
  }

  public ReportFilter withRange(Instant f, Instant t) {
    return new ReportFilter(
        f,
        t,
        period,
        room,
        teacher,
        section,
        category,
        domain,
        method,
        instructional,
        whileTeaching,
        allowedSections);
  }

  public ReportFilter withWhileTeaching(Boolean w) {
    return new ReportFilter(
        from,
        to,
        period,
        room,
        teacher,
        section,
        category,
        domain,
        method,
        instructional,
        w,
        allowedSections);
  }

  /** This filter limited to blocks in {@code sections} (null: no limit added). */
  public ReportFilter within(Set<String> sections) {
    return new ReportFilter(
        from,
        to,
        period,
        room,
        teacher,
        section,
        category,
        domain,
        method,
        instructional,
        whileTeaching,
        sections);
  }

  /**
   * A row test over the index: values never seen match nothing. Build and use under the index's
   * read lock.
   */
  RowMatcher compile(EventIndex idx) {
    return new RowMatcher(idx, this);
  }
}
