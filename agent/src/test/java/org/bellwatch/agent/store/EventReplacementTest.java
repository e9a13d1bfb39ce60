package org.bellwatch.agent.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bellwatch.agent.correlate.BlockAttempt;
import org.bellwatch.agent.correlate.BlockEvidence;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.report.EventIndex;
import org.bellwatch.agent.report.ReportFilter;
import org.bellwatch.agent.report.Reports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stored event replaced by its attempt attributed again with late evidence: one event in the
 * store, in the daily rollups and in the report index, whether or not its key moves, across
 * reopening.
 */
class EventReplacementTest {
  static final ZoneId LA = ZoneId.of("America/Los_Angeles");
  static final LocalDate DAY = LocalDate.parse("2026-09-15");
  @TempDir Path dir;

  static BlockEvidence sinkhole() throws Exception {
    return new BlockEvidence(
        Instant.parse("2026-09-15T15:10:00.962Z"),
        InetAddress.getByName("10.0.1.20"),
        "games.example.com",
        null,
        null,
        null,
        "dns",
        "dns-sinkhole",
        "dns: sinkhole answer at 15:10:00.962");
  }

  static BlockEvidence dnsmasq() throws Exception {
    return new BlockEvidence(
        Instant.parse("2026-09-15T15:10:00Z"),
        InetAddress.getByName("10.0.1.20"),
        "games.example.com",
        null,
        null,
        null,
        "dnsmasq",
        "dns-block",
        "dnsmasq: config line at 15:10:00");
  }

  static BlockEvidence squid() throws Exception {
    return new BlockEvidence(
        Instant.parse("2026-09-15T15:10:01.100123456Z"),
        InetAddress.getByName("10.0.1.20"),
        "games.example.com",
        "games.example.com:443",
        "alice",
        "Games",
        "squid",
        "proxy-deny",
        "squid: CONNECT denied at 15:10:01.100");
  }

  /**
   * The event of an attempt: its fields from the first record; instructional when a user was known.
   */
  static BlockAttempt attempt(BlockEvidence... records) {
    List<String> lines = new ArrayList<>();
    String user = null;
    for (BlockEvidence r : records) {
      lines.add(r.evidence());
      user = user != null ? user : r.user();
    }
    lines.add("dhcp: no lease known for 10.0.1.20");
    BlockEvidence first = records[0];
    return new BlockAttempt(
        new BlockEvent(
            first.time(),
            "10.0.1.20",
            null,
            null,
            user,
            first.domain(),
            null,
            null,
            first.source(),
            first.method(),
            null,
            user == null ? null : "cls-alg",
            null,
            null,
            "1",
            user != null,
            lines),
        List.of(records));
  }

  static List<BlockEvent> all(EventStore store) throws Exception {
    List<BlockEvent> out = new ArrayList<>();
    store.forEach(null, null, out::add);
    return out;
  }

