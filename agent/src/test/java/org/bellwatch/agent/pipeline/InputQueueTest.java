package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InputQueueTest {
  static final PipelineInput NOTHING = p -> { };

  @Test
  void offersFailWhenFullAndWaitersRunOnceWhenTheQueueIsHalfEmpty() throws Exception {
    InputQueue q = new InputQueue(4);
    for (int i = 0; i < 4; i++) {
      assertThat(q.offer(NOTHING)).isTrue();
    }
    assertThat(q.offer(NOTHING)).isFalse();
    AtomicInteger resumed = new AtomicInteger();
    q.whenSpace(resumed::incrementAndGet);

    q.poll(0, TimeUnit.MILLISECONDS);
    assertThat(resumed).hasValue(0); // 3 of 4: not yet
    q.poll(0, TimeUnit.MILLISECONDS);
    assertThat(resumed).hasValue(1); // 2 of 4: resume
    q.poll(0, TimeUnit.MILLISECONDS);
    assertThat(resumed).hasValue(1); // once only
  }

  @Test
  void aWaiterRegisteredWhenThereIsAlreadyRoomRunsAtOnce() {
    InputQueue q = new InputQueue(4);
    AtomicInteger resumed = new AtomicInteger();

    q.whenSpace(resumed::incrementAndGet);

    assertThat(resumed).hasValue(1);
  }
}
