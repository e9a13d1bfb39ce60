package org.bellwatch.agent.schedule;

import java.time.LocalDate;

/**
 * The bell period running at some instant: the school-local date, the day's bell schedule and the
 * block.
 */
public record PeriodInSession(LocalDate date, String bellSchedule, BellPeriod period) {}
