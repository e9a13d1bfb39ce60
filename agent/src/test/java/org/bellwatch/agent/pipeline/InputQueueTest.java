package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bellwatch.agent.net.IpLiteral;
import org.bellwatch.agent.parse.LeaseObservation;
import org.junit.jupiter.api.Test;

class InputQueueTest {
  static final PipelineInput NOTHING = p -> { };
  static final LeaseObservation LEASE = new LeaseObservation(Instant.parse("2026-09-15T14:30:00Z"),
      IpLiteral.parse("10.0.1.20"), "02:00:5e:10:01:07", "RM101-CB07", LeaseObservation.Kind.ACK, null, "isc_dhcpd",
      "line");

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
  void aBatchTakesAsMuchRoomAsItHasRecordsAndIsTakenWholeOrNotAtAll() throws Exception {
    InputQueue q = new InputQueue(4);
    PipelineInput three = new PipelineInput.Batch(List.of(LEASE, LEASE, LEASE));
    assertThat(q.offer(three)).isTrue();
    assertThat(q.size()).isEqualTo(3);

    assertThat(q.offer(new PipelineInput.Batch(List.of(LEASE, LEASE)))).isFalse();
    assertThat(q.size()).isEqualTo(3);
    assertThat(q.offer(NOTHING)).isTrue();
    assertThat(q.offer(NOTHING)).isFalse();

    assertThat(q.poll(0, TimeUnit.MILLISECONDS)).isSameAs(three);
    assertThat(q.size()).isEqualTo(1);
  }

  @Test
  void aWaiterRegisteredWhenThereIsAlreadyRoomRunsAtOnce() {
    InputQueue q = new InputQueue(4);
    AtomicInteger resumed = new AtomicInteger();

    q.whenSpace(resumed::incrementAndGet);

    assertThat(resumed).hasValue(1);
  }

  @Test
  void anIdleConsumerIsWokenByTheFirstOffer() throws Exception {
    InputQueue q = new InputQueue(64, TimeUnit.SECONDS.toNanos(30));
    CompletableFuture<PipelineInput> taken = takeInBackground(q);
    Thread.sleep(100); // let it go to sleep

    q.offer(NOTHING);

    assertThat(taken.get(5, TimeUnit.SECONDS)).isSameAs(NOTHING);
  }

  @Test
  void aConsumerNappingAfterWorkIsLeftAloneBySmallOffersButWokenByAQuarterOfTheCapacity() throws Exception {
    InputQueue q = new InputQueue(8, TimeUnit.SECONDS.toNanos(30));
    PipelineInput first = p -> { };
    PipelineInput second = p -> { };
    q.offer(first);
    CompletableFuture<List<PipelineInput>> taken = CompletableFuture.supplyAsync(() -> {
      try {
        return List.of(q.poll(60, TimeUnit.SECONDS), q.poll(60, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(100); // it took the first and now naps

    q.offer(second);
    Thread.sleep(200);
    assertThat(taken).isNotDone(); // one record of eight: the nap goes on
    q.offer(NOTHING);

    assertThat(taken.get(5, TimeUnit.SECONDS)).containsExactly(first, second); // two of eight: woken
  }

  @Test
  void aPollThatTimesOutReturnsNullAfterItsTimeout() throws Exception {
    InputQueue q = new InputQueue(8);
    long t0 = System.nanoTime();

    assertThat(q.poll(50, TimeUnit.MILLISECONDS)).isNull();

    assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
  }

  @Test
  void anInterruptedConsumerStopsWaiting() {
    InputQueue q = new InputQueue(8);
    Thread.currentThread().interrupt();

    assertThatThrownBy(() -> q.poll(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
  }

  private static CompletableFuture<PipelineInput> takeInBackground(InputQueue q) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return q.poll(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }
}
