package org.bellwatch.agent.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.store.StoreException;
import org.bellwatch.agent.web.ConsoleConnector;
import org.bellwatch.agent.web.Passwords;
import org.bellwatch.agent.web.SameOrigin;
import org.bellwatch.agent.web.SessionRules;
import org.bellwatch.agent.web.WebServer;
import org.eclipse.jetty.http.UriCompliance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's HTTP face: the API ({@code /api/v1/district/...}), {@code /health}, {@code /metrics},
 * and the console's static files (the same {@code console} module the sites serve; its district
 * pages talk to this API). Accounts come from the hub's configuration and sign in either with HTTP
 * Basic authentication (RFC 7617) on every request, for scripts, or through the console's login
 * form, which opens a session ({@link HubSessions}: an HttpOnly cookie and a CSRF token). A
 * state-changing request must carry a JSON body ({@code Content-Type: application/json}), which a
 * browser will not send across origins without a CORS preflight that this server never grants; one
 * made with a session must also come from this origin and carry the session's CSRF token.
 *
 * <p>This class is the server, its error mapping, {@code /health} and the sign-in guard; the other
 * routes come in groups ({@link HubMetricsRoute}, {@link DistrictRoutes}, {@link LoginRoutes})
 * registered through {@link HubRoutes}.
 */
