package org.bellwatch.agent.hub;

import static org.bellwatch.agent.hub.HubServer.CALLER;
import static org.bellwatch.agent.hub.HubServer.SESSION;
import static org.bellwatch.agent.hub.HubServer.caller;
import static org.bellwatch.agent.hub.HubServer.json;
import static org.bellwatch.agent.hub.HubServer.secure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.store.StoreException;
import org.bellwatch.agent.web.SameOrigin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's sign-in ({@code /api/v1/auth/...}): which methods there are, the login form's login
 * (a session, {@link HubSessions}), the session as the console needs it, and logout.
 */
final class LoginRoutes {
  /** The server's logger: a failed login is logged as before the routes moved here. */
  private static final Logger log = LoggerFactory.getLogger(HubServer.class);

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The account of a username and password, or {@link HubApi.Refused} 401. */
  interface Check {
    HubApi.Caller account(String user, char[] password);
  }

  private final HubConfig cfg;
  private final HubApi api;
  private final HubSessions sessions;
  private final Check check;

  LoginRoutes(HubConfig cfg, HubApi api, HubSessions sessions, Check check) {
    this.cfg = cfg;
    this.api = api;
    this.sessions = sessions;
    this.check = check;
  }

  void register(HubRoutes r) {
    r.route(
        "GET",
        "/api/v1/auth/methods",
        ctx ->
            json(
                ctx,
                Map.of("oidc", false, "district", cfg.name(), "timezone", cfg.timezone().getId())));
    r.route("POST", "/api/v1/auth/login", this::login);
    r.route("GET", "/api/v1/auth/session", r.signedIn(ctx -> json(ctx, session(ctx))));
    r.route(
        "POST",
        "/api/v1/auth/logout",
        r.signedIn(
            ctx -> {
              HubSessions.Session s = ctx.attribute(SESSION);
              if (s != null) {
                sessions.end(s);
              }
              ctx.header("Set-Cookie", HubSessions.RULES.clearCookie(secure(ctx)));
              json(ctx, Map.of("status", "logged out"));
            }));
  }

  /**
   * The console's login: the same check as Basic sign-in, from this origin only (a login forged
   * from another site would sign the victim in as the attacker), backing off after failures;
   * answers the session.
   */
  private void login(Context ctx) throws StoreException {
    if (!SameOrigin.of(ctx)) {
      throw new HubApi.Refused(
          403, "cross-origin request refused: Origin must be this console's address");
    }
    JsonNode body;
    try {
      body = JSON.readTree(ctx.bodyAsBytes());
    } catch (IOException e) {
      throw new HubApi.Refused(400, "the body is not JSON");
    }
    String user = body == null ? "" : body.path("username").asText("");
    String password = body == null ? "" : body.path("password").asText("");
    if (user.isEmpty() || user.length() > 200 || password.isEmpty() || password.length() > 1000) {
      throw new HubApi.Refused(400, "username and password are required");
    }
    sessions.mayTry(ctx.ip(), user);
    HubApi.Caller caller;
    try {
      caller = check.account(user, password.toCharArray());
    } catch (HubApi.Refused e) {
      sessions.failed(ctx.ip(), user);
      log.warn(
          "hub: failed console login for '{}' from {}",
          user.length() > 64 ? user.substring(0, 64) : user,
          ctx.ip());
      throw new HubApi.Refused(401, "wrong username or password");
    }
    HubSessions.Opened opened = sessions.open(caller, ctx.ip());
    ctx.header("Set-Cookie", HubSessions.RULES.setCookie(opened.id(), secure(ctx)));
    ctx.attribute(SESSION, opened.session());
    ctx.attribute(CALLER, caller);
    json(ctx, session(ctx));
  }

  /**
   * The session as the console needs it: who, the role and school, its CSRF token, the district.
   */
  private com.fasterxml.jackson.databind.node.ObjectNode session(Context ctx)
      throws StoreException {
    com.fasterxml.jackson.databind.node.ObjectNode o = api.whoami(caller(ctx));
    HubSessions.Session s = ctx.attribute(SESSION);
    o.put("csrf_token", s == null ? null : s.csrfToken());
    o.put("expires_at", s == null ? null : HubSessions.expiresAt(s).toString());
    o.put("district", cfg.name());
    o.put("timezone", cfg.timezone().getId());
    return o;
  }
}
