package org.bellwatch.agent.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwatch.agent.hub.DistrictStoreTest.block;
import static org.bellwatch.agent.hub.DistrictStoreTest.event;
import static org.bellwatch.agent.hub.DistrictStoreTest.totals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.store.EventStore.EventRef;
import org.bellwatch.agent.store.Outbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub keeps the schools' block events no longer than {@code hub.retention}, on a real store.
 */
class DistrictRetentionTest {
  private static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

  /** Thursday noon in Chicago: two days back, the cutoff is Tuesday 00:00 Chicago, 05:00 UTC. */
  private static final Clock THURSDAY =
      Clock.fixed(Instant.parse("2026-09-17T17:00:00Z"), ZoneId.of("UTC"));

  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final BellwatchMeters meters = new BellwatchMeters(registry);

  private double counted(String name, String tag, String value) {
    var c = registry.find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  private static List<String> ids(DistrictStore s) throws Exception {
    List<String> out = new ArrayList<>();
    s.forEachBlock(null, b -> out.add(b.school() + "/" + b.eventId()));
    return out;
  }

  private static String id(String school, BlockEvent e) {
    return school + "/" + Outbox.id(EventRef.of(e));
  }

  @Test
  void blocksBeforeMidnightEventsDaysAgoInTheDistrictsZoneLeaveWithTheirTallies() throws Exception {
    BlockEvent lastSecondOfMonday = event("2026-09-15T04:59:59Z", "games.example", true);
    BlockEvent firstOfTuesday = event("2026-09-15T05:00:00Z", "video.example", false);
    BlockEvent sunday = event("2026-09-13T15:00:00Z", "chat.example", true);
    BlockEvent wednesday = event("2026-09-16T15:00:00Z", "games.example", false);
    BlockEvent wednesdayClass = event("2026-09-16T15:10:00Z", "games.example", true);
    try (DistrictStore s = DistrictStore.open(dir, CHICAGO)) {
      s.apply(
          List.of(
              block("north", lastSecondOfMonday, null),
              block("north", firstOfTuesday, null),
              block("south", sunday, null),
              block("south", wednesday, null),
              block("north", wednesdayClass, null)));
      DistrictRetention retention =
          new DistrictRetention(s, new HubConfig.Retention(2, 0), CHICAGO, THURSDAY, meters);

      DistrictRetention.Pass pass = retention.run();

      assertThat(pass)
          .isEqualTo(
              new DistrictRetention.Pass(Instant.parse("2026-09-15T05:00:00Z"), 2, List.of(), 0));
      assertThat(ids(s))
          .containsExactly(
              id("north", firstOfTuesday), id("north", wednesdayClass), id("south", wednesday));
      assertThat(s.tallies(null))
          .containsExactlyInAnyOrder(
              new Tallies.Row("north", "games.example", 1, 1),
              new Tallies.Row("north", "video.example", 1, 0),
              new Tallies.Row("south", "games.example", 1, 0));
      assertThat(counted(BellwatchMeters.HUB_RETENTION_DELETED, "reason", "age")).isEqualTo(2);
      assertThat(counted(BellwatchMeters.HUB_RETENTION_RUNS, "result", "ok")).isEqualTo(1);

      // A second pass finds nothing more to delete.
      assertThat(retention.run().deletedForAge()).isZero();
      assertThat(counted(BellwatchMeters.HUB_RETENTION_DELETED, "reason", "age")).isEqualTo(2);
    }
    try (DistrictStore s = DistrictStore.open(dir, CHICAGO)) {
      // The tallies on disk lost the deleted events too: the counts read back are the same.
      assertThat(totals(s)).isEqualTo(Map.of("north", List.of(2L, 1L), "south", List.of(1L, 0L)));
      assertThat(s.tallies("south"))
          .containsExactly(new Tallies.Row("south", "games.example", 1, 0));
    }
  }

  @Test
  void aDiskBudgetEvictsTheOldestWholeDaysOfEverySchoolBeyondOneDeleteBatch() throws Exception {
    try (DistrictStore s = DistrictStore.open(dir, CHICAGO)) {
      List<DistrictStore.Change> monday = new ArrayList<>();
      for (int i = 0; i <= DistrictWriter.DELETE_BATCH; i++) {
        monday.add(
            block(
                "north",
                event(
                    Instant.parse("2026-09-14T14:00:00Z").plusSeconds(i).toString(),
                    "games.example",
                    true),
                null));
      }
      s.apply(monday);
      s.apply(
          List.of(
              block("south", event("2026-09-15T15:00:00Z", "video.example", false), null),
              block("north", event("2026-09-16T15:00:00Z", "chat.example", true), null)));

      DistrictRetention roomy =
          new DistrictRetention(
              s, new HubConfig.Retention(90, Long.MAX_VALUE), CHICAGO, THURSDAY, meters);
      assertThat(roomy.run().evictedDays()).isEmpty();
      assertThat(ids(s)).hasSize(DistrictWriter.DELETE_BATCH + 3);

      // A budget nothing fits: day by day, oldest first across the schools, until no event is left.
      DistrictRetention tight =
          new DistrictRetention(s, new HubConfig.Retention(90, 1), CHICAGO, THURSDAY, meters);
      DistrictRetention.Pass pass = tight.run();

      assertThat(pass.evictedDays())
          .containsExactly(
              LocalDate.parse("2026-09-14"),
              LocalDate.parse("2026-09-15"),
              LocalDate.parse("2026-09-16"));
      assertThat(pass.deletedForBudget()).isEqualTo(DistrictWriter.DELETE_BATCH + 3);
      assertThat(ids(s)).isEmpty();
      assertThat(s.tallies(null)).isEmpty();
      assertThat(s.oldestBlockTime()).isNull();
      assertThat(counted(BellwatchMeters.HUB_RETENTION_DELETED, "reason", "disk_budget"))
          .isEqualTo(DistrictWriter.DELETE_BATCH + 3);
    }
  }
}
