package org.bellwatch.agent.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.bellwatch.agent.export.Messages;
import org.bellwatch.agent.store.EventStore.EventRef;
import org.bellwatch.agent.store.Outbox;
import org.junit.jupiter.api.Test;

class BlockMessageTest {
  static BlockMessage.Read read(String json) {
    return BlockMessage.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aMessageAsTheExporterWritesItIsReadWithItsBytesKept() {
    byte[] bytes =
        Messages.block(
            "north",
            "North Middle",
            new Outbox.Entry(
                3,
                EventRef.of(DistrictStoreTest.GAMES),
                EventRef.of(DistrictStoreTest.VIDEO),
                DistrictStoreTest.GAMES));
    BlockMessage.Read r = BlockMessage.read(bytes);
    assertThat(r.problem()).isNull();
    assertThat(r.message())
        .isEqualTo(
            new BlockMessage(
                "north",
                "North Middle",
                Outbox.id(EventRef.of(DistrictStoreTest.GAMES)),
                Outbox.id(EventRef.of(DistrictStoreTest.VIDEO)),
                "games.example",
                true,
                "cls-1",
                "Games",
                bytes));
  }

  @Test
  void unusableMessagesAreNamedByReason() {
    String event = "\"event\":{\"time\":\"2026-09-15T15:10:00Z\",\"domain\":\"games.example\"}";
    String id = "\"event_id\":\"00065b72b026dc00-d3f78fe8e43e3704\"";
    assertThat(read("{\"v\":1,").problem()).isEqualTo("not_json");
    assertThat(read("[1]").problem()).isEqualTo("not_an_object");
    assertThat(
            read("{\"v\":2,\"type\":\"block\",\"site_id\":\"north\"," + id + "," + event + "}")
                .problem())
        .isEqualTo("unknown_version");
    assertThat(read("{\"v\":1,\"type\":\"health\",\"site_id\":\"north\"}").problem())
        .isEqualTo("wrong_type");
    assertThat(
            read("{\"v\":1,\"type\":\"block\",\"site_id\":\"North!\"," + id + "," + event + "}")
                .problem())
        .isEqualTo("bad_field");
    assertThat(
            read("{\"v\":1,\"type\":\"block\",\"site_id\":\"north\",\"event_id\":\"x\","
                    + event
                    + "}")
                .problem())
        .isEqualTo("bad_field");
    assertThat(
            read("{\"v\":1,\"type\":\"block\",\"site_id\":\"north\","
                    + id
                    + ",\"event\":{\"domain\":\"a.example\"}}")
                .problem())
        .isEqualTo("bad_field");
    assertThat(
            read("{\"v\":1,\"type\":\"block\",\"site_id\":\"north\","
                    + id
                    + ",\"replaces\":7,"
                    + event
                    + "}")
                .problem())
        .isEqualTo("bad_field");
    assertThat(
            read("{\"type\":\"block\",\"site_id\":\"north\"," + id + "," + event + ",\"v\":1}")
                .message()
                .domain())
        .isEqualTo("games.example");
  }

  @Test
  void aReaderThatFoundOneSchoolsIdAndNameValidStillRefusesTheNextMessagesBadOnes() {
    String rest =
        "\"event_id\":\"00065b72b026dc00-d3f78fe8e43e3704\","
            + "\"event\":{\"time\":\"2026-09-15T15:10:00Z\",\"domain\":\"games.example\"}}";
    BlockMessage.Checked checked = new BlockMessage.Checked();
    String good = "{\"v\":1,\"type\":\"block\",\"site_id\":\"north\",\"site_name\":\"North\",";
    assertThat(BlockMessage.read((good + rest).getBytes(StandardCharsets.UTF_8), checked).problem())
        .isNull();
    assertThat(
            BlockMessage.read(
                    ("{\"v\":1,\"type\":\"block\",\"site_id\":\"north!\",\"site_name\":\"North\","
                            + rest)
                        .getBytes(StandardCharsets.UTF_8),
                    checked)
                .problem())
        .isEqualTo("bad_field");
    assertThat(
            BlockMessage.read(
                    ("{\"v\":1,\"type\":\"block\",\"site_id\":\"north\",\"site_name\":\"North\\u202e\","
                            + rest)
                        .getBytes(StandardCharsets.UTF_8),
                    checked)
                .problem())
        .isEqualTo(BlockMessage.BAD_SITE_NAME);
    assertThat(
            BlockMessage.read(
                    ("{\"v\":1,\"type\":\"block\",\"site_id\":\"north\",\"site_name\":7," + rest)
                        .getBytes(StandardCharsets.UTF_8),
                    checked)
                .problem())
        .isEqualTo(BlockMessage.BAD_SITE_NAME);
    assertThat(BlockMessage.read((good + rest).getBytes(StandardCharsets.UTF_8), checked).message())
        .extracting(BlockMessage::site, BlockMessage::siteName)
        .containsExactly("north", "North");
  }
}
