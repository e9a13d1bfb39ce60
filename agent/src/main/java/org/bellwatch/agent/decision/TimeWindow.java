package org.bellwatch.agent.decision;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Days of the week and a time of day during which an exemption holds, in the filter host's local
 * time (the school's zone). Whole minutes, and the start before the end of the same day, because
 * Squid's {@code time} ACL has minute resolution and refuses a range that crosses midnight.
 *
 * @param days at least one day
 * @param start first minute of the window
 * @param end minute the window closes
 */
public record TimeWindow(Set<DayOfWeek> days, LocalTime start, LocalTime end) {

  public TimeWindow {
    if (days == null || days.isEmpty()) {
      throw new IllegalArgumentException("a time window needs at least one day");
    }
    for (DayOfWeek d : days) {
      if (d == null) {
        throw new IllegalArgumentException("a time window's days must not contain null");
      }
    }
    if (start == null || end == null) {
      throw new IllegalArgumentException("a time window needs a start and an end time");
    }
    if (start.getSecond() != 0
        || start.getNano() != 0
        || end.getSecond() != 0
        || end.getNano() != 0) {
      throw new IllegalArgumentException(
          "time window " + start + "-" + end + " is not in whole minutes");
    }
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException(
          "time window "
              + start
              + "-"
              + end
              + " does not end after it starts (a window cannot cross midnight)");
    }
    days = Collections.unmodifiableSet(EnumSet.copyOf(days));
  }
}
