package org.bellwatch.agent.schedule;

import java.time.LocalTime;

/** One block of a bell schedule, in the school's local time; {@code end} is exclusive. */
public record BellPeriod(String name, LocalTime start, LocalTime end) {
  boolean contains(LocalTime t) {
    return !t.isBefore(start) && t.isBefore(end);
  }
}
