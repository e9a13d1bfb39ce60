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
 * The whole pipeline over a fixture made by real programs (dnsmasq, dhclient, dig, squid, tcpdump
 * in network namespaces; see fixtures/real/README.md and scripts/make-real-fixture), through the
 * {@code bellwatch replay} command line, against the hand-checked expected events.
 */
class RealFixtureReplayTest {
  static final Path FIXTURE =
      Path.of(System.getProperty("bellwatch.repo", ".."), "agent/src/test/resources/fixtures/real");

  @Test
  void replayingTheRealProgramCaptureSquidLogAndLateDhcpLogGivesTheExpectedAttributions(
      @TempDir Path out) throws Exception {
    List<JsonNode> actual = replay(out, true);
    List<JsonNode> expected = new ArrayList<>();
    for (String line :
        Files.readAllLines(FIXTURE.resolve("expected.jsonl"), StandardCharsets.UTF_8)) {
      expected.add(mapper.readTree(line));
    }
    assertThat(expected).hasSize(7);
    assertThat(actual).containsExactlyElementsOf(expected);
  }

  @Test
  void withoutTheLateDhcpLogTheSecondSegmentsChromebookHasNoLeaseRoomOrSection(@TempDir Path out)
      throws Exception {
    // RM118-CB11 got its lease from the DHCP server whose packets the capture never sees: only the
    // collected log (its lines shipped after the block) ties 10.77.1.x to the device, and so to
    // room 118.
    JsonNode withLog = byHost(replay(out.resolve("with"), true), "RM118-CB11");
    assertThat(withLog.get("room").asText()).isEqualTo("RM118");
    assertThat(withLog.get("section").asText()).isEqualTo("cls-alg1-p3");
    String ip = withLog.get("client_ip").asText();
    JsonNode without =
        replay(out.resolve("without"), false).stream()
            .filter(e -> e.get("client_ip").asText().equals(ip))
            .findFirst()
            .orElseThrow();
    assertThat(without.get("mac").isNull()).isTrue();
    assertThat(without.get("room").isNull()).isTrue();
    assertThat(without.get("section").isNull()).isTrue();
  }

  private static JsonNode byHost(List<JsonNode> events, String hostname) {
    return events.stream()
        .filter(e -> hostname.equals(e.get("hostname").asText(null)))
        .findFirst()
        .orElseThrow();
  }

  private final ObjectMapper mapper = new ObjectMapper();

  private List<JsonNode> replay(Path out, boolean withDhcpLog) throws Exception {
    Files.createDirectories(out);
    Path result = out.resolve("actual.jsonl");
    List<String> args =
        new ArrayList<>(
            List.of(
                "replay",
                "--config",
                FIXTURE.resolve("site.yaml").toString(),
                "--pcap",
                FIXTURE.resolve("capture.pcap").toString(),
                "--log",
                "squid=" + FIXTURE.resolve("squid-access.log")));
    if (withDhcpLog) {
      args.addAll(List.of("--log", "dnsmasq_dhcp=" + FIXTURE.resolve("dhcp-collector.log")));
    }
    args.addAll(
        List.of("--schedule", FIXTURE.resolve("schedule").toString(), "--out", result.toString()));
    int status = BellwatchCli.execute(args.toArray(String[]::new));
    assertThat(status).isZero();
    List<JsonNode> actual = new ArrayList<>();
    for (String line : Files.readAllLines(result, StandardCharsets.UTF_8)) {
      ObjectNode o = (ObjectNode) mapper.readTree(line);
      assertThat(o.get("evidence").size()).as("every event carries its evidence").isGreaterThan(2);
      o.remove("evidence");
      actual.add(o);
    }
    return actual;
  }
}
