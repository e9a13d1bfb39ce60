package org.bellwatch.agent.correlate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.event.Times;

/**
 * The JSON form of a {@link BlockEvent} (DESIGN.md "Block events"): snake_case keys in a fixed
 * order.
 */
public final class BlockEventJson {
  private BlockEventJson() {}

  /** The event as a tree: the fields {@link #write} writes, the one list of them. */
  public static ObjectNode toJson(ObjectMapper m, BlockEvent e) {
    try (TokenBuffer tokens = new TokenBuffer(m, false)) {
      write(tokens, e);
      return (ObjectNode) m.readTree(tokens.asParser());
    } catch (IOException x) {
      throw new IllegalStateException("JSON written to memory cannot fail", x);
    }
  }

  /**
   * Writes the event field by field to a generator: the site's exporter writes every event it sends
   * this way, where building a tree of each and serialising it was most of its CPU.
   */
  public static void write(JsonGenerator g, BlockEvent e) throws IOException {
    g.writeStartObject();
    g.writeStringField("time", Times.iso(e.time()));
    g.writeStringField("client_ip", e.clientIp());
    g.writeStringField("mac", e.mac());
    g.writeStringField("hostname", e.hostname());
    g.writeStringField("user", e.user());
    g.writeStringField("domain", e.domain());
    g.writeStringField("url", e.url());
    g.writeStringField("category", e.category());
    g.writeStringField("source", e.source());
    g.writeStringField("method", e.method());
    g.writeStringField("room", e.room());
    g.writeStringField("section", e.section());
    g.writeStringField("course", e.course());
    g.writeStringField("teacher", e.teacher());
    g.writeStringField("period", e.period());
    g.writeBooleanField("instructional", e.instructional());
    g.writeBooleanField("while_teaching", e.whileTeaching());
    g.writeArrayFieldStart("evidence");
    for (String line : e.evidence()) {
      g.writeString(line);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  public static BlockEvent fromJson(JsonNode o) {
    List<String> evidence = new ArrayList<>();
    o.path("evidence").forEach(n -> evidence.add(n.asText()));
    return new BlockEvent(
        Times.parse(o.get("time").asText()),
        text(o, "client_ip"),
        text(o, "mac"),
        text(o, "hostname"),
        text(o, "user"),
        text(o, "domain"),
        text(o, "url"),
        text(o, "category"),
        text(o, "source"),
        text(o, "method"),
        text(o, "room"),
        text(o, "section"),
        text(o, "course"),
        text(o, "teacher"),
        text(o, "period"),
        o.path("instructional").asBoolean(),
        o.path("while_teaching").asBoolean(false),
        evidence);
  }

  private static String text(JsonNode o, String key) {
    JsonNode n = o.get(key);
    return n == null || n.isNull() ? null : n.asText();
  }
}
