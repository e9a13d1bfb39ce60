package org.bellwatch.agent.ingest.syslog;

import java.net.InetAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bellwatch.agent.config.SyslogListener;
import org.bellwatch.agent.util.LruMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One token bucket per sender address of a listener ({@code sender_rate_per_sec}, {@code
 * sender_burst}), so that one sender flooding the listener cannot take the pipeline queue from the
 * others. Shared by every channel of the listener (all its UDP sockets, all its TCP connections),
 * hence synchronized.
 *
 * <p>The table of senders is bounded ({@link #MAX_SENDERS}, least recently seen evicted): UDP
 * source addresses can be forged, and a flood of forged addresses must not grow memory. An evicted
 * sender comes back with a full bucket, so forged addresses also get past the limit; the allowlist
 * is the defence against those (docs/security.md).
 */
final class SenderRateLimiter {
  private static final Logger log = LoggerFactory.getLogger(SenderRateLimiter.class);
  static final int MAX_SENDERS = 4096;

  private final String listener;
  private final String consequence;
  private final double ratePerMilli;
  private final double burst;
  private final Clock clock;
  private final Map<InetAddress, Bucket> buckets = new LruMap<>(MAX_SENDERS);

  private static final class Bucket {
    double tokens;
    long lastMillis;

    /** Over its rate since the last time it was granted a message: logged once per such episode. */
    boolean limited;

    Bucket(double tokens, long lastMillis) {
      this.tokens = tokens;
      this.lastMillis = lastMillis;
    }
  }

  /**
   * @param consequence what happens to a limited sender's messages, for the log: "dropped" or
   *     "delayed"
   */
  SenderRateLimiter(SyslogListener cfg, String consequence, Clock clock) {
    this.listener = cfg.name();
    this.consequence = consequence;
    this.ratePerMilli = cfg.perSender().ratePerSec() / 1000.0;
    this.burst = cfg.perSender().burst();
    this.clock = clock;
  }

  /**
   * Takes one message's token for {@code sender}: 0 when the message may go now, else the
   * nanoseconds until the sender's next token (never less than a millisecond, the clock's
   * resolution).
   */
  long take(InetAddress sender) {
    if (ratePerMilli == 0) {
      return 0;
    }
    long now = clock.millis();
    boolean newlyLimited;
    long wait;
    synchronized (buckets) {
      Bucket b = buckets.computeIfAbsent(sender, k -> new Bucket(burst, now));
      // A clock stepped back refills nothing and does not owe anything either.
      if (now > b.lastMillis) {
        b.tokens = Math.min(burst, b.tokens + (now - b.lastMillis) * ratePerMilli);
      }
      b.lastMillis = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        b.limited = false;
        return 0;
      }
      newlyLimited = !b.limited;
      b.limited = true;
      wait = Math.max(1, (long) Math.ceil((1 - b.tokens) / ratePerMilli));
    }
    if (newlyLimited) {
      // The RepeatLimiter turbo filter caps this line per minute however many senders are limited.
      log.warn(
          "syslog listener {}: sender {} is over sender_rate_per_sec {} (sender_burst {}): its messages are {}"
              + " until it slows down",
          listener,
          sender.getHostAddress(),
          Math.round(ratePerMilli * 1000),
          Math.round(burst),
          consequence);
    }
    return TimeUnit.MILLISECONDS.toNanos(wait);
  }

  /** Senders in the table now, at most {@link #MAX_SENDERS}. */
  int senders() {
    synchronized (buckets) {
      return buckets.size();
    }
  }
}
