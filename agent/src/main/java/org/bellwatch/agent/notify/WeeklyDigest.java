package org.bellwatch.agent.notify;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.bellwatch.agent.config.Notifications;
import org.bellwatch.agent.event.StorageException;
import org.bellwatch.agent.report.ReportFilter;
import org.bellwatch.agent.report.Reports;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.review.Reviews;
import org.bellwatch.agent.store.StoreMarker;

/**
 * The weekly summary for coordinators and the principal ({@code digest_to}): the week's blocks
 * during class against the week before, those that stopped a teacher's own lesson, the sites that
 * blocked instruction most, the requests waiting for IT and the week's decisions, counted by the
 * console's own reports (aggregates only: no student, device or browsing record). Sent once a week,
 * on {@code digest_day} at {@code digest_time} in the school's zone or at the first chance after
 * (the agent was down), never for a week that has ended; the last week sent is kept in the store.
 */
final class WeeklyDigest {
  private static final int TOP_SITES = 10;
  private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("MMM d", Locale.US);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("EEE, MMM d, h:mm a", Locale.US);

  private final Notifications.Email cfg;
  private final String siteName;
  private final ZoneId zone;
  private final Reports reports;
  private final Reviews reviews;
  private final StoreMarker sent;

  WeeklyDigest(
      Notifications.Email cfg,
      String siteName,
      ZoneId zone,
      Reports reports,
      Reviews reviews,
      StoreMarker sent) {
    this.cfg = cfg;
    this.siteName = siteName;
    this.zone = zone;
    this.reports = reports;
    this.reviews = reviews;
    this.sent = sent;
  }

  /** The Monday of the week whose summary is due at {@code now}, or null when none is. */
  LocalDate due(Instant now) throws StorageException {
    if (cfg.digestTo().isEmpty()) {
      return null;
    }
    ZonedDateTime local = now.atZone(zone);
    LocalDate monday = local.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    ZonedDateTime sendAt =
        monday
            .with(TemporalAdjusters.nextOrSame(cfg.digestDay()))
            .atTime(cfg.digestTime())
            .atZone(zone);
    if (local.isBefore(sendAt)) {
      return null;
    }
    String last = sent.read().orElse(null);
    return last != null && !LocalDate.parse(last).isBefore(monday) ? null : monday;
  }

  void markSent(LocalDate monday) throws StorageException {
    sent.write(monday.toString());
  }

  Mail compose(LocalDate monday, Instant now) throws StorageException {
    Instant from = monday.atStartOfDay(zone).toInstant();
    Instant to = monday.plusWeeks(1).atStartOfDay(zone).toInstant();
    Reports.Trend trend = reports.trend(ReportFilter.between(from, to));
    Reports.Totals week = trend.current();
    ReportFilter duringClass =
        new ReportFilter(from, to, null, null, null, null, null, null, null, Boolean.TRUE);
    List<Reports.DomainRow> top = reports.topDomains(duringClass, 0, TOP_SITES).items();

    StringBuilder b = new StringBuilder();
    b.append("Week of ")
        .append(ReviewMails.DAY.format(monday))
        .append(" (")
        .append(zone.getId())
        .append("), up to ")
        .append(TIME.format(now.atZone(zone)))
        .append(".\n\n");
    b.append("Blocked during class: ")
        .append(ReviewMails.count(week.instructionalAttempts(), "attempt"))
        .append(", in ")
        .append(ReviewMails.count(week.sections(), "class section"))
        .append(" (the week before: ")
        .append(trend.previous().instructionalAttempts())
        .append(").\n");
    long whileTeaching =
        reports.count(ReportFilter.between(from, to).withWhileTeaching(true)).attempts();
    if (whileTeaching > 0) {
      b.append("Blocked while teaching: ")
          .append(ReviewMails.count(whileTeaching, "attempt"))
          .append(": the teacher's own lesson stopped.\n");
    }
    b.append("Blocked in all: ")
        .append(ReviewMails.count(week.attempts(), "attempt"))
        .append(".\n\n");
    if (top.isEmpty()) {
      b.append("No site blocked instruction this week.\n");
    } else {
      b.append("Sites that blocked instruction most:\n");
      for (Reports.DomainRow r : top) {
        b.append("- ")
            .append(r.domain())
            .append(": ")
            .append(ReviewMails.count(r.instructionalAttempts(), "attempt"))
            .append(" during class, ")
            .append(ReviewMails.count(r.sections(), "class section"))
            .append('\n');
      }
    }
    requestsAndDecisions(b, from, now);
    if (cfg.consoleUrl() != null) {
      b.append("\nThis week in Bellwatch: ")
          .append(cfg.consoleUrl().replaceAll("/+$", ""))
          .append("/#/overview?span=week&at=")
          .append(monday)
          .append('\n');
    }
    b.append("\n-- \nBellwatch at ")
        .append(siteName)
        .append(". Sent each ")
        .append(cfg.digestDay().getDisplayName(TextStyle.FULL, Locale.US))
        .append(" at ")
        .append(cfg.digestTime())
        .append(" to notifications.email.digest_to.\n");
    return new Mail(
        "digest",
        cfg.digestTo(),
        ReviewMails.line(
            "Bellwatch weekly at "
                + siteName
                + ": "
                + week.instructionalAttempts()
                + " blocked attempts during class, week of "
                + SHORT.format(monday)),
        b.toString(),
        Mail.id(cfg.from(), "digest", monday, Mail.about(siteName)));
  }

  /** The requests still waiting for IT, oldest first, and the decisions made since {@code from}. */
  private void requestsAndDecisions(StringBuilder b, Instant from, Instant now)
      throws StorageException {
    LocalDate today = now.atZone(zone).toLocalDate();
    List<Review> waiting = new ArrayList<>();
    List<Review> decided = new ArrayList<>();
    for (Review r : reviews.list()) {
      if (r.statusOn(today).equals(Review.REQUESTED)) {
        waiting.add(r);
      }
      r.decision()
          .filter(d -> !d.time().isBefore(from) && d.time().isBefore(now))
          .ifPresent(d -> decided.add(r));
    }
    waiting.sort(Comparator.comparing(r -> r.request().orElseThrow().time()));
    decided.sort(Comparator.comparing(r -> r.decision().orElseThrow().time()));
    b.append("\nRequests waiting for IT: ").append(waiting.size()).append('\n');
    for (Review r : waiting) {
      Review.Entry q = r.request().orElseThrow();
      long days = ChronoUnit.DAYS.between(q.time().atZone(zone).toLocalDate(), today);
      b.append("- ")
          .append(r.domain())
          .append(", asked by ")
          .append(q.actor())
          .append(" on ")
          .append(ReviewMails.DAY.format(q.time().atZone(zone)))
          .append(days == 1 ? " (1 day)" : " (" + days + " days)")
          .append('\n');
    }
    b.append("Decisions this week: ").append(decided.size()).append('\n');
    for (Review r : decided) {
      Review.Entry d = r.decision().orElseThrow();
      b.append("- ")
          .append(r.domain())
          .append(": ")
          .append(ReviewMails.headline(d))
          .append(" (")
          .append(d.actor())
          .append(")\n");
    }
  }
}
