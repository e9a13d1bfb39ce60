package org.bellwatch.agent.pipeline;

import java.util.List;
import org.bellwatch.agent.event.ParsedRecord;
import org.bellwatch.agent.event.RawFrame;
import org.bellwatch.agent.ingest.tail.LinePosition;
import org.bellwatch.agent.ingest.tail.Mark;

/**
 * One item for the pipeline thread, from any live source. Each kind knows which {@link Pipeline}
 * method takes it, so a new kind of input (lease observations from DHCP server logs) is one more
 * record here.
 */
public interface PipelineInput {
  /** Runs on the pipeline thread. */
  void deliver(Pipeline pipeline);

  /** How many records this input carries, for the queue's capacity. */
  default int records() {
    return 1;
  }

  /** A captured frame; {@code source} is a bounded label such as {@code live}. */
  record Frame(RawFrame frame, String source) implements PipelineInput {
    @Override
    public void deliver(Pipeline pipeline) {
      pipeline.onFrame(frame, source);
    }
  }

  /**
   * A log record of either kind, already parsed by its source (syslog parses on its own threads).
   */
  record Parsed(ParsedRecord record) implements PipelineInput {
    @Override
    public void deliver(Pipeline pipeline) {
      pipeline.onRecord(record);
    }
  }

  /**
   * Parsed log records that one UDP syslog socket read in one go, in arrival order. One queue item
   * per read burst instead of one per datagram: see {@link InputQueue}.
   */
  record Batch(List<ParsedRecord> batch) implements PipelineInput {
    @Override
    public void deliver(Pipeline pipeline) {
      for (ParsedRecord r : batch) {
        pipeline.onRecord(r);
      }
    }

    @Override
    public int records() {
      return batch.size();
    }
  }

  /**
   * Log records of one hand-over from a syslog listener, the journaled ones numbered from {@code
   * first} in the journal {@code source} ({@code journaled[i]}: record {@code i} was written
   * ahead); see {@link SyslogIntake}.
   */
  record Journaled(List<ParsedRecord> batch, boolean[] journaled, long first, String source)
      implements PipelineInput {
    @Override
    public void deliver(Pipeline pipeline) {
      long seq = first;
      for (int i = 0; i < batch.size(); i++) {
        if (journaled[i]) {
          pipeline.onTailed(batch.get(i), IntakeJournals.position(source, seq++));
        } else {
          pipeline.onRecord(batch.get(i));
        }
      }
    }

    @Override
    public int records() {
      return batch.size();
    }
  }

  /** A record of a tailed file and where its line lies. */
  record Tailed(ParsedRecord record, LinePosition at) implements PipelineInput {
    @Override
    public void deliver(Pipeline pipeline) {
      pipeline.onTailed(record, at);
    }
  }

  /**
   * Every line of a tailed file before {@code end} has been handed on (lines that carried no
   * record).
   */
  record TailProgress(String source, Mark end) implements PipelineInput {
    @Override
    public void deliver(Pipeline pipeline) {
      pipeline.onTailProgress(source, end);
    }
  }
}
