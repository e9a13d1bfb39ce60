package org.bellwatch.agent.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The frame bound on an embedded channel whose clock the test steps. */
class FrameDeadlineTest {
  static final long BOUND_SECS = 30;

  final List<String> events = new ArrayList<>();
  EmbeddedChannel ch;

  @BeforeEach
  void open() {
    SyslogFrameDecoder frames = new SyslogFrameDecoder(4096, () -> events.add("oversize"));
    ch = new EmbeddedChannel();
    ch.freezeTime();
    ch.pipeline()
        .addLast(
            frames,
            new FrameDeadline(
                TimeUnit.SECONDS.toNanos(BOUND_SECS),
                frames::midFrame,
                () -> events.add("slow"),
                () -> events.add("frame")));
  }

  void send(String bytes) {
    ch.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.UTF_8));
  }

  void step(long secs) {
    ch.advanceTimeBy(secs, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
  }

  @Test
  void aFrameTrickledInOverMoreThanTheBoundIsClosedAsSlow() {
    send("<14>squid: 1789");
    for (int i = 0; i < 9; i++) {
      step(3);
      send("0");
    }
    assertThat(ch.isOpen()).as("27 s into the frame").isTrue();
    step(3);
    assertThat(ch.isOpen()).as("30 s into the frame").isFalse();
    assertThat(events).containsExactly("slow");
  }

  @Test
  void aBusySenderWhoseReadsEndMidFrameIsNeverClosed() {
    // Each read completes the previous frame and starts the next: always something buffered, never
    // slow.
    send("<14>first ");
    for (int i = 0; i < 20; i++) {
      step(10);
      send("end\n<14>next ");
    }
    assertThat(ch.isOpen()).isTrue();
    assertThat(events).hasSize(20).containsOnly("frame");
  }

  @Test
  void silenceBetweenWholeFramesIsNotSlowness() {
    send("<14>one\n");
    step(3600);
    send("<14>two\n");
    step(3600);
    assertThat(ch.isOpen()).isTrue();
    assertThat(events).containsExactly("frame", "frame");
  }

  @Test
  void aTrickledOversizeFrameIsClosedAsSlowToo() {
    send("99999 <14>");
    step(BOUND_SECS);
    assertThat(ch.isOpen()).isFalse();
    assertThat(events).containsExactly("oversize", "slow");
  }

  @Test
  void theBoundWaitsWhileTheAgentItselfHasStoppedReading() {
    send("<14>half");
    ch.config().setAutoRead(false);
    step(BOUND_SECS);
    assertThat(ch.isOpen()).as("paused by the agent: not the sender's fault").isTrue();
    ch.config().setAutoRead(true);
    step(BOUND_SECS - 1);
    assertThat(ch.isOpen()).isTrue();
    step(1);
    assertThat(ch.isOpen()).isFalse();
    assertThat(events).containsExactly("slow");
  }
}