public final class HubServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HubServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Verified when the username is unknown, so that a wrong name costs as long as a wrong password.
   */
  private static final String NOBODY =
      Passwords.hash("no account has this password".toCharArray(), 1000);

  private final HubConfig cfg;
  private final HubApi api;
  private final Map<String, HubConfig.Account> accounts;
  private final Javalin app;
  private final java.util.SortedSet<String> routes = new java.util.TreeSet<>();

  /**
   * The routes as registered by {@link #route}: Javalin 7 takes them all in its config, before it
   * exists.
   */
  private final List<Consumer<RoutesConfig>> endpoints = new ArrayList<>();

  private final HubSessions sessions;
  private final VerifiedCredentials verified = new VerifiedCredentials();

  /** What /health reports: whether consuming works, and why not. */
  public record Health(boolean consuming, String error, int schools) {}

  public HubServer(
      HubConfig cfg,
      HubApi api,
      PrometheusMeterRegistry registry,
      Supplier<Health> health,
      java.time.Clock clock) {
    this.cfg = cfg;
    this.api = api;
    this.sessions = new HubSessions(clock);
    this.accounts =
        cfg.accounts().stream().collect(Collectors.toMap(HubConfig.Account::username, a -> a));
    ConsoleConnector connector =
        ConsoleConnector.of(
            "hub",
            cfg.bind(),
            cfg.port(),
            BellwatchConfig.Web.DEFAULT_IDLE_TIMEOUT,
            cfg.tlsCertFile(),
            cfg.tlsKeyFile());
    route(
        "GET",
        "/health",
        ctx -> {
          Health h = health.get();
          ctx.status(h.consuming() ? 200 : 503)
              .json(
                  Map.of(
                      "status",
                      h.consuming() ? "ok" : "unavailable",
                      "schools",
                      h.schools(),
                      "error",
                      h.error() == null ? "" : h.error()));
        });
    HubRoutes groups = new HubRoutes(this::route, this::signedIn);
    new HubMetricsRoute(registry, cfg.metricsPublic()).register(groups);
    new DistrictRoutes(api).register(groups);
    new LoginRoutes(cfg, api, sessions, this::check).register(groups);
    this.app =
        Javalin.create(
            c -> {
              c.startup.showJavalinBanner = false;
              c.jetty.addConnector(connector::build);
              // Ambiguous paths are refused with 400 (Jetty's default rules; Javalin 7 would relax
              // them to LEGACY).
              c.jetty.modifyHttpConfiguration(http -> http.setUriCompliance(UriCompliance.DEFAULT));
              // The console's files hold no data; the login form is one of them.
              c.staticFiles.add(
                  sf -> {
                    sf.hostedPath = "/";
                    sf.directory = "/console";
                    sf.location = io.javalin.http.staticfiles.Location.CLASSPATH;
                  });
              c.routes.before(
                  ctx -> {
                    WebServer.SECURITY_HEADERS.forEach(ctx::header);
                    ctx.header("Cache-Control", "no-store");
                    if (connector.https()) {
                      ctx.header("Strict-Transport-Security", WebServer.HSTS);
                    }
                  });
              endpoints.forEach(e -> e.accept(c.routes));
              c.routes.exception(
                  HubApi.Refused.class,
                  (e, ctx) -> {
                    if (e.retryAfterSecs > 0) {
                      ctx.header("Retry-After", Long.toString(e.retryAfterSecs));
                    }
                    error(ctx, e.status, e.getMessage());
                  });
              c.routes.exception(
                  StoreException.class,
                  (e, ctx) -> {
                    log.error("hub: {}", e.getMessage());
                    error(ctx, 503, "the hub's store cannot be read");
                  });
              c.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    log.error("hub: request failed", e);
                    error(ctx, 500, "internal error");
                  });
            });
  }

  private void route(String method, String path, Handler handler) {
    routes.add(method + " " + path);
    endpoints.add(
        r -> {
          if (method.equals("GET")) {
            r.get(path, handler);
          } else {
            r.post(path, handler);
          }
        });
  }

  /** Every route as {@code METHOD path}, for the contract test against config/hub-openapi.yaml. */
  public java.util.SortedSet<String> routes() {
    return java.util.Collections.unmodifiableSortedSet(routes);
  }

  /** Starts listening; returns the port. */
  public int start() {
    app.start();
    return app.port();
  }

  static void json(Context ctx, Object body) {
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
    // A Basic challenge makes a browser open its own password dialog over the console's login form,
    // so the
    // console's own requests (a page script: Sec-Fetch-Mode cors or same-origin, Fetch Metadata)
    // get none.
    String mode = ctx.header("Sec-Fetch-Mode");
    if (status == 401 && (mode == null || mode.equals("navigate"))) {
      ctx.header("WWW-Authenticate", "Basic realm=\"bellwatch-hub\", charset=\"UTF-8\"");
    }
    json(ctx, Map.of("error", message));
  }

  static boolean secure(Context ctx) {
    return ctx.scheme().equals("https");
  }

  static final String CALLER = "bellwatch.hub.caller";
  static final String SESSION = "bellwatch.hub.session";

  static HubApi.Caller caller(Context ctx) {
    return ctx.attribute(CALLER);
  }

  /**
   * Runs the handler for a signed-in caller: HTTP Basic when the request has an Authorization
   * header, else the console session of its cookie; a state-changing request with a session must
   * come from this origin with the session's CSRF token (OWASP CSRF Prevention Cheat Sheet), else
   * 403.
   */
  private Handler signedIn(Handler inner) {
    return ctx -> {
      String header = ctx.header("Authorization");
      if (header != null) {
        ctx.attribute(CALLER, authenticate(header, ctx.ip()));
      } else {
        HubSessions.Session s = sessions.find(HubSessions.RULES.cookieId(ctx));
        if (s == null) {
          throw new HubApi.Refused(401, "log in first");
        }
        if (!ctx.method().name().equals("GET")) {
          if (!SameOrigin.of(ctx)) {
            throw new HubApi.Refused(
                403, "cross-origin request refused: Origin must be this console's address");
          }
          if (!SessionRules.csrfMatches(s.csrfToken(), ctx.header(SessionRules.CSRF_HEADER))) {
            throw new HubApi.Refused(403, "missing or wrong X-CSRF-Token header");
          }
        }
        ctx.attribute(SESSION, s);
        ctx.attribute(CALLER, s.caller());
      }
      inner.handle(ctx);
    };
  }

  /**
   * The account of an RFC 7617 Basic credential, or 401; a password that is checked waits out the
   * console login's backoff for this client and account first (429).
   */
  HubApi.Caller authenticate(String header, String client) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      throw new HubApi.Refused(401, "sign in (HTTP Basic authentication)");
    }
    HubApi.Caller known = verified.get(header);
    if (known != null) {
      return known;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new HubApi.Refused(401, "the credentials are not base64");
    }
    int colon = decoded.indexOf(':');
    String user = colon < 0 ? decoded : decoded.substring(0, colon);
    char[] password = colon < 0 ? new char[0] : decoded.substring(colon + 1).toCharArray();
    sessions.mayTry(client, user);
    HubApi.Caller caller;
    try {
      caller = check(user, password);
    } catch (HubApi.Refused e) {
      sessions.failed(client, user);
      throw e;
    }
    sessions.succeeded(client, user);
    verified.remember(header, caller);
    return caller;
  }

  /**
   * The account of a username and password, or 401; a wrong name costs as long as a wrong password.
   */
  private HubApi.Caller check(String user, char[] password) {
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
