package org.bellwatch.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.bellwatch.agent.correlate.BlockEventJson;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.store.EventStore.EventRef;
import org.bellwatch.agent.store.Outbox;
import org.junit.jupiter.api.Test;

class MessagesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The message as a tree of its fields, as the exporter built it before it wrote them directly.
   */
  private static byte[] asTree(String site, String name, Outbox.Entry entry) throws Exception {
    ObjectNode o = JSON.createObjectNode();
    o.put("v", Messages.VERSION);
    o.put("type", "block");
    o.put("site_id", site);
    o.put("site_name", name);
    o.put(
        "event_id",
        String.format(Locale.ROOT, "%016x-%016x", entry.ref().micros(), entry.ref().suffix()));
    o.put(
        "replaces",
        entry.replaced() == null
            ? null
            : String.format(
                Locale.ROOT, "%016x-%016x", entry.replaced().micros(), entry.replaced().suffix()));
    o.set("event", BlockEventJson.toJson(JSON, entry.event()));
    return JSON.writeValueAsBytes(o);
  }

  @Test
  void aBlockMessageHasTheBytesOfItsJsonTreeWithNullsQuotesAndNonAsciiText() throws Exception {
    BlockEvent e =
        new BlockEvent(
            Instant.parse("2026-09-15T15:10:00.123456Z"),
            "10.0.0.7",
            null,
            "Chromebook \"7\"\tRM101",
            "zoë@example.org",
            "spiele.example",
            "https://spiele.example/a?b=c&d=\u00e9\u2028",
            null,
            "squid",
            "proxy-deny",
            "RM101",
            "cls-1",
            "Math \\ 7",
            "t1",
            "1",
            true,
            false,
            List.of("squid: TCP_DENIED/403", "dns: \u0001 control"));
    BlockEvent later =
        new BlockEvent(
            Instant.parse("2026-09-15T15:10:01Z"),
            "10.0.0.8",
            "02:00:00:00:00:08",
            null,
            null,
            "chat.example",
            null,
            "Chat",
            "dns",
            "dns-sinkhole",
            null,
            null,
            null,
            null,
            null,
            false,
            false,
            List.of());
    for (Outbox.Entry entry :
        List.of(
            new Outbox.Entry(1, EventRef.of(e), null, e),
            new Outbox.Entry(2, EventRef.of(later), EventRef.of(e), later),
            new Outbox.Entry(3, new EventRef(0, -1), null, later))) {
      assertThat(new String(Messages.block("north-ms", "North Middle «N»", entry), "UTF-8"))
          .isEqualTo(new String(asTree("north-ms", "North Middle «N»", entry), "UTF-8"));
    }
  }

  @Test
  void aBlockKeyIsRecognisedOnlyWhenItIsExactlyTheSiteASlashAndTheEventId() {
    String id = "00065b72b026dc00-d3f78fe8e43e3704";
    assertThat(Messages.isBlockKey(Messages.blockKey("north", id), "north", id)).isTrue();
    assertThat(Messages.isBlockKey("north/" + id, "nort", id)).isFalse();
    assertThat(Messages.isBlockKey("northx" + id, "north", id)).isFalse();
    assertThat(Messages.isBlockKey("north/" + id + "0", "north", id)).isFalse();
    assertThat(Messages.isBlockKey("south/" + id, "north", id)).isFalse();
    assertThat(Messages.isBlockKey(null, "north", id)).isFalse();
  }
}
