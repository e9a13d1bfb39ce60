package org.bellwatch.agent.pipeline;

import org.bellwatch.agent.schedule.SiteModel;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.correlate.Attributor;
import org.bellwatch.agent.correlate.BlockEvent;
import org.bellwatch.agent.correlate.DnsBlockDetector;
import org.bellwatch.agent.identity.LeaseTable;
import org.bellwatch.agent.metrics.BellwatchMeters;

/** Builds the one pipeline from configuration, for {@code run} and {@code replay} alike. */
public final class Pipelines {
  private Pipelines() {
  }

  /** {@code site} gives the schedule in force at each attribution (it changes when the folder reloads). */
  public static Pipeline create(BellwatchConfig cfg, Supplier<SiteModel> site, BellwatchMeters meters,
      Consumer<BlockEvent> sink) {
    return create(cfg, site, meters, new LeaseTable(), new OffsetLedger(), sink);
  }

  /**
   * The pipeline of {@code run}: {@code leases} starts with the stored history and reports its changes to
   * the store; {@code ledger} is shared with the {@link StoreSink}.
   */
  static Pipeline create(BellwatchConfig cfg, Supplier<SiteModel> site, BellwatchMeters meters, LeaseTable leases,
      OffsetLedger ledger, Consumer<BlockEvent> sink) {
    Attributor attributor = new Attributor(leases, site, cfg.schedule().roomHostnamePattern());
    return new Pipeline(leases, new DnsBlockDetector(cfg.dns().sinkholeAddresses()), attributor,
        cfg.correlate(), meters, ledger, sink);
  }
}
