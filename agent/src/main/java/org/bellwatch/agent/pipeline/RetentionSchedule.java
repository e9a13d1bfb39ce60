package org.bellwatch.agent.pipeline;

import java.time.Clock;
import java.time.ZoneId;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.report.EventIndex;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.store.Retention;
import org.bellwatch.agent.store.StoreException;
import org.bellwatch.agent.util.PeriodicTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retention pass of a running agent, on a thread of its own: at start, then every {@link
 * Retention#interval()}. What the store deletes (events past {@code retention.events_days}, whole
 * days evicted to stay within the disk budget) leaves the reports' index too. A failed pass is
 * counted and logged and does not end the schedule: the next one tries again.
 */
final class RetentionSchedule implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RetentionSchedule.class);

  private final Retention retention;
  private final EventIndex index;
  private final ZoneId zone;
  private final BellwatchMeters meters;
  private final PeriodicTask thread =
      new PeriodicTask("retention", Retention.interval(), this::run);

  RetentionSchedule(
      BellwatchConfig cfg,
      EventStore store,
      EventIndex index,
      BellwatchMeters meters,
      Clock clock) {
    this.zone = cfg.site().timezone();
    this.retention =
        new Retention(
            store,
            clock,
            zone,
            cfg.retention().eventsDays(),
            cfg.retention().rollupsDays(),
            cfg.retention().diskBudgetBytes());
    this.index = index;
    this.meters = meters;
  }

  void start() {
    thread.start();
  }

  private void run() {
    try {
      Retention.Pass pass = retention.run();
      index.dropBefore(pass.eventsCutoff());
      pass.evictedDays()
          .forEach(d -> index.dropBefore(d.plusDays(1).atStartOfDay(zone).toInstant()));
      meters.retentionRun("ok", pass.evictedDays().size());
      if (!pass.evictedDays().isEmpty()) {
        log.warn("store above its disk budget: evicted the events of {}", pass.evictedDays());
      }
    } catch (StoreException e) {
      meters.retentionRun("failed", 0);
      log.error("retention failed: {}", e.getMessage());
    } catch (RuntimeException e) {
      meters.retentionRun("failed", 0);
      log.error("retention failed", e);
    }
  }

  /** Stops the schedule, waiting for a pass in progress. */
  @Override
  public void close() {
    thread.close();
  }
}
