package org.bellwatch.agent.pipeline;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The one bounded queue between live sources and the single pipeline thread. Producers never block:
 * {@link #offer} fails when the queue is full, and each source decides what that means (capture and
 * UDP syslog drop and count; TCP syslog stops reading and asks {@link #whenSpace} to be told when
 * to resume).
 *
 * <p>The capacity counts records, not items: a {@link PipelineInput.Batch} of UDP syslog records
 * weighs as many records as it holds, so batching changes how often producer and consumer meet, not
 * how much may wait. A batch is taken whole or not at all.
 *
 * <p>Waking the consumer is the costly part of a hand-over (a futex call for the producer, a
 * context switch for the consumer; several microseconds each in a virtual machine, more than
 * parsing a line: docs/benchmarks.md, "Syslog ingest", fourth round), so the consumer wakes once
 * per {@link #NAP_NANOS} under load instead of once per input: after it has emptied the queue of
 * work it naps for that long, and producers leave a napping consumer alone unless the backlog
 * reaches a quarter of the capacity. Only an idle consumer (one whose last nap brought nothing)
 * sleeps until the next input or its timeout. Inputs thus wait at most about a nap longer.
 *
 * <p>Waiters run once the queue is at most half full (hysteresis: resuming at the first free slot
 * would flap between paused and reading on every item). A waiter registered when there is already
 * room runs at once, so a waiter can never be stranded by a consumer that drained the queue just
 * before.
 */
public final class InputQueue {
  /**
   * The consumer's nap under load: 0.5 ms holds a few hundred records at full syslog or capture
   * rates.
   */
  static final long NAP_NANOS = 500_000;

  private static final int RUNNING = 0;

  /** Napping: producers wake the consumer only when the backlog reaches {@link #wakeAt}. */
  private static final int NAPPING = 1;

  /** Sleeping until the next input: any producer wakes it. */
  private static final int SLEEPING = 2;

  private final ConcurrentLinkedQueue<PipelineInput> queue = new ConcurrentLinkedQueue<>();
  private final int capacity;
  private final int resumeAt;
  private final int wakeAt;
  private final long napNanos;

  /**
   * Records waiting; every item weighs at least one, so the item queue is bounded by the capacity
   * too.
   */
  private final AtomicInteger records = new AtomicInteger();

  private final ConcurrentLinkedQueue<Runnable> waiters = new ConcurrentLinkedQueue<>();
  private final AtomicInteger state = new AtomicInteger(RUNNING);
  private volatile Thread consumer;

  /** The consumer took an input since it last went to sleep (consumer thread only). */
  private boolean worked;

  public InputQueue(int capacity) {
    this(capacity, NAP_NANOS);
  }

  InputQueue(int capacity, long napNanos) {
    this.capacity = capacity;
    this.resumeAt = capacity / 2;
    this.wakeAt = Math.max(1, capacity / 4);
    this.napNanos = napNanos;
  }

  /** Enqueues without blocking; false when its records do not all fit. Any thread. */
  public boolean offer(PipelineInput input) {
    int weight = input.records();
    int now = records.addAndGet(weight);
    if (now > capacity) {
      records.addAndGet(-weight);
      return false;
    }
    queue.add(input);
    // Read after the add (both are volatile accesses): a consumer that announced sleep before the
    // add is
    // woken here, and one that announced it after sees the input when it checks the queue again.
    int s = state.get();
    if (s == SLEEPING || s == NAPPING && now >= wakeAt) {
      wake();
    }
    return true;
  }

  /**
   * Runs {@code task} once when the queue is at most half full; any thread, and it must be short.
   */
  public void whenSpace(Runnable task) {
    waiters.add(task);
    if (records.get() <= resumeAt) {
      runWaiters();
    }
  }

  /** The next input, or null after {@code timeout}; the pipeline thread only. */
  public PipelineInput poll(long timeout, TimeUnit unit) throws InterruptedException {
    if (consumer == null) {
      consumer = Thread.currentThread();
    }
    PipelineInput in = queue.poll();
    if (in != null) {
      // Under load most polls end here, without reading the clock.
      return taken(in);
    }
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      boolean nap = worked;
      worked = false;
      state.set(nap ? NAPPING : SLEEPING);
      if (queue.isEmpty()) {
        LockSupport.parkNanos(this, nap ? Math.min(left, napNanos) : left);
      }
      state.set(RUNNING);
      in = queue.poll();
      if (in != null) {
        return taken(in);
      }
    }
  }

  private PipelineInput taken(PipelineInput in) {
    worked = true;
    if (records.addAndGet(-in.records()) <= resumeAt && !waiters.isEmpty()) {
      runWaiters();
    }
    return in;
  }

  /** Records waiting (a batch counts each of its records). */
  public int size() {
    return records.get();
  }

  private void wake() {
    Thread t = consumer;
    if (state.getAndSet(RUNNING) != RUNNING && t != null) {
      LockSupport.unpark(t);
    }
  }

  private void runWaiters() {
    Runnable r;
    while ((r = waiters.poll()) != null) {
      r.run();
    }
  }
}
