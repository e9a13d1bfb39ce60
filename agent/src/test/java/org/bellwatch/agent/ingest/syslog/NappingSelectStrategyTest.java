package org.bellwatch.agent.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.SelectStrategy;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The strategy's decisions, with its nap counted (not timed) through the injected napper. */
class NappingSelectStrategyTest {
  /** What successive non-blocking selects report ready. */
  private final ArrayDeque<Integer> ready = new ArrayDeque<>();

  private int naps;
  private final NappingSelectStrategy strategy = new NappingSelectStrategy(() -> naps++);

  private int next(boolean hasTasks) throws Exception {
    return strategy.calculateStrategy(ready::pop, hasTasks);
  }

  @Test
  void readySocketsAreHandledAtOnceAndALoopThatFindsNothingNapsOnceThenBlocks() throws Exception {
    ready.addAll(List.of(3, 0, 0, 2, 0));

    assertThat(next(false)).isEqualTo(3);
    assertThat(naps).isZero();
    assertThat(next(false)).isEqualTo(SelectStrategy.CONTINUE);
    assertThat(naps).isEqualTo(1);
    assertThat(next(false)).isEqualTo(SelectStrategy.SELECT);
    assertThat(naps).isEqualTo(1);
    // Woken from the blocking select: the next empty pass naps again before blocking.
    assertThat(next(false)).isEqualTo(2);
    assertThat(next(false)).isEqualTo(SelectStrategy.CONTINUE);
    assertThat(naps).isEqualTo(2);
    assertThat(ready).isEmpty();
  }

  @Test
  void aLoopWithTasksNeverNapsOrBlocks() throws Exception {
    ready.addAll(List.of(0, 0, 0));

    assertThat(List.of(next(true), next(true), next(true))).containsExactly(0, 0, 0);

    assertThat(naps).isZero();
  }

  @Test
  void theNapLastsAtLeastItsLength() {
    long t0 = System.nanoTime();

    NappingSelectStrategy.nap();

    // A lower bound only: a loaded machine can make the nap longer, never shorter.
    assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(NappingSelectStrategy.NAP_NANOS);
  }
}
