package org.bellwatch.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RepeatLimiterTest {
  @Test
  void aRecurringMessageIsLimitedPerWindowAnnouncedOnceAndShownAgainInTheNextWindow() {
    LoggerContext context = new LoggerContext();
    AtomicLong now = new AtomicLong();
    RepeatLimiter limiter = new RepeatLimiter();
    limiter.setAllowedPerWindow(3);
    limiter.setWindowSeconds(60);
    limiter.setNanoTime(now::get);
    limiter.setContext(context);
    limiter.start();
    context.addTurboFilter(limiter);
    ListAppender<ILoggingEvent> out = new ListAppender<>();
    out.setContext(context);
    out.start();
    Logger log = context.getLogger("capture");
    log.addAppender(out);

    for (int i = 0; i < 10; i++) {
      log.error("capture on {} stopped: {}", "eth1", "attempt " + i);
    }
    log.warn("another message");
    now.addAndGet(61_000_000_000L);
    log.error("capture on {} stopped: {}", "eth1", "attempt 10");

    assertThat(out.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
        "capture on eth1 stopped: attempt 0", "capture on eth1 stopped: attempt 1",
        "capture on eth1 stopped: attempt 2",
        "repeated message suppressed for the rest of this 60 s window: capture on {} stopped: {}",
        "another message", "capture on eth1 stopped: attempt 10");
  }
}
