package org.bellwatch.agent.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.bellwatch.agent.config.Notifications;
import org.bellwatch.agent.event.StorageException;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.report.ReportFilter;
import org.bellwatch.agent.report.Reports;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.review.Reviews;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.schedule.SiteSchedule;
import org.bellwatch.agent.store.ReviewProgress;
import org.bellwatch.agent.store.StoreMarker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the reviews' new steps as they are stored (woken by {@link
 * org.bellwatch.agent.review.WatchedReviews}), and every few seconds besides, and mails what each
 * calls for ({@link ReviewMails}), in order, recording each step as told ({@link ReviewProgress})
 * once the relay took its mail or refused it for good. While the relay cannot be reached the step
 * waits, with a growing pause (up to {@link #MAX_PAUSE}), and {@link #status} says why for /health.
 * The first start records the steps already made: only what happens from then on is told. The same
 * thread sends the weekly summary when it is due ({@link WeeklyDigest}).
 */
public final class ReviewNotifier implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReviewNotifier.class);
  static final Duration POLL = Duration.ofSeconds(5);
  static final Duration FIRST_PAUSE = Duration.ofSeconds(30);
  static final Duration MAX_PAUSE = Duration.ofMinutes(15);

  private final Reviews reviews;
  private final ReviewProgress progress;
  private final ReviewMails mails;
  private final WeeklyDigest digest;
  private final Clock clock;
  private final SmtpRelay relay;
  private final Supplier<SiteModel> site;
  private final Reports reports;
  private final BellwatchMeters meters;
  private final Duration poll;
  private final Duration firstPause;
  private final Object wake = new Object();

  /** A step was stored since the notifier last looked (guarded by {@link #wake}). */
  private boolean woken;

  private volatile boolean running;
  private volatile String error;
  private Thread thread;

  /** What /health shows: {@code sending} or {@code failing}, with the relay's last refusal. */
  public record Status(String state, String error) {}

  public ReviewNotifier(
      Notifications.Email cfg,
      String siteName,
      Reviews reviews,
      ReviewProgress progress,
      StoreMarker digestSent,
      Supplier<SiteModel> site,
      Reports reports,
      BellwatchMeters meters,
      Clock clock) {
    this(
        cfg,
        siteName,
        reviews,
        progress,
        digestSent,
        site,
        reports,
        meters,
        clock,
        POLL,
        FIRST_PAUSE);
  }

  /** With its own polling interval and first pause after a failure (tests wait less). */
  ReviewNotifier(
      Notifications.Email cfg,
      String siteName,
      Reviews reviews,
      ReviewProgress progress,
      StoreMarker digestSent,
      Supplier<SiteModel> site,
      Reports reports,
      BellwatchMeters meters,
      Clock clock,
      Duration poll,
      Duration firstPause) {
    this.reviews = reviews;
    this.progress = progress;
    this.site = site;
    this.reports = reports;
    this.meters = meters;
    this.poll = poll;
    this.firstPause = firstPause;
    this.clock = clock;
    ZoneId zone = site.get().schedule().zone();
    this.mails = new ReviewMails(cfg, siteName, zone);
    this.digest = new WeeklyDigest(cfg, siteName, zone, reports, reviews, digestSent);
    this.relay = new SmtpRelay(cfg, clock);
  }

  public void start() {
    running = true;
    thread = new Thread(this::run, "notify-email");
    thread.setDaemon(true);
    thread.start();
  }

  public Status status() {
    String e = error;
    return new Status(e == null ? "sending" : "failing", e);
  }

  private void run() {
    Duration pause = firstPause;
    while (running) {
      try {
        tell();
        sendDigestIfDue();
        error = null;
        pause = firstPause;
        idle(poll);
      } catch (SmtpRelay.Unavailable e) {
        error = e.getMessage() + " (trying again in " + pause.toSeconds() + " s)";
        log.warn("notifications: {}", error);
        idle(pause);
        pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
      } catch (StorageException e) {
        error = "cannot read or record the reviews: " + e.getMessage();
        log.error("notifications: {}", error);
        idle(pause);
      } catch (RuntimeException e) {
        error = "stopped on " + e;
        log.error("notifications: a step could not be told", e);
        idle(pause);
      }
    }
  }

  /** Mails every step not yet told; stops at the first the relay cannot take now. */
  void tell() throws SmtpRelay.Unavailable, StorageException {
    List<Review> all = reviews.list();
    Optional<Map<String, Integer>> saved = progress.load();
    Map<String, Integer> told = new HashMap<>();
    if (saved.isEmpty()) {
      all.forEach(r -> told.put(r.domain(), r.history().size()));
      progress.save(told);
      log.info("notifications: from now on ({} reviews' earlier steps are not told)", all.size());
      return;
    }
    for (Review r : all) {
      told.put(r.domain(), Math.min(saved.get().getOrDefault(r.domain(), 0), r.history().size()));
    }
    for (Review r : all) {
      for (int i = told.get(r.domain()); i < r.history().size(); i++) {
        deliver(r, i);
        told.put(r.domain(), i + 1);
        progress.save(told);
      }
    }
  }

  /** The week's summary, once, when its day and time have come ({@link WeeklyDigest}). */
  void sendDigestIfDue() throws SmtpRelay.Unavailable, StorageException {
    Instant now = clock.instant();
    LocalDate week = digest.due(now);
    if (week == null) {
      return;
    }
    Mail mail = digest.compose(week, now);
    send(mail, "the week of " + week);
    digest.markSent(week);
  }

  private void deliver(Review r, int index) throws SmtpRelay.Unavailable {
    SiteSchedule school = site.get().schedule();
    Review.Entry step = r.history().get(index);
    if (step.action().equals(Review.REQUESTED) && mails.tellsIt()) {
      Reports.DomainDetail evidence =
          reports.domain(
              r.domain(),
              ReportFilter.between(step.time().minus(ReviewMails.EVIDENCE_DAYS), step.time()));
      send(mails.request(r, index, school, evidence), r.domain());
    } else if (step.isDecision() && mails.tellsTeachers()) {
      ReviewMails.Teachers teachers = mails.teachers(r, index, school);
      for (String teacher : teachers.without()) {
        meters.notifyEmail("decision", "no_address");
        log.info(
            "notifications: {} asked for {} but has no e-mail address in the roster",
            teacher,
            r.domain());
      }
      Mail mail = mails.decision(r, index, teachers, school);
      if (mail != null) {
        send(mail, r.domain());
      }
    }
  }

  /**
   * Hands one mail to the relay. Returns once that is settled (sent, or refused for good: trying
   * again would not change the answer); throws while the relay cannot take it now.
   */
  private void send(Mail mail, String about) throws SmtpRelay.Unavailable {
    try {
      relay.send(mail);
      meters.notifyEmail(mail.kind(), "sent");
      log.info(
          "notifications: {} mail for {} sent to {} recipient(s)",
          mail.kind(),
          about,
          mail.to().size());
    } catch (SmtpRelay.Refused e) {
      meters.notifyEmail(mail.kind(), "refused");
      log.warn("notifications: {} mail for {} not sent: {}", mail.kind(), about, e.getMessage());
    } catch (SmtpRelay.Unavailable e) {
      meters.notifyEmail(mail.kind(), "retried");
      throw e;
    }
  }

  /**
   * A step was stored: look at once instead of at the next poll, unless the relay is failing (then
   * the pause runs its course; appends must not turn into a retry each).
   */
  public void wake() {
    if (error == null) {
      synchronized (wake) {
        woken = true;
        wake.notifyAll();
      }
    }
  }

  private void idle(Duration d) {
    synchronized (wake) {
      // A step stored while the last pass ran is looked at now: its wake-up is not lost.
      if (running && !woken) {
        try {
          wake.wait(d.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          running = false;
        }
      }
      woken = false;
    }
  }

  @Override
  public void close() {
    running = false;
    synchronized (wake) {
      wake.notifyAll();
    }
    if (thread != null) {
      try {
        // A send under way finishes (each of its steps is bounded by SmtpRelay.TIMEOUT_MS) and its
        // step is recorded before the store it writes to closes.
        thread.join(Duration.ofSeconds(40).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
