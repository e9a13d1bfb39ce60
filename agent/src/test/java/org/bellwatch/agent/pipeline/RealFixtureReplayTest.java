package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.cli.BellwatchCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline over a fixture made by real programs (dnsmasq, dhclient, dig, squid, tcpdump in
 * network namespaces; see fixtures/real/README.md and scripts/make-real-fixture), through the
 * {@code bellwatch replay} command line, against the hand-checked expected events.
 */
class RealFixtureReplayTest {
  static final Path FIXTURE = Path.of(System.getProperty("bellwatch.repo", ".."),
      "agent/src/test/resources/fixtures/real");

  @Test
  void replayingTheRealProgramCaptureAndSquidLogGivesTheExpectedAttributions(@TempDir Path out) throws Exception {
    Path result = out.resolve("actual.jsonl");
    int status = BellwatchCli.execute("replay", "--config", FIXTURE.resolve("site.yaml").toString(),
        "--pcap", FIXTURE.resolve("capture.pcap").toString(),
        "--log", "squid=" + FIXTURE.resolve("squid-access.log"),
        "--schedule", FIXTURE.resolve("schedule").toString(), "--out", result.toString());
    assertThat(status).isZero();

    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> actual = new ArrayList<>();
    for (String line : Files.readAllLines(result, StandardCharsets.UTF_8)) {
      ObjectNode o = (ObjectNode) mapper.readTree(line);
      assertThat(o.get("evidence").size()).as("every event carries its evidence").isGreaterThan(2);
      o.remove("evidence");
      actual.add(o);
    }
    List<JsonNode> expected = new ArrayList<>();
    for (String line : Files.readAllLines(FIXTURE.resolve("expected.jsonl"), StandardCharsets.UTF_8)) {
      expected.add(mapper.readTree(line));
    }
    assertThat(expected).hasSize(6);
    assertThat(actual).containsExactlyElementsOf(expected);
  }
}
