package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bellwatch.agent.cli.BellwatchCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bellwatch replay} over the IPv6 capture that radvd, dnsmasq (DHCPv6 and a DNS sinkhole),
 * dhclient -6 and Linux SLAAC clients made ({@code scripts/make-ipv6-fixture}): every block from an
 * IPv6 address, EUI-64, temporary or leased, names the device that held it ({@code truth.tsv}, read
 * from {@code ip -6 addr} inside each client), and through devices.csv its room and section.
 */
class Ipv6FixtureReplayTest {
  static final Path FIXTURE =
      Path.of(System.getProperty("bellwatch.repo", ".."), "agent/src/test/resources/fixtures/ipv6");
  private static final Map<String, String[]> ROOMS =
      Map.of(
          "02:66:00:00:00:11", new String[] {"RM204", "cls-bio-p3", "RM204-CB21"},
          "02:66:00:00:00:12", new String[] {"RM204", "cls-bio-p3", "RM204-LT02"},
          "02:66:00:00:00:13", new String[] {"RM118", "cls-alg1-p3", "RM118-CB31"});

  @Test
  void everyBlockFromASlaacTemporaryOrDhcpv6AddressIsAttributedToTheDeviceRoomAndSectionThatHeldIt(
      @TempDir Path out) throws Exception {
    Map<String, String> truth = new LinkedHashMap<>();
    for (String line : Files.readAllLines(FIXTURE.resolve("truth.tsv"), StandardCharsets.UTF_8)) {
      String[] f = line.split("\t");
      if (!f[0].equals("address")) {
        truth.put(f[0], f[1]);
      }
    }
    Path result = out.resolve("actual.jsonl");
    int status =
        BellwatchCli.execute(
            "replay",
            "--config",
            FIXTURE.resolve("site.yaml").toString(),
            "--pcap",
            FIXTURE.resolve("capture.pcap").toString(),
            "--schedule",
            FIXTURE.resolve("schedule").toString(),
            "--out",
            result.toString());
    assertThat(status).isZero();
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> blocks = new ArrayList<>();
    for (String line : Files.readAllLines(result, StandardCharsets.UTF_8)) {
      blocks.add(mapper.readTree(line));
    }
    assertThat(blocks)
        .extracting(b -> b.get("client_ip").asText())
        .containsExactlyInAnyOrderElementsOf(truth.keySet());
    for (JsonNode b : blocks) {
      String mac = truth.get(b.get("client_ip").asText());
      String[] where = ROOMS.get(mac);
      assertThat(b.get("mac").asText()).as(b.toString()).isEqualTo(mac);
      assertThat(b.get("hostname").asText()).isEqualTo(where[2]);
      assertThat(b.get("room").asText()).isEqualTo(where[0]);
      assertThat(b.get("section").asText()).isEqualTo(where[1]);
      assertThat(b.get("instructional").asBoolean()).isTrue();
      assertThat(b.get("method").asText()).isEqualTo("dns-sinkhole");
      assertThat(b.get("evidence").toString())
          .contains("\"ipv6: " + b.get("client_ip").asText() + " bound to " + mac);
    }
  }
}
