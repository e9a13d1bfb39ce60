package org.bellwatch.agent.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bellwatch.agent.config.Notifications;
import org.bellwatch.agent.report.Reports;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.schedule.SiteSchedule;

/**
 * Writes the e-mail one review step calls for: a request goes to IT ({@code it_to}) with what the
 * teacher said, a decision to the teachers who asked since the previous decision, with IT's answer
 * and reason. Names, sections and days are written as the console shows them, in the school's zone;
 * a link opens the domain's page when {@code console_url} is set.
 */
final class ReviewMails {
  /** How far back a request's mail counts the domain's blocks. */
  static final Duration EVIDENCE_DAYS = Duration.ofDays(14);

  /** A day as the console writes it: "Fri, Oct 9, 2026". */
  static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE, MMM d, yyyy", Locale.US);

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("EEE, MMM d, yyyy, h:mm a", Locale.US);

  private final Notifications.Email cfg;
  private final String siteName;
  private final ZoneId zone;

  /** The teachers of a decision: those with an address, and those without one. */
  record Teachers(List<String> addresses, List<String> without) {}

  ReviewMails(Notifications.Email cfg, String siteName, ZoneId zone) {
    this.cfg = cfg;
    this.siteName = siteName;
    this.zone = zone;
  }

  /** Whether requests are mailed to IT ({@code it_to} names someone). */
  boolean tellsIt() {
    return !cfg.itTo().isEmpty();
  }

  /** Whether decisions are mailed to the teachers who asked ({@code teachers}). */
  boolean tellsTeachers() {
    return cfg.teachers();
  }

  /**
   * The teachers a decision answers: the people who asked since the decision before it, each once,
   * with their roster address (or their username, when that is an address).
   */
  Teachers teachers(Review review, int index, SiteSchedule school) {
    Set<String> askers = new LinkedHashSet<>();
    for (int i = index - 1; i >= 0 && !review.history().get(i).isDecision(); i--) {
      Review.Entry e = review.history().get(i);
      if (e.action().equals(Review.REQUESTED)) {
        askers.add(e.actor());
      }
    }
    List<String> addresses = new ArrayList<>();
    List<String> without = new ArrayList<>();
    for (String asker : askers) {
      String address = school.emailOf(asker);
      if (address == null && Notifications.ADDRESS.matcher(asker).matches()) {
        address = asker;
      }
      if (address == null || !Notifications.ADDRESS.matcher(address).matches()) {
        without.add(asker);
      } else if (!addresses.contains(address)) {
        addresses.add(address);
      }
    }
    return new Teachers(List.copyOf(addresses), List.copyOf(without));
  }

  /**
   * The mail to IT of request step {@code index}, with the domain's blocks in the {@link
   * #EVIDENCE_DAYS} before it.
   */
  Mail request(Review review, int index, SiteSchedule school, Reports.DomainDetail evidence) {
    String domain = review.domain();
    Review.Entry step = review.history().get(index);
    String who = person(step.actor(), school);
    StringBuilder b = new StringBuilder();
    b.append(who).append(" asks IT to unblock ").append(domain).append(" for instruction.\n\n");
    b.append("Why: ").append(oneParagraph(step.reason())).append('\n');
    if (!step.sections().isEmpty()) {
      b.append("Classes: ").append(sections(step.sections(), school)).append('\n');
    }
    if (step.needFrom() != null) {
      b.append("Needed: ").append(DAY.format(step.needFrom()));
      b.append(step.needUntil() != null ? " to " + DAY.format(step.needUntil()) : " onwards");
      b.append('\n');
    }
    if (step.urlPrefix() != null) {
      b.append("Only under: ").append(step.urlPrefix()).append('\n');
    }
    b.append("Asked: ").append(time(step.time())).append("\n\n");
    evidence(b, domain, evidence, school);
    link(b, domain, "See the blocked attempts during class and decide");
    footer(b, "IT hears of every unblock request (notifications.email.it_to).");
    return new Mail(
        "request",
        cfg.itTo(),
        line("Unblock request for " + domain + " from " + shortName(step.actor(), school)),
        b.toString(),
        Mail.id(cfg.from(), "request", index, Mail.about(siteName, domain)));
  }

