package org.bellwatch.agent.correlate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwatch.agent.correlate.CorrelatorTest.at;
import static org.bellwatch.agent.correlate.CorrelatorTest.ip;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.identity.LeaseTable;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.testing.BlockLog;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The merge rule for evidence that comes after its attempt was attributed (docs/design.md, "One
 * attempt, one block event"): it joins the event given out, which is attributed again from all its
 * evidence.
 */
class LateEvidenceTest {
  static final String CB = "aa:bb:cc:00:00:01";
  static final String DNS_LINE =
      "dns: 10.0.0.1 answered 10.0.1.20 games.example.com A 0.0.0.0 (sinkhole) at "
          + "2026-09-15T15:10:00.962Z";
  static final String DNSMASQ_LINE =
      "dnsmasq: 10.0.1.20 config games.example.com is 0.0.0.0 at " + "2026-09-15T15:10:00.000Z";
  static final String SQUID_LINE =
      "squid: 10.0.1.20 TCP_DENIED/403 CONNECT games.example.com:443 at "
          + "2026-09-15T15:10:01.100Z";
  static final String DHCP_LINE =
      "dhcp: 10.0.1.20 leased to aa:bb:cc:00:00:01 (RM102-CB01) from "
          + "2026-09-15T14:30:00.000Z until 2026-09-15T16:30:00.000Z; ack";
  static final String ROOM_LINE = "room: host name RM102-CB01 names room RM102";
  static final String PERIOD_LINE =
      "schedule: 2026-09-15 runs 'regular', period 1 08:00-08:50 America/Los_Angeles";
  static final String ROOM_SECTION_LINE =
      "section: room RM102 has cls-bio (Biology - 1, mr.chen) in session";

  @TempDir Path dir;
  final LeaseTable leases = new LeaseTable();
  final BlockLog log = new BlockLog();
  Correlator correlator;

  @BeforeEach
  void setUp() throws Exception {
    SiteFolder.write(dir);
    SiteModel site = SiteModel.load(dir, CorrelatorTest.LA);
    Attributor attributor =
        new Attributor(leases, () -> site, Pattern.compile(ConfigLoader.DEFAULT_ROOM_PATTERN));
    correlator =
        new Correlator(attributor, CorrelatorTest.WINDOWS, StoredAttempts.NONE, Instant.MIN, log);
    leases.acknowledge(ip("10.0.1.20"), CB, "RM102-CB01", at("07:30"), 7200, "ack");
  }

  static BlockEvidence sinkhole() throws Exception {
    return new BlockEvidence(
        at("08:10").plusMillis(962),
        ip("10.0.1.20"),
        "games.example.com",
        null,
        null,
        null,
        "dns",
        "dns-sinkhole",
        DNS_LINE);
  }

  static BlockEvidence dnsmasq() throws Exception {
    // dnsmasq logs whole seconds: its line of the same lookup is stamped before the captured
    // answer.
    return new BlockEvidence(
        at("08:10"),
        ip("10.0.1.20"),
        "games.example.com",
        null,
        null,
        null,
        "dnsmasq",
        "dns-block",
        DNSMASQ_LINE);
  }

  static BlockEvidence squid() throws Exception {
    return new BlockEvidence(
        at("08:10").plusMillis(1100),
        ip("10.0.1.20"),
        "games.example.com",
        "games.example.com:443",
        "alice",
        null,
        "squid",
        "proxy-deny",
        SQUID_LINE);
  }

  static BlockEvent sinkholeEvent() {
    return new BlockEvent(
        at("08:10").plusMillis(962),
        "10.0.1.20",
        CB,
        "RM102-CB01",
        null,
        "games.example.com",
        null,
        null,
        "dns",
        "dns-sinkhole",
        "RM102",
        "cls-bio",
        "Biology",
        "mr.chen",
        "1",
        true,
        List.of(DNS_LINE, DHCP_LINE, ROOM_LINE, PERIOD_LINE, ROOM_SECTION_LINE));
  }

  @Test
  void
      aDnsFiltersLogLineArrivingMinutesAfterTheCapturedAnswerJoinsTheAttributedEventAndMovesItToTheEarlierTime()
          throws Exception {
    correlator.offer(sinkhole());
    correlator.advanceTo(at("08:15"));
    assertThat(log.events()).containsExactly(sinkholeEvent());

    correlator.offer(dnsmasq());

    assertThat(log.events())
        .containsExactly(
            new BlockEvent(
                at("08:10"),
                "10.0.1.20",
                CB,
                "RM102-CB01",
                null,
                "games.example.com",
                null,
                null,
                "dnsmasq",
                "dns-block",
                "RM102",
                "cls-bio",
                "Biology",
                "mr.chen",
                "1",
                true,
                List.of(
                    DNSMASQ_LINE, DNS_LINE, DHCP_LINE, ROOM_LINE, PERIOD_LINE, ROOM_SECTION_LINE)));
    assertThat(log.calls()).containsExactly("emitted games.example.com", "merged " + DNSMASQ_LINE);
  }

  @Test
  void aLateProxyDenyGivesTheAttributedEventItsUserAndTheUsersSectionOverTheRooms()
      throws Exception {
    correlator.offer(sinkhole());
    correlator.advanceTo(at("08:20"));

    correlator.offer(squid());

    assertThat(log.events())
        .containsExactly(
            new BlockEvent(
                at("08:10").plusMillis(962),
                "10.0.1.20",
                CB,
                "RM102-CB01",
                "alice",
                "games.example.com",
                "games.example.com:443",
                null,
                "dns",
                "dns-sinkhole",
                "RM102",
                "cls-alg",
                "Algebra I, Part A",
                "ms.rivera",
                "1",
                true,
                List.of(
                    DNS_LINE,
                    SQUID_LINE,
                    DHCP_LINE,
                    ROOM_LINE,
                    PERIOD_LINE,
                    "section: alice is enrolled in cls-alg (Algebra I - 1, ms.rivera)",
                    "conflict: room RM102 has cls-bio (Biology - 1, mr.chen) in session; the user's enrollment wins")));
  }

  @Test
  void lateEvidenceTheEventAlreadyHoldsChangesNothing() throws Exception {
    correlator.offer(sinkhole());
    correlator.offer(dnsmasq());
    correlator.advanceTo(at("08:15"));
    BlockEvent attributed = log.events().get(0);

    correlator.offer(dnsmasq()); // the filter's forwarder sent it again after a link outage

    assertThat(log.events()).containsExactly(attributed);
    assertThat(log.calls())
        .containsExactly("emitted games.example.com", "repeated late " + DNSMASQ_LINE);
  }

  @Test
  void evidenceArrivingAfterItsAttemptsMergeWindowClosedButBeforeAttributionJoinsIt()
      throws Exception {
    // Regression: once the merge window had closed, evidence of the attempt still waiting for its
    // reorder
    // window started a second attempt with the same time, client and name.
    correlator.offer(sinkhole());
    correlator.advanceTo(at("08:10").plusSeconds(25));
    correlator.offer(dnsmasq());
    correlator.advanceTo(at("08:11"));

    assertThat(log.calls()).containsExactly("emitted games.example.com");
    assertThat(log.events())
        .extracting(BlockEvent::time, BlockEvent::source, BlockEvent::evidence)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                at("08:10"),
                "dnsmasq",
                List.of(
                    DNSMASQ_LINE, DNS_LINE, DHCP_LINE, ROOM_LINE, PERIOD_LINE, ROOM_SECTION_LINE)));
  }

  @Test
  void lateEvidenceJoinsTheAttemptInForceAtItsTimeAsAReplayInTimeOrderWould() throws Exception {
    correlator.offer(sinkhole());
    BlockEvidence retry =
        new BlockEvidence(
            at("08:10").plusSeconds(15),
            ip("10.0.1.20"),
            "games.example.com",
            null,
            null,
            null,
            "dns",
            "dns-sinkhole",
            "retry");
    correlator.offer(retry);
    correlator.advanceTo(at("08:15"));
    // 7.04 s after the first attempt began and 7 s before the retry: in time order it would have
    // joined the
    // first attempt, still open then (the retry began a second attempt later).
    BlockEvidence lateLog =
        new BlockEvidence(
            at("08:10").plusSeconds(8),
            ip("10.0.1.20"),
            "games.example.com",
            null,
            null,
            null,
            "dnsmasq",
            "dns-block",
            "dnsmasq line");

    correlator.offer(lateLog);

    assertThat(log.events())
        .extracting(e -> e.evidence().subList(0, 3))
        .containsExactly(
            List.of(DNS_LINE, "dnsmasq line", DHCP_LINE), List.of("retry", DHCP_LINE, ROOM_LINE));
  }

  @Test
  void lateEvidenceOfAnotherDeviceOnTheSameAddressDoesNotJoin() throws Exception {
    correlator.offer(sinkhole());
    correlator.advanceTo(at("08:15"));
    // The address went to another device a second after the answer (a release the server logged
    // late).
    leases.end(ip("10.0.1.20"), CB, at("08:10:01"));
    leases.acknowledge(
        ip("10.0.1.20"), "aa:bb:cc:00:00:02", "RM101-CB02", at("08:10:02"), 3600, "ack2");
    correlator.offer(
        new BlockEvidence(
            at("08:10:03"),
            ip("10.0.1.20"),
            "games.example.com",
            null,
            null,
            null,
            "dnsmasq",
            "dns-block",
            "the other device"));
    correlator.advanceTo(at("08:16"));

    assertThat(log.events())
        .extracting(BlockEvent::hostname)
        .containsExactly("RM102-CB01", "RM101-CB02");
  }

  @Test
  void evidenceOlderThanTheLateWindowThatFindsNoAttemptIsItsOwnBlockAndCountedLate()
      throws Exception {
    correlator.offer(sinkhole());
    correlator.advanceTo(at("08:40"));
    assertThat(log.calls())
        .containsExactly("emitted games.example.com", "settled games.example.com");

    // Without a store (replay), an attempt let go of cannot be found again.
    correlator.offer(dnsmasq());
    correlator.advanceTo(at("08:41"));

    assertThat(log.events()).extracting(BlockEvent::source).containsExactly("dns", "dnsmasq");
    assertThat(log.calls())
        .containsSubsequence("late unmatched " + DNSMASQ_LINE, "emitted games.example.com");
  }

  @Test
  void anAttemptThatLeftTheMemoryIsFoundThroughTheStoredAttemptsAndMerged() throws Exception {
    BlockAttempt stored = new BlockAttempt(sinkholeEvent(), List.of(sinkhole()));
    List<String> asked = new java.util.ArrayList<>();
    SiteModel site = SiteModel.load(dir, CorrelatorTest.LA);
    Attributor attributor =
        new Attributor(leases, () -> site, Pattern.compile(ConfigLoader.DEFAULT_ROOM_PATTERN));
    // A store whose newest attempt began at 08:10:00.962, as after a restart.
    Correlator restarted =
        new Correlator(
            attributor,
            CorrelatorTest.WINDOWS,
            (domain, from, to) -> {
              asked.add(domain + " " + from + " " + to);
              return domain.equals("games.example.com")
                      && !stored.event().time().isBefore(from)
                      && !stored.event().time().isAfter(to)
                  ? List.of(stored)
                  : List.of();
            },
            stored.event().time(),
            log);
    restarted.advanceTo(at("08:30"));

    restarted.offer(dnsmasq());

    assertThat(asked)
        .containsExactly("games.example.com 2026-09-15T15:09:50Z 2026-09-15T15:10:10Z");
    assertThat(log.calls()).containsExactly("merged " + DNSMASQ_LINE);
  }

  @Test
  void anEventStoredBeforeItsRecordsWereKeptGivesBackItsEvidenceLinesAsRecords() throws Exception {
    BlockEvent legacy =
        new BlockEvent(
            at("08:10"),
            "10.0.1.20",
            CB,
            "RM102-CB01",
            "alice",
            "games.example.com",
            "games.example.com:443",
            null,
            "dns",
            "dns-sinkhole",
            "RM102",
            "cls-alg",
            "Algebra I, Part A",
            "ms.rivera",
            "1",
            true,
            List.of(DNS_LINE, SQUID_LINE, DHCP_LINE, ROOM_LINE, PERIOD_LINE));

    List<BlockEvidence> records = Attributor.evidenceOf(legacy);

    assertThat(records)
        .containsExactly(
            new BlockEvidence(
                at("08:10"),
                ip("10.0.1.20"),
                "games.example.com",
                "games.example.com:443",
                "alice",
                null,
                "dns",
                "dns-sinkhole",
                DNS_LINE),
            new BlockEvidence(
                at("08:10"),
                ip("10.0.1.20"),
                "games.example.com",
                null,
                null,
                null,
                "dns",
                "dns-sinkhole",
                SQUID_LINE));
  }

  @Test
  void anAttributedAttemptIsLetGoOfOnceEventTimePassesTheLateWindow() throws Exception {
    SiteModel site = SiteModel.load(dir, CorrelatorTest.LA);
    Correlator shortMemory =
        new Correlator(
            new Attributor(leases, () -> site, Pattern.compile(ConfigLoader.DEFAULT_ROOM_PATTERN)),
            new Correlator.Windows(
                Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(2)),
            StoredAttempts.NONE,
            Instant.MIN,
            log);
    shortMemory.offer(sinkhole());
    shortMemory.advanceTo(at("08:12"));
    assertThat(shortMemory.rememberedAttempts()).isOne();

    shortMemory.advanceTo(at("08:12:01"));

    assertThat(shortMemory.rememberedAttempts()).isZero();
    assertThat(log.calls())
        .containsExactly("emitted games.example.com", "settled games.example.com");
  }
}
