package org.bellwatch.agent.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bellwatch.agent.correlate.BlockAttempt;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.store.EventStore.EventRef;
import org.bellwatch.agent.testing.DistrictEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history a store held before its export was enabled, queued into the outbox once, in store
 * order.
 */
class OutboxBackfillTest {
  private static final Instant MONDAY = Instant.parse("2026-09-14T15:00:00Z");
  private static final ZoneId ZONE = ZoneId.of("America/Denver");
  @TempDir Path dir;

  private static BlockEvent block(int i) {
    return DistrictEvents.block(MONDAY, i, "site" + i + ".example");
  }

  private static List<EventRef> refs(int... minutes) {
    List<EventRef> out = new ArrayList<>();
    for (int i : minutes) {
      out.add(EventRef.of(block(i)));
    }
    return out;
  }

  /** Every outbox entry not yet acknowledged, as the event address it names. */
  private static List<EventRef> queued(EventStore store) throws StoreException {
    return store.outbox().after(-1, 10_000).stream().map(Outbox.Entry::ref).toList();
  }

  private void storeWithoutExport(int... minutes) throws StoreException {
    try (EventStore store = EventStore.open(dir, ZONE, false)) {
      List<BlockEvent> events = new ArrayList<>();
      for (int i : minutes) {
        events.add(block(i));
      }
      store.append(events);
      assertThat(store.outbox().pending()).isZero();
    }
  }

  @Test
  void eventsStoredBeforeTheExportAreQueuedOnceOldestFirstAndARestartResumesWhereTheLastBatchEnded()
      throws Exception {
    storeWithoutExport(9, 3, 7, 0, 5, 1, 8, 2, 6, 4);
    try (EventStore store = EventStore.open(dir, ZONE, false)) {
      store.recordOutbox();
      assertThat(store.outbox().backfilling()).isTrue();
      assertThat(store.outbox().backfill(4)).isEqualTo(4);
      assertThat(queued(store)).containsExactlyElementsOf(refs(0, 1, 2, 3));
    }
    try (EventStore store = EventStore.open(dir, ZONE, false)) {
      store.recordOutbox();
      assertThat(store.outbox().backfill(4)).isEqualTo(4);
      assertThat(store.outbox().backfill(4)).isEqualTo(2);
      assertThat(store.outbox().backfilling()).isFalse();
      assertThat(store.outbox().backfill(4)).isZero();
      assertThat(queued(store)).containsExactlyElementsOf(refs(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
      assertThat(store.outbox().pending()).isEqualTo(10);
      store.outbox().acknowledge(9);
    }
    // Done is remembered: the next start queues nothing again.
    try (EventStore store = EventStore.open(dir, ZONE, false)) {
      store.recordOutbox();
      assertThat(store.outbox().backfilling()).isFalse();
      assertThat(store.outbox().backfill(100)).isZero();
      assertThat(store.outbox().pending()).isZero();
    }
  }

  @Test
  void anEventStoredDuringTheBackfillIsQueuedOnceWhetherTheWalkHasPassedItsTimeOrNot()
      throws Exception {
    storeWithoutExport(0, 2, 4, 6, 8, 10, 12);
    try (EventStore store = EventStore.open(dir, ZONE, false)) {
      store.recordOutbox();
      assertThat(store.outbox().backfill(3)).isEqualTo(3); // 0, 2, 4
      // Late arrivals: minute 1 is behind the walk (queued now), 9 ahead of it (left to the walk),
      // 20 is new.
      store.append(List.of(block(1), block(9), block(20)));
      // Late evidence moves minute 10's attempt to minute 11, both still ahead of the walk: the
      // walk sends it.
      BlockEvent ten = block(10);
      BlockEvent later =
          new BlockEvent(
              ten.time().plusSeconds(60),
              ten.clientIp(),
              ten.mac(),
              ten.hostname(),
              ten.user(),
              ten.domain(),
              ten.url(),
              ten.category(),
              ten.source(),
              ten.method(),
              ten.room(),
              ten.section(),
              ten.course(),
              ten.teacher(),
              ten.period(),
              ten.instructional(),
              List.of("dns: answer 0.0.0.0", "squid"));
      store.write(
          List.of(),
          List.of(new EventStore.Replacement(ten, new BlockAttempt(later, null))),
          Map.of(),
          List.of());
      // Late evidence moves minute 2 (already queued) to minute 13 (ahead): queued now, naming what
      // it replaces.
      BlockEvent two = block(2);
      BlockEvent moved =
          new BlockEvent(
              MONDAY.plusSeconds(13 * 60),
              two.clientIp(),
              two.mac(),
              two.hostname(),
              two.user(),
              two.domain(),
              two.url(),
              two.category(),
              two.source(),
              two.method(),
              two.room(),
              two.section(),
              two.course(),
              two.teacher(),
              two.period(),
              two.instructional(),
              two.evidence());
      store.write(
          List.of(),
          List.of(new EventStore.Replacement(two, new BlockAttempt(moved, null))),
          Map.of(),
          List.of());
      int walked = 0;
      for (int n = store.outbox().backfill(2); n > 0; n = store.outbox().backfill(2)) {
        walked += n;
      }
      assertThat(walked).as("6, 8, 9, 11 (moved from 10), 12").isEqualTo(5);
      List<Outbox.Entry> entries = store.outbox().after(-1, 100);
      List<EventRef> expected = new ArrayList<>(refs(0, 2, 4, 1, 20));
      expected.add(EventRef.of(moved));
      expected.addAll(refs(6, 8, 9));
      expected.add(EventRef.of(later));
      expected.add(EventRef.of(block(12)));
      assertThat(entries).extracting(Outbox.Entry::ref).containsExactlyElementsOf(expected);
      assertThat(entries.get(5).replaced()).isEqualTo(EventRef.of(two));
      assertThat(entries)
          .filteredOn(e -> e != entries.get(5))
          .extracting(Outbox.Entry::replaced)
          .containsOnlyNulls();
      // What each entry sends is the event as stored now: minute 2's entry finds it gone (moved to
      // 13).
      assertThat(entries.get(1).event()).isNull();
      assertThat(entries.get(9).event()).isEqualTo(later);
    }
  }

  @Test
  void anEmptyStoreOrOneWhoseExportRanBeforeHasNothingToBackfill() throws Exception {
    try (EventStore store = EventStore.open(dir, ZONE, false)) {
      store.recordOutbox();
      assertThat(store.outbox().backfilling()).isFalse();
      store.append(List.of(block(0), block(1)));
      assertThat(queued(store)).containsExactlyElementsOf(refs(0, 1));
    }
    try (EventStore store = EventStore.open(dir, ZONE, false)) {
      store.append(List.of(block(2))); // stored while the export is off: not sent later
      store.recordOutbox();
      assertThat(store.outbox().backfilling()).isFalse();
      assertThat(store.outbox().backfill(10)).isZero();
      assertThat(queued(store)).containsExactlyElementsOf(refs(0, 1));
    }
  }
}
