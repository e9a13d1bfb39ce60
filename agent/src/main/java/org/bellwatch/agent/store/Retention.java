package org.bellwatch.agent.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps only what policy allows: raw events and lease history for {@code eventsDays}, daily rollups
 * for {@code rollupsDays}, and, when a disk budget is set, evicts the oldest whole days of events
 * until the store fits. Student browsing data kept longer than the school's policy is a liability,
 * so this runs on a schedule and at start, always by time ranges (never row by row).
 */
public final class Retention {
  /** What one pass removed: the cutoffs applied and the days evicted for the disk budget. */
  public record Pass(Instant eventsCutoff, LocalDate rollupsCutoff, List<LocalDate> evictedDays) {}

  private final EventStore store;
  private final Clock clock;
  private final ZoneId zone;
  private final int eventsDays;
  private final int rollupsDays;
  private final long diskBudgetBytes;

  public Retention(
      EventStore store,
      Clock clock,
      ZoneId zone,
      int eventsDays,
      int rollupsDays,
      long diskBudgetBytes) {
    this.store = store;
    this.clock = clock;
    this.zone = zone;
    this.eventsDays = eventsDays;
    this.rollupsDays = rollupsDays;
    this.diskBudgetBytes = diskBudgetBytes;
  }

  public Pass run() throws StoreException {
    Instant now = clock.instant();
    LocalDate today = now.atZone(zone).toLocalDate();
    // Cut at a school-local midnight so that a day is kept or dropped as a whole.
    Instant eventsCutoff = today.minusDays(eventsDays).atStartOfDay(zone).toInstant();
    LocalDate rollupsCutoff = today.minusDays(rollupsDays);
    store.deleteEventsBefore(eventsCutoff);
    // Lease history says which student's device had which address: it is kept no longer than the
    // events.
    store.sources().deleteLeasesBefore(eventsCutoff);
    store.deleteRollupsBefore(rollupsCutoff);
    List<LocalDate> evicted = new ArrayList<>();
    if (diskBudgetBytes > 0) {
      while (store.diskBytes() > diskBudgetBytes) {
        Instant oldest = store.oldestEventTime();
        if (oldest == null) {
          break;
        }
        LocalDate day = oldest.atZone(zone).toLocalDate();
        store.deleteEventsBefore(day.plusDays(1).atStartOfDay(zone).toInstant());
        evicted.add(day);
      }
    }
    return new Pass(eventsCutoff, rollupsCutoff, evicted);
  }

  /** How often retention runs while the agent is up. */
  public static Duration interval() {
    return Duration.ofHours(1);
  }
}
