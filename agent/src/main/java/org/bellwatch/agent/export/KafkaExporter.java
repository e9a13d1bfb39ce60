package org.bellwatch.agent.export;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.bellwatch.agent.config.KafkaLink;
import org.bellwatch.agent.event.StorageException;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.review.Reviews;
import org.bellwatch.agent.store.Outbox;
import org.bellwatch.agent.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a site's stored block events to Kafka from the store's {@link Outbox}, in store order, on a
 * thread of its own: the pipeline never waits for the district link.
 *
 * <p>One round is one Kafka transaction ({@link SiteTransactions}): read up to {@link #BATCH}
 * entries after the cursor, send them, commit the transaction (acknowledged by all in-sync
 * replicas), then move the cursor past them. A round that fails (broker unreachable, timeout,
 * refused) moves nothing: its transaction is aborted (or, if the broker cannot be reached, aborted
 * by the next producer's initialisation with the same id, which also fences a stale one), and the
 * same entries are sent again after a growing pause, so a WAN outage of days is caught up in order
 * when the link returns. A read_committed consumer (the hub) therefore sees each round once. A
 * crash between the commit and the cursor write sends one round again; the hub keeps one event per
 * site and event id, so that too is harmless. Entries whose event retention removed before they
 * could be sent are skipped (the hub applies its own retention).
 *
 * <p>A store whose export is enabled for the first time sends its history too: the events it
 * already held are queued into the outbox a batch at a time, oldest first, when the outbox holds
 * less than a batch ({@link Outbox#backfill}), so the district receives them once, behind what the
 * site stores meanwhile.
 *
 * <p>Daily rollups go on their own topic, one message per site and school day holding the day's
 * whole count as stored: the store marks each day whose counters a write changes in that write
 * ({@code RollupMarks}), and every {@link #ROLLUPS_EVERY} a round sends the marked days and, once
 * committed, clears their marks, unless a write marked a day again meanwhile. A day that late
 * evidence changes is sent again; an outage leaves one mark per day, sent once when the link
 * returns; a copy sent twice is the same count, so it doubles nothing.
 *
 * <p>Health is sent every {@link #HEALTH_EVERY} on its own topic, outside the outbox: it is a
 * sample. These, like the review requests, go in the round's transaction. Review requests made at
 * the site go up on the requests topic when the outbox is empty, at most once a second, those newer
 * than the last one sent (their time, kept beside the cursor).
 */
public final class KafkaExporter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaExporter.class);
  // Per round (one transaction, each with its commit and cursor write): docs/benchmarks.md
  // "District".
  static final int BATCH = 5_000;
  static final Duration HEALTH_EVERY = Duration.ofSeconds(30);

  /**
   * How often the days whose rollups changed are sent: each message is a whole day, so a busy day
   * is sent at this pace, not once per stored batch.
   */
  static final Duration ROLLUPS_EVERY = Duration.ofSeconds(5);

  /**
   * Rollup days per round, beside its events: the days marked during a long outage (or a history's,
   * when the export is first enabled) go up this many per round, keeping each transaction small.
   */
  static final int ROLLUP_DAYS = 7;

  static final Duration IDLE_POLL = Duration.ofMillis(200);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private final KafkaLink link;
  private final Outbox outbox;
  private final Reviews reviews;
  private Instant nextRequests = Instant.MIN;
  private final BellwatchMeters meters;
  private final Clock clock;
  private final Supplier<String> siteStatus;
  private final Topics topics;
  private final Thread thread;
  private final Object wake = new Object();
  private volatile boolean running = true;
  private final SiteTransactions kafka;

  private Instant nextHealth = Instant.MIN;
  private Instant nextRollups = Instant.MIN;

  /**
   * When the outbox was last found empty (or the exporter started): the lag's age is measured from
   * it.
   */
  private volatile Instant caughtUp;

  private volatile String lastError;
  private volatile long pending;

  /**
   * @param siteStatus the site's /health status ({@code ok}, {@code degraded}, ...) for the health
   *     message
   */
  public KafkaExporter(
      KafkaLink link,
      Outbox outbox,
      Reviews reviews,
      BellwatchMeters meters,
      Clock clock,
      Supplier<String> siteStatus)
      throws StoreException {
    this.link = link;
    this.outbox = outbox;
    this.reviews = reviews;
    this.meters = meters;
    this.clock = clock;
    this.siteStatus = siteStatus;
    this.topics = new Topics(link.topicPrefix());
    this.kafka = new SiteTransactions(link);
    this.caughtUp = clock.instant();
    this.pending = outbox.pending();
    meters.gauge(
        BellwatchMeters.EXPORT_PENDING,
        "Block events stored and not yet acknowledged by Kafka",
        this::pending);
    meters.gauge(
        BellwatchMeters.EXPORT_LAG_SECONDS,
        "Seconds since the export last had nothing left to send",
        () -> pending() == 0 ? 0 : Duration.between(caughtUp, clock.instant()).toSeconds());
    this.thread = new Thread(this::loop, "export-kafka");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Wakes the exporter early: the pipeline has stored a batch. */
  public void nudge() {
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /**
   * Events not yet acknowledged by Kafka, as the store holds them now: counted when asked, not at
   * the exporter's last round, which would show 0 for events stored since (or queued by a backfill
   * under way).
   */
  public long pending() {
    try {
      pending = outbox.pending();
    } catch (StoreException e) {
      // The cursor cannot be read: the last count stands; the round reports the store's error.
      log.debug("export: counting pending events: {}", e.getMessage());
    }
    return pending;
  }

  /**
   * The export as a /health source: {@code failing} once more than {@code lag_warn_events} wait
   * (the district misses them), with the last error; {@code sent} once nothing waits and the
   * history's backfill is over; {@code sending} otherwise.
   */
  public Status status() {
    String error = lastError;
    // The backfill first: once it reports done, the events it queued are already counted pending.
    boolean backfilling = outbox.backfilling();
    long waiting = pending();
    if (waiting > link.lagWarnEvents()) {
      return new Status(
          "failing",
          waiting
              + " block events wait to be sent to Kafka since "
              + caughtUp
              + (error == null ? "" : ": " + error));
    }
    return new Status(waiting == 0 && !backfilling ? "sent" : "sending", error);
  }

  /** The export's health: a state word and, when it fails, why. */
  public record Status(String state, String error) {}

  private void loop() {
    long backoffMs = 500;
    while (running) {
      try {
        boolean more = round();
        backoffMs = 500;
        if (!more) {
          idle(IDLE_POLL.toMillis());
        }
      } catch (StorageException e) {
        lastError = e.getMessage();
        meters.exportError("store");
        log.warn("export: {}", e.getMessage());
        idle(backoffMs);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
      } catch (KafkaException | ExecutionException | IOException e) {
        lastError = describe(e);
        meters.exportError(reason(e));
        log.warn(
            "export to Kafka {} failed, will send again from the last acknowledged event: {}",
            link.bootstrapServers(),
            lastError);
        kafka.discard(Duration.ZERO);
        idle(backoffMs);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * One round, one Kafka transaction: the outbox's next entries, and when due the health message,
   * the days whose rollups changed and the review requests not yet sent. Once Kafka committed it,
   * the store records what was sent (the cursor, the rollup days, the last request's time); a round
   * that fails records nothing and is sent again. One transaction per round, not one per kind: each
   * commit writes markers to every partition it touched, and a transaction begun while the last
   * one's markers are still being written waits for them (its first records are answered {@code
   * CONCURRENT_TRANSACTIONS}, which the producer retries).
   *
   * @return true when more may wait (a full batch, the history still being queued, or more rollup
   *     days than one round takes)
   */
  boolean round() throws StorageException, IOException, ExecutionException, InterruptedException {
    long cursor = outbox.cursor();
    List<Outbox.Entry> entries = outbox.after(cursor, BATCH);
    if (entries.size() < BATCH) {
      // The site's history from before the export, a batch at a time behind what the site stores
      // now.
      int queued = outbox.backfill(BATCH - entries.size());
      if (queued > 0) {
        meters.exportBackfilled(queued);
        entries = outbox.after(cursor, BATCH);
      }
    }
    pending = outbox.pending();
    if (entries.isEmpty()) {
      caughtUp = clock.instant();
      lastError = null;
    }
    Instant now = clock.instant();
    boolean health = !now.isBefore(nextHealth);
    boolean rollupsDue = !now.isBefore(nextRollups);
    boolean requestsDue = entries.isEmpty() && !now.isBefore(nextRequests);
    List<Outbox.RollupDay> days =
        rollupsDue ? outbox.changedRollups(ROLLUP_DAYS) : List.<Outbox.RollupDay>of();
    Requests requests = requestsDue ? requestsSince(outbox.requestsSent()) : Requests.NONE;

    int blocks = 0;
    int rollups = 0;
    if (health) {
      kafka.send(
          topics.health(link.siteId()),
          link.siteId(),
          Messages.health(link.siteId(), link.siteName(), now, siteStatus.get(), pending));
    }
    for (Outbox.RollupDay d : days) {
      // A day retention removed since it was marked is not sent: its count is not zero, it is gone.
      if (!d.counts().isEmpty()) {
        kafka.send(
            topics.rollups(link.siteId()),
            Messages.rollupKey(link.siteId(), d.day()),
            Messages.rollup(
                link.siteId(), link.siteName(), outbox.zone(), d.day(), d.counts(), now));
        rollups++;
      }
    }
    for (byte[] m : requests.messages()) {
      kafka.send(topics.requests(link.siteId()), link.siteId(), m);
    }
    for (Outbox.Entry e : entries) {
      if (e.event() != null) {
        kafka.send(
            topics.blocks(link.siteId()),
            Messages.blockKey(link.siteId(), Outbox.id(e.ref())),
            Messages.block(link.siteId(), link.siteName(), e));
        blocks++;
      }
    }
    kafka.commit();

    if (!entries.isEmpty()) {
      outbox.acknowledge(entries.get(entries.size() - 1).seq());
    }
    if (!days.isEmpty()) {
      outbox.rollupsSent(days);
    }
    if (!requests.messages().isEmpty()) {
      outbox.requestsSent(requests.last());
    }
    if (health) {
      nextHealth = now.plus(HEALTH_EVERY);
      meters.exportSent("health", 1);
    }
    if (rollupsDue && days.size() < ROLLUP_DAYS) {
      nextRollups = now.plus(ROLLUPS_EVERY);
    }
    if (requestsDue) {
      nextRequests = now.plusSeconds(1);
    }
    count("rollup", rollups);
    count("request", requests.messages().size());
    if (entries.isEmpty()) {
      return days.size() == ROLLUP_DAYS;
    }
    meters.exportSent("block", blocks);
    pending = outbox.pending();
    lastError = null;
    if (pending == 0) {
      caughtUp = clock.instant();
    }
    return entries.size() == BATCH || outbox.backfilling() || days.size() == ROLLUP_DAYS;
  }

  private void count(String kind, int n) {
    if (n > 0) {
      meters.exportSent(kind, n);
    }
  }

  /** Review request messages to send, and the time of the last of them (epoch micros). */
  private record Requests(List<byte[]> messages, long last) {
    static final Requests NONE = new Requests(List.of(), -1);
  }

  /** The review requests made at the site after {@code after} (epoch micros), as messages. */
  private Requests requestsSince(long after) throws StorageException {
    long last = after;
    List<byte[]> out = new ArrayList<>();
    for (Review r : reviews.list()) {
      for (Review.Entry e : r.history()) {
        long t = Messages.micros(e.time());
        if (e.action().equals(Review.REQUESTED) && t > after) {
          out.add(Messages.request(link.siteId(), link.siteName(), r.domain(), e));
          last = Math.max(last, t);
        }
      }
    }
    return new Requests(out, last);
  }

  private void idle(long ms) {
    synchronized (wake) {
      if (running) {
        try {
          wake.wait(ms);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          running = false;
        }
      }
    }
  }

  private static String describe(Exception e) {
    Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  /** A bounded reason tag for the error counter. */
  private static String reason(Exception e) {
    Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    if (t instanceof TimeoutException) {
      return "timeout";
    }
    if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
      return "refused";
    }
    return t instanceof IOException ? "config" : "broker";
  }

  /**
   * Stops the thread. A round under way may finish first (up to {@link #CLOSE_WAIT}): interrupted
   * between Kafka's commit and the cursor's move, it would be sent again at the next start.
   */
  @Override
  public void close() {
    running = false;
    nudge();
    try {
      thread.join(CLOSE_WAIT.toMillis());
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(CLOSE_WAIT.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kafka.close();
  }
}
