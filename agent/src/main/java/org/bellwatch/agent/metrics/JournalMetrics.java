package org.bellwatch.agent.metrics;

import static org.bellwatch.agent.metrics.BellwatchMeters.JOURNAL_SIZE;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.Supplier;

/**
 * The intake journal's size on disk. Its counters (records, replayed, dropped, damaged) and fsync
 * timer are counted where they happen, through {@link BellwatchMeters}.
 */
public record JournalMetrics(Supplier<Number> bytes) implements MeterBinder {
  @Override
  public void bindTo(MeterRegistry registry) {
    Gauges.bytes(registry, JOURNAL_SIZE, "Bytes in the intake journal's segment files", bytes);
  }
}
