package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.LeaseObservation;
import org.junit.jupiter.api.Test;

class InputQueueTest {
  static final PipelineInput NOTHING = p -> {};
  static final LeaseObservation LEASE =
      new LeaseObservation(
          Instant.parse("2026-09-15T14:30:00Z"),
          AddressText.parseIp("10.0.1.20"),
          "02:00:5e:10:01:07",
          "RM101-CB07",
          LeaseObservation.Kind.ACK,
          null,
          "isc_dhcpd",
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
    Consumer consumer = new Consumer(q, 1);
    consumer.awaitParked();

    q.offer(NOTHING);

    assertThat(consumer.taken.get(5, TimeUnit.SECONDS)).containsExactly(NOTHING);
  }

  @Test
  void aConsumerNappingAfterWorkIsLeftAloneBySmallOffersButWokenByAQuarterOfTheCapacity()
      throws Exception {
    InputQueue q = new InputQueue(8, TimeUnit.SECONDS.toNanos(30));
    PipelineInput first = p -> {};
    PipelineInput second = p -> {};
    q.offer(first);
    Consumer consumer = new Consumer(q, 2);
    consumer.awaitParked(); // it took the first and now naps (30 s)

    q.offer(second);
    // One record of eight: the nap goes on. Nothing else could end it within the 30 s nap, so a
    // short watch
    // tells a wake-up apart from none.
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !consumer.taken.isDone() && LockSupport.getBlocker(consumer.thread) == q);
    q.offer(NOTHING);

    assertThat(consumer.taken.get(5, TimeUnit.SECONDS))
        .containsExactly(first, second); // two of eight: woken
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

  /**
   * The pipeline's side in a thread of its own: takes {@code n} inputs, then completes {@link
   * #taken}.
   */
  private static final class Consumer {
    final CompletableFuture<List<PipelineInput>> taken = new CompletableFuture<>();
    final Thread thread;
    private final InputQueue q;

    Consumer(InputQueue q, int n) {
      this.q = q;
      this.thread =
          new Thread(
              () -> {
                try {
                  List<PipelineInput> got = new java.util.ArrayList<>();
                  for (int i = 0; i < n; i++) {
                    got.add(q.poll(60, TimeUnit.SECONDS));
                  }
                  taken.complete(got);
                } catch (InterruptedException e) {
                  taken.completeExceptionally(e);
                }
              },
              "input-queue-test-consumer");
      thread.setDaemon(true);
      thread.start();
    }

    /**
     * Waits until the consumer is parked inside {@link InputQueue#poll} (napping or sleeping, not
     * running).
     */
    void awaitParked() {
      await("the consumer parked in poll")
          .atMost(Duration.ofSeconds(10))
          .until(() -> LockSupport.getBlocker(thread) == q);
    }
  }
}
