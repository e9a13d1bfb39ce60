package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.report.Reports;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of the agent: {@code /health}, {@code /metrics}, {@code /api/v1/...} and the console's
 * static files. Handlers stay thin; errors become statuses here and nowhere else.
 */
public final class WebServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebServer.class);
  /**
   * The console runs only our own ES modules and styles; nothing inline, no framing, and DOM sinks
   * accept only Trusted Types, since domain names and host names shown are attacker-controlled.
   */
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
      + "require-trusted-types-for 'script'";

  /** Request attributes of the HTTP timer: when the request began and which route template matched. */
  private static final String STARTED = "bellwatch.started";
  private static final String ROUTE = "bellwatch.route";

  private final Javalin app;
  private final List<String> routes = new ArrayList<>();

  /**
   * Health as the agent reports it: the pipeline's state word, whether it counts as healthy, and what is
   * wrong with the schedule folder (null when the schedule in force is what the folder says).
   */
  public record Health(String state, boolean healthy, String scheduleProblem, List<Source> sources) {
    public Health(String state, boolean healthy, String scheduleProblem) {
      this(state, healthy, scheduleProblem, List.of());
    }
  }

  /**
   * One input source: {@code receiving}, {@code silent} (since {@code silentSince}), {@code failing}
   * ({@code error} says why), or for files {@code replaying}/{@code replayed}.
   */
  public record Source(String name, String state, java.time.Instant lastSeen, java.time.Instant silentSince,
      String error) {
  }

  public WebServer(BellwatchConfig.Site site, EventStore store, Reports reports, PrometheusMeterRegistry registry,
      Supplier<Health> health, Clock clock) {
    ObjectMapper mapper = Json.mapper();
    BlocksApi blocks = new BlocksApi(store, reports, mapper);
    ReportsApi reportsApi = new ReportsApi(reports, mapper, clock);
    app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.staticFiles.add(sf -> {
        sf.hostedPath = "/";
        sf.directory = "/console";
        sf.location = Location.CLASSPATH;
      });
    });
    // Timed by route template (set by get() below), never by raw path: a path can hold a domain name.
    app.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
    app.after(ctx -> {
      Long started = ctx.attribute(STARTED);
      String route = ctx.attribute(ROUTE);
      if (route == null) {
        route = ctx.statusCode() == 404 ? "unmatched" : "static";
      }
      BellwatchMeters.httpRequest(registry, ctx.method().name(), route, ctx.statusCode(),
          started == null ? 0 : System.nanoTime() - started);
    });
    app.before(ctx -> {
      ctx.header("Content-Security-Policy", CSP);
      ctx.header("X-Content-Type-Options", "nosniff");
      ctx.header("Referrer-Policy", "no-referrer");
      ctx.header("X-Frame-Options", "DENY");
      ctx.header("Cache-Control", "no-store");
    });
    get("/health", ctx -> {
      Health h = health.get();
      ObjectNode body = mapper.createObjectNode().put("status", h.healthy() ? "ok" : "unavailable")
          .put("pipeline", h.state())
          .put("schedule", h.scheduleProblem() == null ? "ok" : "error (previous schedule kept): " + h.scheduleProblem());
      var sources = body.putArray("sources");
      for (Source s : h.sources()) {
        sources.addObject().put("name", s.name()).put("state", s.state())
            .put("last_seen", s.lastSeen() == null ? null : s.lastSeen().toString())
            .put("silent_since", s.silentSince() == null ? null : s.silentSince().toString())
            .put("error", s.error());
      }
      ctx.status(h.healthy() ? 200 : 503).contentType("application/json").result(body.toString());
    });
    get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
        .result(registry.scrape()));
    get("/api/v1/blocks", blocks::list);
    get("/api/v1/reports/top-domains", reportsApi::topDomains);
    get("/api/v1/reports/heatmap", reportsApi::heatmap);
    get("/api/v1/reports/trend", reportsApi::trend);
    get("/api/v1/reports/breakdown/{dimension}", reportsApi::breakdown);
    get("/api/v1/domains/{domain}", reportsApi::domain);
    get("/api/v1/sections/{section}", reportsApi::section);
    String siteJson = mapper.createObjectNode().put("name", site.name()).put("timezone", site.timezone().getId())
        .toString();
    get("/api/v1/site", ctx -> ctx.contentType("application/json").result(siteJson));
    app.exception(ApiException.class, (e, ctx) -> error(ctx, mapper, e.status(), e.getMessage()));
    app.exception(StoreException.class, (e, ctx) -> {
      log.error("store read failed: {}", e.getMessage());
      error(ctx, mapper, 503, "the event store is unavailable");
    });
    app.exception(Exception.class, (e, ctx) -> {
      log.error("request {} failed", ctx.path(), e);
      error(ctx, mapper, 500, "internal error");
    });
  }

  private void get(String path, io.javalin.http.Handler handler) {
    routes.add(path);
    app.get(path, ctx -> {
      ctx.attribute(ROUTE, path);
      handler.handle(ctx);
    });
  }

  /** Every path this server answers (besides the console's static files): the OpenAPI file lists each. */
  public List<String> routes() {
    return List.copyOf(routes);
  }

  private static void error(Context ctx, ObjectMapper mapper, int status, String message) {
    ctx.status(status).contentType("application/json")
        .result(mapper.createObjectNode().put("error", message).toString());
  }

  /** Starts listening; returns the bound port (useful when configured as 0). */
  public int start(InetAddress bind, int port) {
    app.start(bind.getHostAddress(), port);
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
