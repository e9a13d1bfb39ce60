package org.bellwatch.agent.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far the pipeline's event time moves on a tick when input is idle, so that attempts close and
 * DNS queries time out without new input, whatever the wall clock does.
 *
 * <p>The rule: the later of
 *
 * <ul>
 *   <li>event time at the last tick (or where input has moved it since) plus the real time elapsed
 *       since that tick (a monotonic clock, {@link System#nanoTime}): attempts close once their
 *       windows have passed in real time, even when the wall clock is set back or the input's clock
 *       differs from ours; and
 *   <li>the wall clock minus every forward jump seen while running: an input's timestamps that
 *       trail the clock (a test's clock a minute ahead, a filter a little slow) close as before.
 * </ul>
 *
 * A forward jump (wall time advancing more than {@link #JUMP} beyond real time between two ticks)
 * is thus absorbed: it cannot close an attempt early and split one attempt's evidence in two. A
 * backward jump is not absorbed, so a clock corrected back from a wrong future time is believed at
 * once; event time never moves back (the correlator's watermark only grows), and the first rule
 * keeps it moving. NTP's gradual slewing (at most 500 ppm, RFC 5905 section 11.3) stays far below
 * {@link #JUMP}. Pipeline thread only.
 */
final class IdleTime {
  /** A step of the wall clock beyond real time by more than this, between two ticks, is a jump. */
  static final Duration JUMP = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(IdleTime.class);

  private final Clock wall;
  private final LongSupplier nanos;

  /** The wall clock, the monotonic clock and the result at the last tick. */
  private Instant lastWall;

  private long lastNanos;
  private Instant last;

  /** The sum of forward jumps seen: subtracted from the wall clock. */
  private Duration skew = Duration.ZERO;

  IdleTime(Clock wall, LongSupplier nanos) {
    this.wall = wall;
    this.nanos = nanos;
  }

  /**
   * Where event time should stand now, given where it stands ({@code eventTime}, from input and
   * past ticks).
   */
  Instant now(Instant eventTime) {
    long n = nanos.getAsLong();
    Instant w = wall.instant();
    Instant elapsed = Instant.MIN;
    if (lastWall != null) {
      long real = n - lastNanos;
      Duration jump = Duration.between(lastWall, w).minusNanos(real);
      if (jump.compareTo(JUMP) > 0) {
        skew = skew.plus(jump);
        log.warn(
            "the wall clock jumped forward by {} s; open attempts keep their real-time windows",
            jump.toSeconds());
      } else if (jump.compareTo(JUMP.negated()) < 0) {
        log.warn(
            "the wall clock jumped back by {} s; event time does not go back, open attempts still close",
            jump.negated().toSeconds());
      }
      elapsed = last.plusNanos(real);
    }
    if (eventTime.isAfter(elapsed)) {
      elapsed = eventTime; // input moved event time beyond this rule: count real time from there
    }
    Instant byWall = w.minus(skew);
    last = byWall.isAfter(elapsed) ? byWall : elapsed;
    lastWall = w;
    lastNanos = n;
    return last;
  }
}
