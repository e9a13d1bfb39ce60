package org.bellwatch.agent.pipeline;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.event.ParsedRecord;
import org.bellwatch.agent.ingest.tail.FileTailer;
import org.bellwatch.agent.ingest.tail.LinePosition;
import org.bellwatch.agent.ingest.tail.Mark;
import org.bellwatch.agent.ingest.tail.TailSink;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured log files followed by a {@link FileTailer} on a thread of its own: a pass every
 * {@code logs.poll_interval_ms}, or again at once (after a few milliseconds) while the input queue
 * was too full to take everything. Each file resumes from the mark the store holds for it; its
 * records go to the pipeline's input queue with their file positions, and {@link StoreSink} stores
 * each file's position with the events of the lines before it ({@link OffsetLedger}).
 */
final class TailThread implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TailThread.class);

  /** A file renamed away (no glob names it) is still read this long after its last new line. */
  static final Duration ORPHAN_GRACE = Duration.ofSeconds(5);

  static final long QUEUE_FULL_RETRY_MS = 10;

  /** How long {@link #close} waits for the pass in progress. */
  private static final long JOIN_MILLIS = 10_000;

  private final FileTailer tailer;
  private final BellwatchConfig.Logs cfg;
  private final BellwatchMeters meters;
  private volatile boolean tailing = true;
  private volatile Thread thread;

  private TailThread(
      BellwatchConfig.Logs cfg,
      EventStore store,
      InputQueue inputs,
      BellwatchMeters meters,
      Clock clock) {
    this.cfg = cfg;
    this.meters = meters;
    this.tailer =
        new FileTailer(
            cfg.files(),
            prefix -> checkpoints(store, prefix),
            sink(inputs),
            meters,
            clock,
            ORPHAN_GRACE);
  }

  /** The tailer of {@code logs.files}, or null when none is configured. */
  static TailThread of(
      BellwatchConfig.Logs cfg,
      EventStore store,
      InputQueue inputs,
      BellwatchMeters meters,
      Clock clock) {
    return cfg.files().isEmpty() ? null : new TailThread(cfg, store, inputs, meters, clock);
  }

  void start() {
    Thread t = new Thread(this::run, "tail");
    t.setDaemon(true);
    thread = t;
    t.start();
    log.info("following {}", cfg.files().stream().map(f -> f.path().toString()).toList());
  }

  private void run() {
    long pollMillis = cfg.pollInterval().toMillis();
    try {
      while (tailing) {
        boolean complete;
        try {
          complete = tailer.poll();
        } catch (RuntimeException e) {
          meters.sourceError("tail");
          log.error("file tailing failed; trying again", e);
          complete = true;
        }
        Thread.sleep(complete ? pollMillis : QUEUE_FULL_RETRY_MS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      tailer.close();
    }
  }

  /** Stops after the pass in progress (waiting for it); the tailer's files are closed. */
  @Override
  public void close() {
    tailing = false;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(JOIN_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Stored marks of tailed files: each source's offset and, under the id plus a suffix, its check.
   */
  private static Map<String, Mark> checkpoints(EventStore store, String prefix) throws IOException {
    Map<String, Long> raw;
    try {
      raw = store.sources().offsets(prefix);
    } catch (StoreException e) {
      throw new IOException(e.getMessage(), e);
    }
    Map<String, Mark> marks = new HashMap<>();
    raw.forEach(
        (k, v) -> {
          if (!k.endsWith(StoreSink.CHECK_SUFFIX)) {
            Long check = raw.get(k + StoreSink.CHECK_SUFFIX);
            marks.put(k, new Mark(v, check == null ? 0 : check));
          }
        });
    return marks;
  }

  private static TailSink sink(InputQueue inputs) {
    return new TailSink() {
      @Override
      public boolean record(ParsedRecord record, LinePosition at) {
        return inputs.offer(new PipelineInput.Tailed(record, at));
      }

      @Override
      public boolean progress(String source, Mark end) {
        return inputs.offer(new PipelineInput.TailProgress(source, end));
      }
    };
  }
}
