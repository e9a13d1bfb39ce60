package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;

/** Writes API bodies: JSON, or CSV as a download. */
final class Responses {
  private Responses() {}

  static void json(Context ctx, JsonNode body) {
    ctx.contentType("application/json").result(body.toString());
  }

  static void csv(Context ctx, String name, JsonNode rows) {
    download(ctx, name, Csv.of(rows));
  }

  /** CSV with fixed columns: a header even when there are no rows. */
  static void csv(Context ctx, String name, java.util.List<String> columns, JsonNode rows) {
    download(ctx, name, Csv.of(columns, rows));
  }

  private static void download(Context ctx, String name, String csv) {
    ctx.contentType("text/csv; charset=utf-8")
        .header("Content-Disposition", "attachment; filename=\"bellwatch-" + name + ".csv\"")
        .result(csv);
  }
}
