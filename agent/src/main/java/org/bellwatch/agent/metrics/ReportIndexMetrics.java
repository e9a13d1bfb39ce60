package org.bellwatch.agent.metrics;

import static org.bellwatch.agent.metrics.BellwatchMeters.REPORT_INDEX_BYTES;
import static org.bellwatch.agent.metrics.BellwatchMeters.REPORT_INDEX_ROWS;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.Supplier;

/** The reports' in-memory index of block events: its rows and the heap it holds (an estimate). */
public record ReportIndexMetrics(Supplier<Number> memoryBytes, Supplier<Number> rows)
    implements MeterBinder {
  @Override
  public void bindTo(MeterRegistry registry) {
    Gauges.bytes(
        registry,
        REPORT_INDEX_BYTES,
        "Heap held by the reports' in-memory index (estimate)",
        memoryBytes);
    Gauges.count(registry, REPORT_INDEX_ROWS, "Block events in the reports' in-memory index", rows);
  }
}
