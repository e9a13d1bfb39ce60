package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwatch.agent.pipeline.StoreSinkOffsetsTest.SOURCE;
import static org.bellwatch.agent.pipeline.StoreSinkOffsetsTest.at;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bellwatch.agent.correlate.BlockAttempt;
import org.bellwatch.agent.correlate.BlockEvidence;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.ingest.tail.Mark;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.report.EventIndex;
import org.bellwatch.agent.store.EventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Late evidence merged into an event the sink holds or has stored (docs/design.md, "One attempt").
 */
class StoreSinkMergeTest {
  static final Instant T = Instant.parse("2026-09-15T15:10:00.962Z");
  @TempDir Path dir;
  final OffsetLedger ledger = new OffsetLedger();
  final EventIndex index = new EventIndex();

  static BlockEvidence dns() throws Exception {
    return new BlockEvidence(
        T,
        InetAddress.getByName("10.0.1.20"),
        "games.example.com",
        null,
        null,
        null,
        "dns",
        "dns-sinkhole",
        "dns: answer");
  }

  static BlockEvidence dnsmasq() throws Exception {
    return new BlockEvidence(
        T.minusMillis(962),
        InetAddress.getByName("10.0.1.20"),
        "games.example.com",
        null,
        null,
        null,
        "dnsmasq",
        "dns-block",
        "dnsmasq: config line");
  }

  static BlockEvent event(List<BlockEvidence> records) {
    BlockEvidence first = records.get(0);
    List<String> lines = new ArrayList<>(records.stream().map(BlockEvidence::evidence).toList());
    lines.add("dhcp: no lease known for 10.0.1.20");
    return new BlockEvent(
        first.time(),
        "10.0.1.20",
        null,
        null,
        null,
        first.domain(),
        null,
        null,
        first.source(),
        first.method(),
        null,
        null,
        null,
        null,
        "1",
        true,
        lines);
  }

  List<BlockEvent> stored(EventStore store) throws Exception {
    List<BlockEvent> out = new ArrayList<>();
    store.forEach(null, null, out::add);
    return out;
  }

  @Test
  void aLateLineMergedIntoAStoredEventReplacesItAndItsFileMarkIsStoredInTheSameWrite()
      throws Exception {
    try (EventStore store = EventStore.open(dir, ZoneOffset.UTC, false)) {
      StoreSink sink =
          new StoreSink(store, index, new BellwatchMeters(new SimpleMeterRegistry()), ledger);
      BlockEvent before = event(List.of(dns()));
      sink.emitted(List.of(dns()), before);
      sink.flush();

      // The DNS filter's line, read from a tailed file, joins the stored attempt.
      BlockEvidence late = dnsmasq();
      ledger.opened(late, at(0, 90));
      ledger.delivered(SOURCE, new Mark(90, 630));
      List<BlockEvidence> all = List.of(late, dns());
      BlockEvent after = event(all);
      ledger.emitted(List.of(late), after);
      sink.merged(before, late, all, after);
      sink.flush();

      assertThat(stored(store)).containsExactly(after);
      assertThat(store.sources().offsets("file:"))
          .isEqualTo(Map.of(SOURCE, 90L, SOURCE + "#check", 630L));
      assertThat(index.size()).isOne();
      assertThat(sink.near("games.example.com", T.minusSeconds(10), T.plusSeconds(10)))
          .containsExactly(new BlockAttempt(after, all));
    }
  }

  @Test
  void evidenceMergedIntoAnEventNotYetWrittenReplacesItInTheBatchAndTheStoreSeesOnlyTheLastVersion()
      throws Exception {
    try (EventStore store = EventStore.open(dir, ZoneOffset.UTC, false)) {
      StoreSink sink =
          new StoreSink(store, index, new BellwatchMeters(new SimpleMeterRegistry()), ledger);
      BlockEvent before = event(List.of(dns()));
      sink.emitted(List.of(dns()), before);
      List<BlockEvidence> all = List.of(dnsmasq(), dns());
      BlockEvent after = event(all);
      sink.merged(before, dnsmasq(), all, after);

      assertThat(sink.near("games.example.com", T.minusSeconds(10), T.plusSeconds(10)))
          .as("what the next write will store")
          .containsExactly(new BlockAttempt(after, all));
      sink.flush();

      assertThat(stored(store)).containsExactly(after);
      assertThat(
              store.dailyCounts(
                  java.time.LocalDate.parse("2026-09-15"), java.time.LocalDate.parse("2026-09-15")))
          .containsExactly(
              new EventStore.DailyCount(
                  java.time.LocalDate.parse("2026-09-15"), "games.example.com", 1, 1));
      assertThat(index.size()).isOne();
    }
  }
}