  @Test
  void aReplacementThatMovesTheKeyAndMakesTheAttemptInstructionalCountsItOnceInRollupsAndIndex()
      throws Exception {
    BlockAttempt first = attempt(sinkhole());
    BlockAttempt merged = attempt(dnsmasq(), sinkhole(), squid());
    EventIndex index = new EventIndex();
    try (EventStore store = EventStore.open(dir, LA, false)) {
      EventStore.Written w1 = store.write(List.of(first), List.of(), Map.of(), List.of());
      index.replace(w1.removed(), w1.added());

      EventStore.Written w2 =
          store.write(
              List.of(),
              List.of(new EventStore.Replacement(first.event(), merged)),
              Map.of("file:/var/log/dnsmasq.log", 4096L),
              List.of());
      index.replace(w2.removed(), w2.added());

      assertThat(w2)
          .isEqualTo(new EventStore.Written(List.of(first.event()), List.of(merged.event()), 0));
      assertThat(all(store)).containsExactly(merged.event());
      assertThat(store.dailyCounts(DAY, DAY))
          .containsExactly(new EventStore.DailyCount(DAY, "games.example.com", 1, 1));
      assertThat(store.sources().offset("file:/var/log/dnsmasq.log")).hasValue(4096L);
    }
    Reports reports = new Reports(index, LA);
    assertThat(index.size()).isOne();
    assertThat(reports.topDomains(ReportFilter.between(null, null), 0, 10).items())
        .extracting(
            Reports.DomainRow::domain,
            Reports.DomainRow::attempts,
            Reports.DomainRow::instructionalAttempts)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("games.example.com", 1L, 1L));
    assertThat(reports.blocks(ReportFilter.between(null, null), 0, 10).items())
        .containsExactly(EventStore.EventRef.of(merged.event()));
  }

  @Test
  void aReplacedEventComesBackWithItsEvidenceRecordsAfterReopening() throws Exception {
    BlockAttempt first = attempt(sinkhole());
    BlockAttempt merged = attempt(dnsmasq(), sinkhole(), squid());
    try (EventStore store = EventStore.open(dir, LA, false)) {
      store.write(List.of(first), List.of(), Map.of(), List.of());
      store.write(
          List.of(),
          List.of(new EventStore.Replacement(first.event(), merged)),
          Map.of(),
          List.of());
    }
    try (EventStore store = EventStore.open(dir, LA, false)) {
      assertThat(
              store.attemptsNear(
                  "games.example.com",
                  Instant.parse("2026-09-15T15:09:50Z"),
                  Instant.parse("2026-09-15T15:10:10Z")))
          .containsExactly(merged);
      assertThat(
              store.attemptsNear(
                  "other.example",
                  Instant.parse("2026-09-15T15:09:50Z"),
                  Instant.parse("2026-09-15T15:10:10Z")))
          .isEmpty();
      EventIndex index = new EventIndex();
      index.load(store);
      assertThat(index.size()).isOne();
    }
  }

  @Test
  void theSameReplacementWrittenTwiceChangesNothingTheSecondTime() throws Exception {
    // After a crash between the write and the tailed file's next mark, the same late line is merged
    // again.
    BlockAttempt first = attempt(sinkhole());
    BlockAttempt merged = attempt(dnsmasq(), sinkhole());
    try (EventStore store = EventStore.open(dir, LA, false)) {
      store.write(List.of(first), List.of(), Map.of(), List.of());
      EventStore.Replacement r = new EventStore.Replacement(first.event(), merged);
      store.write(List.of(), List.of(r), Map.of(), List.of());

      EventStore.Written again = store.write(List.of(), List.of(r), Map.of(), List.of());

      assertThat(again.removed()).containsExactly(merged.event());
      assertThat(again.added()).containsExactly(merged.event());
      assertThat(all(store)).containsExactly(merged.event());
      assertThat(store.dailyCounts(DAY, DAY))
          .containsExactly(new EventStore.DailyCount(DAY, "games.example.com", 1, 0));
    }
  }

  @Test
  void aReplacementKeepingItsKeyOverwritesTheEventAndMovesTheInstructionalCount() throws Exception {
    BlockAttempt first = attempt(sinkhole());
    BlockAttempt merged = attempt(sinkhole(), squid());
    try (EventStore store = EventStore.open(dir, LA, false)) {
      store.write(List.of(first), List.of(), Map.of(), List.of());

      store.write(
          List.of(),
          List.of(new EventStore.Replacement(first.event(), merged)),
          Map.of(),
          List.of());

      assertThat(EventStore.EventRef.of(merged.event()))
          .isEqualTo(EventStore.EventRef.of(first.event()));
      assertThat(all(store)).containsExactly(merged.event());
      assertThat(store.dailyCounts(DAY, DAY))
          .containsExactly(new EventStore.DailyCount(DAY, "games.example.com", 1, 1));
    }
  }

  @Test
  void eventsWrittenWithoutRecordsComeBackWithoutThem() throws Exception {
    BlockEvent legacy = attempt(sinkhole()).event();
    try (EventStore store = EventStore.open(dir, LA, false)) {
      store.append(List.of(legacy));

      assertThat(store.attemptsNear("games.example.com", legacy.time(), legacy.time()))
          .containsExactly(new BlockAttempt(legacy, null));
    }
  }
}
