package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.regex.Pattern;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.correlate.Attributor;
import org.bellwatch.agent.correlate.DnsBlockDetector;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.Lease;
import org.bellwatch.agent.event.LeaseObservation;
import org.bellwatch.agent.event.LeaseObservation.Kind;
import org.bellwatch.agent.identity.LeaseTable;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.testing.BlockLog;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineLogInputTest {
  static final String MAC = "aa:bb:cc:00:00:07";
  @TempDir Path dir;
  final LeaseTable leases = new LeaseTable();
  final BlockLog log = new BlockLog();
  final List<BlockEvent> out = log.events();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  Pipeline pipeline;

  @BeforeEach
  void setUp() throws Exception {
    SiteFolder.write(dir);
    ZoneId la = ZoneId.of("America/Los_Angeles");
    SiteModel site = SiteModel.load(dir, la);
    Attributor attributor =
        new Attributor(leases, () -> site, Pattern.compile(ConfigLoader.DEFAULT_ROOM_PATTERN));
    pipeline =
        new Pipeline(
            leases,
            new DnsBlockDetector(List.of()),
            attributor,
            new BellwatchConfig.Correlate(Duration.ofSeconds(10), Duration.ofSeconds(10)),
            new BellwatchMeters(registry),
            log);
  }

  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void aDhcpServerLogAckBindsTheAddressAndAReleaseEndsIt() throws Exception {
    Instant ack = Instant.parse("2026-09-15T15:00:00Z");
    pipeline.onLeaseObservation(
        new LeaseObservation(
            ack,
            ip("10.0.1.30"),
            MAC,
            "RM101-CB30",
            Kind.ACK,
            3600L,
            "isc_dhcpd",
            "DHCPACK on 10.0.1.30"));
    Lease lease = leases.at(ip("10.0.1.30"), ack.plusSeconds(60));
    assertThat(lease.mac()).isEqualTo(MAC);
    assertThat(lease.hostname()).isEqualTo("RM101-CB30");
    assertThat(lease.end()).isEqualTo(ack.plusSeconds(3600));
    assertThat(lease.evidence())
        .isEqualTo("isc_dhcpd log: 10.0.1.30 to aa:bb:cc:00:00:07 at 2026-09-15T15:00:00.000Z");

    pipeline.onLeaseObservation(
        new LeaseObservation(
            ack.plusSeconds(600),
            ip("10.0.1.30"),
            MAC,
            null,
            Kind.RELEASE,
            null,
            "isc_dhcpd",
            "DHCPRELEASE of 10.0.1.30"));
    assertThat(leases.at(ip("10.0.1.30"), ack.plusSeconds(601))).isNull();
  }

  @Test
  void anExpireEndsTheBindingAndASeenLineBindsNothing() throws Exception {
    Instant t = Instant.parse("2026-09-15T15:00:00Z");
    pipeline.onLeaseObservation(
        new LeaseObservation(
            t, ip("10.0.1.31"), MAC, "RM101-CB31", Kind.SEEN, null, "infoblox", "DHCPREQUEST"));
    assertThat(leases.at(ip("10.0.1.31"), t)).isNull();
    pipeline.onLeaseObservation(
        new LeaseObservation(t, ip("10.0.1.31"), MAC, null, Kind.ACK, null, "infoblox", "ACK"));
    pipeline.onLeaseObservation(
        new LeaseObservation(
            t.plusSeconds(30),
            ip("10.0.1.31"),
            MAC,
            null,
            Kind.EXPIRE,
            null,
            "infoblox",
            "EXPIRE"));
    assertThat(leases.at(ip("10.0.1.31"), t.plusSeconds(10)).end()).isEqualTo(t.plusSeconds(30));
  }

  @Test
  void aBlockWithNeitherClientAddressNorUserIsCountedAndNotGuessedIntoAnEvent() throws Exception {
    pipeline.onFilterEvent(
        new FilterEvent(
            Instant.parse("2026-09-15T15:00:00Z"),
            null,
            null,
            "www.example.com",
            "www.example.com",
            "Games",
            Action.BLOCKED,
            "zscaler",
            "proxy-deny",
            "Block games",
            "Blocked",
            "raw"));
    pipeline.finish();
    assertThat(out).isEmpty();
    assertThat(
            registry
                .get(BellwatchMeters.IGNORED)
                .tag("reason", "block_without_client_ip_or_user")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void blocksOfOneUserWithoutAClientAddressMergeIntoOneAttemptPerDomain() throws Exception {
    Instant t = Instant.parse("2026-09-15T15:00:00Z");
    for (String[] row :
        new String[][] {
          {"0", "alice", "games.example.com"},
          {"4", "alice", "games.example.com"},
          {"5", "Bob", "games.example.com"},
          {"6", "alice", "chat.example.net"}
        }) {
      pipeline.onFilterEvent(
          new FilterEvent(
              t.plusSeconds(Long.parseLong(row[0])),
              null,
              row[1],
              null,
              row[2],
              null,
              Action.BLOCKED,
              "goguardian_csv",
              "filter-deny",
              null,
              "blocked " + row[2],
              "raw"));
    }
    pipeline.finish();
    assertThat(out)
        .extracting(
            BlockEvent::user, BlockEvent::domain, BlockEvent::section, e -> e.evidence().size())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("alice", "games.example.com", "cls-alg", 5),
            org.assertj.core.groups.Tuple.tuple("Bob", "games.example.com", "cls-bio", 4),
            org.assertj.core.groups.Tuple.tuple("alice", "chat.example.net", "cls-alg", 4));
  }

  @Test
  void aBlockBecomesOneEventWhoseEvidenceNamesTheRule() throws Exception {
    pipeline.onFilterEvent(
        new FilterEvent(
            Instant.parse("2026-09-15T15:00:00Z"),
            ip("10.0.1.40"),
            null,
            "http://games.example.com/",
            "games.example.com",
            "Games",
            Action.BLOCKED,
            "fortigate",
            "filter-deny",
            "student-web",
            "blocked http://games.example.com/",
            "raw"));
    pipeline.finish();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).evidence()).anyMatch(s -> s.contains("rule student-web"));
  }
}
