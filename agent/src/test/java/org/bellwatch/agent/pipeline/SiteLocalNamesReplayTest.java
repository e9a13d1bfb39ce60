package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.sim.TestCapture;
import org.bellwatch.agent.testing.BlockLog;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A name at or under the site's own domain that does not exist is the site's namespace answering,
 * not a policy block (docs/design.md, "Site-local names"), over a capture and a log made by a real
 * dnsmasq whose DHCP hands out school.lan (fixtures/site-local/README.md).
 */
class SiteLocalNamesReplayTest {
  static final Path FIXTURE =
      Path.of(
          System.getProperty("bellwatch.repo", ".."),
          "agent/src/test/resources/fixtures/site-local");
  static final List<String> POLICY =
      List.of(
          "games.example.com dns-sinkhole",
          "games.school.lan dns-sinkhole",
          "wpad.example.com dns-nxdomain");
  @TempDir Path dir;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private List<BlockEvent> replay(String dns, List<Path> pcaps, String logs) throws Exception {
    SiteFolder.write(dir);
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        """
        site: {timezone: America/Los_Angeles}
        schedule: {dir: .}
        dns: %s
        logs:
          files: %s
        """
            .formatted(dns, logs));
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    SiteModel site = SiteModel.load(cfg.schedule().dir(), cfg.site().timezone());
    BellwatchMeters meters = new BellwatchMeters(registry);
    BlockLog log = new BlockLog();
    Pipeline pipeline = Pipelines.create(cfg, () -> site, meters, log);
    FileReplay.replay(pcaps, cfg.logs().files(), pipeline, meters);
    pipeline.finish();
    return log.events();
  }

  static List<String> summary(List<BlockEvent> events) {
    return events.stream().map(e -> e.domain() + " " + e.method()).sorted().toList();
  }

  private double skipped() {
    return registry
        .counter("bellwatch.decode.ignored", "reason", "nxdomain_for_site_local_name")
        .count();
  }

  static String dnsmasqLog(boolean withDhcpLines) {
    Path log = FIXTURE.resolve("dnsmasq.log").toAbsolutePath();
    return "[{vendor: dnsmasq, path: '"
        + log
        + "'}"
        + (withDhcpLines ? ", {vendor: dnsmasq_dhcp, path: '" + log + "'}" : "")
        + "]";
  }

  @Test
  void
      nxdomainAnswersForNamesUnderTheDomainTheCapturedDhcpHandsOutAreNoBlocksWhilePolicyAnswersAre()
          throws Exception {
    List<BlockEvent> blocks =
        replay("{nxdomain_is_block: true}", List.of(FIXTURE.resolve("capture.pcap")), "[]");

    assertThat(summary(blocks)).isEqualTo(POLICY);
    assertThat(skipped()).as("nonexistent.school.lan and wpad.school.lan").isEqualTo(2);
  }

  @Test
  void withTheDnsFiltersLogTooEachPolicyBlockIsOneEventAndTheLocalConfigLinesAreSkipped()
      throws Exception {
    List<BlockEvent> blocks =
        replay(
            "{nxdomain_is_block: true}",
            List.of(FIXTURE.resolve("capture.pcap")),
            dnsmasqLog(false));

    assertThat(blocks)
        .extracting(BlockEvent::domain)
        .containsExactlyInAnyOrder("games.example.com", "games.school.lan", "wpad.example.com");
    assertThat(blocks)
        .allSatisfy(
            e ->
                assertThat(e.evidence())
                    .anySatisfy(
                        line ->
                            assertThat(line)
                                .startsWith("dnsmasq: 10.98.0.120 config " + e.domain() + " is "))
                    .anySatisfy(
                        line ->
                            assertThat(line)
                                .startsWith("dns: 10.98.0.1 answered 10.98.0.120 " + e.domain())));
    assertThat(skipped()).as("two answers on the wire, two config lines").isEqualTo(4);
  }

  @Test
  void dnsmasqsConfigLinesForTheSiteDomainAreNoBlocksOnceItsLogDhcpLinesOrTheConfigurationNameIt()
      throws Exception {
    List<BlockEvent> unknown = replay("{}", List.of(), dnsmasqLog(false));
    assertThat(summary(unknown))
        .as("nothing says school.lan is the site's: dnsmasq's lines alone are ambiguous")
        .containsExactly(
            "games.example.com dns-block",
            "games.school.lan dns-block",
            "nonexistent.school.lan dns-nxdomain",
            "wpad.example.com dns-nxdomain",
            "wpad.school.lan dns-nxdomain");

    assertThat(summary(replay("{}", List.of(), dnsmasqLog(true))))
        .containsExactly(
            "games.example.com dns-block",
            "games.school.lan dns-block",
            "wpad.example.com dns-nxdomain");
    assertThat(summary(replay("{local_domains: [School.LAN.]}", List.of(), dnsmasqLog(false))))
        .containsExactly(
            "games.example.com dns-block",
            "games.school.lan dns-block",
            "wpad.example.com dns-nxdomain");
  }

  @Test
  void withoutNxdomainIsBlockTheWireReportsOnlySinkholeAnswers() throws Exception {
    assertThat(summary(replay("{}", List.of(FIXTURE.resolve("capture.pcap")), "[]")))
        .containsExactly("games.example.com dns-sinkhole", "games.school.lan dns-sinkhole");
    assertThat(skipped()).isZero();
  }

  @Test
  void aDomainOnlyInTheSearchListMakesNamesUnderItLocalButNotTheirNamesElsewhere()
      throws Exception {
    Instant t = Instant.parse("2026-09-15T15:00:00Z");
    // Option 119 alone (RFC 3397): k12.example.org, then district.k12.example.org as a pointer to
    // it.
    byte[] search = {
      3,
      'k',
      '1',
      '2',
      7,
      'e',
      'x',
      'a',
      'm',
      'p',
      'l',
      'e',
      3,
      'o',
      'r',
      'g',
      0,
      8,
      'd',
      'i',
      's',
      't',
      'r',
      'i',
      'c',
      't',
      (byte) 0xc0,
      0
    };
    Path pcap =
        new TestCapture()
            .dhcpAck(
                t,
                "02:00:00:00:00:31",
                "10.0.1.31",
                "RM101-CB31",
                3600,
                new TestCapture.Option(119, search))
            .nxdomain(
                t.plusSeconds(60),
                "10.0.1.31",
                "02:00:00:00:00:31",
                "wpad.district.k12.example.org",
                1)
            .nxdomain(t.plusSeconds(61), "10.0.1.31", "02:00:00:00:00:31", "wpad.example.org", 1)
            .nxdomain(
                t.plusSeconds(62), "10.0.1.31", "02:00:00:00:00:31", "1.1.0.10.in-addr.arpa", 12)
            .write(dir.resolve("search.pcap"));

    List<BlockEvent> blocks = replay("{nxdomain_is_block: true}", List.of(pcap), "[]");

    assertThat(blocks)
        .extracting(BlockEvent::domain, BlockEvent::method, BlockEvent::hostname)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("wpad.example.org", "dns-nxdomain", "RM101-CB31"));
    assertThat(blocks.get(0).evidence().get(0))
        .isEqualTo(
            "dns: 10.0.0.53 answered 10.0.1.31 wpad.example.org A NXDOMAIN at 2026-09-15T15:01:01.000Z");
    assertThat(skipped()).isEqualTo(1);
  }
}
