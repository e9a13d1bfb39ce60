package org.bellwatch.agent.pipeline;

import java.util.List;
import org.bellwatch.agent.event.ParsedRecord;
import org.bellwatch.agent.ingest.syslog.SyslogSink;

/**
 * A syslog listener's sink with {@code journal.enabled: false}: records go straight to the
 * pipeline's input queue (with the journal on, {@link SyslogIntake} writes them ahead first).
 */
final class QueuedSyslog implements SyslogSink {
  private final InputQueue inputs;

  QueuedSyslog(InputQueue inputs) {
    this.inputs = inputs;
  }

  @Override
  public boolean offer(ParsedRecord record) {
    return inputs.offer(new PipelineInput.Parsed(record));
  }

  @Override
  public boolean offerAll(List<ParsedRecord> records) {
    return inputs.offer(new PipelineInput.Batch(List.copyOf(records)));
  }

  @Override
  public void whenSpace(Runnable resume) {
    inputs.whenSpace(resume);
  }
}
