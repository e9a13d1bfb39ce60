package org.bellwatch.agent.pipeline;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The one bounded queue between live sources and the single pipeline thread. Producers never block:
 * {@link #offer} fails when the queue is full, and each source decides what that means (capture and UDP
 * syslog drop and count; TCP syslog stops reading and asks {@link #whenSpace} to be told when to resume).
 *
 * <p>Waiters run once the queue is at most half full (hysteresis: resuming at the first free slot would
 * flap between paused and reading on every item). A waiter registered when there is already room runs
 * at once, so a waiter can never be stranded by a consumer that drained the queue just before.
 */
public final class InputQueue {
  private final ArrayBlockingQueue<PipelineInput> queue;
  private final int resumeAt;
  private final ConcurrentLinkedQueue<Runnable> waiters = new ConcurrentLinkedQueue<>();

  public InputQueue(int capacity) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.resumeAt = capacity / 2;
  }

  /** Enqueues without blocking; false when full. Any thread. */
  public boolean offer(PipelineInput input) {
    return queue.offer(input);
  }

  /** Runs {@code task} once when the queue is at most half full; any thread, and it must be short. */
  public void whenSpace(Runnable task) {
    waiters.add(task);
    if (queue.size() <= resumeAt) {
      wake();
    }
  }

  /** The next input, or null after {@code timeout}; the pipeline thread only. */
  public PipelineInput poll(long timeout, TimeUnit unit) throws InterruptedException {
    PipelineInput in = queue.poll(timeout, unit);
    if (!waiters.isEmpty() && queue.size() <= resumeAt) {
      wake();
    }
    return in;
  }

  public int size() {
    return queue.size();
  }

  private void wake() {
    Runnable r;
    while ((r = waiters.poll()) != null) {
      r.run();
    }
  }
}
