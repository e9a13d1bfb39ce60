package org.bellwatch.agent.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.schedule.SiteSchedule;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who a decision's mail goes to, and a subject no text can add a header to. */
class ReviewMailsTest {
  static final ZoneId LA = ZoneId.of("America/Los_Angeles");
  static final Instant T = Instant.parse("2026-09-28T16:00:00Z");
  @TempDir Path dir;

  static Review.Entry step(String actor, String action, Instant at) {
    boolean decision = !action.equals(Review.REQUESTED);
    return ReviewSteps.step(
        actor,
        decision ? "admin" : "teacher",
        action,
        at,
        action.equals(Review.UNBLOCKED) ? LocalDate.of(2026, 10, 9) : null);
  }

  static ReviewMails mails(boolean teachers) {
    return new ReviewMails(
        MailSettings.relay(25).itTo(List.of()).teachers(teachers).build(), "Test School", LA);
  }

  @Test
  void aDecisionGoesToEachTeacherWhoAskedSinceTheLastDecisionAtTheirRosterOrSignInAddress()
      throws Exception {
    SiteFolder.write(dir);
    SiteSchedule school = SiteModel.load(dir, LA).schedule();
    Review r =
        new Review(
            "video.example.org",
            Review.UNBLOCKED,
            List.of(
                step("old.asker@school.example", Review.REQUESTED, T.minusSeconds(9000)),
                step("admin1", Review.KEPT_BLOCKED, T.minusSeconds(8000)),
                step("ms.rivera", Review.REQUESTED, T.minusSeconds(3000)),
                step("li.chen@school.example", Review.REQUESTED, T.minusSeconds(2000)),
                step("MS.RIVERA", Review.REQUESTED, T.minusSeconds(1500)),
                step("mr.chen", Review.REQUESTED, T.minusSeconds(1000)),
                step("admin1", Review.UNBLOCKED, T)));

    assertThat(mails(true).teachers(r, 6, school))
        .isEqualTo(
            new ReviewMails.Teachers(
                List.of("arivera@school.example", "li.chen@school.example"), List.of("mr.chen")));
    Mail m = mails(true).decision(r, 6, mails(true).teachers(r, 6, school), school);
    assertThat(m.to()).containsExactly("arivera@school.example", "li.chen@school.example");
    assertThat(m.subject())
        .isEqualTo("IT's answer on video.example.org: unblocked until Fri, Oct 9, 2026");
    assertThat(mails(false).tellsTeachers()).isFalse();
    // No request goes to IT: it_to is empty.
    assertThat(mails(true).tellsIt()).isFalse();
    // Only teachers without an address asked: no mail.
    assertThat(
            mails(true)
                .decision(r, 6, new ReviewMails.Teachers(List.of(), List.of("mr.chen")), school))
        .isNull();
  }

  @Test
  void aSubjectKeepsNoControlCharacters() {
    assertThat(ReviewMails.line("Unblock request for x\r\nBcc: evil@example.org\u0000"))
        .isEqualTo("Unblock request for x  Bcc: evil@example.org");
  }
}
