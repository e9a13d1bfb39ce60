package org.bellwatch.agent.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Whether blocks stopped after a decision: a domain's attempts over the school days after the
 * decision against as many school days just before it. Whole local days in the site's zone; the
 * decision's own day is in neither window, since the decision splits it. The after window ends now,
 * so a school day still going counts as one; the before window reaches back over breaks (at most a
 * year) to find its days.
 */
public final class BeforeAfter {
  /** Each window holds at most this many school days: four school weeks. */
  public static final int MAX_SCHOOL_DAYS = 20;

  /** The before window looks back at most this far for its school days. */
  static final int SEARCH_DAYS = 366;

  /** One side: its instants [from, to), the school days in it and the domain's attempts. */
  public record Window(
      Instant from, Instant to, int schoolDays, long instructionalAttempts, long attempts) {}

  /**
   * The comparison around one decision; {@code windowDays} school days on each side, fewer before
   * if none older.
   */
  public record Impact(
      Instant decidedAt, String decision, int windowDays, Window before, Window after) {}

  private BeforeAfter() {}

  /**
   * Compares {@code f}'s domain (its other filters apply to both windows; its range is replaced)
   * around a decision made at {@code decidedAt}, as of {@code now}.
   */
  public static Impact of(
      Reports reports,
      ReportFilter f,
      Instant decidedAt,
      String decision,
      Instant now,
      Predicate<LocalDate> schoolDay) {
    ZoneId zone = reports.zone();
    LocalDate decided = decidedAt.atZone(zone).toLocalDate();
    LocalDate today = now.atZone(zone).toLocalDate();
    List<LocalDate> after = new ArrayList<>();
    for (LocalDate d = decided.plusDays(1);
        !d.isAfter(today) && after.size() < MAX_SCHOOL_DAYS;
        d = d.plusDays(1)) {
      if (schoolDay.test(d)) {
        after.add(d);
      }
    }
    Instant afterFrom = start(decided.plusDays(1), zone);
    Instant afterEnd =
        after.size() == MAX_SCHOOL_DAYS
            ? start(after.get(after.size() - 1).plusDays(1), zone)
            : now;
    Instant afterTo = max(afterFrom, afterEnd.isAfter(now) ? now : afterEnd);

    List<LocalDate> before = new ArrayList<>();
    for (int back = 1; back <= SEARCH_DAYS && before.size() < after.size(); back++) {
      LocalDate d = decided.minusDays(back);
      if (schoolDay.test(d)) {
        before.add(d);
      }
    }
    Instant beforeTo = start(decided, zone);
    Instant beforeFrom = before.isEmpty() ? beforeTo : start(before.get(before.size() - 1), zone);
    return new Impact(
        decidedAt,
        decision,
        after.size(),
        window(reports, f, beforeFrom, beforeTo, before.size()),
        window(reports, f, afterFrom, afterTo, after.size()));
  }

  private static Window window(
      Reports reports, ReportFilter f, Instant from, Instant to, int schoolDays) {
    Reports.Totals t = reports.count(f.withRange(from, to));
    return new Window(from, to, schoolDays, t.instructionalAttempts(), t.attempts());
  }

  private static Instant start(LocalDate d, ZoneId zone) {
    return d.atStartOfDay(zone).toInstant();
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