  /**
   * The mail of decision step {@code index} to the teachers who asked ({@link #teachers}), or null
   * when none of them has an address.
   */
  Mail decision(Review review, int index, Teachers teachers, SiteSchedule school) {
    if (teachers.addresses().isEmpty()) {
      return null;
    }
    String domain = review.domain();
    Review.Entry step = review.history().get(index);
    StringBuilder b = new StringBuilder();
    b.append("You asked IT to unblock ").append(domain).append(". IT's answer:\n\n");
    b.append(answer(step, school)).append('\n');
    b.append("Reason: ").append(oneParagraph(step.reason())).append('\n');
    if (step.alternative() != null && !step.alternative().isBlank()) {
      b.append("Instead: ").append(oneParagraph(step.alternative())).append('\n');
    }
    b.append("Decided by: ")
        .append(
            "district".equals(step.role()) ? "the district (" + step.actor() + ")" : step.actor())
        .append(", ")
        .append(time(step.time()))
        .append('\n');
    link(b, domain, "The request and the decision");
    footer(b, "The teachers who asked for " + domain + " hear IT's answer.");
    return new Mail(
        "decision",
        teachers.addresses(),
        line("IT's answer on " + domain + ": " + headline(step)),
        b.toString(),
        Mail.id(cfg.from(), "decision", index, Mail.about(siteName, domain)));
  }

  /**
   * What the filter's own record says of the domain before the request: the same counts the
   * console's domain page shows, so IT starts from the evidence, not only the teacher's word.
   */
  private static void evidence(
      StringBuilder b, String domain, Reports.DomainDetail e, SiteSchedule school) {
    Reports.Totals t = e.totals();
    if (t.attempts() == 0) {
      b.append("No block of ")
          .append(domain)
          .append(" was seen in the ")
          .append(EVIDENCE_DAYS.toDays())
          .append(" days before the request.\n");
      return;
    }
    b.append("Blocked in the ")
        .append(EVIDENCE_DAYS.toDays())
        .append(" days before the request: ")
        .append(count(t.instructionalAttempts(), "attempt"))
        .append(" during class (")
        .append(t.attempts())
        .append(" in all), in ")
        .append(count(t.sections(), "class section"))
        .append(".\n");
    List<String> most = new ArrayList<>();
    for (Reports.SectionHit h : e.sections().subList(0, Math.min(3, e.sections().size()))) {
      String title = school.sectionTitle(h.section());
      most.add((title == null ? h.section() : title) + ": " + h.attempts());
    }
    if (!most.isEmpty()) {
      b.append("Most in: ").append(String.join("; ", most)).append('\n');
    }
  }

  /** The decision in a few words, for the subject. */
  static String headline(Review.Entry step) {
    return switch (step.action()) {
      case Review.UNBLOCKED ->
          step.until() == null ? "unblocked" : "unblocked until " + DAY.format(step.until());
      case Review.TIME_LIMITED -> "unblocked until " + DAY.format(step.until());
      case Review.ALTERNATIVE -> "an alternative";
      default -> "kept blocked";
    };
  }

  /** The decision as one sentence: what, for whom, until when. */
  private String answer(Review.Entry step, SiteSchedule school) {
    String whom =
        "sections".equals(step.scope()) && !step.sections().isEmpty()
            ? " for " + sections(step.sections(), school)
            : " for everyone";
    String until = step.until() == null ? "" : " until " + DAY.format(step.until());
    return switch (step.action()) {
      case Review.UNBLOCKED -> "Unblocked" + whom + until + ".";
      case Review.TIME_LIMITED -> "Unblocked for a time" + whom + until + ".";
      case Review.ALTERNATIVE -> "Kept blocked, with an alternative.";
      default -> "Kept blocked.";
    };
  }

  private void link(StringBuilder b, String domain, String what) {
    if (cfg.consoleUrl() != null) {
      String base = cfg.consoleUrl().replaceAll("/+$", "");
      b.append('\n')
          .append(what)
          .append(": ")
          .append(base)
          .append("/#/domain/")
          .append(domain)
          .append('\n');
    }
  }

  private void footer(StringBuilder b, String why) {
    b.append("\n-- \nBellwatch at ").append(siteName).append(". ").append(why).append('\n');
  }

  private static String person(String username, SiteSchedule school) {
    String name = school.displayName(username);
    return name == null ? username : name + " (" + username + ")";
  }

  private static String shortName(String username, SiteSchedule school) {
    String name = school.displayName(username);
    return name == null ? username : name;
  }

  private static String sections(List<String> ids, SiteSchedule school) {
    List<String> out = new ArrayList<>();
    for (String id : ids) {
      String title = school.sectionTitle(id);
      out.add(title == null ? id : title);
    }
    return String.join(", ", out);
  }

  private String time(Instant t) {
    return TIME.format(t.atZone(zone)) + " (" + zone.getId() + ")";
  }

  /** Free text from a form, on one line: its line breaks would start a new field of the mail. */
  private static String oneParagraph(String text) {
    return text == null ? "" : text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }

  /** {@code n} and the noun, plural unless n is 1: "1 attempt", "3 attempts". */
  static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** A header's text: no control characters (a line break would start another header). */
  static String line(String text) {
    return text.replaceAll("\\p{Cntrl}", " ").strip();
  }
}
