package org.bellwatch.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.testing.DistrictEvents;
import org.bellwatch.agent.testing.KafkaBrokers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the export reports between its rounds: /health and /metrics count what the store holds now,
 * not what the exporter's last round saw (no broker is needed: no round runs).
 */
class ExportStatusTest {
  private static final Instant MONDAY = Instant.parse("2026-09-14T15:00:00Z");
  @TempDir Path dir;

  private static KafkaExporter exporter(EventStore store, SimpleMeterRegistry registry)
      throws Exception {
    return new KafkaExporter(
        KafkaBrokers.plaintextLink("127.0.0.1:9", "status", "lincoln-ms", "Lincoln Middle", 100),
        store.outbox(),
        store.console().reviews(),
        new BellwatchMeters(registry),
        Clock.systemUTC(),
        () -> "ok");
  }

  @Test
  void eventsStoredSinceTheLastRoundArePendingAndTheExportIsNotReportedSent() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (EventStore store = EventStore.open(dir, ZoneId.of("UTC"), false)) {
      store.recordOutbox();
      try (KafkaExporter exporter = exporter(store, registry)) {
        assertThat(exporter.status().state()).isEqualTo("sent");
        store.append(
            List.of(
                DistrictEvents.block(MONDAY, 0, "games.example"),
                DistrictEvents.block(MONDAY, 1, "games.example")));
        assertThat(exporter.pending()).isEqualTo(2);
        assertThat(registry.get(BellwatchMeters.EXPORT_PENDING).gauge().value()).isEqualTo(2);
        assertThat(exporter.status()).isEqualTo(new KafkaExporter.Status("sending", null));
      }
    }
  }

  @Test
  void theLastBatchOfABackfillIsPendingOnceTheBackfillReportsDone() throws Exception {
    try (EventStore store = EventStore.open(dir, ZoneId.of("UTC"), false)) {
      store.append(List.of(DistrictEvents.block(MONDAY, 0, "games.example")));
    }
    try (EventStore store = EventStore.open(dir, ZoneId.of("UTC"), false)) {
      store.recordOutbox();
      try (KafkaExporter exporter = exporter(store, new SimpleMeterRegistry())) {
        assertThat(exporter.status().state()).isEqualTo("sending");
        // What a round does first: the history's last (here only) batch goes into the outbox.
        assertThat(store.outbox().backfill(KafkaExporter.BATCH)).isEqualTo(1);
        assertThat(store.outbox().backfilling()).isFalse();
        assertThat(exporter.status()).isEqualTo(new KafkaExporter.Status("sending", null));
        assertThat(exporter.pending()).isEqualTo(1);
      }
    }
  }
}
