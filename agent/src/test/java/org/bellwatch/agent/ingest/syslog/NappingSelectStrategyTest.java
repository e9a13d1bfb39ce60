package org.bellwatch.agent.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.SelectStrategy;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NappingSelectStrategyTest {
  /** What successive non-blocking selects report ready. */
  private final ArrayDeque<Integer> ready = new ArrayDeque<>();
  private final NappingSelectStrategy strategy = new NappingSelectStrategy();

  private int next(boolean hasTasks) throws Exception {
    return strategy.calculateStrategy(ready::pop, hasTasks);
  }

  @Test
  void readySocketsAreHandledAtOnceAndALoopThatFindsNothingNapsOnceThenBlocks() throws Exception {
    ready.addAll(List.of(3, 0, 0, 2, 0));

    assertThat(next(false)).isEqualTo(3);
    long t0 = System.nanoTime();
    assertThat(next(false)).isEqualTo(SelectStrategy.CONTINUE);
    assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(NappingSelectStrategy.NAP_NANOS);
    assertThat(next(false)).isEqualTo(SelectStrategy.SELECT);
    // Woken from the blocking select: the next empty pass naps again before blocking.
    assertThat(next(false)).isEqualTo(2);
    assertThat(next(false)).isEqualTo(SelectStrategy.CONTINUE);
    assertThat(ready).isEmpty();
  }

  @Test
  void aLoopWithTasksNeverNapsOrBlocks() throws Exception {
    ready.addAll(List.of(0, 0, 0));
    long t0 = System.nanoTime();

    assertThat(List.of(next(true), next(true), next(true))).containsExactly(0, 0, 0);

    assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
  }
}
