package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.correlate.BlockEventJson;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.sim.TermSimulator;
import org.bellwatch.agent.store.EventStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's simulated term through the real pipeline, into a store, as {@code bellwatch replay
 * --store} reads it before {@code scripts/demo} starts the agent: the events that come out, and
 * those stored, are the truth. The term (2026-10-19 to 2026-11-13) crosses the end of daylight
 * saving time on 2026-11-01, so the FortiGate lines' {@code tz} changes from -0700 to -0800 within
 * it.
 */
class TermReplayTest {
  static final ObjectMapper mapper = new ObjectMapper();
  @TempDir static Path dir;
  static List<JsonNode> truth;

  @BeforeAll
  static void simulate() throws Exception {
    TermSimulator.simulate(3, LocalDate.of(2026, 11, 13), dir);
    truth = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("truth.jsonl"))) {
      truth.add(mapper.readTree(line));
    }
  }

  @Test
  void replayingTheTermIntoTheStoreGivesExactlyItsTruthAndStoresItWithTheLeases() throws Exception {
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    SiteModel site = SiteModel.load(cfg.schedule().dir(), cfg.site().timezone());
    List<JsonNode> got = new ArrayList<>();
    StoreReplay.replay(
        cfg,
        site,
        cfg.capture().pcapFiles(),
        cfg.logs().files(),
        new BellwatchMeters(new SimpleMeterRegistry()),
        e -> got.add(withoutEvidence(e)));
    long instructional = truth.stream().filter(e -> e.get("instructional").asBoolean()).count();
    long sections = truth.stream().filter(e -> !e.get("section").isNull()).count();
    System.out.printf(
        Locale.ROOT,
        "term replay: %d truth events (%d during class, %d with a section), %d attributed%n",
        truth.size(),
        instructional,
        sections,
        got.size());
    assertThat(truth).hasSizeGreaterThan(19 * 300);
    assertThat(Files.readString(dir.resolve("logs/fortigate.log")))
        .contains("tz=\"-0700\"", "tz=\"-0800\"");
    // JSON objects compare by content, whatever the key order of the truth file.
    assertThat(got).containsExactlyInAnyOrderElementsOf(truth);

    List<JsonNode> stored = new ArrayList<>();
    long[] leases = {0};
    try (EventStore store = EventStore.open(cfg.store().dir(), cfg.site().timezone(), false)) {
      store.forEach(null, null, e -> stored.add(withoutEvidence(e)));
      store.sources().forEachLease(Instant.EPOCH, l -> leases[0]++);
    }
    assertThat(stored).containsExactlyInAnyOrderElementsOf(truth);
    // Every present device's lease of every school day: the agent restores the recent ones at
    // start.
    assertThat(leases[0]).isGreaterThan(19 * 500);
  }

  private static JsonNode withoutEvidence(BlockEvent e) {
    ObjectNode o = BlockEventJson.toJson(mapper, e);
    o.remove("evidence");
    return o;
  }
}
