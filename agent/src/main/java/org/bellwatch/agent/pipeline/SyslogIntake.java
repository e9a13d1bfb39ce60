package org.bellwatch.agent.pipeline;

import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.event.ParsedRecord;
import org.bellwatch.agent.ingest.syslog.SyslogSink;
import org.bellwatch.agent.journal.Journal;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One syslog listener's way into the pipeline through the intake journal: the records of a
 * hand-over that can change what is stored ({@link Pipeline#mayChangeEvents}) are written ahead,
 * numbered and queued in one step ({@link Journal#append}); the others are queued as they are. A
 * record counts as accepted ({@code bellwatch_journal_records_total{source="syslog:<listener>"}})
 * once it is in the journal: from then on a crash loses nothing (with {@code journal.fsync: batch},
 * neither does a power cut).
 *
 * <p>When the journal is at its bound or cannot be written, the records still go to the pipeline,
 * and are counted as not journaled by reason: they are then safe only once stored, as before the
 * journal existed.
 */
final class SyslogIntake implements SyslogSink {
  private static final Logger log = LoggerFactory.getLogger(SyslogIntake.class);
  private final Journal journal;
  private final String source;
  private final InputQueue inputs;
  private final BellwatchMeters meters;
  private final Counter accepted;
  private volatile boolean warned;

  SyslogIntake(
      Journal journal, String source, String listener, InputQueue inputs, BellwatchMeters meters) {
    this.journal = journal;
    this.source = source;
    this.inputs = inputs;
    this.meters = meters;
    this.accepted = meters.journalRecordsCounter("syslog:" + listener);
  }

  @Override
  public boolean offer(ParsedRecord record) {
    return offerAll(List.of(record));
  }

  @Override
  public boolean offerAll(List<ParsedRecord> records) {
    List<ParsedRecord> batch = List.copyOf(records);
    boolean[] mask = new boolean[batch.size()];
    List<byte[]> payloads = new ArrayList<>(batch.size());
    for (int i = 0; i < mask.length; i++) {
      if (Pipeline.mayChangeEvents(batch.get(i))) {
        mask[i] = true;
        payloads.add(IntakeCodec.encode(batch.get(i)));
      }
    }
    if (payloads.isEmpty()) {
      return inputs.offer(new PipelineInput.Batch(batch));
    }
    long first;
    try {
      first =
          journal.append(
              payloads, seq -> inputs.offer(new PipelineInput.Journaled(batch, mask, seq, source)));
    } catch (IOException e) {
      meters.journalDropped("write_error", payloads.size());
      warnOnce(
          "cannot write the intake journal: "
              + e.getMessage()
              + "; records go on unjournaled until it works again");
      return true; // queued before the write failed
    }
    if (first == Journal.REFUSED) {
      return false;
    }
    if (first == Journal.FULL) {
      if (!inputs.offer(new PipelineInput.Batch(batch))) {
        return false;
      }
      meters.journalDropped("max_bytes", payloads.size());
      warnOnce(
          "the intake journal holds journal.max_bytes; records go on unjournaled until the store catches up");
      return true;
    }
    warned = false;
    accepted.increment(payloads.size());
    return true;
  }

  private void warnOnce(String message) {
    if (!warned) {
      warned = true;
      log.warn(message);
    }
  }

  @Override
  public void whenSpace(Runnable resume) {
    inputs.whenSpace(resume);
  }
}
