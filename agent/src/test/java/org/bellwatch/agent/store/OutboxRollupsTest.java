package org.bellwatch.agent.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.bellwatch.agent.correlate.BlockAttempt;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.store.EventStore.DailyCount;
import org.bellwatch.agent.testing.DistrictEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The school days whose rollups changed, kept beside the export's cursor until sent. */
class OutboxRollupsTest {
  /** 09:00 in Denver on Monday 14 September 2026. */
  private static final Instant MONDAY = Instant.parse("2026-09-14T15:00:00Z");

  private static final ZoneId ZONE = ZoneId.of("America/Denver");
  private static final LocalDate MON = LocalDate.of(2026, 9, 14);
  private static final LocalDate TUE = MON.plusDays(1);
  @TempDir Path dir;

  private static BlockEvent block(Instant start, int i, String domain) {
    return DistrictEvents.block(start, i, domain);
  }

  @Test
  void aDayIsMarkedOnceHoweverOftenItChangesAndStaysMarkedIfItChangedWhileBeingSent()
      throws Exception {
    try (EventStore store = EventStore.open(dir, ZONE, false)) {
      store.recordOutbox();
      store.append(List.of(block(MONDAY, 0, "games.example")));
      store.append(List.of(block(MONDAY, 1, "games.example")));
      store.append(List.of(block(MONDAY.plus(Duration.ofDays(1)), 0, "video.example")));
      List<Outbox.RollupDay> read = store.outbox().changedRollups(10);
      assertThat(read).extracting(Outbox.RollupDay::day).containsExactly(MON, TUE);
      assertThat(read.get(0).counts()).containsExactly(new DailyCount(MON, "games.example", 2, 1));
      assertThat(read.get(1).counts()).containsExactly(new DailyCount(TUE, "video.example", 1, 1));

      // Monday changes after it was read and before it is reported sent: it stays marked.
      store.append(List.of(block(MONDAY, 2, "video.example")));
      store.outbox().rollupsSent(read);
      List<Outbox.RollupDay> again = store.outbox().changedRollups(10);
      assertThat(again).extracting(Outbox.RollupDay::day).containsExactly(MON);
      assertThat(again.get(0).counts())
          .containsExactly(
              new DailyCount(MON, "games.example", 2, 1),
              new DailyCount(MON, "video.example", 1, 1));
      store.outbox().rollupsSent(again);
      assertThat(store.outbox().changedRollups(10)).isEmpty();
    }
  }

  @Test
  void lateEvidenceThatMovesAnAttemptAcrossMidnightMarksBothDays() throws Exception {
    // 00:00:30 on Tuesday in Denver; its DNS answer, logged late, was at 23:59:50 on Monday.
    Instant tuesdayMidnight = TUE.atStartOfDay(ZONE).toInstant().plusSeconds(30);
    BlockEvent stored = block(tuesdayMidnight, 0, "video.example");
    BlockEvent earlier = moved(stored, tuesdayMidnight.minusSeconds(40));
    try (EventStore store = EventStore.open(dir, ZONE, false)) {
      store.recordOutbox();
      store.append(List.of(block(MONDAY, 1, "games.example"), stored));
      store.outbox().rollupsSent(store.outbox().changedRollups(10));
      store.write(
          List.of(),
          List.of(new EventStore.Replacement(stored, new BlockAttempt(earlier, null))),
          Map.of(),
          List.of());
      List<Outbox.RollupDay> read = store.outbox().changedRollups(10);
      assertThat(read).extracting(Outbox.RollupDay::day).containsExactly(MON, TUE);
      assertThat(read.get(0).counts())
          .containsExactly(
              new DailyCount(MON, "games.example", 1, 0),
              new DailyCount(MON, "video.example", 1, 1));
      // Tuesday's counter is still stored, at zero: the day is sent as having no blocks now.
      assertThat(read.get(1).counts()).containsExactly(new DailyCount(TUE, "video.example", 0, 0));
    }
  }

  @Test
  void aStoresRollupHistoryIsMarkedOnceWhenItsExportIsFirstEnabledAndNotWithoutExport()
      throws Exception {
    try (EventStore store = EventStore.open(dir, ZONE, false)) {
      store.append(List.of(block(MONDAY, 0, "games.example")));
      store.append(List.of(block(MONDAY.plus(Duration.ofDays(7)), 0, "games.example")));
      // Retention kept Monday's counts but not its events: the counts still go to the district.
      store.deleteEventsBefore(MONDAY.plus(Duration.ofDays(1)));
      assertThat(store.outbox().changedRollups(10)).isEmpty();
    }
    try (EventStore store = EventStore.open(dir, ZONE, false)) {
      store.recordOutbox();
      List<Outbox.RollupDay> read = store.outbox().changedRollups(10);
      assertThat(read).extracting(Outbox.RollupDay::day).containsExactly(MON, MON.plusDays(7));
      store.outbox().rollupsSent(read);
    }
    try (EventStore store = EventStore.open(dir, ZONE, false)) {
      store.recordOutbox();
      assertThat(store.outbox().changedRollups(10)).isEmpty();
    }
  }

  /** The same attempt, its first evidence now at {@code time}. */
  private static BlockEvent moved(BlockEvent e, Instant time) {
    return DistrictEvents.restated(
        e, time, List.of("dns: answer 0.0.0.0", "squid: TCP_DENIED/403"));
  }
}
