package org.bellwatch.agent.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.config.PerSender;
import org.bellwatch.agent.config.SyslogListener;
import org.bellwatch.agent.testing.SteppedClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SenderRateLimiterTest {
  static final long MS = 1_000_000L;
  final SteppedClock clock = new SteppedClock(Instant.parse("2026-09-15T16:00:00Z"));
  final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  final Logger logger = (Logger) LoggerFactory.getLogger(SenderRateLimiter.class);

  static SyslogListener listener(int rate, int burst) {
    return SyslogServerTest.listener("u", "udp", "127.0.0.0/8", null, null)
        .withPerSender(new PerSender(rate, burst, 32));
  }

  static InetAddress address(String text) throws Exception {
    return InetAddress.getByName(text);
  }

  /** The answers of {@code n} takes in a row, in milliseconds (0: the message may go now). */
  static List<Long> takes(SenderRateLimiter limiter, InetAddress sender, int n) {
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      waits.add(limiter.take(sender) / MS);
    }
    return waits;
  }

  @AfterEach
  void detach() {
    logger.detachAppender(logged);
  }

  @Test
  void aSenderGetsItsBurstAtOnceThenOneMessagePerTokenAsTimePasses() throws Exception {
    SenderRateLimiter limiter = new SenderRateLimiter(listener(10, 3), "dropped", clock);
    InetAddress flooder = address("127.0.0.2");

    assertThat(takes(limiter, flooder, 5)).containsExactly(0L, 0L, 0L, 100L, 100L);
    clock.step(Duration.ofMillis(40));
    assertThat(takes(limiter, flooder, 1))
        .as("0.4 of a token after 40 ms: 60 ms to go")
        .containsExactly(60L);
    clock.step(Duration.ofMillis(60));
    assertThat(takes(limiter, flooder, 2)).containsExactly(0L, 100L);
    clock.step(Duration.ofSeconds(60));
    assertThat(takes(limiter, flooder, 4))
        .as("an idle sender saves up no more than its burst")
        .containsExactly(0L, 0L, 0L, 100L);
  }

  @Test
  void oneSenderOverItsRateLeavesAnotherSendersBucketFull() throws Exception {
    SenderRateLimiter limiter = new SenderRateLimiter(listener(10, 3), "dropped", clock);

    takes(limiter, address("127.0.0.2"), 1000);

    assertThat(takes(limiter, address("127.0.0.1"), 4)).containsExactly(0L, 0L, 0L, 100L);
  }

  @Test
  void aClockSteppedBackRefillsNothingAndOwesNothing() throws Exception {
    SenderRateLimiter limiter = new SenderRateLimiter(listener(10, 1), "dropped", clock);
    InetAddress sender = address("127.0.0.2");
    assertThat(takes(limiter, sender, 2)).containsExactly(0L, 100L);

    clock.step(Duration.ofHours(-1));
    assertThat(takes(limiter, sender, 1)).containsExactly(100L);
    clock.step(Duration.ofMillis(100));
    assertThat(takes(limiter, sender, 2)).containsExactly(0L, 100L);
  }

  @Test
  void aRateOfZeroLimitsNobody() throws Exception {
    SenderRateLimiter limiter = new SenderRateLimiter(listener(0, 1), "dropped", clock);

    assertThat(takes(limiter, address("127.0.0.2"), 100_000)).containsOnly(0L);
    assertThat(limiter.senders()).isZero();
  }

  @Test
  void forgedSourceAddressesNeverGrowTheSenderTablePastItsBound() throws Exception {
    SenderRateLimiter limiter = new SenderRateLimiter(listener(10, 1), "dropped", clock);

    for (int i = 0; i < 3 * SenderRateLimiter.MAX_SENDERS; i++) {
      limiter.take(
          InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}));
    }

    assertThat(limiter.senders()).isEqualTo(SenderRateLimiter.MAX_SENDERS);
  }

  @Test
  void aSenderGoingOverItsRateIsLoggedOncePerEpisodeWithItsAddress() throws Exception {
    logged.start();
    logger.addAppender(logged);
    SenderRateLimiter limiter = new SenderRateLimiter(listener(10, 2), "dropped", clock);
    InetAddress sender = address("127.0.0.2");

    takes(limiter, sender, 50);
    clock.step(Duration.ofSeconds(1));
    takes(limiter, sender, 50);

    assertThat(logged.list)
        .extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                ch.qos.logback.classic.Level.WARN,
                "syslog listener u: sender 127.0.0.2 is"
                    + " over sender_rate_per_sec 10 (sender_burst 2): its messages are dropped until it slows down"),
            org.assertj.core.groups.Tuple.tuple(
                ch.qos.logback.classic.Level.WARN,
                "syslog listener u: sender 127.0.0.2 is"
                    + " over sender_rate_per_sec 10 (sender_burst 2): its messages are dropped until it slows down"));
  }
}
