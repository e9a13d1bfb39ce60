package org.bellwatch.agent.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.ingest.syslog.SyslogSink;
import org.bellwatch.agent.ingest.tail.LinePosition;
import org.bellwatch.agent.ingest.tail.Mark;
import org.bellwatch.agent.journal.Journal;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's two intake journals (docs/design.md, "Intake journal"): {@code syslog} (records from
 * every listener, numbered in the order they enter the pipeline queue) and {@code capture}
 * (evidence and DHCP facts from live capture, numbered on the pipeline thread). Each is a source of
 * the {@link OffsetLedger} like a tailed file, its position a record number: the store keeps each
 * journal's mark with the events of the records before it, a restart replays the records from the
 * mark, and segments wholly before the stored mark are deleted.
 */
final class IntakeJournals implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IntakeJournals.class);
  static final String PREFIX = "journal:";
  static final String SYSLOG = PREFIX + "syslog";
  static final String CAPTURE = PREFIX + "capture";

  private final Journal syslog;
  private final Journal capture;
  private final BellwatchMeters meters;
  private final Counter captureAccepted;

  private IntakeJournals(Journal syslog, Journal capture, BellwatchMeters meters) {
    this.syslog = syslog;
    this.capture = capture;
    this.meters = meters;
    this.captureAccepted = meters.journalRecordsCounter("capture");
  }

  /** Bytes in both journals' segment files. */
  long bytes() {
    return syslog.bytes() + capture.bytes();
  }

  /**
   * Opens both journals from the marks the store holds ({@code store.sources().offsets(PREFIX)}).
   */
  static IntakeJournals open(
      BellwatchConfig.Store cfg, Map<String, Long> marks, BellwatchMeters meters)
      throws IOException {
    BellwatchConfig.Journal j = cfg.journal();
    Timer fsync = meters.journalFsyncTimer();
    Journal.Listener listener =
        new Journal.Listener() {
          @Override
          public void damaged(String reason) {
            meters.journalDamaged(reason);
            log.warn("intake journal: skipped a damaged record ({})", reason);
          }

          @Override
          public void synced(long nanos) {
            fsync.record(nanos, TimeUnit.NANOSECONDS);
          }
        };
    Path dir = cfg.journalDir();
    Journal s =
        Journal.open(
            dir.resolve("syslog"),
            marks.getOrDefault(SYSLOG, 0L),
            j.fsync(),
            j.segmentBytes(),
            j.maxBytes() / 2,
            j.fsyncInterval().toMillis(),
            listener);
    Journal c;
    try {
      c =
          Journal.open(
              dir.resolve("capture"),
              marks.getOrDefault(CAPTURE, 0L),
              j.fsync(),
              j.segmentBytes(),
              j.maxBytes() / 2,
              j.fsyncInterval().toMillis(),
              listener);
    } catch (IOException e) {
      s.close();
      throw e;
    }
    return new IntakeJournals(s, c, meters);
  }

  /**
   * Where record {@code seq} of journal {@code source} lies, in the terms the ledger uses for
   * lines.
   */
  static LinePosition position(String source, long seq) {
    return new LinePosition(source, new Mark(seq, 0), new Mark(seq + 1, 0));
  }

  /** The sink of syslog listener {@code listener}. */
  SyslogSink syslogSink(String listener, InputQueue inputs) {
    return new SyslogIntake(syslog, SYSLOG, listener, inputs, meters);
  }

  /** Journals live-capture records on the pipeline thread. */
  Pipeline.CaptureJournal captureJournal() {
    return record -> {
      long seq;
      try {
        seq = capture.append(List.of(IntakeCodec.encode(record)), s -> true);
      } catch (IOException e) {
        meters.journalDropped("write_error", 1);
        return null;
      }
      if (seq < 0) {
        meters.journalDropped("max_bytes", 1);
        return null;
      }
      captureAccepted.increment();
      return position(CAPTURE, seq);
    };
  }

  /**
   * Hands the records kept from before this start to the pipeline, capture first (its DHCP facts
   * place the devices that syslog blocks name), each journal in its own order. Pipeline thread,
   * before live input.
   */
  void replay(Pipeline pipeline) {
    long before = capture.toReplay() + syslog.toReplay();
    if (before == 0) {
      return;
    }
    long[] n = new long[2];
    replay(
        capture,
        "capture",
        (seq, record) -> {
          pipeline.onJournaledCapture(record, position(CAPTURE, seq));
          n[0]++;
        });
    replay(
        syslog,
        "syslog",
        (seq, record) -> {
          pipeline.onTailed((org.bellwatch.agent.event.ParsedRecord) record, position(SYSLOG, seq));
          n[1]++;
        });
    meters.journalReplayed("capture", n[0]);
    meters.journalReplayed("syslog", n[1]);
    log.info(
        "intake journal: replayed {} capture and {} syslog records accepted before the last stop",
        n[0],
        n[1]);
  }

  private interface Decoded {
    void accept(long seq, Object record);
  }

  private void replay(Journal journal, String name, Decoded out) {
    try {
      journal.replay(
          (seq, payload) -> {
            try {
              out.accept(seq, IntakeCodec.decode(payload));
            } catch (IntakeCodec.UnreadableException e) {
              meters.journalDamaged("unreadable");
              log.warn("intake journal {}: record {} skipped: {}", name, seq, e.getMessage());
            }
          });
    } catch (IOException e) {
      meters.journalDamaged("unreadable");
      log.error("intake journal {}: cannot read: {}", name, e.getMessage());
    }
  }

  /**
   * Deletes the segments whose records are all before the marks {@code sink} has stored. The
   * store's write of those marks is synced first: a power cut must not leave the journal without
   * records the store has not kept.
   */
  void release(StoreSink sink, EventStore store) {
    Mark s = sink.storedMark(SYSLOG);
    Mark c = sink.storedMark(CAPTURE);
    boolean any =
        s != null && syslog.releasable(s.offset()) || c != null && capture.releasable(c.offset());
    if (!any) {
      return;
    }
    try {
      store.syncWal();
      if (s != null) {
        syslog.release(s.offset());
      }
      if (c != null) {
        capture.release(c.offset());
      }
    } catch (StoreException | IOException e) {
      log.warn("intake journal: cannot delete stored segments yet: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    syslog.close();
    capture.close();
  }
}
