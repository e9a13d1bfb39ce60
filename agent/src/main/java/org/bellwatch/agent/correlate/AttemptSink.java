package org.bellwatch.agent.correlate;

import java.util.List;
import java.util.function.Consumer;
import org.bellwatch.agent.event.BlockEvent;

/** What the correlator gives out, on the pipeline thread. */
public interface AttemptSink {
  /** A new attempt, attributed from {@code evidence} (time order). */
  void emitted(List<BlockEvidence> evidence, BlockEvent event);

  /**
   * {@code added} joined an attempt given out before as {@code before}: the attempt, attributed
   * again from all its {@code evidence}, is now {@code after}, which replaces {@code before} (its
   * time, source and method, and so its store key, may differ).
   */
  void merged(
      BlockEvent before, BlockEvidence added, List<BlockEvidence> evidence, BlockEvent after);

  /**
   * {@code e} repeats a record its attempt already holds and adds nothing; {@code attributed}: that
   * attempt had been given out already.
   */
  default void repeated(BlockEvidence e, boolean attributed) {}

  /**
   * {@code e} is older than the late-evidence window and no attempt was found for it: it becomes an
   * attempt of its own.
   */
  default void lateUnmatched(BlockEvidence e) {}

  /**
   * An attempt given out left the correlator's memory: later evidence can reach it only through the
   * store.
   */
  default void settled(BlockEvent event) {}

  /**
   * A sink that hands on each event once it has settled, in its final form (a file written as the
   * input is read, where an event written cannot be taken back).
   */
  static AttemptSink settledTo(Consumer<BlockEvent> out) {
    return new AttemptSink() {
      @Override
      public void emitted(List<BlockEvidence> evidence, BlockEvent event) {}

      @Override
      public void merged(
          BlockEvent before, BlockEvidence added, List<BlockEvidence> evidence, BlockEvent after) {}

      @Override
      public void settled(BlockEvent event) {
        out.accept(event);
      }
    };
  }
}
