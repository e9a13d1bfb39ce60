package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Reads JSON request bodies, refusing bad ones with a 400 that names the field. */
final class Bodies {
  private static final int MAX_BODY_CHARS = 64 * 1024;

  private Bodies() {}

  static JsonNode object(Context ctx, ObjectMapper mapper) {
    String body = ctx.body();
    if (body.length() > MAX_BODY_CHARS) {
      throw new ApiException(413, "request body over " + MAX_BODY_CHARS + " characters");
    }
    try {
      JsonNode n = mapper.readTree(body);
      if (n == null || !n.isObject()) {
        throw new ApiException(400, "the body must be a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new ApiException(400, "the body is not JSON");
    }
  }

  /** A text field; null when absent and not required. */
  static String text(JsonNode o, String key, boolean required, int maxChars) {
    JsonNode n = o.get(key);
    if (n == null || n.isNull() || n.isTextual() && n.asText().isBlank()) {
      if (required) {
        throw new ApiException(400, key + ": is required");
      }
      return null;
    }
    if (!n.isTextual()) {
      throw new ApiException(400, key + ": must be text");
    }
    if (n.asText().length() > maxChars) {
      throw new ApiException(400, key + ": longer than " + maxChars + " characters");
    }
    return n.asText().strip();
  }

  /** A date field ({@code YYYY-MM-DD}); null when absent. */
  static LocalDate date(JsonNode o, String key) {
    JsonNode n = o.get(key);
    if (n == null || n.isNull() || n.isTextual() && n.asText().isBlank()) {
      return null;
    }
    try {
      if (n.isTextual()) {
        return LocalDate.parse(n.asText().strip());
      }
    } catch (DateTimeParseException e) {
      // Refused below, with the value.
    }
    throw new ApiException(400, key + ": '" + n.asText() + "' is not a date such as 2026-09-15");
  }

  static Boolean bool(JsonNode o, String key) {
    JsonNode n = o.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isBoolean()) {
      throw new ApiException(400, key + ": must be true or false");
    }
    return n.asBoolean();
  }

  static List<String> texts(JsonNode o, String key, int maxItems, int maxChars) {
    JsonNode n = o.get(key);
    List<String> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray() || n.size() > maxItems) {
      throw new ApiException(400, key + ": must be a list of at most " + maxItems + " texts");
    }
    for (JsonNode x : n) {
      if (!x.isTextual() || x.asText().isBlank() || x.asText().length() > maxChars) {
        throw new ApiException(
            400, key + ": items must be text of 1 to " + maxChars + " characters");
      }
      if (!out.contains(x.asText().strip())) {
        out.add(x.asText().strip());
      }
    }
    return out;
  }
}
