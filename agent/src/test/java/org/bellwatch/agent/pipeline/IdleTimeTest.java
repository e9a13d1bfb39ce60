package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.bellwatch.agent.testing.SteppedClock;
import org.junit.jupiter.api.Test;

/** Event time on idle ticks, with the wall clock and the monotonic clock both stepped by hand. */
class IdleTimeTest {
  static final Instant T0 = Instant.parse("2026-09-15T15:00:00Z");
  final SteppedClock wall = new SteppedClock(T0);
  final AtomicLong nanos = new AtomicLong(1_000_000L);
  final IdleTime idle = new IdleTime(wall, nanos::get);

  /** One tick later: real time moves {@code real}, the wall clock {@code wallStep}. */
  Instant tick(Duration real, Duration wallStep, Instant eventTime) {
    nanos.addAndGet(real.toNanos());
    wall.step(wallStep);
    return idle.now(eventTime);
  }

  @Test
  void withASteadyClockIdleEventTimeIsTheWallClock() {
    assertThat(idle.now(Instant.MIN)).isEqualTo(T0);
    assertThat(tick(Duration.ofSeconds(1), Duration.ofSeconds(1), T0)).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void aForwardJumpIsAbsorbedSoEventTimeKeepsItsRealPace() {
    assertThat(idle.now(Instant.MIN)).isEqualTo(T0);
    Instant afterJump = tick(Duration.ofSeconds(1), Duration.ofHours(2).plusSeconds(1), T0);
    Instant later = tick(Duration.ofSeconds(1), Duration.ofSeconds(1), afterJump);

    assertThat(afterJump).isEqualTo(T0.plusSeconds(1));
    assertThat(later).isEqualTo(T0.plusSeconds(2));
  }

  @Test
  void aBackwardJumpDoesNotStopEventTimeFromAdvancingWithRealTime() {
    Instant input = T0.minusSeconds(30); // the last input's time, behind the wall clock
    assertThat(idle.now(input)).isEqualTo(T0);
    Instant afterJump = tick(Duration.ofSeconds(1), Duration.ofHours(-2).plusSeconds(1), T0);
    Instant later = tick(Duration.ofSeconds(4), Duration.ofSeconds(4), afterJump);

    assertThat(afterJump).isEqualTo(T0.plusSeconds(1));
    assertThat(later).isEqualTo(T0.plusSeconds(5));
  }

  @Test
  void inputAheadOfTheWallClockStillClosesAttemptsInRealTime() {
    Instant input = T0.plus(Duration.ofHours(1)); // a filter whose clock runs an hour ahead of ours
    assertThat(idle.now(input)).isEqualTo(input);
    assertThat(tick(Duration.ofSeconds(3), Duration.ofSeconds(3), input))
        .isEqualTo(input.plusSeconds(3));
  }

  @Test
  void slewingBelowTheJumpThresholdIsFollowedNotAbsorbed() {
    idle.now(Instant.MIN);
    Instant t = T0;
    // 4 s of drift over ten ticks, 0.4 s each: NTP-like corrections that the wall clock is trusted
    // for.
    for (int i = 0; i < 10; i++) {
      t = tick(Duration.ofSeconds(1), Duration.ofMillis(1400), t);
    }
    assertThat(t).isEqualTo(T0.plusSeconds(14));
  }
}
