package org.bellwatch.agent.util;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A task run on a daemon thread of its own, at start and then every interval after the previous run
 * ended (a slow run never overlaps the next). The task handles its own failures: one that throws
 * stops the schedule, as {@link ScheduledExecutorService} does.
 */
public final class PeriodicTask implements AutoCloseable {
  /** How long {@link #close} waits for a run in progress. */
  private static final long STOP_SECONDS = 30;

  private final Duration every;
  private final Runnable task;
  private final ScheduledExecutorService thread;

  public PeriodicTask(String threadName, Duration every, Runnable task) {
    this.every = every;
    this.task = task;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
  }

  public void start() {
    thread.scheduleWithFixedDelay(task, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops the schedule, waiting for a run in progress. */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(STOP_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
