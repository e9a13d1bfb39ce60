package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bellwatch.agent.correlate.BlockEvidence;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.ingest.tail.LinePosition;
import org.bellwatch.agent.ingest.tail.Mark;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.report.EventIndex;
import org.bellwatch.agent.store.EventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offset rule of {@link OffsetLedger}, seen in what {@link StoreSink} writes. */
class StoreSinkOffsetsTest {
  static final String SOURCE = "file:00000000.10:dev=1,ino=2";

  @TempDir Path dir;

  static BlockEvidence evidence(String domain, int second) throws Exception {
    return new BlockEvidence(
        Instant.ofEpochSecond(1789485000L + second),
        InetAddress.getByName("10.0.1.20"),
        domain,
        null,
        null,
        null,
        "squid",
        "proxy-deny",
        "squid: " + domain);
  }

  static BlockEvent event(BlockEvidence e) {
    return new BlockEvent(
        e.time(),
        "10.0.1.20",
        null,
        null,
        null,
        e.domain(),
        null,
        null,
        "squid",
        "proxy-deny",
        null,
        null,
        null,
        null,
        null,
        false,
        List.of(e.evidence()));
  }

  static LinePosition at(long start, long end) {
    return new LinePosition(SOURCE, new Mark(start, start * 7), new Mark(end, end * 7));
  }

  List<String> domains(EventStore store) throws Exception {
    List<String> out = new ArrayList<>();
    store.forEach(null, null, e -> out.add(e.domain()));
    return out;
  }

  @Test
  void anEventWhoseLinesFollowAnOpenAttemptWaitsAndTheMarkStopsAtThatAttemptsLine()
      throws Exception {
    try (EventStore store = EventStore.open(dir, ZoneOffset.UTC, false)) {
      OffsetLedger ledger = new OffsetLedger();
      StoreSink sink =
          new StoreSink(
              store, new EventIndex(), new BellwatchMeters(new SimpleMeterRegistry()), ledger);
      BlockEvidence a = evidence("a.example.com", 0);
      BlockEvidence b = evidence("b.example.com", 1);
      ledger.opened(a, at(0, 100));
      ledger.delivered(SOURCE, new Mark(100, 700));
      ledger.opened(b, at(100, 200));
      ledger.delivered(SOURCE, new Mark(200, 1400));
      ledger.delivered(SOURCE, new Mark(250, 1750)); // a comment line: no record

      // b leaves the correlator first (it closed sooner); a, from an earlier line, is still open.
      BlockEvent eb = event(b);
      ledger.emitted(List.of(b), eb);
      sink.emitted(List.of(b), eb);
      sink.flush();
      assertThat(domains(store)).isEmpty();
      assertThat(store.sources().offsets("file:"))
          .isEqualTo(Map.of(SOURCE, 0L, SOURCE + "#check", 0L));
      assertThat(sink.held()).isEqualTo(1);

      BlockEvent ea = event(a);
      ledger.emitted(List.of(a), ea);
      sink.emitted(List.of(a), ea);
      sink.flush();
      assertThat(domains(store)).containsExactly("a.example.com", "b.example.com");
      assertThat(store.sources().offsets("file:"))
          .isEqualTo(Map.of(SOURCE, 250L, SOURCE + "#check", 1750L));
      assertThat(sink.held()).isZero();
    }
  }

  @Test
  void
      whileTheDiskIsFullEventsAreHeldUpToTheLimitThenInputStopsAndEverythingIsStoredWhenSpaceReturns()
          throws Exception {
    try (EventStore store = EventStore.open(dir, ZoneOffset.UTC, false)) {
      long[] free = {0};
      StoreSink sink =
          new StoreSink(
              store,
              new EventIndex(),
              new BellwatchMeters(new SimpleMeterRegistry()),
              new OffsetLedger(),
              () -> free[0],
              2000);
      for (int i = 0; i < 1999; i++) {
        BlockEvidence e = evidence("d" + i + ".example.com", i);
        sink.emitted(List.of(e), event(e));
      }
      assertThat(sink.flush()).isFalse();
      assertThat(sink.failure())
          .startsWith("cannot write: no space left on the store's file system (0 bytes free");
      assertThat(sink.backlogged()).as("1,999 held, limit 2,000").isFalse();
      BlockEvidence last = evidence("d1999.example.com", 1999);
      sink.emitted(List.of(last), event(last));
      assertThat(sink.backlogged()).isTrue();
      assertThat(domains(store)).isEmpty();

      free[0] = Long.MAX_VALUE;
      assertThat(sink.flush()).isTrue();
      assertThat(sink.backlogged()).isFalse();
      assertThat(sink.failure()).isNull();
      assertThat(domains(store)).hasSize(2000).contains("d0.example.com", "d1999.example.com");
    }
  }
}
