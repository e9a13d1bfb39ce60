package org.bellwatch.agent.metrics;

import static org.bellwatch.agent.metrics.BellwatchMeters.INPUT_QUEUE;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.Supplier;

/**
 * Inputs the live sources handed over and the pipeline thread has not yet taken (one bounded
 * queue).
 */
public record IntakeMetrics(Supplier<Number> queued) implements MeterBinder {
  @Override
  public void bindTo(MeterRegistry registry) {
    Gauges.count(registry, INPUT_QUEUE, "Inputs waiting for the pipeline thread", queued);
  }
}
