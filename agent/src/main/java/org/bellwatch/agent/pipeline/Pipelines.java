package org.bellwatch.agent.pipeline;

import java.time.Instant;
import java.util.function.Supplier;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.correlate.AttemptSink;
import org.bellwatch.agent.correlate.Attributor;
import org.bellwatch.agent.correlate.DnsBlockDetector;
import org.bellwatch.agent.correlate.StoredAttempts;
import org.bellwatch.agent.identity.LeaseTable;
import org.bellwatch.agent.identity.SiteDomains;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.schedule.SiteModel;

/** Builds the one pipeline from configuration, for {@code run} and {@code replay} alike. */
public final class Pipelines {
  private Pipelines() {}

  /**
   * {@code site} gives the schedule in force at each attribution (it changes when the folder
   * reloads).
   */
  public static Pipeline create(
      BellwatchConfig cfg, Supplier<SiteModel> site, BellwatchMeters meters, AttemptSink sink) {
    return create(
        cfg,
        site,
        meters,
        new LeaseTable(),
        new OffsetLedger(),
        StoredAttempts.NONE,
        Instant.MIN,
        sink);
  }

  /**
   * The pipeline of {@code run}: {@code leases} starts with the stored history and reports its
   * changes to the store; {@code ledger} is shared with the {@link StoreSink}, which also finds the
   * attempts stored ({@code stored}, the newest of which began at {@code storedUpTo}).
   */
  static Pipeline create(
      BellwatchConfig cfg,
      Supplier<SiteModel> site,
      BellwatchMeters meters,
      LeaseTable leases,
      OffsetLedger ledger,
      StoredAttempts stored,
      Instant storedUpTo,
      AttemptSink sink) {
    Attributor attributor = new Attributor(leases, site, cfg.schedule().roomHostnamePattern());
    return new Pipeline(
        leases,
        new DnsBlockDetector(cfg.dns().sinkholeAddresses(), cfg.dns().nxdomainIsBlock()),
        attributor,
        new SiteDomains(cfg.dns().localDomains()),
        cfg.correlate(),
        cfg.filter(),
        meters,
        ledger,
        stored,
        storedUpTo,
        sink);
  }
}
