package org.bellwatch.agent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import java.util.function.LongSupplier;
import org.bellwatch.agent.util.LruMap;
import org.slf4j.Marker;

/**
 * Rate-limits repeated log lines: at most {@code allowedPerWindow} lines of one message template
 * (the format string, so "capture on {} stopped: {}" is one template whatever its arguments) per
 * window; the rest of that window is dropped, and the first dropped line is replaced by one line
 * saying so. An appliance left alone for months must not fill its journal with one recurring error,
 * yet the error must reappear every window while it lasts.
 */
public final class RepeatLimiter extends TurboFilter {
  private static final int MAX_TEMPLATES = 1000;

  private int allowedPerWindow = 10;
  private long windowNanos = 60_000_000_000L;
  private LongSupplier nanoTime = System::nanoTime;
  private final Map<String, long[]> seen = new LruMap<>(MAX_TEMPLATES);

  /** Logback configuration: {@code <AllowedPerWindow>10</AllowedPerWindow>}. */
  public void setAllowedPerWindow(int n) {
    this.allowedPerWindow = n;
  }

  /** Logback configuration: {@code <WindowSeconds>60</WindowSeconds>}. */
  public void setWindowSeconds(long seconds) {
    this.windowNanos = seconds * 1_000_000_000L;
  }

  /** For tests: the time source. */
  void setNanoTime(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (format == null || !isStarted()) {
      return FilterReply.NEUTRAL;
    }
    if (level != null && !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
      // Turbo filters run before the level check: a line below the logger's level is not counted,
      // and
      // must not bring on a "suppressed" line of its own.
      return FilterReply.NEUTRAL;
    }
    long now = nanoTime.getAsLong();
    boolean announce;
    synchronized (seen) {
      // Entry: window start, count in window.
      long[] e =
          seen.computeIfAbsent(logger.getName() + '\u0000' + format, k -> new long[] {now, 0});
      if (now - e[0] >= windowNanos) {
        e[0] = now;
        e[1] = 0;
      }
      e[1]++;
      if (e[1] <= allowedPerWindow) {
        return FilterReply.NEUTRAL;
      }
      announce = e[1] == allowedPerWindow + 1;
    }
    if (announce) {
      // Logged directly to the appenders of this logger, past the turbo filters, so it is not
      // counted.
      logger.callAppenders(
          new ch.qos.logback.classic.spi.LoggingEvent(
              Logger.FQCN,
              logger,
              level,
              "repeated message suppressed for the rest of this "
                  + windowNanos / 1_000_000_000L
                  + " s window: "
                  + format,
              null,
              null));
    }
    return FilterReply.DENY;
  }
}
