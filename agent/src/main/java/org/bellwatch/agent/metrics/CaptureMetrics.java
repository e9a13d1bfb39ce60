package org.bellwatch.agent.metrics;

import static org.bellwatch.agent.metrics.BellwatchMeters.PCAP_DROPPED;
import static org.bellwatch.agent.metrics.BellwatchMeters.PCAP_IF_DROPPED;
import static org.bellwatch.agent.metrics.BellwatchMeters.PCAP_RECEIVED;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.Supplier;

/**
 * libpcap's own counts of one capture interface ({@code pcap_stats(3PCAP)}: received, dropped by
 * the kernel for lack of buffer, dropped by the interface or driver). The interface name comes from
 * the configuration, so the {@code interface} tag stays bounded.
 */
public record CaptureMetrics(
    String iface,
    Supplier<Number> received,
    Supplier<Number> dropped,
    Supplier<Number> interfaceDropped)
    implements MeterBinder {
  @Override
  public void bindTo(MeterRegistry registry) {
    gauge(registry, PCAP_RECEIVED, "Packets libpcap received", received);
    gauge(registry, PCAP_DROPPED, "Packets the kernel dropped for lack of buffer", dropped);
    gauge(registry, PCAP_IF_DROPPED, "Packets the interface or driver dropped", interfaceDropped);
  }

  private void gauge(
      MeterRegistry registry, String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).tag("interface", iface).register(registry);
  }
}
