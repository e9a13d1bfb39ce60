package org.bellwatch.agent.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bellwatch.agent.access.Account;
import org.bellwatch.agent.access.AuditEntry;
import org.bellwatch.agent.access.Session;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.event.Lease;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.testing.StoreFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store written by Bellwatch 0.1 before the store was split by what it keeps (issue 19) opens
 * unchanged and reads back every record whole: events, rollups, offsets, leases, accounts,
 * sessions, reviews, audit entries and secrets. The fixture ({@code
 * fixtures/store/written-by-0.1.zip}: the RocksDB files, write-ahead log included, as that version
 * left them on close) was made at commit e43c946 by opening a new store in America/Chicago, writing
 * exactly the records below through its API and closing it.
 */
class StoreWrittenBeforeTest {
  static final ZoneId ZONE = ZoneId.of("America/Chicago");
  static final Instant T = Instant.parse("2026-09-15T15:04:05.123456Z");
  static final Instant CREATED = Instant.parse("2026-09-01T12:00:00Z");
  @TempDir Path dir;

  static final BlockEvent GAMES =
      new BlockEvent(
          T,
          "10.0.0.5",
          "aa:bb:cc:dd:ee:ff",
          "RM101-CB01",
          "alice",
          "games.example",
          "http://games.example/play",
          "games",
          "squid",
          "proxy-deny",
          "RM101",
          "cls-1",
          "Algebra",
          "ms.rivera",
          "1",
          true,
          List.of("squid: TCP_DENIED/403", "room: host name"));
  static final BlockEvent VIDEO =
      new BlockEvent(
          T.plusSeconds(3600),
          "10.0.0.6",
          null,
          null,
          null,
          "video.example.org",
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
          List.of("dns: answer 0.0.0.0"));
  static final Review.Entry REQUEST =
      new Review.Entry(
          Instant.parse("2026-09-15T19:01:00Z"),
          "coordinator1",
          "coordinator",
          "requested",
          "Biology watches it",
          List.of("cls-bio"),
          "https://video.example.org/lab/",
          LocalDate.parse("2026-09-21"),
          LocalDate.parse("2026-09-25"),
          null,
          null,
          null);

  Path unzipped() throws Exception {
    return StoreFixtures.unzip("/fixtures/store/written-by-0.1.zip", dir.resolve("store"));
  }

  @Test
  void aStoreWrittenBeforeTheSplitOpensAndReadsBackEveryRecordWhole() throws Exception {
    try (EventStore store = EventStore.open(unzipped(), ZONE, false)) {
      List<Lease> leases = new ArrayList<>();
      store.sources().forEachLease(Instant.EPOCH, leases::add);

      assertThat(store.query(new BlockQuery(null, null, null, 10))).containsExactly(VIDEO, GAMES);
      assertThat(store.dailyCounts(LocalDate.parse("2026-09-15"), LocalDate.parse("2026-09-15")))
          .containsExactly(
              new EventStore.DailyCount(LocalDate.parse("2026-09-15"), "games.example", 1, 1),
              new EventStore.DailyCount(LocalDate.parse("2026-09-15"), "video.example.org", 1, 0));
      assertThat(store.sources().offsets(""))
          .containsExactly(java.util.Map.entry("squid:/var/log/squid/access.log", 4096L));
      assertThat(leases)
          .containsExactly(
              new Lease(
                  InetAddress.getByName("10.0.0.5"),
                  "aa:bb:cc:dd:ee:ff",
                  "RM101-CB01",
                  "sw1/0/3",
                  Instant.parse("2026-09-15T14:00:00Z"),
                  Instant.parse("2026-09-15T22:00:00Z"),
                  "DHCP ACK from 10.0.0.1"));
      ConsoleRecords console = store.console();
      assertThat(console.accounts().list())
          .containsExactly(
              new Account(
                  "admin1",
                  "admin",
                  "pbkdf2-sha256$600000$c2FsdA$aGFzaA",
                  false,
                  CREATED,
                  CREATED.plusSeconds(60)));
      assertThat(console.sessions().list())
          .containsExactly(
              new Session(
                  "0f".repeat(32),
                  "admin1",
                  "csrf-token-1",
                  CREATED,
                  CREATED.plusSeconds(30),
                  "127.0.0.1"));
      assertThat(console.reviews().list())
          .containsExactly(new Review("video.example.org", "requested", List.of(REQUEST)));
      assertThat(console.auditLog().newest(10))
          .containsExactly(
              new AuditEntry(
                  REQUEST.time(),
                  "coordinator1",
                  "review_requested",
                  "video.example.org",
                  "127.0.0.1",
                  null),
              new AuditEntry(CREATED, "admin1", "login", null, "127.0.0.1", "password"));
      assertThat(HexFormat.of().formatHex(console.secrets().getOrCreate("pseudonym_key", 32)))
          .isEqualTo("ac0768f135873cdf1a9b32433314402b64c1754f261fe1710a603b61be22d00b");
    }
  }

  @Test
  void aStoreWrittenBeforeTheSplitTakesNewEventsAndCountsThemWithTheOldOnes() throws Exception {
    Path store = unzipped();
    BlockEvent again =
        new BlockEvent(
            T.plusSeconds(60),
            GAMES.clientIp(),
            GAMES.mac(),
            GAMES.hostname(),
            GAMES.user(),
            GAMES.domain(),
            GAMES.url(),
            GAMES.category(),
            GAMES.source(),
            GAMES.method(),
            GAMES.room(),
            GAMES.section(),
            GAMES.course(),
            GAMES.teacher(),
            GAMES.period(),
            true,
            GAMES.evidence());
    try (EventStore s = EventStore.open(store, ZONE, false)) {
      assertThat(
              s.append(
                  List.of(GAMES, again),
                  java.util.Map.of("squid:/var/log/squid/access.log", 8192L)))
          .containsExactly(again);
    }
    try (EventStore s = EventStore.open(store, ZONE, false)) {
      assertThat(s.query(new BlockQuery(null, null, true, 10))).containsExactly(again, GAMES);
      assertThat(s.dailyCounts(LocalDate.parse("2026-09-15"), LocalDate.parse("2026-09-15")))
          .contains(
              new EventStore.DailyCount(LocalDate.parse("2026-09-15"), "games.example", 2, 2));
      assertThat(s.sources().offset("squid:/var/log/squid/access.log")).hasValue(8192L);
    }
  }
}
