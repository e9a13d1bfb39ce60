package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SourceHealthTest {
  private static final Instant T0 = Instant.parse("2026-09-15T15:00:00Z");

  private final SourceHealth health = new SourceHealth();
  private final AtomicLong syslog = new AtomicLong();

  @Test
  void aListenerWithoutInputIsSilentSinceStartThenReceivingWhenItsCounterGrows() {
    health.live("syslog:squid", syslog::get, T0);
    health.sample(T0.plusSeconds(1));
    assertThat(health.views())
        .containsExactly(new SourceHealth.View("syslog:squid", "silent", null, T0, null));

    syslog.incrementAndGet();
    health.sample(T0.plusSeconds(2));
    assertThat(health.views())
        .containsExactly(
            new SourceHealth.View("syslog:squid", "receiving", T0.plusSeconds(2), null, null));
  }

  @Test
  void aSourceQuietLongerThanTheSilenceWindowIsSilentSinceItsLastInput() {
    health.live("capture:eth1", syslog::get, T0);
    syslog.incrementAndGet();
    health.sample(T0);
    health.sample(T0.plus(SourceHealth.SILENT_AFTER));
    assertThat(health.views().get(0).state()).isEqualTo("receiving");

    health.sample(T0.plus(SourceHealth.SILENT_AFTER).plus(Duration.ofSeconds(1)));
    assertThat(health.views())
        .containsExactly(new SourceHealth.View("capture:eth1", "silent", T0, T0, null));
  }

  @Test
  void aFailedSourceStaysFailingWithItsReasonEvenWhenItsCounterMoves() {
    health.live("capture:eth1", syslog::get, T0);
    health.failed("capture:eth1", "capture.interfaces: cannot capture on 'eth1': no such device");
    syslog.incrementAndGet();
    health.sample(T0.plusSeconds(1));
    assertThat(health.views())
        .containsExactly(
            new SourceHealth.View(
                "capture:eth1",
                "failing",
                null,
                null,
                "capture.interfaces: cannot capture on 'eth1': no such device"));
  }

  @Test
  void aRevivedSourceIsSampledAgainAndReceivesOnlyWhenItsCounterMovesAfterwards() {
    health.live("capture:eth1", syslog::get, T0);
    health.failed("capture:eth1", "The interface went down");
    syslog.incrementAndGet();
    health.revived("capture:eth1");
    health.sample(T0.plusSeconds(1));
    assertThat(health.views())
        .containsExactly(new SourceHealth.View("capture:eth1", "silent", null, T0, null));
    syslog.incrementAndGet();
    health.sample(T0.plusSeconds(2));
    assertThat(health.views())
        .containsExactly(
            new SourceHealth.View("capture:eth1", "receiving", T0.plusSeconds(2), null, null));
  }

  @Test
  void filesReportTheirReplayState() {
    health.batch("files", "replaying", T0);
    health.state("files", "replayed", null);
    assertThat(health.views())
        .containsExactly(new SourceHealth.View("files", "replayed", null, null, null));
  }
}
