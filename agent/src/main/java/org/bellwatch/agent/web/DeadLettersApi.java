package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.bellwatch.agent.metrics.DeadLetters;

/**
 * {@code GET /api/v1/status/dead-letters}: the last unparseable log lines per vendor, with their
 * reason. Admin-only: a raw line can carry user names and URLs; and shown as {@link
 * PrivacyFilter#line} lets the admin role see it (users, e-mail and IP addresses hidden or
 * pseudonymized per {@code privacy}).
 */
final class DeadLettersApi implements RouteGroup {
  private final DeadLetters letters;
  private final PrivacyFilter privacy;
  private final ObjectMapper mapper;

  DeadLettersApi(DeadLetters letters, PrivacyFilter privacy, ObjectMapper mapper) {
    this.letters = letters;
    this.privacy = privacy;
    this.mapper = mapper;
  }

  @Override
  public void register(Routes r) {
    r.add(HandlerType.GET, "/api/v1/status/dead-letters", Role.ADMIN, this::list);
  }

  void list(Context ctx) {
    Role role = Routes.principal(ctx).role();
    ObjectNode body =
        mapper
            .createObjectNode()
            .put("per_vendor_limit", letters.perVendor())
            .put("line_limit_bytes", letters.maxLineBytes());
    ArrayNode list = body.putArray("letters");
    for (DeadLetters.Letter l : letters.snapshot()) {
      list.addObject()
          .put("time", l.time().toString())
          .put("vendor", l.vendor())
          .put("source", l.source())
          .put("reason", l.reason())
          .put("line", privacy.line(l.line(), role))
          .put("truncated", l.truncated());
    }
    ctx.contentType("application/json").result(body.toString());
  }
}
