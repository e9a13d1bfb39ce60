package org.bellwatch.agent.hub;

import static org.bellwatch.agent.hub.HubServer.caller;
import static org.bellwatch.agent.hub.HubServer.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * The district API ({@code /api/v1/district/...}): the schools, overview, blocks, requests, reports
 * and decisions of {@link HubApi}, each for a signed-in caller within their scope; its query
 * parameters read and refused here (400 naming the parameter).
 */
final class DistrictRoutes {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HubApi api;

  DistrictRoutes(HubApi api) {
    this.api = api;
  }

  void register(HubRoutes r) {
    r.route(
        "GET", "/api/v1/district/schools", r.signedIn(ctx -> json(ctx, api.schools(caller(ctx)))));
    r.route(
        "GET",
        "/api/v1/district/overview",
        r.signedIn(ctx -> json(ctx, api.overview(caller(ctx)))));
    r.route(
        "GET",
        "/api/v1/district/blocks",
        r.signedIn(
            ctx ->
                json(
                    ctx,
                    api.blocks(
                        caller(ctx),
                        ctx.queryParam("school"),
                        bool(ctx.queryParam("instructional")),
                        limit(ctx.queryParam("limit"))))));
    r.route(
        "GET",
        "/api/v1/district/requests",
        r.signedIn(ctx -> json(ctx, api.requests(caller(ctx), ctx.queryParam("school")))));
    r.route(
        "GET",
        "/api/v1/district/summary",
        r.signedIn(ctx -> json(ctx, api.summary(caller(ctx), range(ctx)))));
    r.route(
        "GET",
        "/api/v1/district/schools/{school}/summary",
        r.signedIn(ctx -> json(ctx, api.school(caller(ctx), ctx.pathParam("school"), range(ctx)))));
    r.route(
        "GET",
        "/api/v1/district/queue",
        r.signedIn(ctx -> json(ctx, api.queue(caller(ctx), range(ctx)))));
    r.route(
        "GET",
        "/api/v1/district/decisions",
        r.signedIn(ctx -> json(ctx, api.decisions(caller(ctx), range(ctx)))));
    r.route(
        "POST",
        "/api/v1/district/decisions",
        r.signedIn(
            ctx -> {
              if (!String.valueOf(ctx.contentType()).startsWith("application/json")) {
                throw new HubApi.Refused(415, "send the decision as application/json");
              }
              JsonNode body;
              try {
                body = JSON.readTree(ctx.bodyAsBytes());
              } catch (IOException e) {
                throw new HubApi.Refused(400, "the body is not JSON");
              }
              ctx.status(201);
              json(ctx, api.decide(caller(ctx), body));
            }));
  }

  /** A report's range from the {@code from} and {@code to} query parameters. */
  private HubApi.Range range(Context ctx) {
    return HubApi.Range.of(ctx.queryParam("from"), ctx.queryParam("to"), api.clock());
  }

  private static Boolean bool(String v) {
    if (v == null) {
      return null;
    }
    return switch (v) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw new HubApi.Refused(400, "instructional: '" + v + "' is not true or false");
    };
  }

  private static int limit(String v) {
    if (v == null) {
      return 500;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= HubApi.MAX_BLOCKS) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new HubApi.Refused(
        400, "limit: '" + v + "' is not a number from 1 to " + HubApi.MAX_BLOCKS);
  }
}
