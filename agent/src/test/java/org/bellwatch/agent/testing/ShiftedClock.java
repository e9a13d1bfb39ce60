package org.bellwatch.agent.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that ticks like the system's but reads as another date, which a test can move: for a
 * running agent whose pipeline needs time to pass while the test sets "today" (a decision made
 * after the sample week, then a week later to see its effect).
 */
public final class ShiftedClock extends Clock {
  private volatile Duration shift;

  public ShiftedClock(Instant now) {
    set(now);
  }

  /** From now on the clock reads {@code now} and ticks on from there. */
  public void set(Instant now) {
    shift = Duration.between(Instant.now(), now);
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(shift);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
