package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.security.KeyStore;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.bellwatch.agent.access.AdminToken;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.event.StorageException;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.metrics.DeadLetters;
import org.bellwatch.agent.report.Reports;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.schedule.SiteSchedule;
import org.eclipse.jetty.http.UriCompliance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of the agent: {@code /health}, {@code /metrics}, {@code /api/v1/...} and the
 * console's static files, built from route groups ({@link RouteGroup}: the *Api classes, {@link
 * HealthRoute}, {@link MetricsRoute}) over the narrow interfaces of {@link ConsoleData}. Handlers
 * stay thin; every route is guarded by who may call it ({@link Routes}); errors become statuses in
 * one place ({@link ApiErrors}).
 *
 * <p>The console's static files are public: they hold no data, and the login page is one of them.
 * Every answer carries the security headers (Jetty's own refusals too, {@link
 * RefusedRequestHeaders}); over HTTPS ({@code web.tls_cert_file}) also HSTS. Before all of that, a
 * request whose Host header does not name this console is refused with 421 ({@link HostCheck}).
 */
public final class WebServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebServer.class);

  /**
   * The console runs only our own ES modules and styles; nothing inline, no framing, and DOM sinks
   * accept only Trusted Types (and no policy may be created), since domain names and host names
   * shown are attacker-controlled.
   */
  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
          + "require-trusted-types-for 'script'; trusted-types 'none'";

  /**
   * Headers on every answer: routes, static files, and the 400s Jetty sends itself for a request it
   * cannot parse (an ambiguous or malformed path), which never reach a Javalin handler.
   */
  public static final java.util.Map<String, String> SECURITY_HEADERS =
      java.util.Collections.unmodifiableMap(
          new java.util.LinkedHashMap<>(
              java.util.Map.of(
                  "Content-Security-Policy",
                  CSP,
                  "X-Content-Type-Options",
                  "nosniff",
                  "Referrer-Policy",
                  "no-referrer",
                  "X-Frame-Options",
                  "DENY",
                  "Cross-Origin-Opener-Policy",
                  "same-origin")));

  public static final String HSTS = "max-age=31536000";

  /**
   * Request attribute of the HTTP timer: when the request began (the route template is {@link
   * Routes#ROUTE}).
   */
  private static final String STARTED = "bellwatch.started";

  /**
   * Javalin's settings and handlers; applied by {@link #start()}, once every route has been
   * registered.
   */
  private final Consumer<JavalinConfig> config;

  private Javalin app;
  private final BellwatchConfig cfg;
  private final PrivacyFilter privacy;
  private final Routes routes;

  /**
   * Health as the agent reports it: the pipeline's state word, whether it counts as healthy, and
   * what is wrong with the schedule folder (null when the schedule in force is what the folder
   * says).
   */
  public record Health(
      String state, boolean healthy, String scheduleProblem, List<Source> sources) {
    public Health(String state, boolean healthy, String scheduleProblem) {
      this(state, healthy, scheduleProblem, List.of());
    }

    /** The sources that failed: the agent runs without them, so it is degraded, not down. */
    public List<String> failing() {
      return sources.stream().filter(s -> s.state().equals("failing")).map(Source::name).toList();
    }

    /**
     * {@code unavailable} when not healthy (HTTP 503), else {@code degraded} while a source fails
     * (HTTP 200: the pipeline runs and serves what the other sources bring), else {@code ok}.
     */
    public String status() {
      return !healthy ? "unavailable" : failing().isEmpty() ? "ok" : "degraded";
    }
  }

  /**
   * One input source: {@code receiving}, {@code silent} (since {@code silentSince}), {@code
   * failing} ({@code error} says why), or for files {@code replaying}/{@code replayed}.
   */
  public record Source(
      String name,
      String state,
      java.time.Instant lastSeen,
      java.time.Instant silentSince,
      String error) {}

  /**
   * One route: method, path as registered, the least staff role that may call it, and whether
   * teachers may.
   */
  public record Operation(String method, String path, Role access, boolean teachers) {}

  /**
   * Who may call a route: the staff roles from {@code least} up (everyone for {@link
   * Role#ANONYMOUS}), and teachers when {@code teachers}, within their own sections.
   */
  public record Access(Role least, boolean teachers) {
    static Access staff(Role least) {
      return new Access(least, false);
    }

    /** The staff roles from {@code least} up, and teachers for their own sections. */
    static Access staffAndTeachers(Role least) {
      return new Access(least, true);
    }

    boolean admits(Role r) {
      return r.atLeast(least) || r == Role.TEACHER && teachers;
    }
  }

  /**
   * @param data what the routes read and keep (the agent's store, behind narrow interfaces)
   * @param site the site's schedule and inventory in force (they follow reloads of the schedule
   *     folder): names, section titles, terms, teachers' sections and rooms' networks are read at
   *     each request
   */
  public WebServer(
      BellwatchConfig cfg,
      ConsoleData data,
      Reports reports,
      Supplier<SiteModel> site,
      PrometheusMeterRegistry registry,
      BellwatchMeters meters,
      Supplier<Health> health,
      Clock clock,
      AdminToken adminToken)
      throws StorageException {
    this.cfg = cfg;
    ObjectMapper mapper = Json.mapper();
    Pseudonyms pseudonyms = new Pseudonyms(data.secrets().getOrCreate("pseudonym_key", 32));
    Supplier<SiteSchedule> schedule = () -> site.get().schedule();
    Roster roster = new Roster(schedule);
    this.privacy = new PrivacyFilter(cfg.privacy(), () -> pseudonyms, roster::canonicalUser);
    ConsoleAuth auth =
        new ConsoleAuth(
            data.accounts(),
            data.sessions(),
            data.audit(),
            clock,
            cfg.auth(),
            meters,
            roster,
            new DeviceCookies(data.secrets().getOrCreate("device_cookie_key", 32), clock));
    ReviewsApi reviewsApi =
        new ReviewsApi(
            data.reviews(),
            id -> schedule.get().section(id) != null,
            cfg.site().timezone(),
            mapper,
            clock);
    SetupToken setupToken =
        SetupToken.issueIfNoAdmin(
            data.accounts(), cfg.store().dir(), clock, cfg.auth().setupTokenTtl());
    List<RouteGroup> groups =
        List.of(
            new HealthRoute(health, mapper),
            new MetricsRoute(registry, cfg.web().metricsPublic()),
            new AuthApi(auth, data.accounts(), privacy, roster, cfg, mapper, clock),
            new OidcApi(cfg, auth, data.accounts(), mapper, clock),
            new BlocksApi(data.blocks(), mapper, privacy, roster),
            new ReportsApi(reports, mapper, clock, roster),
            reviewsApi,
            new QueueApi(
                reports,
                data.reviews(),
                reviewsApi,
                day -> schedule.get().bellScheduleOn(day) != null,
                mapper,
                clock),
            new FilterChangesApi(reviewsApi, site, cfg.site().timezone(), mapper),
            new AccountsApi(
                data.accounts(), data.audit(), auth, cfg.auth().pbkdf2Iterations(), mapper, clock),
            new SetupApi(
                setupToken, data.accounts(), auth, cfg.auth().pbkdf2Iterations(), mapper, clock),
            new SiteApi(cfg.site(), reports, roster, mapper),
            new AdminApi(data.backups(), adminToken, mapper));
    this.routes = new Routes(auth);
    groups.forEach(g -> g.register(routes));
    ConsoleConnector connector =
        ConsoleConnector.of(
            "web",
            cfg.web().bind(),
            cfg.web().port(),
            cfg.web().idleTimeout(),
            cfg.web().tlsCertFile(),
            cfg.web().tlsKeyFile());
    KeyStore keyStore = connector.keyStore();
    HostCheck hosts = HostCheck.of(cfg, keyStore);
    // Javalin 7 takes every handler in its config, so the server is made at start(), when all
    // routes are known.
    config =
        c -> {
          c.startup.showJavalinBanner = false;
          c.jetty.modifyServer(
              server -> server.setErrorHandler(new RefusedRequestHeaders(keyStore != null)));
          c.staticFiles.add(
              sf -> {
                sf.hostedPath = "/";
                sf.directory = "/console";
                sf.location = Location.CLASSPATH;
              });
          c.jetty.modifyHttpConfiguration(
              http -> {
                // Slow clients (slowloris): Jetty holds a half-read request without a thread, but
                // only this long without a byte, and only this many header bytes in all (431
                // beyond, RFC 6585 section 5).
                http.setRequestHeaderSize(cfg.web().maxRequestHeaderBytes());
                // Javalin 7 relaxes Jetty to its LEGACY URI rules (ambiguous segments and encoded
                // separators pass); Jetty's own default refuses them with 400 before any route, as
                // Jetty 11 did (RFC 3986 section 7.3).
                http.setUriCompliance(UriCompliance.DEFAULT);
              });
          c.jetty.addConnector(connector::build);
          // Timed by route template (set by the route's guard, Routes), never by raw path: a path
          // can hold a domain.
          c.routes.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
          c.routes.after(
              ctx -> {
                Long started = ctx.attribute(STARTED);
                String route = ctx.attribute(Routes.ROUTE);
                if (route == null) {
                  route = ctx.statusCode() == 404 ? "unmatched" : "static";
                }
                BellwatchMeters.httpRequest(
                    registry,
                    ctx.method().name(),
                    route,
                    ctx.statusCode(),
                    started == null ? 0 : System.nanoTime() - started);
              });
          c.routes.before(ctx -> headersAndHost(ctx, hosts, keyStore != null));
          routes.serveWith(r -> c.routes.addHttpHandler(r.method(), r.path(), r.handler()));
          c.routes.exception(Exception.class, new ApiErrors(mapper)::handle);
        };
  }

  /**
   * Every answer's headers; then a request for a host that is not a name of this console is refused
   * (421).
   */
  private static void headersAndHost(Context ctx, HostCheck hosts, boolean hsts) {
    SECURITY_HEADERS.forEach(ctx::header);
    // Static files hold no data; Javalin's static handler sets its own Cache-Control for them.
    ctx.header("Cache-Control", "no-store");
    if (hsts) {
      ctx.header("Strict-Transport-Security", HSTS);
    }
    String host = ctx.header("Host");
    if (!hosts.allows(host)) {
      ctx.attribute(Routes.ROUTE, "misdirected");
      String shown = HostCheck.host(host);
      shown = shown.length() > 100 ? shown.substring(0, 100) + "..." : shown;
      log.warn(
          "refused a request for host '{}': not a name of this console (web.allowed_hosts)", shown);
      throw new ApiException(
          421,
          "'"
              + shown
              + "' is not a name of this console: if people reach it by that"
              + " name, add it to web.allowed_hosts");
    }
  }

  /** Serves {@code GET /api/v1/status/dead-letters} ({@link DeadLettersApi}). */
  public void serveDeadLetters(DeadLetters letters) {
    new DeadLettersApi(letters, privacy, Json.mapper()).register(routes);
  }

  /**
   * Every path this server answers (besides the console's static files): the OpenAPI file lists
   * each.
   */
  public List<String> routes() {
    return routes.operations().stream().map(Operation::path).distinct().toList();
  }

  /** Every method and path with the least staff role that may call it and whether teachers may. */
  public List<Operation> operations() {
    return routes.operations();
  }

  /**
   * Makes the server with every route registered so far and starts listening on {@code web.bind}
   * and {@code web.port}; returns the bound port (useful when configured as 0).
   */
  public int start() {
    if (app != null) {
      throw new IllegalStateException("the web server was started already");
    }
    app = Javalin.create(config).start();
    return app.port();
  }

  /** {@code https} when the console has a certificate, else {@code http}. */
  public String scheme() {
    return cfg.web().tls() ? "https" : "http";
  }

  @Override
  public void close() {
    if (app != null) {
      app.stop();
    }
  }
}
