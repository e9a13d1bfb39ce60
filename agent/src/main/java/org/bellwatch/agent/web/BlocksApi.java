package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.bellwatch.agent.correlate.BlockEvent;
import org.bellwatch.agent.correlate.BlockEventJson;
import org.bellwatch.agent.store.BlockQuery;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.store.StoreException;

/** {@code GET /api/v1/blocks}: block events, newest first, filtered by time and instructional flag. */
final class BlocksApi {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final EventStore store;
  private final ObjectMapper mapper;

  BlocksApi(EventStore store, ObjectMapper mapper) {
    this.store = store;
    this.mapper = mapper;
  }

  void list(Context ctx) throws StoreException {
    BlockQuery q = new BlockQuery(instant(ctx, "from"), instant(ctx, "to"), flag(ctx, "instructional"),
        limit(ctx));
    List<BlockEvent> events = store.query(q);
    ObjectNode body = mapper.createObjectNode();
    ArrayNode blocks = body.putArray("blocks");
    events.forEach(e -> blocks.add(BlockEventJson.toJson(mapper, e)));
    body.put("count", events.size());
    body.put("limit", q.limit());
    ctx.contentType("application/json").result(body.toString());
  }

  private static Instant instant(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new ApiException(400, name + ": '" + v + "' is not an ISO-8601 UTC instant such as 2026-09-15T16:00:00Z");
    }
  }

  private static Boolean flag(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    return switch (v) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw new ApiException(400, name + ": '" + v + "' must be true or false");
    };
  }

  private static int limit(Context ctx) {
    String v = ctx.queryParam("limit");
    if (v == null || v.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 1 || n > MAX_LIMIT) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ApiException(400, "limit: '" + v + "' must be a whole number from 1 to " + MAX_LIMIT);
    }
  }
}
