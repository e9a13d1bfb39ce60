package org.bellwatch.agent.metrics;

import static org.bellwatch.agent.metrics.BellwatchMeters.IDENTITY_DEVICES;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.Supplier;

/** The device inventory of the schedule folder ({@code devices.csv}), as last loaded. */
public record InventoryMetrics(Supplier<Number> devices) implements MeterBinder {
  @Override
  public void bindTo(MeterRegistry registry) {
    Gauges.count(
        registry, IDENTITY_DEVICES, "Devices listed in the schedule folder's devices.csv", devices);
  }
}
