package org.bellwatch.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RepeatLimiterTest {
  /**
   * A logger of a fresh context behind a limiter of 3 lines a minute on the clock {@code now}, into
   * {@code out}.
   */
  static Logger limitedLogger(String name, AtomicLong now, ListAppender<ILoggingEvent> out) {
    LoggerContext context = new LoggerContext();
    RepeatLimiter limiter = new RepeatLimiter();
    limiter.setAllowedPerWindow(3);
    limiter.setWindowSeconds(60);
    limiter.setNanoTime(now::get);
    limiter.setContext(context);
    limiter.start();
    context.addTurboFilter(limiter);
    out.setContext(context);
    out.start();
    Logger log = context.getLogger(name);
    log.addAppender(out);
    return log;
  }

  @Test
  void linesBelowTheLoggersLevelAreNeitherCountedNorAnnouncedAsSuppressed() {
    // Found while checking a store: 3 s of RocksDB debug lines, none shown, printed one DEBUG
    // "repeated message suppressed" line on the command's standard error.
    AtomicLong now = new AtomicLong();
    ListAppender<ILoggingEvent> out = new ListAppender<>();
    Logger log = limitedLogger("store", now, out);
    log.setLevel(ch.qos.logback.classic.Level.INFO);

    for (int i = 0; i < 10; i++) {
      log.debug("rocksdb: {}", "line " + i);
    }
    log.info("rocksdb: {}", "shown");

    assertThat(out.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("rocksdb: shown");
  }

  @Test
  void aRecurringMessageIsLimitedPerWindowAnnouncedOnceAndShownAgainInTheNextWindow() {
    AtomicLong now = new AtomicLong();
    ListAppender<ILoggingEvent> out = new ListAppender<>();
    Logger log = limitedLogger("capture", now, out);

    for (int i = 0; i < 10; i++) {
      log.error("capture on {} stopped: {}", "eth1", "attempt " + i);
    }
    log.warn("another message");
    now.addAndGet(61_000_000_000L);
    log.error("capture on {} stopped: {}", "eth1", "attempt 10");

    assertThat(out.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "capture on eth1 stopped: attempt 0",
            "capture on eth1 stopped: attempt 1",
            "capture on eth1 stopped: attempt 2",
            "repeated message suppressed for the rest of this 60 s window: capture on {} stopped: {}",
            "another message",
            "capture on eth1 stopped: attempt 10");
  }
}
