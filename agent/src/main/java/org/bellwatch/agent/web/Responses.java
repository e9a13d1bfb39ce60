package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;

/** Writes API bodies: JSON, or CSV as a download. */
final class Responses {
  private Responses() {
  }

  static void json(Context ctx, JsonNode body) {
    ctx.contentType("application/json").result(body.toString());
  }

  static void csv(Context ctx, String name, JsonNode rows) {
    ctx.contentType("text/csv; charset=utf-8")
        .header("Content-Disposition", "attachment; filename=\"bellwatch-" + name + ".csv\"")
        .result(Csv.of(rows));
  }
}
