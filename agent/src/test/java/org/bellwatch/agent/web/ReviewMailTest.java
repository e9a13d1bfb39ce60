package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.testing.MailRelay;
import org.bellwatch.agent.testing.SteppedClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decision loop by e-mail, through a real SMTP server (aiosmtpd): a teacher's request reaches
 * IT's address with what she asked; IT's decision reaches the teachers who asked, at their roster
 * address; a teacher without one is counted, not guessed.
 */
class ReviewMailTest {
  @TempDir Path dir;

  /** Monday 2026-09-28, 09:00 in Los Angeles. */
  final SteppedClock clock = new SteppedClock(Instant.parse("2026-09-28T16:00:00Z"));

  /** A block of video.example.org during Ms. Rivera's Algebra I (period 1) on a local time. */
  static BlockEvent inAlgebra(String local) {
    return StoredSchool.block(
        local,
        "video.example.org",
        "Streaming",
        "alice",
        "d1",
        "RM101",
        "cls-alg",
        "ms.rivera",
        "1",
        true);
  }

  static String dump(MimeMessage m) throws Exception {
    return "From: "
        + Arrays.toString(m.getFrom())
        + "\nTo: "
        + Arrays.toString(m.getAllRecipients())
        + "\nSubject: "
        + m.getSubject()
        + "\nMessage-ID: "
        + m.getMessageID()
        + "\nAuto-Submitted: "
        + m.getHeader("Auto-Submitted", null)
        + "\nContent-Type: "
        + m.getContentType()
        + "\n\n"
        + m.getContent();
  }

  @Test
  void aTeachersRequestReachesItAndItsDecisionReachesTheTeachersWhoAsked() throws Exception {
    MailRelay.assumeAvailable();
    try (MailRelay relay = MailRelay.start(dir, 0);
        StoredSchool school =
            StoredSchool.start(
                dir.resolve("school"),
                clock,
                List.of(
                    inAlgebra("2026-09-22T08:10"),
                    inAlgebra("2026-09-23T08:12"),
                    StoredSchool.block(
                        "2026-09-24T11:40",
                        "video.example.org",
                        "Streaming",
                        "Bob",
                        "d2",
                        null,
                        null,
                        null,
                        null,
                        false),
                    // Before the 14 days the request's mail counts.
                    inAlgebra("2026-09-10T08:10")),
                """
                notifications:
                  email:
                    smtp_host: 127.0.0.1
                    smtp_port: %d
                    security: none
                    from: "Bellwatch <bellwatch@school.example>"
                    it_to: [it@district.example]
                    console_url: https://bellwatch.school.example/
                """
                    .formatted(relay.port()))) {
      school
          .as(TestAccounts.TEACHER)
          .postJson(
              "/api/v1/reviews/video.example.org/request",
              """
              {"reason":"Algebra uses the graphing videos\\nin class","sections":["cls-alg"],
               "need_from":"2026-09-28","need_until":"2026-10-09"}""");
      List<MimeMessage> mail = relay.awaitMessages(1);
      assertThat(dump(mail.get(0)))
          .isEqualTo(
              """
              From: [Bellwatch <bellwatch@school.example>]
              To: [it@district.example]
              Subject: Unblock request for video.example.org from Ana Rivera
              Message-ID: <bellwatch.request.0.78a1c198-43bb-3bf1-aab8-092ad7df6559@school.example>
              Auto-Submitted: auto-generated
              Content-Type: text/plain; charset=UTF-8

              Ana Rivera (ms.rivera) asks IT to unblock video.example.org for instruction.

              Why: Algebra uses the graphing videos in class
              Classes: Algebra I, Part A (Period 1, RM101)
              Needed: Mon, Sep 28, 2026 to Fri, Oct 9, 2026
              Asked: Mon, Sep 28, 2026, 9:00 AM (America/Los_Angeles)

              Blocked in the 14 days before the request: 2 attempts during class (3 in all), \
              in 1 class section.
              Most in: Algebra I, Part A (Period 1, RM101): 2

              See the blocked attempts during class and decide: \
              https://bellwatch.school.example/#/domain/video.example.org

              --\s
              Bellwatch at Test School. IT hears of every unblock request (notifications.email.it_to).
              """);

      clock.step(Duration.ofMinutes(10));
      school
          .as("coordinator1")
          .postJson(
              "/api/v1/reviews/video.example.org/request",
              "{\"reason\":\"Art history too\",\"sections\":[\"cls-art\"]}");
      relay.awaitMessages(2);
      clock.step(Duration.ofHours(1));
      school
          .as("admin1")
          .postJson(
              "/api/v1/reviews/video.example.org/decision",
              """
              {"decision":"time_limited","reason":"For the unit only","scope":"sections","sections":["cls-alg"],
               "until":"2026-10-09"}""");
      mail = relay.awaitMessages(3);
      assertThat(mail.get(1).getSubject())
          .isEqualTo("Unblock request for video.example.org from coordinator1");
      // coordinator1 asked too, but has no address: only Ms. Rivera hears the answer.
      assertThat(dump(mail.get(2)))
          .isEqualTo(
              """
              From: [Bellwatch <bellwatch@school.example>]
              To: [arivera@school.example]
              Subject: IT's answer on video.example.org: unblocked until Fri, Oct 9, 2026
              Message-ID: <bellwatch.decision.2.78a1c198-43bb-3bf1-aab8-092ad7df6559@school.example>
              Auto-Submitted: auto-generated
              Content-Type: text/plain; charset=UTF-8

              You asked IT to unblock video.example.org. IT's answer:

              Unblocked for a time for Algebra I, Part A (Period 1, RM101) until Fri, Oct 9, 2026.
              Reason: For the unit only
              Decided by: admin1, Mon, Sep 28, 2026, 10:10 AM (America/Los_Angeles)

              The request and the decision: https://bellwatch.school.example/#/domain/video.example.org

              --\s
              Bellwatch at Test School. The teachers who asked for video.example.org hear IT's answer.
              """);
      assertThat(school.metricLines("bellwatch_notify_emails_total"))
          .containsExactlyInAnyOrder(
              "bellwatch_notify_emails_total{kind=\"request\",outcome=\"sent\",} 2.0",
              "bellwatch_notify_emails_total{kind=\"decision\",outcome=\"sent\",} 1.0",
              "bellwatch_notify_emails_total{kind=\"decision\",outcome=\"no_address\",} 1.0");
    }
  }
}
