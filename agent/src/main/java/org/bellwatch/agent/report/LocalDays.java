package org.bellwatch.agent.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The school-local date of event times read in time order: converts only when a row crosses into
 * the next local day, so a scan over millions of rows asks the time-zone rules once per day, not
 * per row.
 */
final class LocalDays {
  private final ZoneId zone;
  private long dayStart = Long.MAX_VALUE;
  private long dayEnd = Long.MIN_VALUE;
  private LocalDate day;

  LocalDays(ZoneId zone) {
    this.zone = zone;
  }

  LocalDate dayOf(long micros) {
    if (micros < dayStart || micros >= dayEnd) {
      day = Reports.instant(micros).atZone(zone).toLocalDate();
      dayStart = micros(day.atStartOfDay(zone).toInstant());
      dayEnd = micros(day.plusDays(1).atStartOfDay(zone).toInstant());
    }
    return day;
  }

  private static long micros(Instant t) {
    return EventIndex.micros(t);
  }
}
