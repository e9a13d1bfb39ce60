package org.bellwatch.agent.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The value encoding of the console's records: one JSON object with a {@code v} version, so that a
 * later Bellwatch can read (and migrate) what an earlier one wrote, and refuse what a newer one
 * wrote.
 */
final class Records {
  static final ObjectMapper JSON = new ObjectMapper();

  private Records() {}

  static ObjectNode object(int version) {
    return JSON.createObjectNode().put("v", version);
  }

  static byte[] bytes(ObjectNode o) {
    try {
      return JSON.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode read(byte[] value, int maxVersion, String what) throws StoreException {
    try {
      JsonNode n = JSON.readTree(value);
      if (n == null
          || !n.isObject()
          || n.path("v").asInt(0) < 1
          || n.path("v").asInt() > maxVersion) {
        throw new StoreException(
            "store: "
                + what
                + " record has version "
                + (n == null ? "none" : n.path("v"))
                + ", this Bellwatch reads up to "
                + maxVersion
                + "; upgrade Bellwatch",
            null);
      }
      return n;
    } catch (IOException e) {
      throw new StoreException("store: " + what + " record is not readable: " + e.getMessage(), e);
    }
  }

  static String text(JsonNode o, String key) {
    JsonNode n = o.get(key);
    return n == null || n.isNull() ? null : n.asText();
  }

  static Instant instant(JsonNode o, String key) {
    String t = text(o, key);
    return t == null ? null : Instant.parse(t);
  }

  static String iso(Instant t) {
    return t == null ? null : t.toString();
  }

  static LocalDate date(JsonNode o, String key) {
    String d = text(o, key);
    return d == null ? null : LocalDate.parse(d);
  }

  static String iso(LocalDate d) {
    return d == null ? null : d.toString();
  }
}
