package org.bellwatch.agent.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import org.bellwatch.agent.correlate.BlockEventJson;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.store.Outbox;

/**
 * The district messages (docs/kafka.md): one JSON object each, with a format version {@code v} and
 * a {@code type}. A reader takes the versions it knows and names the others as a counted reason;
 * fields added within a version are ignored by older readers.
 */
public final class Messages {
  public static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private Messages() {}

  /**
   * The key of a block message: site id, then event id, so a republished event replaces its first
   * copy.
   */
  public static String blockKey(String siteId, String eventId) {
    return siteId + "/" + eventId;
  }

  /**
   * Whether {@code key} is {@link #blockKey}{@code (siteId, eventId)}; compared in place, since the
   * hub asks it of every message.
   */
  public static boolean isBlockKey(String key, String siteId, String eventId) {
    int s = siteId.length();
    return key != null
        && key.length() == s + 1 + eventId.length()
        && key.startsWith(siteId)
        && key.charAt(s) == '/'
        && key.startsWith(eventId, s + 1);
  }

  /**
   * A block message: the head, the event's id and the id it replaces, and the event. Written
   * straight to bytes with a generator, as a tree of the same fields would serialise: the exporter
   * writes one per stored event, and building and serialising a tree of each was most of its CPU.
   */
  public static byte[] block(String siteId, String siteName, Outbox.Entry entry) {
    ByteArrayBuilder out = new ByteArrayBuilder(1_024);
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("v", VERSION);
      g.writeStringField("type", "block");
      g.writeStringField("site_id", siteId);
      g.writeStringField("site_name", siteName);
      g.writeStringField("event_id", Outbox.id(entry.ref()));
      g.writeStringField("replaces", entry.replaced() == null ? null : Outbox.id(entry.replaced()));
      g.writeFieldName("event");
      BlockEventJson.write(g, entry.event());
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("JSON written to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  /**
   * Domains listed in a rollup message, the most blocked first: at most about 600 KB of JSON even
   * with 253-character names, under the broker's default 1 MB message limit ({@code
   * message.max.bytes}). The rest are summed in {@code left_out}, so the day's totals stay exact.
   */
  static final int ROLLUP_DOMAINS = 2_000;

  /** The key of a rollup message: site id, then the school-local day, one key per site and day. */
  public static String rollupKey(String siteId, LocalDate day) {
    return siteId + "/" + day;
  }

  /**
   * A school day's rollup as stored now: totals, then the domains with at least one attempt, the
   * most blocked first (up to {@link #ROLLUP_DOMAINS}; the rest summed in {@code left_out}).
   */
  public static byte[] rollup(
      String siteId,
      String siteName,
      ZoneId zone,
      LocalDate day,
      List<EventStore.DailyCount> counts,
      Instant asOf) {
    ObjectNode o = head("rollup", siteId, siteName);
    o.put("day", day.toString());
    o.put("timezone", zone.getId());
    o.put("as_of", asOf.toString());
    List<EventStore.DailyCount> rows =
        counts.stream()
            .filter(c -> c.attempts() > 0)
            .sorted(
                Comparator.comparingLong(EventStore.DailyCount::attempts)
                    .reversed()
                    .thenComparing(EventStore.DailyCount::domain))
            .toList();
    long[] total = new long[2];
    long[] left = new long[3];
    ArrayNode domains = JSON.createArrayNode();
    for (int i = 0; i < rows.size(); i++) {
      EventStore.DailyCount c = rows.get(i);
      total[0] += c.attempts();
      total[1] += c.instructional();
      if (i < ROLLUP_DOMAINS) {
        domains
            .addObject()
            .put("domain", c.domain())
            .put("attempts", c.attempts())
            .put("instructional", c.instructional());
      } else {
        left[0]++;
        left[1] += c.attempts();
        left[2] += c.instructional();
      }
    }
    o.put("attempts", total[0]);
    o.put("instructional", total[1]);
    o.set("domains", domains);
    o.putObject("left_out")
        .put("domains", left[0])
        .put("attempts", left[1])
        .put("instructional", left[2]);
    return bytes(o);
  }

  /** A review request made at the site, going up to the district; its id is its time and domain. */
  public static byte[] request(String siteId, String siteName, String domain, Review.Entry e) {
    ObjectNode o = head("request", siteId, siteName);
    o.put("request_id", micros(e.time()) + ":" + domain);
    o.put("time", e.time().toString());
    o.put("domain", domain);
    o.put("role", e.role());
    o.put("reason", e.reason());
    ArrayNode sections = o.putArray("sections");
    e.sections().forEach(sections::add);
    o.put("url_prefix", e.urlPrefix());
    o.put("need_from", e.needFrom() == null ? null : e.needFrom().toString());
    o.put("need_until", e.needUntil() == null ? null : e.needUntil().toString());
    return bytes(o);
  }

  /** Epoch microseconds of an instant. */
  public static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }

  public static byte[] health(
      String siteId, String siteName, Instant time, String status, long exportPending) {
    ObjectNode o = head("health", siteId, siteName);
    o.put("time", time.toString());
    o.put("status", status);
    o.put("export_pending", exportPending);
    return bytes(o);
  }

  private static ObjectNode head(String type, String siteId, String siteName) {
    ObjectNode o = JSON.createObjectNode();
    o.put("v", VERSION);
    o.put("type", type);
    o.put("site_id", siteId);
    o.put("site_name", siteName);
    return o;
  }

  public static byte[] bytes(JsonNode o) {
    try {
      return JSON.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new IllegalStateException("JSON of a tree cannot fail to write", e);
    }
  }

  public static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /**
   * A message read from a topic, or a named reason why not: {@code not_json}, {@code
   * not_an_object}, {@code unknown_version}, {@code wrong_type}.
   */
  public record Read(ObjectNode message, String problem) {}

  public static Read read(byte[] value, String type) {
    JsonNode n;
    try {
      n = value == null ? null : JSON.readTree(value);
    } catch (IOException e) {
      return new Read(null, "not_json");
    }
    if (!(n instanceof ObjectNode o)) {
      return new Read(null, "not_an_object");
    }
    if (o.path("v").asInt(-1) != VERSION) {
      return new Read(null, "unknown_version");
    }
    if (!type.equals(o.path("type").asText())) {
      return new Read(null, "wrong_type");
    }
    return new Read(o, null);
  }
}
