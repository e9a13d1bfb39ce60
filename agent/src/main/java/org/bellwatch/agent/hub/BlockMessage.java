package org.bellwatch.agent.hub;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.regex.Pattern;
import org.bellwatch.agent.config.KafkaLink;
import org.bellwatch.agent.config.SchoolName;
import org.bellwatch.agent.export.Messages;

/**
 * A block message as the hub reads it (docs/kafka.md, "Messages"): the fields the hub keys, counts
 * and orders by, read in one streaming pass over the bytes, which the hub then stores as they came.
 * Building a tree of every message and writing the event out again cost more than the rest of the
 * hub's ingest; the stored bytes are the message itself, so nothing of the event is lost or
 * reformatted.
 *
 * @param site the site id
 * @param siteName the school's display name (the site id when the message has none)
 * @param eventId the event's id: its time in epoch microseconds and a hash, two 16-digit hex
 *     numbers, so that a school's events in key order are in time order
 * @param replaces the id the event had before late evidence moved it, or null
 * @param domain the event's {@code domain} ("" when it has none)
 * @param instructional the event's {@code instructional}
 * @param section the event's class {@code section}, or null
 * @param category the event's {@code category}, or null
 * @param bytes the message as read
 */
public record BlockMessage(
    String site,
    String siteName,
    String eventId,
    String replaces,
    String domain,
    boolean instructional,
    String section,
    String category,
    byte[] bytes) {
  private static final JsonFactory JSON = new JsonFactory();

  /** Site ids as the sites write them. */
  static final Pattern SITE = KafkaLink.SITE_ID;

  /**
   * An event id as {@code Outbox.id} writes it: {@code [0-9a-f]{16}-[0-9a-f]{16}} (checked by hand:
   * per message).
   */
  static boolean isId(String s) {
    if (s == null || s.length() != 33 || s.charAt(16) != '-') {
      return false;
    }
    for (int i = 0; i < 33; i++) {
      char c = s.charAt(i);
      if (i != 16 && !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /** The event's time in epoch microseconds: the first 16 hex digits of its id. */
  long micros() {
    return Long.parseUnsignedLong(eventId, 0, 16, 16);
  }

  /**
   * A block message, or why not: the reasons of {@link Messages#read} ({@code not_json}, {@code
   * not_an_object}, {@code unknown_version}, {@code wrong_type}), {@code bad_field} for a site id,
   * event id or event that is not as docs/kafka.md writes them and {@link #BAD_SITE_NAME}.
   */
  public record Read(BlockMessage message, String problem) {}

  /**
   * The reason a message is refused whose {@code site_name} is not text the hub may show as a
   * school's name ({@link SchoolName}): the hub puts it on every row of the school's pages.
   */
  static final String BAD_SITE_NAME = "bad_site_name";

  /** Whether a message's {@code site_name} (absent: null) may be shown as a school's name. */
  static boolean siteNameOk(com.fasterxml.jackson.databind.JsonNode name) {
    return name == null
        || name.isNull()
        || name.isTextual() && SchoolName.problem(name.asText()) == null;
  }

  public static Read read(byte[] value) {
    return read(value, new Checked());
  }

  /**
   * The site id and school name a reader last found valid: a poll's messages come a school at a
   * time, so {@link #read(byte[], Checked)} checks each school's once rather than per message. One
   * per thread.
   */
  static final class Checked {
    private String site;
    private String siteName;
  }

  /** As {@link #read(byte[])}, skipping the checks of a site id and name found valid before. */
  static Read read(byte[] value, Checked checked) {
    if (value == null) {
      return new Read(null, "not_an_object");
    }
    Fields f = new Fields();
    try (JsonParser p = JSON.createParser(value)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        p.skipChildren();
        return new Read(null, "not_an_object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (name) {
          case "v" ->
              f.version =
                  t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_STRING
                      ? p.getValueAsInt(-1)
                      : -1;
          case "type" -> f.type = text(p, t);
          case "site_id" -> f.site = text(p, t);
          case "site_name" -> {
            f.siteName = text(p, t);
            f.siteNameNull = t == JsonToken.VALUE_NULL;
          }
          case "event_id" -> f.eventId = text(p, t);
          case "replaces" -> {
            f.replaces = text(p, t);
            f.replacesOk = t == JsonToken.VALUE_NULL || isId(f.replaces);
          }
          case "event" -> event(p, t, f);
          default -> p.skipChildren();
        }
      }
    } catch (IOException e) {
      return new Read(null, "not_json");
    }
    if (f.version != Messages.VERSION) {
      return new Read(null, "unknown_version");
    }
    if (!"block".equals(f.type)) {
      return new Read(null, "wrong_type");
    }
    if (f.site == null
        || !(f.site.equals(checked.site) || SITE.matcher(f.site).matches())
        || !isId(f.eventId)
        || !f.replacesOk
        || !f.eventOk) {
      return new Read(null, "bad_field");
    }
    if (!f.siteNameNull
        && !(f.siteName != null
            && (f.siteName.equals(checked.siteName) || SchoolName.problem(f.siteName) == null))) {
      return new Read(null, BAD_SITE_NAME);
    }
    checked.site = f.site;
    checked.siteName = f.siteName;
    return new Read(
        new BlockMessage(
            f.site,
            f.siteName == null ? f.site : f.siteName,
            f.eventId,
            f.replaces,
            f.domain == null ? "" : f.domain,
            f.instructional,
            f.section,
            f.category,
            value),
        null);
  }

  /**
   * The event object's fields the hub counts by; it must be an object with a textual {@code time}.
   */
  private static void event(JsonParser p, JsonToken t, Fields f) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      p.skipChildren();
      f.eventOk = false;
      return;
    }
    boolean time = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "time" -> time = v == JsonToken.VALUE_STRING;
        case "domain" -> f.domain = text(p, v);
        case "instructional" -> f.instructional = v == JsonToken.VALUE_TRUE;
        case "section" -> f.section = text(p, v);
        case "category" -> f.category = text(p, v);
        default -> p.skipChildren();
      }
    }
    f.eventOk = time;
  }

  private static String text(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    p.skipChildren();
    return null;
  }

  /** What one pass found. */
  private static final class Fields {
    int version = -1;
    String type;
    String site;
    String siteName;

    /** Absent or null: the message has no school name (the site id stands for it). */
    boolean siteNameNull = true;

    String eventId;
    String replaces;
    boolean replacesOk = true;
    boolean eventOk;
    String domain;
    boolean instructional;
    String section;
    String category;
  }
}
