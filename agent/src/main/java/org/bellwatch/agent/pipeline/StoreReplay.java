package org.bellwatch.agent.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.correlate.AttemptSink;
import org.bellwatch.agent.correlate.BlockEvidence;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.identity.LeaseTable;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.report.EventIndex;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.store.StoreException;

/**
 * {@code bellwatch replay --store}: capture and log files through the pipeline of {@code run} into
 * the configured store, with the DHCP lease history they teach, before the agent starts (past logs
 * read back, or the demo's simulated term). The files are merged in time order as {@link
 * FileReplay} does, so a log line weeks old finds the lease of its day; {@code run} would read a
 * log file only after its capture files, when the leases of weeks before have left memory ({@link
 * Pipeline#LEASE_MEMORY}). Events are written by the agent's {@link StoreSink}, so events already
 * stored are not stored twice, and evidence of an attempt already stored joins it (docs/design.md,
 * "One attempt, one block event").
 */
public final class StoreReplay {
  private StoreReplay() {}

  /**
   * Replays the files into the store of {@code cfg}; each event also goes to {@code also} once it
   * has settled (late evidence can no longer change it in memory). Fails with {@link
   * StoreException} when the store cannot be opened (another process holds it) or written.
   */
  public static void replay(
      BellwatchConfig cfg,
      SiteModel site,
      List<Path> pcaps,
      List<BellwatchConfig.LogFile> logs,
      BellwatchMeters meters,
      Consumer<BlockEvent> also)
      throws IOException, StoreException {
    try (EventStore store =
        EventStore.open(cfg.store().dir(), cfg.site().timezone(), cfg.store().syncWrites())) {
      OffsetLedger ledger = new OffsetLedger();
      StoreSink sink = new StoreSink(store, new EventIndex(), meters, ledger);
      LeaseTable leases = new LeaseTable(sink::leaseChanged);
      Pipeline pipeline =
          Pipelines.create(
              cfg,
              () -> site,
              meters,
              leases,
              ledger,
              sink,
              store.newestEventTime(),
              new AttemptSink() {
                @Override
                public void emitted(List<BlockEvidence> evidence, BlockEvent event) {
                  sink.emitted(evidence, event);
                }

                @Override
                public void merged(
                    BlockEvent before,
                    BlockEvidence added,
                    List<BlockEvidence> evidence,
                    BlockEvent after) {
                  sink.merged(before, added, evidence, after);
                }

                @Override
                public void settled(BlockEvent event) {
                  also.accept(event);
                }
              });
      FileReplay.replay(pcaps, logs, pipeline, meters);
      pipeline.finish();
      if (!sink.flush()) {
        throw new StoreException(cfg.store().dir() + ": " + sink.failure(), null);
      }
    }
  }
}
