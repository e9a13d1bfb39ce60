package org.bellwatch.agent.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.bellwatch.agent.config.Notifications;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.report.EventIndex;
import org.bellwatch.agent.report.Reports;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.testing.ForkedAgent;
import org.bellwatch.agent.testing.MailRelay;
import org.bellwatch.agent.testing.SiteFolder;
import org.bellwatch.agent.testing.SteppedClock;
import org.bellwatch.agent.testing.TestCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notifier against a real SMTP server (aiosmtpd) and a real store: a relay that is down delays
 * a step, never loses it; a restart never tells a step twice; the first start tells only what comes
 * after it; a step that arrives after later ones (a district decision) is still told; TLS trusts
 * the district's own CA and nothing else.
 */
class ReviewNotifierTest {
  static final ZoneId LA = ZoneId.of("America/Los_Angeles");
  static final Instant T = Instant.parse("2026-09-28T16:00:00Z");
  @TempDir Path dir;
  final SteppedClock clock = new SteppedClock(T);
  EventStore store;
  SiteModel site;
  BellwatchMeters meters;
  Reports reports;

  @BeforeEach
  void open() throws Exception {
    MailRelay.assumeAvailable();
    SiteFolder.write(dir.resolve("site"));
    site = SiteModel.load(dir.resolve("site"), LA);
    store = EventStore.open(dir.resolve("store"), LA, false);
    meters = new BellwatchMeters(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), clock);
    EventIndex index = new EventIndex();
    index.load(store);
    reports = new Reports(index, LA);
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  static Notifications.Email plain(int port) {
    return MailSettings.relay(port).build();
  }

  /** As {@link #plain}, with the weekly summary due on Mondays at 09:00, the clock's time. */
  static Notifications.Email withDigest(int port) {
    return MailSettings.relay(port)
        .digest(List.of("principal@school.example"), DayOfWeek.MONDAY, LocalTime.of(9, 0))
        .build();
  }

  ReviewNotifier notifier(Notifications.Email cfg) {
    ReviewNotifier n =
        new ReviewNotifier(
            cfg,
            "Test School",
            store.console().reviews(),
            store.reviewProgress("notify:email"),
            store.marker("notify:digest"),
            () -> site,
            reports,
            meters,
            clock,
            Duration.ofMillis(100),
            Duration.ofMillis(300));
    n.start();
    return n;
  }

  void request(String domain, String teacher, Instant at) throws Exception {
    ReviewSteps.append(
        store.console().reviews(),
        domain,
        ReviewSteps.step(teacher, "teacher", Review.REQUESTED, at, null));
  }

  void decide(String domain, String actor, String role, Instant at) throws Exception {
    ReviewSteps.append(
        store.console().reviews(),
        domain,
        ReviewSteps.step(actor, role, Review.UNBLOCKED, at, LocalDate.of(2026, 10, 9)));
  }

  static List<String> subjects(List<MimeMessage> mails) throws Exception {
    return mails.stream()
        .map(
            m -> {
              try {
                return m.getAllRecipients()[0] + " " + m.getSubject();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  @Test
  void aStepWaitsWhileTheRelayIsDownGoesWhenItIsBackAndIsNotToldAgainAfterARestart()
      throws Exception {
    int port = ForkedAgent.freePort();
    try (ReviewNotifier first = notifier(plain(port))) {
      await().until(() -> store.reviewProgress("notify:email").load().isPresent());
      request("video.example.org", "ms.rivera", T);
      await("the relay's absence shown").until(() -> first.status().state().equals("failing"));
      assertThat(first.status().error())
          .startsWith("cannot hand it to 127.0.0.1:" + port + ": ")
          .endsWith(" s)");
      try (MailRelay relay = MailRelay.start(dir, port)) {
        assertThat(subjects(relay.awaitMessages(1)))
            .containsExactly(
                "it@district.example Unblock request for video.example.org from Ana Rivera");
        await().until(() -> first.status().equals(new ReviewNotifier.Status("sending", null)));
        first.close();

        try (ReviewNotifier second = notifier(plain(port))) {
          decide("video.example.org", "admin1", "admin", T.plusSeconds(3600));
          assertThat(subjects(relay.awaitMessages(2)))
              .containsExactly(
                  "it@district.example Unblock request for video.example.org from Ana Rivera",
                  "arivera@school.example IT's answer on video.example.org: unblocked until Fri, Oct 9, 2026");
          Thread.sleep(500);
          assertThat(relay.messages()).hasSize(2);
        }
      }
    }
  }

  @Test
  void theFirstStartTellsOnlyWhatComesAfterItAndALateDistrictDecisionIsStillTold()
      throws Exception {
    request("old.example.org", "ms.rivera", T.minusSeconds(86_400));
    try (MailRelay relay = MailRelay.start(dir, 0);
        ReviewNotifier n = notifier(plain(relay.port()))) {
      await().until(() -> store.reviewProgress("notify:email").load().isPresent());
      request("new.example.org", "ms.rivera", T);
      relay.awaitMessages(1);
      // The district decided an hour before the request above was made; it arrives now.
      decide("old.example.org", "district.it", "district", T.minusSeconds(3600));
      assertThat(subjects(relay.awaitMessages(2)))
          .containsExactly(
              "it@district.example Unblock request for new.example.org from Ana Rivera",
              "arivera@school.example IT's answer on old.example.org: unblocked until Fri, Oct 9, 2026");
      assertThat(relay.messages().get(1).getContent().toString())
          .contains("Decided by: the district (district.it), Mon, Sep 28, 2026, 8:00 AM");
    }
  }

  @Test
  void withStartTlsTheRelayIsTrustedThroughTheDistrictsCaFileAndNotWithoutIt() throws Exception {
    TestCertificate cert = TestCertificate.create(dir, "relay");
    try (MailRelay relay = MailRelay.start(dir, 0, cert)) {
      Notifications.Email untrusted = tls(relay.port(), null);
      try (ReviewNotifier n = notifier(untrusted)) {
        await().until(() -> store.reviewProgress("notify:email").load().isPresent());
        request("video.example.org", "ms.rivera", T);
        await().until(() -> n.status().state().equals("failing"));
        assertThat(n.status().error()).contains("PKIX");
      }
      assertThat(relay.messages()).isEmpty();
      try (ReviewNotifier n = notifier(tls(relay.port(), cert.certPem()))) {
        assertThat(subjects(relay.awaitMessages(1)))
            .containsExactly(
                "it@district.example Unblock request for video.example.org from Ana Rivera");
      }
    }
  }

  static Notifications.Email tls(int port, Path ca) {
    return MailSettings.relay(port).startTls(ca).build();
  }

  @Test
  void theWeeklySummaryGoesOnceWhenItsTimeHasComeAndNotAgainAfterARestart() throws Exception {
    try (MailRelay relay = MailRelay.start(dir, 0)) {
      try (ReviewNotifier n = notifier(withDigest(relay.port()))) {
        assertThat(subjects(relay.awaitMessages(1)))
            .containsExactly(
                "principal@school.example Bellwatch weekly at Test School: 0 blocked attempts"
                    + " during class, week of Sep 28");
      }
      assertThat(store.marker("notify:digest").read()).contains("2026-09-28");
      try (ReviewNotifier n = notifier(withDigest(relay.port()))) {
        Thread.sleep(500);
      }
      assertThat(relay.messages()).hasSize(1);
    }
  }
}
