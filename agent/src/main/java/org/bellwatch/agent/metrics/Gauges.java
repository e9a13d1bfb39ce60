package org.bellwatch.agent.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * How the binders of this package register a gauge. The value is read from {@code value} when
 * scraped; Micrometer holds the supplier strongly, so the gauge lives as long as the registry (a
 * gauge over a weakly held object would read NaN once the collector took it).
 */
final class Gauges {
  private Gauges() {}

  static void count(
      MeterRegistry registry, String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  /** A gauge measured in bytes (Prometheus adds the {@code _bytes} suffix). */
  static void bytes(
      MeterRegistry registry, String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).baseUnit("bytes").register(registry);
  }
}
