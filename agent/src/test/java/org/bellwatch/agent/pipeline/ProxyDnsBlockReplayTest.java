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
 * The proxy's own lookup seen on the mirror port (a sinkhole answer to the proxy's address) joined
 * with the request squid could not fetch: one block of the Chromebook that asked, in its room's
 * section, and none of the proxy (docs/design.md, "Proxies behind a DNS filter").
 */
class ProxyDnsBlockReplayTest {
  static final Instant ACK = Instant.parse("2026-09-15T15:00:00Z");
  static final Instant LOOKUP = Instant.parse("2026-09-15T15:20:00.120Z");
  @TempDir Path dir;

  private List<BlockEvent> replay(String filter) throws Exception {
    SiteFolder.write(dir);
    Path pcap =
        new TestCapture()
            .dhcpAck(ACK, "02:00:00:00:00:31", "10.0.1.31", "RM101-CB31", 3600)
            .answerA(LOOKUP, "10.0.0.8", "02:00:00:00:00:08", "games.example.com", "0.0.0.0")
            .write(dir.resolve("site.pcap"));
    SiteFolder.write(
        dir.resolve("access.log"),
        "1789485600.180      3 10.0.1.31 TCP_MISS/503 3432 GET http://games.example.com/play alice HIER_DIRECT/0.0.0.0 text/html\n");
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        """
        site: {timezone: America/Los_Angeles}
        schedule: {dir: .}
        capture: {pcap_files: [site.pcap]}
        logs: {files: [{vendor: squid, path: access.log}]}
        """
            + filter);
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    SiteModel site = SiteModel.load(cfg.schedule().dir(), cfg.site().timezone());
    BellwatchMeters meters = new BellwatchMeters(new SimpleMeterRegistry());
    BlockLog log = new BlockLog();
    Pipeline pipeline = Pipelines.create(cfg, () -> site, meters, log);
    FileReplay.replay(cfg.capture().pcapFiles(), cfg.logs().files(), pipeline, meters);
    pipeline.finish();
    return log.events();
  }

  @Test
  void theProxysSinkholedLookupOnTheWireIsABlockOfTheChromebookWhoseRequestFailed()
      throws Exception {
    assertThat(replay("filter: {proxy_addresses: [10.0.0.8]}"))
        .containsExactly(
            new BlockEvent(
                Instant.parse("2026-09-15T15:20:00.180Z"),
                "10.0.1.31",
                "02:00:00:00:00:31",
                "RM101-CB31",
                "alice",
                "games.example.com",
                "http://games.example.com/play",
                null,
                "squid",
                "proxy-dns-block",
                "RM101",
                "cls-alg",
                "Algebra I, Part A",
                "ms.rivera",
                "1",
                true,
                List.of(
                    "squid: 10.0.1.31 TCP_MISS/503 GET http://games.example.com/play user alice at 2026-09-15T15:20:00.180Z",
                    "dns: 10.0.0.53 answered 10.0.0.8 games.example.com A 0.0.0.0 (sinkhole) at 2026-09-15T15:20:00.120Z,"
                        + " the proxy's own lookup",
                    "dhcp: 10.0.1.31 leased to 02:00:00:00:00:31 (RM101-CB31) from 2026-09-15T15:00:00.000Z until"
                        + " 2026-09-15T16:00:00.000Z; DHCP ACK from 10.0.0.2 at 2026-09-15T15:00:00.000Z",
                    "room: host name RM101-CB31 names room RM101",
                    "schedule: 2026-09-15 runs 'regular', period 1 08:00-08:50 America/Los_Angeles",
                    "section: alice is enrolled in cls-alg (Algebra I - 1, ms.rivera)")));
  }

  @Test
  void withoutTheProxysAddressTheLookupIsABlockOfTheProxyAndTheFailedRequestNone()
      throws Exception {
    assertThat(replay(""))
        .extracting(BlockEvent::clientIp, BlockEvent::method)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("10.0.0.8", "dns-sinkhole"));
  }
}
