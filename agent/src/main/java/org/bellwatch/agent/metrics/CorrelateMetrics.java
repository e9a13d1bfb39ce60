package org.bellwatch.agent.metrics;

import static org.bellwatch.agent.metrics.BellwatchMeters.OPEN_ATTEMPTS;
import static org.bellwatch.agent.metrics.BellwatchMeters.REMEMBERED_ATTEMPTS;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.Supplier;

/**
 * The correlator's memory: attempts inside the reorder window, and attributed ones kept for late
 * evidence.
 */
public record CorrelateMetrics(Supplier<Number> openAttempts, Supplier<Number> rememberedAttempts)
    implements MeterBinder {
  @Override
  public void bindTo(MeterRegistry registry) {
    Gauges.count(
        registry,
        OPEN_ATTEMPTS,
        "Block attempts waiting for their reorder window to pass",
        openAttempts);
    Gauges.count(
        registry,
        REMEMBERED_ATTEMPTS,
        "Attributed block attempts held in memory for late evidence",
        rememberedAttempts);
  }
}
