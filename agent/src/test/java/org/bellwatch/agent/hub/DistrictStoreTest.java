package org.bellwatch.agent.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.export.Messages;
import org.bellwatch.agent.store.EventStore.EventRef;
import org.bellwatch.agent.store.Outbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistrictStoreTest {
  static final java.time.ZoneId ZONE = java.time.ZoneId.of("America/New_York");
  @TempDir Path dir;

  static BlockEvent event(String time, String domain, boolean instructional) {
    return new BlockEvent(
        Instant.parse(time),
        "10.0.0.7",
        "02:00:00:00:00:07",
        "RM101-CB07",
        "s1",
        domain,
        null,
        "Games",
        "dns",
        "dns-sinkhole",
        "RM101",
        instructional ? "cls-1" : null,
        instructional ? "Course cls-1" : null,
        instructional ? "t1" : null,
        "1",
        instructional,
        List.of("dns: answer 0.0.0.0"));
  }

  /**
   * The block message the site's exporter writes for an event, read as the hub's consumer reads it.
   */
  static DistrictStore.Change block(String site, BlockEvent e, BlockEvent replaced) {
    byte[] bytes =
        Messages.block(
            site,
            "School " + site,
            new Outbox.Entry(
                1, EventRef.of(e), replaced == null ? null : EventRef.of(replaced), e));
    return new DistrictStore.Change.Block(BlockMessage.read(bytes).message());
  }

  static Map<String, List<Long>> totals(DistrictStore s) {
    Map<String, List<Long>> out = new java.util.TreeMap<>();
    s.schoolTotals().forEach((k, v) -> out.put(k, List.of(v[0], v[1])));
    return out;
  }

  static final BlockEvent GAMES = event("2026-09-15T15:10:00Z", "games.example", true);
  static final BlockEvent VIDEO = event("2026-09-15T16:10:00Z", "video.example", false);
  static final BlockEvent CHAT = event("2026-09-16T15:10:00Z", "chat.example", true);

  @Test
  void aMessageReadTwiceIsStoredAndCountedOnce() throws Exception {
    try (DistrictStore s = DistrictStore.open(dir, ZONE)) {
      s.apply(List.of(block("north", GAMES, null), block("north", VIDEO, null)));
      s.apply(List.of(block("north", GAMES, null), block("north", GAMES, null)));
      assertThat(totals(s)).isEqualTo(Map.of("north", List.of(2L, 1L)));
      assertThat(s.tallies("north"))
          .containsExactlyInAnyOrder(
              new Tallies.Row("north", "games.example", 1, 1),
              new Tallies.Row("north", "video.example", 1, 0));
      List<String> ids = new ArrayList<>();
      s.forEachBlock(null, b -> ids.add(b.school() + "/" + b.eventId()));
      assertThat(ids)
          .containsExactly(
              "north/" + Outbox.id(EventRef.of(GAMES)), "north/" + Outbox.id(EventRef.of(VIDEO)));
    }
  }

  @Test
  void anEventMovedByLateEvidenceIsCountedUnderItsNewIdOnly() throws Exception {
    BlockEvent earlier = event("2026-09-15T15:09:40Z", "games.example", false);
    try (DistrictStore s = DistrictStore.open(dir, ZONE)) {
      s.apply(List.of(block("north", GAMES, null)));
      s.apply(List.of(block("north", earlier, GAMES)));
      assertThat(totals(s)).isEqualTo(Map.of("north", List.of(1L, 0L)));
      assertThat(s.tallies(null)).containsExactly(new Tallies.Row("north", "games.example", 1, 0));
      assertThat(s.newestBlocks(null, null, 10))
          .extracting(DistrictStore.Block::eventId)
          .containsExactly(Outbox.id(EventRef.of(earlier)));
    }
  }

  /**
   * The batch's block writes go to RocksDB sorted by key: the event's put and its delete (by the
   * move) share a key and must stay in that order, the moved event's key sorting before both.
   */
  @Test
  void anEventAndItsMoveInOneBatchLeaveOnlyTheMovedEventCountedOnce() throws Exception {
    BlockEvent earlier = event("2026-09-15T15:09:40Z", "games.example", false);
    try (DistrictStore s = DistrictStore.open(dir, ZONE)) {
      s.apply(
          List.of(
              block("north", VIDEO, null),
              block("north", GAMES, null),
              block("north", earlier, GAMES)));
      assertThat(totals(s)).isEqualTo(Map.of("north", List.of(2L, 0L)));
      assertThat(s.tallies(null))
          .containsExactlyInAnyOrder(
              new Tallies.Row("north", "games.example", 1, 0),
              new Tallies.Row("north", "video.example", 1, 0));
      List<String> ids = new ArrayList<>();
      s.forEachBlock(null, b -> ids.add(b.eventId()));
      assertThat(ids)
          .containsExactly(Outbox.id(EventRef.of(earlier)), Outbox.id(EventRef.of(VIDEO)));
    }
  }

  @Test
  void newestBlocksComeNewestFirstAcrossSchoolsWithTheInstructionalFilter() throws Exception {
    try (DistrictStore s = DistrictStore.open(dir, ZONE)) {
      s.apply(
          List.of(
              block("north", GAMES, null),
              block("south", VIDEO, null),
              block("north", CHAT, null)));
      List<DistrictStore.Block> all = s.newestBlocks(null, null, 10);
      assertThat(all)
          .extracting(
              b -> b.school() + " " + b.event().get("domain").asText() + " " + b.schoolName())
          .containsExactly(
              "north chat.example School north",
              "south video.example School south",
              "north games.example School north");
      JsonNode first = all.get(0).event();
      assertThat(first.get("time").asText()).isEqualTo("2026-09-16T15:10:00.000Z");
      assertThat(first.get("instructional").asBoolean()).isTrue();
      assertThat(s.newestBlocks(null, true, 1))
          .extracting(b -> b.event().get("domain").asText())
          .containsExactly("chat.example");
      assertThat(s.newestBlocks("north", false, 10)).isEmpty();
      assertThat(s.newestBlocks("south", null, 10))
          .extracting(DistrictStore.Block::school)
          .containsExactly("south");
    }
  }

  @Test
  void talliesAreReadBackAfterAReopen() throws Exception {
    try (DistrictStore s = DistrictStore.open(dir, ZONE)) {
      s.apply(
          List.of(
              block("north", GAMES, null),
              block("south", VIDEO, null),
              block("north", CHAT, null)));
    }
    try (DistrictStore s = DistrictStore.open(dir, ZONE)) {
      assertThat(totals(s)).isEqualTo(Map.of("north", List.of(2L, 2L), "south", List.of(1L, 0L)));
      s.apply(List.of(block("north", CHAT, null)));
      assertThat(totals(s)).containsEntry("north", List.of(2L, 2L));
    }
  }

  @Test
  void aStoreWrittenBeforeTalliesIsCountedWhenOpened() throws Exception {
    // The first hub stores: four families, each block as the event with the school's name.
    org.rocksdb.RocksDB.loadLibrary();
    List<org.rocksdb.ColumnFamilyHandle> handles = new ArrayList<>();
    try (org.rocksdb.DBOptions o =
            new org.rocksdb.DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true);
        org.rocksdb.ColumnFamilyOptions cf = new org.rocksdb.ColumnFamilyOptions()) {
      List<org.rocksdb.ColumnFamilyDescriptor> families = new ArrayList<>();
      for (String name : List.of("default", "blocks", "sites", "requests")) {
        families.add(
            new org.rocksdb.ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), cf));
      }
      try (org.rocksdb.RocksDB db =
          org.rocksdb.RocksDB.open(o, dir.toString(), families, handles)) {
        for (BlockEvent e : List.of(GAMES, VIDEO)) {
          String value =
              "{\"school_name\":\"North Middle\",\"event\":"
                  + new String(
                      Messages.bytes(
                          org.bellwatch.agent.correlate.BlockEventJson.toJson(
                              new com.fasterxml.jackson.databind.ObjectMapper(), e)),
                      StandardCharsets.UTF_8)
                  + "}";
          db.put(
              handles.get(1),
              DistrictFamilies.key("north", Outbox.id(EventRef.of(e))),
              value.getBytes(StandardCharsets.UTF_8));
        }
        handles.forEach(org.rocksdb.ColumnFamilyHandle::close);
      }
    }
    try (DistrictStore s = DistrictStore.open(dir, ZONE)) {
      assertThat(s.tallies(null))
          .containsExactlyInAnyOrder(
              new Tallies.Row("north", "games.example", 1, 1),
              new Tallies.Row("north", "video.example", 1, 0));
      assertThat(s.newestBlocks("north", null, 10))
          .extracting(DistrictStore.Block::schoolName, b -> b.event().get("domain").asText())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("North Middle", "video.example"),
              org.assertj.core.groups.Tuple.tuple("North Middle", "games.example"));
      s.apply(List.of(block("north", GAMES, null)));
      assertThat(totals(s)).isEqualTo(Map.of("north", List.of(2L, 1L)));
    }
  }
}
