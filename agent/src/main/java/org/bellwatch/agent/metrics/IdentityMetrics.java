package org.bellwatch.agent.metrics;

import static org.bellwatch.agent.metrics.BellwatchMeters.IDENTITY_HOSTNAMES;
import static org.bellwatch.agent.metrics.BellwatchMeters.LEASE_ADDRESSES;
import static org.bellwatch.agent.metrics.BellwatchMeters.LEASE_RECORDS;
import static org.bellwatch.agent.metrics.BellwatchMeters.SITE_DOMAINS;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.Supplier;

/**
 * What the pipeline has learned about devices: DHCP lease history, host names and the site's own
 * domains.
 */
public record IdentityMetrics(
    Supplier<Number> leaseAddresses,
    Supplier<Number> leaseRecords,
    Supplier<Number> hostnames,
    Supplier<Number> siteDomains)
    implements MeterBinder {
  @Override
  public void bindTo(MeterRegistry registry) {
    Gauges.count(
        registry,
        SITE_DOMAINS,
        "The site's own DNS domains, configured and learned from DHCP",
        siteDomains);
    Gauges.count(registry, LEASE_ADDRESSES, "Addresses with DHCP lease history", leaseAddresses);
    Gauges.count(
        registry, LEASE_RECORDS, "DHCP lease history records held in memory", leaseRecords);
    Gauges.count(
        registry,
        IDENTITY_HOSTNAMES,
        "Devices (MAC addresses) whose DHCP host name is known",
        hostnames);
  }
}
