package org.bellwatch.agent.hub;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.store.Retention;
import org.bellwatch.agent.store.StoreException;
import org.bellwatch.agent.util.PeriodicTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the hub's block events no longer than {@code hub.retention} allows, as a site keeps its own
 * ({@link Retention}): every school's events before midnight {@code events_days} days ago in the
 * district's time zone are deleted, whole days, with their counts; when a disk budget is set, the
 * oldest whole days of every school are evicted until the store fits. The hub holds every school's
 * student browsing records, so keeping them past policy is a liability: this runs at start and then
 * every {@link Retention#interval()}, on a thread of its own. A failed pass is counted and logged;
 * the next one tries again.
 */
public final class DistrictRetention implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DistrictRetention.class);

  /** What one pass deleted: the age cutoff, the events past it, and the days evicted for disk. */
  public record Pass(
      Instant cutoff, long deletedForAge, List<LocalDate> evictedDays, long deletedForBudget) {}

  private final DistrictStore store;
  private final HubConfig.Retention policy;
  private final ZoneId zone;
  private final Clock clock;
  private final BellwatchMeters meters;
  private final PeriodicTask thread =
      new PeriodicTask("hub-retention", Retention.interval(), this::scheduled);

  public DistrictRetention(
      DistrictStore store,
      HubConfig.Retention policy,
      ZoneId zone,
      Clock clock,
      BellwatchMeters meters) {
    this.store = store;
    this.policy = policy;
    this.zone = zone;
    this.clock = clock;
    this.meters = meters;
  }

  /** One pass, now, counted by result (the schedule's passes call this). */
  public Pass run() throws StoreException {
    try {
      Pass pass = pass();
      meters.hubRetentionRun("ok", pass.deletedForAge(), pass.deletedForBudget());
      return pass;
    } catch (StoreException | RuntimeException e) {
      meters.hubRetentionRun("failed", 0, 0);
      throw e;
    }
  }

  private Pass pass() throws StoreException {
    LocalDate today = clock.instant().atZone(zone).toLocalDate();
    // Cut at a district midnight so that a day is kept or dropped as a whole.
    Instant cutoff = today.minusDays(policy.eventsDays()).atStartOfDay(zone).toInstant();
    long forAge = store.deleteBlocksBefore(cutoff);
    List<LocalDate> evicted = new ArrayList<>();
    long forBudget = 0;
    while (policy.diskBudgetBytes() > 0 && store.diskBytes() > policy.diskBudgetBytes()) {
      Instant oldest = store.oldestBlockTime();
      if (oldest == null) {
        break;
      }
      LocalDate day = oldest.atZone(zone).toLocalDate();
      forBudget += store.deleteBlocksBefore(day.plusDays(1).atStartOfDay(zone).toInstant());
      evicted.add(day);
    }
    return new Pass(cutoff, forAge, evicted, forBudget);
  }

  public void start() {
    thread.start();
  }

  private void scheduled() {
    try {
      Pass pass = run();
      if (!pass.evictedDays().isEmpty()) {
        log.warn("hub store above its disk budget: evicted the events of {}", pass.evictedDays());
      }
    } catch (StoreException | RuntimeException e) {
      log.error("hub retention failed: {}", e.getMessage(), e);
    }
  }

  /** Stops the schedule, waiting for a pass in progress. */
  @Override
  public void close() {
    thread.close();
  }
}
