package org.bellwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, finding 7: a store with a damaged table file was refused only after the read-write open
 * had changed it (log replayed and deleted, MANIFEST and OPTIONS replaced, new tables written),
 * with no advice. These stores are real: events written through {@link EventStore}, one table file
 * flushed at the reopen and more events left in the write-ahead log, so that a read-write open
 * would have work to do.
 */
class DamagedStoreTest {
  @TempDir Path dir;
  Path store;
  Path config;

  @BeforeEach
  void writeAStoreWithATableAndALog() throws Exception {
    store = dir.resolve("store");
    config = dir.resolve("bellwatch.yaml");
    SiteFolder.write(config, "site: {timezone: UTC}\nstore: {dir: store}\nweb: {port: 0}\n");
    Instant t = Instant.parse("2026-09-15T15:00:00Z");
    try (EventStore s = EventStore.open(store, java.time.ZoneOffset.UTC, false)) {
      s.append(events(t, 3_000));
    }
    // The reopen replays the log into a table file; the next events stay in the new log.
    try (EventStore s = EventStore.open(store, java.time.ZoneOffset.UTC, false)) {
      s.append(events(t.plusSeconds(3_600), 50));
    }
  }

  static List<BlockEvent> events(Instant from, int n) {
    List<BlockEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new BlockEvent(
              from.plusMillis(i * 997L),
              "10.0.0.5",
              "aa:bb:cc:dd:ee:ff",
              "RM101-CB01",
              "alice",
              "site" + i + ".example",
              null,
              null,
              "dns",
              "dns-sinkhole",
              "RM101",
              "cls-1",
              "Algebra",
              "ms.rivera",
              "1",
              true,
              List.of("dns: answer 0.0.0.0", "room: host name")));
    }
    return out;
  }

  /** Every file of the folder and its bytes. */
  static Map<String, byte[]> files(Path folder) throws Exception {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(folder)) {
      for (Path p : s.sorted().toList()) {
        out.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  /**
   * Flips one byte a third of the way into the largest table file: inside a data block, not the
   * index.
   */
  Path damageTheLargestTable() throws Exception {
    Path sst;
    try (Stream<Path> s = Files.list(store)) {
      sst =
          s.filter(p -> p.toString().endsWith(".sst"))
              .max(Comparator.comparingLong(p -> p.toFile().length()))
              .orElseThrow();
    }
    try (FileChannel ch =
        FileChannel.open(sst, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long at = ch.size() / 3;
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
      ch.read(b, at);
      b.put(0, (byte) ~b.get(0)).rewind();
      ch.write(b, at);
    }
    return sst;
  }

  static void assertSameFiles(Map<String, byte[]> before, Map<String, byte[]> after) {
    assertThat(after.keySet()).isEqualTo(before.keySet());
    before.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));
  }

  @Test
  void anAgentStartedOnAStoreWithADamagedTableExitsThreeWithAdviceAndChangesNoFile()
      throws Exception {
    assertThat(files(store).keySet()).anyMatch(n -> n.endsWith(".log") && !n.equals("LOG"));
    Path sst = damageTheLargestTable();
    Map<String, byte[]> before = files(store);

    BellwatchCliTest.Result r = BellwatchCliTest.run("run", "--config", config.toString());

    assertThat(r.status()).isEqualTo(3);
    assertThat(r.err())
        .startsWith("bellwatch: store " + store + " is damaged (")
        .contains(sst.getFileName().toString())
        .endsWith(
            "); Bellwatch has not changed it. Stop here and keep this folder as it is. Restore the latest"
                + " backup into an empty folder and set store.dir to it (README, \"Backup and restore\"); without a"
                + " backup, move this folder aside and start again with an empty store. 'bellwatch store verify"
                + " --config FILE' checks a store without changing it\n");
    assertSameFiles(before, files(store));
  }

  @Test
  void storeVerifyFindsTheDamageWithoutChangingAFile() throws Exception {
    damageTheLargestTable();
    Map<String, byte[]> before = files(store);

    BellwatchCliTest.Result r =
        BellwatchCliTest.run("store", "verify", "--config", config.toString());

    assertThat(r.status()).isEqualTo(3);
    assertThat(r.err())
        .startsWith("bellwatch: store " + store + " is damaged (")
        .contains("Restore the latest backup");
    assertSameFiles(before, files(store));
  }

  @Test
  void storeVerifyReadsAnIntactStoreChangingNoFileAndItOpensAfterwards() throws Exception {
    Map<String, byte[]> before = files(store);

    BellwatchCliTest.Result r =
        BellwatchCliTest.run("store", "verify", "--config", config.toString());

    assertThat(r.status()).isZero();
    assertThat(r.out())
        .matches(
            "store "
                + java.util.regex.Pattern.quote(store.toString())
                + " is intact: [1-9]\\d* table files \\(\\d+ bytes\\) and the write-ahead log read, every checksum matches,"
                + " schema 1\n");
    assertSameFiles(before, files(store));
    try (EventStore s = EventStore.open(store, java.time.ZoneOffset.UTC, false)) {
      assertThat(s.query(new org.bellwatch.agent.store.BlockQuery(null, null, null, 10_000)))
          .hasSize(3_050);
    }
  }
}
