package org.bellwatch.agent.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.report.EventIndex;
import org.bellwatch.agent.report.Reports;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.store.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weekly summary: due once a week at its day and time (or at the first chance after, never for
 * an ended week), and written whole from the week's stored blocks and reviews.
 */
class WeeklyDigestTest {
  static final ZoneId LA = ZoneId.of("America/Los_Angeles");
  @TempDir Path dir;
  EventStore store;

  @BeforeEach
  void open() throws Exception {
    store = EventStore.open(dir.resolve("store"), LA, false);
  }

  @AfterEach
  void close() {
    store.close();
  }

  static Instant at(String local) {
    return LocalDateTime.parse(local).atZone(LA).toInstant();
  }

  static BlockEvent block(String local, String domain, String section, boolean instructional) {
    return block(local, domain, section, instructional, "alice", false);
  }

  static BlockEvent block(
      String local,
      String domain,
      String section,
      boolean instructional,
      String user,
      boolean whileTeaching) {
    return new BlockEvent(
        at(local),
        "10.0.1.7",
        "d1",
        null,
        user,
        domain,
        null,
        "Games",
        "squid",
        "proxy-deny",
        section == null ? null : "RM101",
        section,
        section == null ? null : "Algebra I",
        section == null ? null : "ms.rivera",
        section == null ? null : "1",
        instructional,
        whileTeaching,
        List.of("test"));
  }

  WeeklyDigest digest() throws Exception {
    EventIndex index = new EventIndex();
    index.load(store);
    return new WeeklyDigest(
        MailSettings.relay(25)
            .itTo(List.of())
            .consoleUrl("https://bellwatch.school.example/")
            .digest(
                List.of("principal@school.example", "coordinator@school.example"),
                DayOfWeek.FRIDAY,
                LocalTime.of(15, 30))
            .build(),
        "Test School",
        LA,
        new Reports(index, LA),
        store.console().reviews(),
        store.marker("notify:digest"));
  }

  void step(String domain, String actor, String action, Instant t, LocalDate until)
      throws Exception {
    String role = action.equals(Review.REQUESTED) ? "teacher" : "admin";
    ReviewSteps.append(
        store.console().reviews(), domain, ReviewSteps.step(actor, role, action, t, until));
  }

  @Test
  void itIsDueOnceAWeekAtItsTimeOrTheFirstChanceAfterButNotForAWeekThatHasEnded() throws Exception {
    WeeklyDigest d = digest();
    assertThat(d.due(at("2026-10-02T15:29"))).isNull();
    assertThat(d.due(at("2026-10-02T15:30"))).isEqualTo(LocalDate.of(2026, 9, 28));
    // Down over the weekend: it goes on Sunday, for the week that is still this one.
    assertThat(d.due(at("2026-10-04T20:00"))).isEqualTo(LocalDate.of(2026, 9, 28));
    d.markSent(LocalDate.of(2026, 9, 28));
    assertThat(d.due(at("2026-10-02T18:00"))).isNull();
    assertThat(d.due(at("2026-10-04T20:00"))).isNull();
    // The next Monday it is a new week, whose day has not come.
    assertThat(d.due(at("2026-10-05T08:00"))).isNull();
    assertThat(d.due(at("2026-10-09T16:00"))).isEqualTo(LocalDate.of(2026, 10, 5));
  }

  @Test
  void theSummaryCountsTheWeekAgainstTheOneBeforeWithItsTopSitesRequestsAndDecisions()
      throws Exception {
    store.append(
        List.of(
            block("2026-09-22T08:10", "video.example.org", "cls-alg", true),
            block("2026-09-29T08:10", "video.example.org", "cls-alg", true),
            block("2026-09-29T08:20", "video.example.org", "cls-alg", true),
            block("2026-09-30T08:05", "games.example.com", "cls-art", true),
            block("2026-10-01T08:15", "video.example.org", "cls-alg", true, "ms.rivera", true),
            block("2026-09-30T12:00", "games.example.com", null, false)));
    step("docs.example.com", "ms.rivera", Review.REQUESTED, at("2026-09-24T10:00"), null);
    step("video.example.org", "ms.rivera", Review.REQUESTED, at("2026-09-29T10:00"), null);
    step(
        "video.example.org",
        "admin1",
        Review.UNBLOCKED,
        at("2026-09-30T09:00"),
        LocalDate.of(2026, 10, 9));

    Mail m = digest().compose(LocalDate.of(2026, 9, 28), at("2026-10-02T15:30"));

    assertThat(m)
        .isEqualTo(
            new Mail(
                "digest",
                List.of("principal@school.example", "coordinator@school.example"),
                "Bellwatch weekly at Test School: 4 blocked attempts during class, week of Sep 28",
                """
                Week of Mon, Sep 28, 2026 (America/Los_Angeles), up to Fri, Oct 2, 3:30 PM.

                Blocked during class: 4 attempts, in 2 class sections (the week before: 1).
                Blocked while teaching: 1 attempt: the teacher's own lesson stopped.
                Blocked in all: 5 attempts.

                Sites that blocked instruction most:
                - video.example.org: 3 attempts during class, 1 class section
                - games.example.com: 1 attempt during class, 1 class section

                Requests waiting for IT: 1
                - docs.example.com, asked by ms.rivera on Thu, Sep 24, 2026 (8 days)
                Decisions this week: 1
                - video.example.org: unblocked until Fri, Oct 9, 2026 (admin1)

                This week in Bellwatch: https://bellwatch.school.example/#/overview?span=week&at=2026-09-28

                --\s
                Bellwatch at Test School. Sent each Friday at 15:30 to notifications.email.digest_to.
                """,
                m.messageId()));
    assertThat(m.messageId())
        .startsWith("<bellwatch.digest.2026-09-28.")
        .endsWith("@school.example>");
  }
}
