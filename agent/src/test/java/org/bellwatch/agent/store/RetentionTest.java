package org.bellwatch.agent.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.bellwatch.agent.event.BlockEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
  static final ZoneId LA = ZoneId.of("America/Los_Angeles");
  @TempDir Path dir;

  static BlockEvent at(String time) {
    return EventStoreTest.event(time, "x.example", true);
  }

  @Test
  void eventsOlderThanTheRetentionAreDeletedAsWholeSchoolDays() throws Exception {
    // Now is 2026-09-15 10:00 in Los Angeles; with 90 days, 2026-06-17 is the first day kept.
    Clock clock = Clock.fixed(Instant.parse("2026-09-15T17:00:00Z"), ZoneOffset.UTC);
    try (EventStore store = EventStore.open(dir, LA, false)) {
      store.append(
          List.of(
              at("2026-06-17T06:59:59Z"), at("2026-06-17T07:00:00Z"), at("2026-09-15T16:00:00Z")));
      Retention.Pass pass = new Retention(store, clock, LA, 90, 400, 0).run();

      assertThat(pass)
          .isEqualTo(
              new Retention.Pass(
                  Instant.parse("2026-06-17T07:00:00Z"), LocalDate.parse("2025-08-11"), List.of()));
      assertThat(store.query(new BlockQuery(null, null, null, 10)))
          .extracting(BlockEvent::time)
          .containsExactly(
              Instant.parse("2026-09-15T16:00:00Z"), Instant.parse("2026-06-17T07:00:00Z"));
    }
  }

  @Test
  void leaseHistoryIsKeptNoLongerThanTheEvents() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-09-15T17:00:00Z"), ZoneOffset.UTC);
    org.bellwatch.agent.event.Lease old = EventStoreTest.lease("10.0.0.5", "2026-06-17T06:59:59Z");
    org.bellwatch.agent.event.Lease kept = EventStoreTest.lease("10.0.0.5", "2026-06-17T07:00:00Z");
    try (EventStore store = EventStore.open(dir, LA, false)) {
      store.append(List.of(), java.util.Map.of(), List.of(old, kept));
      new Retention(store, clock, LA, 90, 400, 0).run();

      List<org.bellwatch.agent.event.Lease> left = new java.util.ArrayList<>();
      store.sources().forEachLease(Instant.EPOCH, left::add);
      assertThat(left).containsExactly(kept);
    }
  }

  @Test
  void aDiskBudgetEvictsTheOldestDaysFirst() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-09-15T17:00:00Z"), ZoneOffset.UTC);
    try (EventStore store = EventStore.open(dir, LA, false)) {
      store.append(
          List.of(
              at("2026-09-13T17:00:00Z"), at("2026-09-14T17:00:00Z"), at("2026-09-15T16:00:00Z")));
      // A one-byte budget can never be met: every day goes, oldest first, and the pass still ends.
      Retention.Pass pass = new Retention(store, clock, LA, 90, 400, 1).run();

      assertThat(pass.evictedDays())
          .containsExactly(
              LocalDate.parse("2026-09-13"),
              LocalDate.parse("2026-09-14"),
              LocalDate.parse("2026-09-15"));
      assertThat(store.query(new BlockQuery(null, null, null, 10))).isEmpty();
    }
  }

  @Test
  void aWallClockSetBackTwoHoursAcrossMidnightDeletesNothingThatWasKept() throws Exception {
    // 2026-09-15 00:30 in Los Angeles, then set back to 2026-09-14 22:30: the cutoff can only move
    // back.
    org.bellwatch.agent.testing.SteppedClock clock =
        new org.bellwatch.agent.testing.SteppedClock(Instant.parse("2026-09-15T07:30:00Z"));
    try (EventStore store = EventStore.open(dir, LA, false)) {
      store.append(
          List.of(
              at("2026-06-17T07:00:00Z"), at("2026-06-18T07:00:00Z"), at("2026-09-15T07:10:00Z")));
      Retention retention = new Retention(store, clock, LA, 90, 400, 0);
      Retention.Pass before = retention.run();
      clock.step(java.time.Duration.ofHours(-2));
      Retention.Pass after = retention.run();

      assertThat(before)
          .isEqualTo(
              new Retention.Pass(
                  Instant.parse("2026-06-17T07:00:00Z"), LocalDate.parse("2025-08-11"), List.of()));
      assertThat(after)
          .isEqualTo(
              new Retention.Pass(
                  Instant.parse("2026-06-16T07:00:00Z"), LocalDate.parse("2025-08-10"), List.of()));
      assertThat(store.query(new BlockQuery(null, null, null, 10)))
          .extracting(BlockEvent::time)
          .containsExactly(
              Instant.parse("2026-09-15T07:10:00Z"),
              Instant.parse("2026-06-18T07:00:00Z"),
              Instant.parse("2026-06-17T07:00:00Z"));
    }
  }
}
