package org.bellwatch.agent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.event.Lease;
import org.bellwatch.agent.testing.DistrictEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventStoreTest {
  static final java.time.ZoneId UTC = java.time.ZoneOffset.UTC;
  @TempDir Path dir;

  public static BlockEvent event(String time, String domain, boolean instructional) {
    return new BlockEvent(
        Instant.parse(time),
        "10.0.0.5",
        "aa:bb:cc:dd:ee:ff",
        "RM101-CB01",
        "alice",
        domain,
        null,
        null,
        "dns",
        "dns-sinkhole",
        "RM101",
        "cls-1",
        "Algebra",
        "ms.rivera",
        "1",
        instructional,
        List.of("dns: answer 0.0.0.0", "room: host name"));
  }

  @Test
  void theWriteAheadLogsStayWithinTheirBoundWhileTheSmallFamiliesRarelyFlush() throws Exception {
    // Every batch also merges into the rollups family, whose memtable never fills: before the
    // bound, its
    // oldest entry kept every log file alive, so the logs grew with everything ever written.
    String line = "x".repeat(4_000);
    Instant start = Instant.parse("2026-09-14T15:00:00Z");
    try (EventStore store = EventStore.open(dir, UTC, false)) {
      for (int b = 0; b < 240; b++) {
        List<BlockEvent> batch = new java.util.ArrayList<>(500);
        for (int i = 0; i < 500; i++) {
          BlockEvent e =
              event(start.plusMillis(b * 500L + i).toString(), "site" + i % 40 + ".example", true);
          batch.add(DistrictEvents.restated(e, e.time(), List.of(line)));
        }
        store.append(batch, java.util.Map.of("squid:/var/log/squid/access.log", (long) b));
      }
      long walBytes;
      try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
        walBytes =
            files
                .filter(f -> f.toString().endsWith(".log"))
                .mapToLong(f -> f.toFile().length())
                .sum();
      }

      // 120,000 events of about 4 kB: some 480 MB through the logs.
      assertThat(walBytes)
          .isLessThanOrEqualTo(RocksFamilies.MAX_WAL_BYTES + RocksFamilies.MEMTABLE_BYTES);
    }
  }

  static Lease lease(String ip, String start) throws Exception {
    Instant t = Instant.parse(start);
    return new Lease(
        java.net.InetAddress.getByName(ip),
        "aa:bb:cc:dd:ee:01",
        "RM101-CB01",
        "sw1/0/3",
        t,
        t.plusSeconds(3600),
        "DHCP ACK from 10.0.0.1 at " + start);
  }

  @Test
  void leaseRecordsSurviveReopeningInStartOrderWithTheirLastValue() throws Exception {
    Lease v4 = lease("10.0.0.5", "2026-09-15T15:00:00Z");
    Lease renewed =
        new Lease(
            v4.ip(),
            v4.mac(),
            v4.hostname(),
            v4.circuitId(),
            v4.start(),
            v4.end().plusSeconds(1800),
            v4.evidence());
    Lease v6 =
        new Lease(
            java.net.InetAddress.getByName("2001:db8::5"),
            "aa:bb:cc:dd:ee:02",
            null,
            null,
            Instant.parse("2026-09-15T14:00:00Z"),
            Instant.parse("2026-09-16T14:00:00Z"),
            null);
    Lease ended = lease("10.0.0.6", "2026-09-14T08:00:00Z");
    try (EventStore store = EventStore.open(dir, UTC, true)) {
      store.append(List.of(), Map.of(), List.of(v4, v6, ended));
      store.append(List.of(), Map.of(), List.of(renewed));
    }
    try (EventStore store = EventStore.open(dir, UTC, false)) {
      List<Lease> read = new ArrayList<>();
      store.sources().forEachLease(Instant.parse("2026-09-15T00:00:00Z"), read::add);
      assertThat(read).containsExactly(v6, renewed);
    }
  }

  @Test
  void eventsComeBackWholeNewestFirstAndSurviveReopening() throws Exception {
    BlockEvent a = event("2026-09-15T15:00:00.001Z", "a.example", true);
    BlockEvent b = event("2026-09-15T15:00:02.000Z", "b.example", false);
    try (EventStore store = EventStore.open(dir, UTC, true)) {
      store.append(List.of(a, b));
    }
    try (EventStore store = EventStore.open(dir, UTC, false)) {
      assertThat(store.query(new BlockQuery(null, null, null, 10))).containsExactly(b, a);
    }
  }

  @Test
  void theBinaryEncodingRoundTripsEveryFieldIncludingNullsAndNonAsciiText() throws Exception {
    EventCodec codec = new EventCodec();
    BlockEvent full = event("2026-09-15T15:00:00.123456Z", "élève.example", true);
    BlockEvent sparse =
        new BlockEvent(
            Instant.parse("1970-01-01T00:00:00Z"),
            "::1",
            null,
            null,
            null,
            "x",
            null,
            null,
            "dns",
            "dns-sinkhole",
            null,
            null,
            null,
            null,
            null,
            false,
            List.of());

    assertThat(codec.decode(codec.value(full))).isEqualTo(full);
    assertThat(codec.decode(codec.value(sparse))).isEqualTo(sparse);
  }

  @Test
  void valuesWrittenInTheOlderJsonEncodingStayReadable() throws Exception {
    EventCodec codec = new EventCodec();
    BlockEvent e = event("2026-09-15T15:00:00.123Z", "a.example", true);
    assertThat(codec.decode(codec.valueV1(e))).isEqualTo(e);
  }

  @Test
  void aDamagedValueIsAnErrorNotAnIndexException() {
    EventCodec codec = new EventCodec();
    byte[] value = codec.value(event("2026-09-15T15:00:00Z", "a.example", true));
    for (int len = 1; len < value.length; len++) {
      byte[] cut = java.util.Arrays.copyOf(value, len);
      assertThatThrownBy(() -> codec.decode(cut)).isInstanceOf(java.io.IOException.class);
    }
  }

  @Test
  void writingTheSameEventTwiceKeepsOneCopy() throws Exception {
    BlockEvent a = event("2026-09-15T15:00:00.001Z", "a.example", true);
    try (EventStore store = EventStore.open(dir, UTC, false)) {
      store.append(List.of(a));
      store.append(List.of(a));
      assertThat(store.query(new BlockQuery(null, null, null, 10))).containsExactly(a);
    }
  }

  @Test
  void queriesFilterByTimeRangeInstructionalFlagAndLimit() throws Exception {
    BlockEvent a = event("2026-09-15T15:00:00Z", "a.example", true);
    BlockEvent b = event("2026-09-15T16:00:00Z", "b.example", false);
    BlockEvent c = event("2026-09-15T17:00:00Z", "c.example", true);
    try (EventStore store = EventStore.open(dir, UTC, false)) {
      store.append(List.of(a, b, c));
      assertThat(store.query(new BlockQuery(Instant.parse("2026-09-15T15:30:00Z"), null, null, 10)))
          .containsExactly(c, b);
      assertThat(store.query(new BlockQuery(null, Instant.parse("2026-09-15T17:00:00Z"), null, 10)))
          .containsExactly(b, a);
      assertThat(store.query(new BlockQuery(null, null, true, 10))).containsExactly(c, a);
      assertThat(store.query(new BlockQuery(null, null, null, 1))).containsExactly(c);
    }
  }

  @Test
  void aStoreHeldByAnotherProcessIsAClearErrorNotACrash() throws Exception {
    try (EventStore store = EventStore.open(dir, UTC, false)) {
      assertThatThrownBy(() -> EventStore.open(dir, UTC, false))
          .isInstanceOf(StoreException.class)
          .hasMessageStartingWith(
              "store " + dir + " cannot be opened: another Bellwatch process holds it");
    }
  }

  @Test
  void dailyRollupsCountEachEventOnceEvenWhenTheSameInputIsWrittenAgain() throws Exception {
    BlockEvent a = event("2026-09-15T15:00:00Z", "a.example", true);
    BlockEvent b = event("2026-09-15T16:00:00Z", "a.example", false);
    BlockEvent c = event("2026-09-16T16:00:00Z", "b.example", true);
    try (EventStore store = EventStore.open(dir, UTC, false)) {
      store.append(List.of(a, b, c, a));
      store.append(List.of(a, b));
      assertThat(
              store.dailyCounts(
                  java.time.LocalDate.parse("2026-09-15"), java.time.LocalDate.parse("2026-09-16")))
          .containsExactly(
              new EventStore.DailyCount(java.time.LocalDate.parse("2026-09-15"), "a.example", 2, 1),
              new EventStore.DailyCount(
                  java.time.LocalDate.parse("2026-09-16"), "b.example", 1, 1));
    }
  }

  @Test
  void eventsOlderThanTheNewestStoredOneAreStillRecognizedAfterReopeningAndCountedOnce()
      throws Exception {
    // append() reads only keys at or below the newest stored key: late and repeated events must be
    // found.
    BlockEvent early = event("2026-09-15T15:00:00Z", "a.example", true);
    BlockEvent late = event("2026-09-15T15:30:00Z", "a.example", true);
    BlockEvent newest = event("2026-09-15T16:00:00Z", "a.example", true);
    try (EventStore store = EventStore.open(dir, UTC, false)) {
      assertThat(store.append(List.of(early, newest))).containsExactly(early, newest);
      assertThat(store.append(List.of(late, early))).containsExactly(late);
    }
    try (EventStore store = EventStore.open(dir, UTC, false)) {
      assertThat(store.append(List.of(early, late, newest, newest))).isEmpty();
      BlockEvent next = event("2026-09-15T16:00:01Z", "a.example", false);
      assertThat(store.append(List.of(next, next))).containsExactly(next);
      assertThat(
              store.dailyCounts(
                  java.time.LocalDate.parse("2026-09-15"), java.time.LocalDate.parse("2026-09-15")))
          .containsExactly(
              new EventStore.DailyCount(
                  java.time.LocalDate.parse("2026-09-15"), "a.example", 4, 3));
    }
  }

  @Test
  void rollupsCountBySchoolLocalDayNotUtcDay() throws Exception {
    // 2026-09-16T02:00Z is still the evening of 2026-09-15 in Los Angeles.
    try (EventStore store =
        EventStore.open(dir, java.time.ZoneId.of("America/Los_Angeles"), false)) {
      store.append(List.of(event("2026-09-16T02:00:00Z", "late.example", false)));
      assertThat(
              store.dailyCounts(
                  java.time.LocalDate.parse("2026-09-15"), java.time.LocalDate.parse("2026-09-15")))
          .extracting(EventStore.DailyCount::domain)
          .containsExactly("late.example");
    }
  }

  @Test
  void sourceOffsetsAreStoredWithTheEventsTheyProduced() throws Exception {
    try (EventStore store = EventStore.open(dir, UTC, false)) {
      assertThat(store.sources().offset("file:/var/log/squid/access.log")).isEmpty();
      store.append(
          List.of(event("2026-09-15T15:00:00Z", "a.example", true)),
          java.util.Map.of("file:/var/log/squid/access.log", 4096L));
    }
    try (EventStore store = EventStore.open(dir, UTC, false)) {
      assertThat(store.sources().offset("file:/var/log/squid/access.log")).hasValue(4096L);
    }
  }

  @Test
  void retentionDeletesWholeTimeRangesOfEventsButKeepsTheirRollups() throws Exception {
    BlockEvent old = event("2026-06-01T15:00:00Z", "old.example", true);
    BlockEvent recent = event("2026-09-15T15:00:00Z", "new.example", true);
    try (EventStore store = EventStore.open(dir, UTC, false)) {
      store.append(List.of(old, recent));
      store.deleteEventsBefore(Instant.parse("2026-09-01T00:00:00Z"));
      assertThat(store.query(new BlockQuery(null, null, null, 10))).containsExactly(recent);
      assertThat(
              store.dailyCounts(
                  java.time.LocalDate.parse("2026-06-01"), java.time.LocalDate.parse("2026-06-01")))
          .hasSize(1);
      store.deleteRollupsBefore(java.time.LocalDate.parse("2026-07-01"));
      assertThat(
              store.dailyCounts(
                  java.time.LocalDate.parse("2026-06-01"), java.time.LocalDate.parse("2026-06-01")))
          .isEmpty();
    }
  }

  @Test
  void aStoreWrittenByANewerBellwatchIsRefusedAndLeftAlone() throws Exception {
    try (EventStore store = EventStore.open(dir, UTC, false)) {
      store.append(List.of(event("2026-09-15T15:00:00Z", "a.example", true)));
    }
    // Bump the schema marker as a future version would.
    RawStore.put(
        dir,
        "default",
        "schema_version".getBytes(),
        java.nio.ByteBuffer.allocate(4).putInt(99).array());
    assertThatThrownBy(() -> EventStore.open(dir, UTC, false))
        .hasMessage(
            "store "
                + dir
                + " was written by a newer Bellwatch (schema 99, this version reads up to 1);"
                + " upgrade Bellwatch or restore a backup");
  }

  @Test
  void aCorruptedStoreIsRefusedWithWhatToDoAndIsNotRepaired() throws Exception {
    try (EventStore store = EventStore.open(dir, UTC, false)) {
      store.append(List.of(event("2026-09-15T15:00:00Z", "a.example", true)));
    }
    java.nio.file.Path current = dir.resolve("CURRENT");
    String manifest = java.nio.file.Files.readString(current).trim();
    java.nio.file.Files.write(dir.resolve(manifest), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    byte[] damaged = java.nio.file.Files.readAllBytes(dir.resolve(manifest));

    assertThatThrownBy(() -> EventStore.open(dir, UTC, false))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("store " + dir + " is damaged (")
        .hasMessageContaining(
            "Bellwatch has not changed it. Stop here and keep this folder as it is. Restore the"
                + " latest backup");
    assertThat(java.nio.file.Files.readAllBytes(dir.resolve(manifest))).isEqualTo(damaged);
  }
}
