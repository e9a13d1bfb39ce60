package org.bellwatch.agent.pipeline;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one bounded queue between live sources and the single pipeline thread. Producers never block:
 * {@link #offer} fails when the queue is full, and each source decides what that means (capture and UDP
 * syslog drop and count; TCP syslog stops reading and asks {@link #whenSpace} to be told when to resume).
 *
 * <p>The capacity counts records, not items: a {@link PipelineInput.Batch} of UDP syslog records weighs
 * as many records as it holds, so batching changes how often producer and consumer meet (one lock and
 * at most one wake-up per batch instead of per record), not how much may wait. A batch is taken whole
 * or not at all.
 *
 * <p>Waiters run once the queue is at most half full (hysteresis: resuming at the first free slot would
 * flap between paused and reading on every item). A waiter registered when there is already room runs
 * at once, so a waiter can never be stranded by a consumer that drained the queue just before.
 */
public final class InputQueue {
  private final ArrayBlockingQueue<PipelineInput> queue;
  private final int capacity;
  private final int resumeAt;
  /** Records waiting; every item weighs at least one, so the item queue itself never refuses. */
  private final AtomicInteger records = new AtomicInteger();
  private final ConcurrentLinkedQueue<Runnable> waiters = new ConcurrentLinkedQueue<>();

  public InputQueue(int capacity) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.capacity = capacity;
    this.resumeAt = capacity / 2;
  }

  /** Enqueues without blocking; false when its records do not all fit. Any thread. */
  public boolean offer(PipelineInput input) {
    int weight = input.records();
    if (records.addAndGet(weight) > capacity) {
      records.addAndGet(-weight);
      return false;
    }
    queue.add(input);
    return true;
  }

  /** Runs {@code task} once when the queue is at most half full; any thread, and it must be short. */
  public void whenSpace(Runnable task) {
    waiters.add(task);
    if (records.get() <= resumeAt) {
      wake();
    }
  }

  /** The next input, or null after {@code timeout}; the pipeline thread only. */
  public PipelineInput poll(long timeout, TimeUnit unit) throws InterruptedException {
    PipelineInput in = queue.poll(timeout, unit);
    if (in != null) {
      records.addAndGet(-in.records());
    }
    if (!waiters.isEmpty() && records.get() <= resumeAt) {
      wake();
    }
    return in;
  }

  /** Records waiting (a batch counts each of its records). */
  public int size() {
    return records.get();
  }

  private void wake() {
    Runnable r;
    while ((r = waiters.poll()) != null) {
      r.run();
    }
  }
}
