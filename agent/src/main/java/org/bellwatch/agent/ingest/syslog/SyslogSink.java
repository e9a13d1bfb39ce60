package org.bellwatch.agent.ingest.syslog;

import java.util.List;
import org.bellwatch.agent.event.ParsedRecord;

/**
 * Where listeners hand their records: the pipeline's bounded input queue, seen from the ingest side
 * (ingest never knows the pipeline). Both methods are called from Netty event-loop threads.
 */
public interface SyslogSink {
  /** Enqueues without blocking; false when the queue is full. */
  boolean offer(ParsedRecord record);

  /**
   * Enqueues the records of one UDP read burst, in order, without blocking: all of them, or none
   * and false when they do not all fit. The list is the caller's to reuse once this returns.
   */
  boolean offerAll(List<ParsedRecord> records);

  /**
   * Runs {@code resume} once, on any thread, as soon as the queue has room again (at once if it has
   * room now). It must be short: listeners pass a task that hops back to their own event loop.
   */
  void whenSpace(Runnable resume);
}
