package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.correlate.BlockEventJson;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.sim.SiteSimulator;
import org.bellwatch.agent.testing.BlockLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The golden replay of the whole pipeline over the bundled sample site (config/sample-site): the
 * same path as {@code bellwatch run}, from pcap and Squid log to attributed block events.
 */
class SampleSiteReplayTest {
  static final Path REPO = Path.of(System.getProperty("bellwatch.repo", ".."));
  static final Path SITE = REPO.resolve("config/sample-site");
  static final Path GOLDEN = REPO.resolve("agent/src/test/resources/golden/sample-site.jsonl");
  static final ObjectMapper mapper = new ObjectMapper();

  static List<String> replay(Path configFile) throws Exception {
    BellwatchConfig cfg = ConfigLoader.load(configFile);
    List<String> lines = new ArrayList<>();
    BellwatchMeters meters = new BellwatchMeters(new SimpleMeterRegistry());
    SiteModel site = SiteModel.load(cfg.schedule().dir(), cfg.site().timezone());
    BlockLog log = new BlockLog();
    Pipeline pipeline = Pipelines.create(cfg, () -> site, meters, log);
    FileReplay.replay(cfg.capture().pcapFiles(), cfg.logs().files(), pipeline, meters);
    pipeline.finish();
    log.events().forEach(e -> lines.add(BlockEventJson.toJson(mapper, e).toString()));
    return lines;
  }

  @Test
  void replayingTheSampleSiteGivesExactlyTheSimulatorsTruth() throws Exception {
    List<JsonNode> truth = new ArrayList<>();
    for (String line : Files.readAllLines(SITE.resolve("truth.jsonl"))) {
      truth.add(mapper.readTree(line));
    }
    List<JsonNode> withoutEvidence = new ArrayList<>();
    for (String line : replay(SITE.resolve("bellwatch.yaml"))) {
      ObjectNode o = (ObjectNode) mapper.readTree(line);
      o.remove("evidence");
      withoutEvidence.add(o);
    }
    assertThat(truth).hasSizeGreaterThan(20);
    // JSON objects compare by content, whatever the key order of the truth file.
    assertThat(withoutEvidence).containsExactlyElementsOf(truth);
  }

  @Test
  void replayingTheSampleSiteMatchesTheGoldenEventsWithTheirEvidence() throws Exception {
    List<String> got = replay(SITE.resolve("bellwatch.yaml"));
    if (Boolean.getBoolean("bellwatch.updateGolden")) {
      Files.createDirectories(GOLDEN.getParent());
      Files.write(GOLDEN, got, StandardCharsets.UTF_8);
    }
    // To accept a deliberate change: mvn test -Dtest=SampleSiteReplayTest
    // -Dbellwatch.updateGolden=true
    assertThat(got).containsExactlyElementsOf(Files.readAllLines(GOLDEN));
  }

  @Test
  void theBundledSampleSiteIsExactlyWhatTheSimulatorWritesForSeedOne(@TempDir Path out)
      throws Exception {
    SiteSimulator.simulate(1, SiteSimulator.DEFAULT_DATE, out);
    List<Path> written = files(out);
    assertThat(written).isNotEmpty();
    for (Path rel : written) {
      assertThat(Files.mismatch(out.resolve(rel), SITE.resolve(rel)))
          .as("%s differs", rel)
          .isEqualTo(-1L);
    }
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }
}
