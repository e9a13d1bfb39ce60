package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.testing.SteppedClock;
import org.junit.jupiter.api.Test;

class LoginLimiterTest {
  final SteppedClock clock = new SteppedClock(Instant.parse("2026-09-15T15:00:00Z"));
  final LoginLimiter limiter =
      new LoginLimiter(clock, 5, Duration.ofSeconds(2), Duration.ofSeconds(60));

  @Test
  void fiveFailuresStartABackoffThatDoublesUpToTheMaximum() {
    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      limiter.failure("account:ana");
      waits.add(limiter.wait("account:ana"));
    }
    assertThat(waits)
        .containsExactly(
            Duration.ZERO,
            Duration.ZERO,
            Duration.ZERO,
            Duration.ZERO,
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(8),
            Duration.ofSeconds(16),
            Duration.ofSeconds(32));
    limiter.failure("account:ana");
    assertThat(limiter.wait("account:ana")).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void theWaitShrinksAsTimePassesAndASuccessClearsTheKey() {
    for (int i = 0; i < 5; i++) {
      limiter.failure("client:10.0.0.9");
    }
    clock.step(Duration.ofMillis(1500));
    assertThat(limiter.wait("client:10.0.0.9")).isEqualTo(Duration.ofMillis(500));
    assertThat(limiter.wait("client:10.0.0.10")).isZero();
    limiter.success("client:10.0.0.9");
    assertThat(limiter.wait("client:10.0.0.9")).isZero();
  }

  @Test
  void aKeyWithoutFailuresForTwiceTheMaximumIsForgotten() {
    for (int i = 0; i < 7; i++) {
      limiter.failure("account:ana");
    }
    clock.step(Duration.ofSeconds(121));
    limiter.failure("account:ana");
    assertThat(limiter.wait("account:ana")).isZero();
  }
}
