package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import org.bellwatch.agent.event.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failed request becomes a status (DESIGN.md, habit 10), always as {@code
 * {"error": message}}: an {@link ApiException} carries its own status (and Retry-After); what the
 * agent keeps being unreadable is 503; anything else is 500, logged with its stack, its message not
 * shown.
 */
final class ApiErrors {
  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);
  private final ObjectMapper mapper;

  ApiErrors(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  void handle(Exception e, Context ctx) {
    if (e instanceof ApiException api) {
      if (api.retryAfterSecs() > 0) {
        ctx.header("Retry-After", Long.toString(api.retryAfterSecs()));
      }
      error(ctx, api.status(), api.getMessage());
    } else if (e instanceof StorageException) {
      log.error("store read failed: {}", e.getMessage());
      error(ctx, 503, "the event store is unavailable");
    } else {
      log.error("request {} failed", ctx.path(), e);
      error(ctx, 500, "internal error");
    }
  }

  private void error(Context ctx, int status, String message) {
    ctx.status(status)
        .contentType("application/json")
        .result(mapper.createObjectNode().put("error", message).toString());
  }
}
