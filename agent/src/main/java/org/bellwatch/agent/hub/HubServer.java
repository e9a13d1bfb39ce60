package org.bellwatch.agent.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.store.StoreException;
import org.bellwatch.agent.web.Passwords;
import org.bellwatch.agent.web.WebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's HTTP API ({@code /api/v1/district/...}, {@code /health}, {@code /metrics}). Accounts come from
 * the hub's configuration and sign in with HTTP Basic authentication (RFC 7617) on every request; a
 * state-changing request must carry a JSON body ({@code Content-Type: application/json}), which a browser
 * will not send across origins without a CORS preflight that this server never grants.
 */
public final class HubServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HubServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Verified when the username is unknown, so that a wrong name costs as long as a wrong password. */
  private static final String NOBODY = Passwords.hash("no account has this password".toCharArray(), 1000);
  private final HubConfig cfg;
  private final HubApi api;
  private final Map<String, HubConfig.Account> accounts;
  private final Javalin app;
  private final java.util.SortedSet<String> routes = new java.util.TreeSet<>();

  /** What /health reports: whether consuming works, and why not. */
  public record Health(boolean consuming, String error, int schools) {
  }

  public HubServer(HubConfig cfg, HubApi api, PrometheusMeterRegistry registry, Supplier<Health> health) {
    this.cfg = cfg;
    this.api = api;
    this.accounts = cfg.accounts().stream().collect(Collectors.toMap(HubConfig.Account::username, a -> a));
    this.app = Javalin.create(c -> c.showJavalinBanner = false);
    app.before(ctx -> {
      WebServer.SECURITY_HEADERS.forEach(ctx::header);
      ctx.header("Cache-Control", "no-store");
    });
    app.exception(HubApi.Refused.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
    app.exception(StoreException.class, (e, ctx) -> {
      log.error("hub: {}", e.getMessage());
      error(ctx, 503, "the hub's store cannot be read");
    });
    app.exception(Exception.class, (e, ctx) -> {
      log.error("hub: request failed", e);
      error(ctx, 500, "internal error");
    });
    route("GET", "/health", ctx -> {
      Health h = health.get();
      ctx.status(h.consuming() ? 200 : 503).json(Map.of("status", h.consuming() ? "ok" : "unavailable",
          "schools", h.schools(), "error", h.error() == null ? "" : h.error()));
    });
    route("GET", "/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
        .result(registry.scrape()));
    route("GET", "/api/v1/district/schools", signedIn(ctx -> json(ctx, api.schools(caller(ctx)))));
    route("GET", "/api/v1/district/overview", signedIn(ctx -> json(ctx, api.overview(caller(ctx)))));
    route("GET", "/api/v1/district/blocks", signedIn(ctx -> json(ctx, api.blocks(caller(ctx),
        ctx.queryParam("school"), bool(ctx.queryParam("instructional")), limit(ctx.queryParam("limit"))))));
    route("GET", "/api/v1/district/requests", signedIn(ctx -> json(ctx, api.requests(caller(ctx),
        ctx.queryParam("school")))));
    route("POST", "/api/v1/district/decisions", signedIn(ctx -> {
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

  private void route(String method, String path, Handler handler) {
    routes.add(method + " " + path);
    if (method.equals("GET")) {
      app.get(path, handler);
    } else {
      app.post(path, handler);
    }
  }

  /** Every route as {@code METHOD path}, for the contract test against config/hub-openapi.yaml. */
  public java.util.SortedSet<String> routes() {
    return java.util.Collections.unmodifiableSortedSet(routes);
  }

  /** Starts listening; returns the port. */
  public int start() {
    app.start(cfg.bind().getHostAddress(), cfg.port());
    return app.port();
  }

  private static void json(Context ctx, Object body) {
    ctx.contentType("application/json").result(toBytes(body));
  }

  private static byte[] toBytes(Object body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void error(Context ctx, int status, String message) {
    ctx.status(status);
    if (status == 401) {
      ctx.header("WWW-Authenticate", "Basic realm=\"bellwatch-hub\", charset=\"UTF-8\"");
    }
    json(ctx, Map.of("error", message));
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
    throw new HubApi.Refused(400, "limit: '" + v + "' is not a number from 1 to " + HubApi.MAX_BLOCKS);
  }

  private static final String CALLER = "bellwatch.hub.caller";

  private static HubApi.Caller caller(Context ctx) {
    return ctx.attribute(CALLER);
  }

  private Handler signedIn(Handler inner) {
    return ctx -> {
      ctx.attribute(CALLER, authenticate(ctx.header("Authorization")));
      inner.handle(ctx);
    };
  }

  /** The account of an RFC 7617 Basic credential, or 401. */
  HubApi.Caller authenticate(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      throw new HubApi.Refused(401, "sign in (HTTP Basic authentication)");
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new HubApi.Refused(401, "the credentials are not base64");
    }
    int colon = decoded.indexOf(':');
    String user = colon < 0 ? decoded : decoded.substring(0, colon);
    char[] password = colon < 0 ? new char[0] : decoded.substring(colon + 1).toCharArray();
    HubConfig.Account a = accounts.get(user);
    boolean ok = Passwords.verify(password, a == null ? NOBODY : a.passwordHash()) && a != null;
    if (!ok) {
      throw new HubApi.Refused(401, "unknown user or wrong password");
    }
    return new HubApi.Caller(a.username(), a.role(), a.school());
  }

  @Override
  public void close() {
    app.stop();
  }
}
