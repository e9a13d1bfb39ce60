package org.bellwatch.agent.pipeline;

import org.bellwatch.agent.capture.RawFrame;
import org.bellwatch.agent.parse.FilterEvent;
import org.bellwatch.agent.parse.LeaseObservation;
import org.bellwatch.agent.parse.ParsedRecord;

/**
 * One item for the pipeline thread, from any live source. Each kind knows which {@link Pipeline} method
 * takes it, so a new kind of input (lease observations from DHCP server logs) is one more record here.
 */
public interface PipelineInput {
  /** Runs on the pipeline thread. */
  void deliver(Pipeline pipeline);

  /** A captured frame; {@code source} is a bounded label such as {@code live}. */
  record Frame(RawFrame frame, String source) implements PipelineInput {
    @Override
    public void deliver(Pipeline pipeline) {
      pipeline.onFrame(frame, source);
    }
  }

  /** A filter-log record already parsed by its source (syslog parses on its own threads). */
  record Filter(FilterEvent event) implements PipelineInput {
    @Override
    public void deliver(Pipeline pipeline) {
      pipeline.onFilterEvent(event);
    }
  }

  /** A DHCP server's lease observation already parsed by its source. */
  record Lease(LeaseObservation observation) implements PipelineInput {
    @Override
    public void deliver(Pipeline pipeline) {
      pipeline.onLeaseObservation(observation);
    }
  }

  /** The input carrying a parsed log record of either kind. */
  static PipelineInput of(ParsedRecord record) {
    // ParsedRecord is sealed to these two (Java 17 has no pattern switch).
    return record instanceof FilterEvent e ? new Filter(e) : new Lease((LeaseObservation) record);
  }
}
