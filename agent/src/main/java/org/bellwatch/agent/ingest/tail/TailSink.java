package org.bellwatch.agent.ingest.tail;

import org.bellwatch.agent.event.ParsedRecord;

/**
 * Where the tailer hands its output: the pipeline's bounded input queue, seen from the ingest side
 * (ingest never knows the pipeline). Both calls are made from the tailer's thread, in file order,
 * and never block: false means the queue is full, and the tailer offers the same item again on its
 * next pass.
 */
public interface TailSink {
  /** A parsed line and where it lies. */
  boolean record(ParsedRecord record, LinePosition at);

  /**
   * Every line of {@code source} before {@code end} has been handed on (lines with no record
   * included).
   */
  boolean progress(String source, Mark end);
}
