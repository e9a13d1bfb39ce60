package org.bellwatch.agent.web;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.bellwatch.agent.report.ReportFilter;

/**
 * Reads the filters and paging every list and report takes, refusing bad values with a 400 naming
 * them.
 */
final class QueryParams {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private QueryParams() {}

  /**
   * The request's filters, limited to the caller's sections ({@link Principal#sections()}): every
   * report and list built on this is scoped, whatever its query asks.
   */
  static ReportFilter filter(Context ctx) {
    return new ReportFilter(
        instant(ctx, "from"),
        instant(ctx, "to"),
        text(ctx, "period"),
        text(ctx, "room"),
        text(ctx, "teacher"),
        text(ctx, "section"),
        text(ctx, "category"),
        domain(ctx),
        text(ctx, "method"),
        flag(ctx, "instructional"),
        flag(ctx, "while_teaching"),
        Routes.principal(ctx).sections());
  }

  static int offset(Context ctx) {
    return number(ctx, "offset", 0, 0, Integer.MAX_VALUE);
  }

  static int limit(Context ctx) {
    return number(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
  }

  static boolean csv(Context ctx) {
    String format = ctx.queryParam("format");
    if (format == null || format.equals("json")) {
      return false;
    }
    if (format.equals("csv")) {
      return true;
    }
    throw new ApiException(400, "format: '" + format + "' must be json or csv");
  }

  static Instant instant(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new ApiException(
          400, name + ": '" + v + "' is not an ISO-8601 UTC instant such as 2026-09-15T16:00:00Z");
    }
  }

  private static String text(Context ctx, String name) {
    String v = ctx.queryParam(name);
    return v == null || v.isEmpty() ? null : v;
  }

  private static String domain(Context ctx) {
    String v = text(ctx, "domain");
    return v == null ? null : org.bellwatch.agent.parse.Domains.normalize(v);
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

  private static int number(Context ctx, String name, int def, int min, int max) {
    String v = ctx.queryParam(name);
    if (v == null || v.isEmpty()) {
      return def;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ApiException(
          400, name + ": '" + v + "' must be a whole number from " + min + " to " + max);
    }
  }
}
