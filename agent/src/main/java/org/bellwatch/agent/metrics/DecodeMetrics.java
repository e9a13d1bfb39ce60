package org.bellwatch.agent.metrics;

import static org.bellwatch.agent.metrics.BellwatchMeters.DNS_PENDING;
import static org.bellwatch.agent.metrics.BellwatchMeters.FRAGMENTS_PENDING;
import static org.bellwatch.agent.metrics.BellwatchMeters.TCP_FLOWS;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.Supplier;

/**
 * The decoder's bounded memory: IP fragments waiting, TCP flows followed, DNS queries waiting for
 * answers.
 */
public record DecodeMetrics(
    Supplier<Number> fragmentsPending, Supplier<Number> tcpFlows, Supplier<Number> dnsPending)
    implements MeterBinder {
  @Override
  public void bindTo(MeterRegistry registry) {
    Gauges.count(
        registry, FRAGMENTS_PENDING, "IP datagrams waiting for their fragments", fragmentsPending);
    Gauges.count(registry, DNS_PENDING, "DNS queries waiting for a response", dnsPending);
    Gauges.count(registry, TCP_FLOWS, "TCP flow directions followed for DNS messages", tcpFlows);
  }
}
