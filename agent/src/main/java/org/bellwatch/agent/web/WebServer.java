package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.KeyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.metrics.DeadLetters;
import org.bellwatch.agent.report.Reports;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.schedule.SiteSchedule;
import org.bellwatch.agent.store.AdminToken;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.store.StoreException;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of the agent: {@code /health}, {@code /metrics}, {@code /api/v1/...} and the console's
 * static files. Handlers stay thin; errors become statuses here and nowhere else.
 *
 * <p>Design note. Every route is registered with who may call it ({@link Access}: the least staff
 * {@link Role}, and whether teachers may too), and one guard ({@link #guard}) enforces it before the
 * handler runs: anonymous callers get 401, roles the route does not admit get 403. A teacher is admitted
 * only where a route says so, and what it then reads is limited to its own sections by the principal's
 * scope ({@link QueryParams#filter}). State-changing methods (POST, PUT, PATCH, DELETE) must also come from this origin
 * (Origin or Referer naming this host) and, once logged in, carry the session's CSRF token in
 * {@value ConsoleAuth#CSRF_HEADER}. The console's static files are public: they hold no data, and the
 * login page is one of them. Over HTTPS ({@code web.tls_cert_file}) every answer carries HSTS. Before all
 * of that, a request whose Host header does not name this console is refused with 421 ({@link HostCheck}).
 */
public final class WebServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebServer.class);
  /**
   * The console runs only our own ES modules and styles; nothing inline, no framing, and DOM sinks
   * accept only Trusted Types (and no policy may be created), since domain names and host names shown
   * are attacker-controlled.
   */
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
      + "require-trusted-types-for 'script'; trusted-types 'none'";
  /**
   * Headers on every answer: routes, static files, and the 400s Jetty sends itself for a request it cannot
   * parse (an ambiguous or malformed path), which never reach a Javalin handler.
   */
  public static final java.util.Map<String, String> SECURITY_HEADERS = java.util.Collections.unmodifiableMap(
      new java.util.LinkedHashMap<>(java.util.Map.of("Content-Security-Policy", CSP, "X-Content-Type-Options", "nosniff",
          "Referrer-Policy", "no-referrer", "X-Frame-Options", "DENY", "Cross-Origin-Opener-Policy", "same-origin")));
  private static final String HSTS = "max-age=31536000";
  private static final String PRINCIPAL = "bellwatch.principal";
  private static final Set<HandlerType> STATE_CHANGING = Set.of(HandlerType.POST, HandlerType.PUT,
      HandlerType.PATCH, HandlerType.DELETE);

  /** Request attributes of the HTTP timer: when the request began and which route template matched. */
  private static final String STARTED = "bellwatch.started";
  private static final String ROUTE = "bellwatch.route";

  private final Javalin app;
  private final BellwatchConfig cfg;
  private final ConsoleAuth auth;
  private final PrivacyFilter privacy;
  private final List<Operation> operations = new ArrayList<>();

  /**
   * Health as the agent reports it: the pipeline's state word, whether it counts as healthy, and what is
   * wrong with the schedule folder (null when the schedule in force is what the folder says).
   */
  public record Health(String state, boolean healthy, String scheduleProblem, List<Source> sources) {
    public Health(String state, boolean healthy, String scheduleProblem) {
      this(state, healthy, scheduleProblem, List.of());
    }

    /** The sources that failed: the agent runs without them, so it is degraded, not down. */
    public List<String> failing() {
      return sources.stream().filter(s -> s.state().equals("failing")).map(Source::name).toList();
    }

    /**
     * {@code unavailable} when not healthy (HTTP 503), else {@code degraded} while a source fails (HTTP 200:
     * the pipeline runs and serves what the other sources bring), else {@code ok}.
     */
    public String status() {
      return !healthy ? "unavailable" : failing().isEmpty() ? "ok" : "degraded";
    }
  }

  /**
   * One input source: {@code receiving}, {@code silent} (since {@code silentSince}), {@code failing}
   * ({@code error} says why), or for files {@code replaying}/{@code replayed}.
   */
  public record Source(String name, String state, java.time.Instant lastSeen, java.time.Instant silentSince,
      String error) {
  }

  /** One route: method, path as registered, the least staff role that may call it, and whether teachers may. */
  public record Operation(String method, String path, Role access, boolean teachers) {
  }

  /**
   * Who may call a route: the staff roles from {@code least} up (everyone for {@link Role#ANONYMOUS}), and
   * teachers when {@code teachers}, within their own sections.
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
   * @param site the site's schedule and inventory in force (they follow reloads of the schedule folder):
   *             names, section titles, terms, teachers' sections and rooms' networks are read at each request
   */
  public WebServer(BellwatchConfig cfg, EventStore store, Reports reports, Supplier<SiteModel> site,
      PrometheusMeterRegistry registry, BellwatchMeters meters, Supplier<Health> health, Clock clock,
      AdminToken adminToken) throws StoreException {
    this.cfg = cfg;
    ObjectMapper mapper = Json.mapper();
    Pseudonyms pseudonyms = new Pseudonyms(store.secrets().getOrCreate("pseudonym_key", 32));
    Supplier<SiteSchedule> schedule = () -> site.get().schedule();
    Roster roster = new Roster(schedule);
    this.privacy = new PrivacyFilter(cfg.privacy(), () -> pseudonyms, roster::canonicalUser);
    this.auth = new ConsoleAuth(store.accounts(), store.sessions(), store.auditLog(), clock, cfg.auth(), meters,
        roster, new DeviceCookies(store.secrets().getOrCreate("device_cookie_key", 32), clock));
    BlocksApi blocks = new BlocksApi(store, reports, mapper, privacy, roster);
    ReportsApi reportsApi = new ReportsApi(reports, mapper, clock, roster);
    AuthApi authApi = new AuthApi(auth, store.accounts(), privacy, roster, cfg, mapper, clock);
    AccountsApi accountsApi = new AccountsApi(store.accounts(), store.auditLog(), auth, cfg.auth().pbkdf2Iterations(),
        mapper, clock);
    ReviewsApi reviewsApi = new ReviewsApi(store.reviews(), id -> schedule.get().section(id) != null,
        cfg.site().timezone(), mapper, clock);
    QueueApi queueApi = new QueueApi(reports, store.reviews(), reviewsApi,
        day -> schedule.get().bellScheduleOn(day) != null, mapper, clock);
    FilterChangesApi filterChanges = new FilterChangesApi(reviewsApi, site, cfg.site().timezone(), mapper);
    OidcApi oidcApi = new OidcApi(cfg, auth, store.accounts(), mapper, clock);
    SetupApi setupApi = new SetupApi(SetupToken.issueIfNoAdmin(store.accounts(), cfg.store().dir(), clock,
        cfg.auth().setupTokenTtl()), store.accounts(), auth, cfg.auth().pbkdf2Iterations(), mapper, clock);
    KeyStore keyStore = cfg.web().tls() ? keyStore(cfg.web()) : null;
    app = Javalin.create(c -> {
      c.showJavalinBanner = false;
      boolean hsts = keyStore != null;
      c.jetty.modifyServer(server -> server.setErrorHandler(new org.eclipse.jetty.server.handler.ErrorHandler() {
        @Override
        public java.nio.ByteBuffer badMessageError(int status, String reason,
            org.eclipse.jetty.http.HttpFields.Mutable fields) {
          SECURITY_HEADERS.forEach(fields::put);
          fields.put("Cache-Control", "no-store");
          if (hsts) {
            fields.put("Strict-Transport-Security", HSTS);
          }
          return super.badMessageError(status, reason, fields);
        }
      }));
      c.staticFiles.add(sf -> {
        sf.hostedPath = "/";
        sf.directory = "/console";
        sf.location = Location.CLASSPATH;
      });
      // Slow clients (slowloris): Jetty holds a half-read request without a thread, but only this long
      // without a byte, and only this many header bytes in all (431 beyond, RFC 6585 section 5).
      c.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(cfg.web().maxRequestHeaderBytes()));
      c.jetty.addConnector((server, http) -> connector(server, http, cfg.web(), keyStore));
    });
    // Timed by route template (set by route() below), never by raw path: a path can hold a domain name.
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
    HostCheck hosts = HostCheck.of(cfg, keyStore);
    app.before(ctx -> {
      SECURITY_HEADERS.forEach(ctx::header);
      // Static files hold no data; Javalin's static handler sets its own Cache-Control for them.
      ctx.header("Cache-Control", "no-store");
      if (keyStore != null) {
        ctx.header("Strict-Transport-Security", HSTS);
      }
      String host = ctx.header("Host");
      if (!hosts.allows(host)) {
        ctx.attribute(ROUTE, "misdirected");
        String shown = HostCheck.host(host);
        shown = shown.length() > 100 ? shown.substring(0, 100) + "..." : shown;
        log.warn("refused a request for host '{}': not a name of this console (web.allowed_hosts)", shown);
        throw new ApiException(421, "'" + shown + "' is not a name of this console: if people reach it by that"
            + " name, add it to web.allowed_hosts");
      }
    });
    route(HandlerType.GET, "/health", Role.ANONYMOUS, ctx -> {
      Health h = health.get();
      ObjectNode body = mapper.createObjectNode().put("status", h.status())
          .put("pipeline", h.state())
          .put("schedule", h.scheduleProblem() == null ? "ok" : "error (previous schedule kept): " + h.scheduleProblem());
      h.failing().forEach(body.putArray("failing")::add);
      var sources = body.putArray("sources");
      for (Source s : h.sources()) {
        sources.addObject().put("name", s.name()).put("state", s.state())
            .put("last_seen", s.lastSeen() == null ? null : s.lastSeen().toString())
            .put("silent_since", s.silentSince() == null ? null : s.silentSince().toString())
            .put("error", s.error());
      }
      ctx.status(h.healthy() ? 200 : 503).contentType("application/json").result(body.toString());
    });
    // Whole-site counters: staff only (a teacher sees its own sections and nothing site-wide).
    route(HandlerType.GET, "/metrics", cfg.web().metricsPublic() ? Role.ANONYMOUS : Role.VIEWER,
        ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
    route(HandlerType.POST, "/api/v1/auth/login", Role.ANONYMOUS, authApi::login);
    route(HandlerType.GET, "/api/v1/auth/methods", Role.ANONYMOUS, oidcApi::methods);
    // Single sign-on (auth.oidc; 404 when not configured): the provider's signed ID token is the credential.
    route(HandlerType.GET, "/api/v1/auth/oidc/login", Role.ANONYMOUS, oidcApi::login);
    route(HandlerType.GET, "/api/v1/auth/oidc/callback", Role.ANONYMOUS, oidcApi::callback);
    // Every account's own session: teachers too.
    Access anyAccount = Access.staffAndTeachers(Role.VIEWER);
    route(HandlerType.POST, "/api/v1/auth/logout", anyAccount, authApi::logout);
    route(HandlerType.GET, "/api/v1/auth/session", anyAccount, authApi::session);
    route(HandlerType.POST, "/api/v1/auth/password", anyAccount, authApi::changePassword);
    // Per-event rows name students and devices: coordinators and admins (viewers see aggregates only), and
    // teachers, for the blocks of their own sections.
    route(HandlerType.GET, "/api/v1/blocks", Access.staffAndTeachers(Role.COORDINATOR), blocks::list);
    // Reports: every staff role over the whole site; teachers over their own sections (QueryParams.filter).
    Access reportReaders = Access.staffAndTeachers(Role.VIEWER);
    route(HandlerType.GET, "/api/v1/reports/top-domains", reportReaders, reportsApi::topDomains);
    route(HandlerType.GET, "/api/v1/reports/heatmap", reportReaders, reportsApi::heatmap);
    route(HandlerType.GET, "/api/v1/reports/trend", reportReaders, reportsApi::trend);
    route(HandlerType.GET, "/api/v1/reports/breakdown/{dimension}", reportReaders, reportsApi::breakdown);
    route(HandlerType.GET, "/api/v1/domains/{domain}", reportReaders, reportsApi::domain);
    route(HandlerType.GET, "/api/v1/sections", reportReaders, reportsApi::sections);
    route(HandlerType.GET, "/api/v1/sections/{section}", reportReaders, reportsApi::section);
    // A review is the school's answer about a site: everyone signed in may read it; teachers ask for their
    // own sections only (ReviewsApi), and only admins decide.
    route(HandlerType.GET, "/api/v1/reviews", anyAccount, reviewsApi::list);
    route(HandlerType.GET, "/api/v1/reviews/{domain}", anyAccount, reviewsApi::get);
    // The queue and a decision's before/after are reports: teachers see them over their own sections.
    route(HandlerType.GET, "/api/v1/reviews/{domain}/impact", reportReaders, queueApi::impact);
    route(HandlerType.GET, "/api/v1/queue", reportReaders, queueApi::queue);
    route(HandlerType.POST, "/api/v1/reviews/{domain}/request", Access.staffAndTeachers(Role.COORDINATOR),
        reviewsApi::request);
    route(HandlerType.POST, "/api/v1/reviews/{domain}/decision", Role.ADMIN, reviewsApi::decide);
    route(HandlerType.GET, "/api/v1/reviews/{domain}/filter-changes", Role.ADMIN, filterChanges::filterChanges);
    route(HandlerType.GET, "/api/v1/accounts", Role.ADMIN, accountsApi::list);
    route(HandlerType.POST, "/api/v1/accounts", Role.ADMIN, accountsApi::create);
    route(HandlerType.PUT, "/api/v1/accounts/{username}", Role.ADMIN, accountsApi::update);
    route(HandlerType.GET, "/api/v1/audit", Role.ADMIN, accountsApi::auditLog);
    // No session: the one-time setup token is the credential (see SetupToken); the guard checks the Origin.
    route(HandlerType.GET, "/api/v1/setup", Role.ANONYMOUS, setupApi::status);
    route(HandlerType.POST, "/api/v1/setup", Role.ANONYMOUS, setupApi::createAdmin);
    route(HandlerType.GET, "/api/v1/site", anyAccount, new SiteApi(cfg.site(), reports, roster, mapper)::site);
    // No session: the handler checks the agent's local admin token (see AdminApi).
    route(HandlerType.POST, "/api/v1/admin/backup", Role.ANONYMOUS, new AdminApi(store, adminToken, mapper)::backup);
    app.exception(ApiException.class, (e, ctx) -> {
      if (e.retryAfterSecs() > 0) {
        ctx.header("Retry-After", Long.toString(e.retryAfterSecs()));
      }
      error(ctx, mapper, e.status(), e.getMessage());
    });
    app.exception(StoreException.class, (e, ctx) -> {
      log.error("store read failed: {}", e.getMessage());
      error(ctx, mapper, 503, "the event store is unavailable");
    });
    app.exception(Exception.class, (e, ctx) -> {
      log.error("request {} failed", ctx.path(), e);
      error(ctx, mapper, 500, "internal error");
    });
  }

  /**
   * {@code GET /api/v1/status/dead-letters}: the last unparseable log lines per vendor, with their reason.
   * Admin-only: a raw line can carry user names and URLs; and shown as {@link PrivacyFilter#line} lets the
   * admin role see it (users, e-mail and IP addresses hidden or pseudonymized per {@code privacy}).
   */
  public void serveDeadLetters(DeadLetters letters) {
    ObjectMapper mapper = Json.mapper();
    get("/api/v1/status/dead-letters", ctx -> {
      Role role = principal(ctx).role();
      ObjectNode body = mapper.createObjectNode().put("per_vendor_limit", letters.perVendor())
          .put("line_limit_bytes", letters.maxLineBytes());
      com.fasterxml.jackson.databind.node.ArrayNode list = body.putArray("letters");
      for (DeadLetters.Letter l : letters.snapshot()) {
        list.addObject().put("time", l.time().toString()).put("vendor", l.vendor()).put("source", l.source())
            .put("reason", l.reason()).put("line", privacy.line(l.line(), role)).put("truncated", l.truncated());
      }
      ctx.contentType("application/json").result(body.toString());
    });
  }

  /**
   * The console's one connector, made here rather than by Javalin so that the idle timeout applies: Javalin
   * adds its default connector after every server hook has run. With a key store it speaks HTTPS only.
   */
  private static ServerConnector connector(Server server, HttpConfiguration http, BellwatchConfig.Web web,
      KeyStore keyStore) {
    ServerConnector connector;
    if (keyStore == null) {
      connector = new ServerConnector(server, new HttpConnectionFactory(http));
    } else {
      // A certificate for a name the client did not use is the operator's choice; do not refuse it.
      http.addCustomizer(new SecureRequestCustomizer(false));
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStore(keyStore);
      ssl.setKeyStorePassword(new String(PemKeyStore.PASSWORD));
      ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
      connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
    }
    connector.setHost(web.bind().getHostAddress());
    connector.setPort(web.port());
    connector.setIdleTimeout(web.idleTimeout().toMillis());
    return connector;
  }

  private static KeyStore keyStore(BellwatchConfig.Web web) {
    try {
      return PemKeyStore.load(web.tlsCertFile(), web.tlsKeyFile());
    } catch (IOException e) {
      throw new UncheckedIOException("web: " + e.getMessage(), e);
    }
  }

  /**
   * A read-only route for admins. Routes that other roles may call say so with
   * {@link #route(HandlerType, String, Role, Handler)}: a route nobody classified stays admin-only.
   */
  private void get(String path, Handler handler) {
    route(HandlerType.GET, path, Role.ADMIN, handler);
  }

  /** A route for the staff roles from {@code least} up; teachers are refused. */
  private void route(HandlerType method, String path, Role least, Handler handler) {
    route(method, path, Access.staff(least), handler);
  }

  private void route(HandlerType method, String path, Access access, Handler handler) {
    operations.add(new Operation(method.name(), path, access.least(), access.teachers()));
    app.addHttpHandler(method, path, ctx -> {
      ctx.attribute(ROUTE, path);
      guard(ctx, method, access);
      handler.handle(ctx);
    });
  }

  private void guard(Context ctx, HandlerType method, Access access) throws StoreException {
    boolean changing = STATE_CHANGING.contains(method);
    if (changing && !sameOrigin(ctx)) {
      throw new ApiException(403, "cross-origin request refused: Origin must be this console's address");
    }
    if (access.least() == Role.ANONYMOUS) {
      return;
    }
    Principal p = auth.authenticate(ctx);
    if (p == null) {
      throw new ApiException(401, "log in first");
    }
    if (!access.admits(p.role())) {
      throw new ApiException(403, "the " + p.role().id() + " role may not do this (needs " + access.least().id()
          + (access.teachers() ? " or teacher" : "") + ")");
    }
    if (changing && !ConsoleAuth.csrfMatches(p, ctx.header(ConsoleAuth.CSRF_HEADER))) {
      throw new ApiException(403, "missing or wrong " + ConsoleAuth.CSRF_HEADER + " header");
    }
    ctx.attribute(PRINCIPAL, p);
  }

  /** Origin (else Referer) names the host and port the request was sent to (OWASP CSRF cheat sheet). */
  public static boolean sameOrigin(Context ctx) {
    String source = ctx.header("Origin");
    if (source == null || source.equals("null")) {
      source = ctx.header("Referer");
    }
    String host = ctx.header("Host");
    if (source == null || host == null) {
      return false;
    }
    try {
      String authority = URI.create(source).getRawAuthority();
      return authority != null && authority.equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static Principal principal(Context ctx) {
    Principal p = ctx.attribute(PRINCIPAL);
    if (p == null) {
      throw new ApiException(401, "log in first");
    }
    return p;
  }

  /** Every path this server answers (besides the console's static files): the OpenAPI file lists each. */
  public List<String> routes() {
    return operations.stream().map(Operation::path).distinct().toList();
  }

  /** Every method and path with the least staff role that may call it and whether teachers may. */
  public List<Operation> operations() {
    return List.copyOf(operations);
  }

  private static void error(Context ctx, ObjectMapper mapper, int status, String message) {
    ctx.status(status).contentType("application/json")
        .result(mapper.createObjectNode().put("error", message).toString());
  }

  /** Starts listening on {@code web.bind} and {@code web.port}; returns the bound port (useful when configured as 0). */
  public int start() {
    app.start();
    return app.port();
  }

  /** {@code https} when the console has a certificate, else {@code http}. */
  public String scheme() {
    return cfg.web().tls() ? "https" : "http";
  }

  @Override
  public void close() {
    app.stop();
  }
}
