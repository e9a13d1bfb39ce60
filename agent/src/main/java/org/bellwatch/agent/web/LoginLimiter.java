package org.bellwatch.agent.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.bellwatch.agent.util.LruMap;

/**
 * Login backoff per key (an account, a client address): after {@code maxFailures} failures in a
 * row, each further attempt must wait, {@code base} at first and doubling up to {@code max}. A
 * success clears the key; a key without failures for {@code max} plus the longest wait is
 * forgotten. At most 10,000 keys are remembered (the oldest are forgotten first), so guessed
 * usernames cannot fill the heap.
 */
final class LoginLimiter {
  private static final int MAX_KEYS = 10_000;
  private final Clock clock;
  private final int maxFailures;
  private final Duration base;
  private final Duration max;
  private final Map<String, State> states = new LruMap<>(MAX_KEYS);

  private record State(int failures, Instant last, Instant blockedUntil) {}

  LoginLimiter(Clock clock, int maxFailures, Duration base, Duration max) {
    this.clock = clock;
    this.maxFailures = maxFailures;
    this.base = base;
    this.max = max;
  }

  /** How long {@code key} must still wait before its next attempt; zero when it may try now. */
  synchronized Duration wait(String key) {
    State s = current(key);
    if (s == null || s.blockedUntil() == null) {
      return Duration.ZERO;
    }
    Duration d = Duration.between(clock.instant(), s.blockedUntil());
    return d.isNegative() ? Duration.ZERO : d;
  }

  synchronized void failure(String key) {
    State s = current(key);
    int failures = s == null ? 1 : s.failures() + 1;
    Instant now = clock.instant();
    Instant until = null;
    if (failures >= maxFailures) {
      int doublings = Math.min(failures - maxFailures, 30);
      Duration wait = base.multipliedBy(1L << doublings);
      until = now.plus(wait.compareTo(max) > 0 ? max : wait);
    }
    states.put(key, new State(failures, now, until));
  }

  synchronized void success(String key) {
    states.remove(key);
  }

  private State current(String key) {
    State s = states.get(key);
    if (s != null && s.last().plus(max.multipliedBy(2)).isBefore(clock.instant())) {
      states.remove(key);
      return null;
    }
    return s;
  }
}
