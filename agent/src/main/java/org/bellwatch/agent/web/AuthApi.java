package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import org.bellwatch.agent.access.Account;
import org.bellwatch.agent.access.Accounts;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.event.StorageException;

/**
 * {@code /api/v1/auth/...}: login, logout, the current session, and changing one's own password.
 */
final class AuthApi implements RouteGroup {
  private final ConsoleAuth auth;
  private final Accounts accounts;
  private final PrivacyFilter privacy;
  private final Roster roster;
  private final BellwatchConfig cfg;
  private final ObjectMapper mapper;
  private final Clock clock;

  AuthApi(
      ConsoleAuth auth,
      Accounts accounts,
      PrivacyFilter privacy,
      Roster roster,
      BellwatchConfig cfg,
      ObjectMapper mapper,
      Clock clock) {
    this.auth = auth;
    this.accounts = accounts;
    this.privacy = privacy;
    this.roster = roster;
    this.cfg = cfg;
    this.mapper = mapper;
    this.clock = clock;
  }

  /**
   * Registers the session routes: password login, logout, the session itself and a password change.
   */
  @Override
  public void register(Routes r) {
    r.add(HandlerType.POST, "/api/v1/auth/login", Role.ANONYMOUS, this::login);
    // Every account's own session: teachers too.
    r.add(HandlerType.POST, "/api/v1/auth/logout", Routes.ANY_ACCOUNT, this::logout);
    r.add(HandlerType.GET, "/api/v1/auth/session", Routes.ANY_ACCOUNT, this::session);
    r.add(HandlerType.POST, "/api/v1/auth/password", Routes.ANY_ACCOUNT, this::changePassword);
  }

  void login(Context ctx) throws StorageException {
    JsonNode body = Bodies.object(ctx, mapper);
    String username = Bodies.text(body, "username", true, 200);
    JsonNode pw = body.get("password");
    if (pw == null || !pw.isTextual() || pw.asText().isEmpty() || pw.asText().length() > 1000) {
      throw new ApiException(400, "password: is required");
    }
    String device = ctx.cookie(DeviceCookies.SECURE_COOKIE);
    ConsoleAuth.Login login =
        auth.login(
            username,
            pw.asText().toCharArray(),
            ctx.ip(),
            device != null ? device : ctx.cookie(DeviceCookies.COOKIE));
    setSessionCookie(ctx, login, auth);
    ctx.res()
        .addHeader(
            "Set-Cookie", DeviceCookies.header(login.deviceCookie(), ctx.scheme().equals("https")));
    Responses.json(ctx, session(login.principal()));
  }

  /** The session cookie of a new login (password or single sign-on). */
  static void setSessionCookie(Context ctx, ConsoleAuth.Login login, ConsoleAuth auth) {
    ctx.header(
        "Set-Cookie", auth.rules().setCookie(login.sessionId(), ctx.scheme().equals("https")));
  }

  void logout(Context ctx) throws StorageException {
    auth.logout(Routes.principal(ctx), ctx.ip());
    ctx.header("Set-Cookie", auth.rules().clearCookie(ctx.scheme().equals("https")));
    Responses.json(ctx, mapper.createObjectNode().put("status", "logged out"));
  }

  void session(Context ctx) {
    Responses.json(ctx, session(Routes.principal(ctx)));
  }

  void changePassword(Context ctx) throws StorageException {
    Principal p = Routes.principal(ctx);
    JsonNode body = Bodies.object(ctx, mapper);
    String current = Bodies.text(body, "current_password", true, 1000);
    String next = Bodies.text(body, "new_password", true, 1000);
    Account a = accounts.get(p.username()).orElseThrow(() -> new ApiException(401, "log in first"));
    if (!Passwords.verify(current.toCharArray(), a.passwordHash())) {
      auth.audit(
          p.username(), "password_change_failed", p.username(), ctx.ip(), "wrong current password");
      throw new ApiException(403, "current_password: wrong password");
    }
    String weak = Passwords.weakness(next.toCharArray(), p.username());
    if (weak != null) {
      throw new ApiException(400, "new_password: " + weak);
    }
    accounts.put(
        a.withPasswordHash(
            Passwords.hash(next.toCharArray(), cfg.auth().pbkdf2Iterations()), clock.instant()));
    auth.audit(p.username(), "password_changed", p.username(), ctx.ip(), "by the account itself");
    Responses.json(ctx, mapper.createObjectNode().put("status", "password changed; log in again"));
  }

  /**
   * The session as the console needs it: who, the role and what it may see ({@code sections}: the
   * ids a teacher sees, sorted, or null for all), and the account's name in the roster (by username
   * or e-mail).
   */
  private ObjectNode session(Principal p) {
    ObjectNode o =
        mapper
            .createObjectNode()
            .put("username", p.username())
            .put("role", p.role().id())
            .put("display_name", roster.displayName(p.username()))
            .put("csrf_token", p.session().csrfToken())
            .put("expires_at", auth.expiresAt(p.session()).toString())
            .put("can_see_users", privacy.canSeeUsers(p.role()))
            .put("pseudonymized", privacy.pseudonymized())
            .put("retention_events_days", cfg.retention().eventsDays());
    if (p.sections() == null) {
      o.putNull("sections");
    } else {
      p.sections().stream().sorted().forEach(o.putArray("sections")::add);
    }
    return o;
  }
}
