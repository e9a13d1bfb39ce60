package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.bellwatch.agent.access.Account;
import org.bellwatch.agent.access.Accounts;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.Oidc;
import org.bellwatch.agent.event.StorageException;

/**
 * {@code /api/v1/auth/oidc/...}: single sign-on with OpenID Connect, the authorization code flow
 * with PKCE.
 *
 * <p>Design note. {@code login} sends the browser to the provider with a fresh {@code state} (CSRF
 * defence of the callback, Core §3.1.2.1), {@code nonce} (binds the ID token to this login, Core
 * §3.1.2.1) and PKCE S256 challenge (RFC 7636 §4.2: a stolen code is useless without the verifier,
 * which never leaves the agent). The pending login is kept in memory, at most {@value
 * #MAX_PENDING}, for {@value #PENDING_SECS} seconds, and is also bound to the browser by a random
 * cookie ({@value #COOKIE}, SameSite=Lax since the provider's redirect back is a cross-site
 * navigation) whose hash it stores: a callback URL sent to another browser (login CSRF) is refused.
 * The callback removes the pending login before anything else, so a state works once. Who gets in:
 * the e-mail must be verified (when the provider says), its domain among {@code
 * allowed_email_domains}; an existing account of that e-mail keeps its role (and a disabled one is
 * refused); otherwise the groups claim, then {@code default_role}, give the role of a new account,
 * or ({@code none}) the login is refused until an admin creates the account.
 */
final class OidcApi implements RouteGroup {
  static final String COOKIE = "bw_oidc";
  static final int MAX_PENDING = 1000;
  static final long PENDING_SECS = 600;

  /**
   * The password hash of accounts made by single sign-on: not a PBKDF2 hash, so no password
   * matches.
   */
  static final String NO_PASSWORD = "sso";

  private final BellwatchConfig cfg;
  private final Oidc oidc;
  private final OidcProvider provider;
  private final ConsoleAuth auth;
  private final Accounts accounts;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final Map<String, Pending> pending = new LinkedHashMap<>();

  private record Pending(String nonce, String verifier, String browserHash, Instant created) {}

  OidcApi(
      BellwatchConfig cfg, ConsoleAuth auth, Accounts accounts, ObjectMapper mapper, Clock clock) {
    this.cfg = cfg;
    this.oidc = cfg.auth().oidc();
    this.provider = oidc == null ? null : new OidcProvider(oidc, mapper, clock);
    this.auth = auth;
    this.accounts = accounts;
    this.mapper = mapper;
    this.clock = clock;
  }

  /** Registers the sign-in methods and single sign-on. */
  @Override
  public void register(Routes r) {
    r.add(HandlerType.GET, "/api/v1/auth/methods", Role.ANONYMOUS, this::methods);
    // Single sign-on (auth.oidc; 404 when not configured): the provider's signed ID token is the
    // credential.
    r.add(HandlerType.GET, "/api/v1/auth/oidc/login", Role.ANONYMOUS, this::login);
    r.add(HandlerType.GET, "/api/v1/auth/oidc/callback", Role.ANONYMOUS, this::callback);
  }

  /** {@code GET /api/v1/auth/methods}: what the login page offers. */
  void methods(Context ctx) {
    Responses.json(
        ctx,
        mapper
            .createObjectNode()
            .put("password", true)
            .put("oidc", oidc != null)
            .put("oidc_label", oidc == null ? null : oidc.buttonLabel()));
  }

  void login(Context ctx) {
    enabled();
    OidcProvider.Metadata m = provider.metadata();
    String state = Passwords.token(32);
    String nonce = Passwords.token(32);
    String verifier = Passwords.token(32);
    String browser = Passwords.token(32);
    synchronized (pending) {
      dropExpired();
      if (pending.size() >= MAX_PENDING) {
        Iterator<String> oldest = pending.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
      pending.put(
          state, new Pending(nonce, verifier, Passwords.sha256Hex(browser), clock.instant()));
    }
    Map<String, String> q = new LinkedHashMap<>();
    q.put("response_type", "code");
    q.put("client_id", oidc.clientId());
    q.put("redirect_uri", oidc.redirectUrl().toString());
    q.put("scope", "openid email profile");
    q.put("state", state);
    q.put("nonce", nonce);
    q.put("code_challenge", challenge(verifier));
    q.put("code_challenge_method", "S256");
    StringBuilder url = new StringBuilder(m.authorizationEndpoint().toString());
    url.append(url.indexOf("?") >= 0 ? '&' : '?');
    q.forEach(
        (k, v) ->
            url.append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8))
                .append('&'));
    url.setLength(url.length() - 1);
    boolean secure = ctx.scheme().equals("https");
    ctx.header(
        "Set-Cookie",
        COOKIE
            + "="
            + browser
            + "; Path=/api/v1/auth/oidc; Max-Age="
            + PENDING_SECS
            + "; HttpOnly; SameSite=Lax"
            + (secure ? "; Secure" : ""));
    ctx.status(302).header("Location", url.toString());
  }

  /**
   * The provider sends a browser here: a refusal goes back to the login page, which shows why (in
   * the fragment, never sent to a server, shown as text); API clients get the JSON error as
   * everywhere else.
   */
  void callback(Context ctx) throws StorageException {
    try {
      finish(ctx);
    } catch (ApiException e) {
      String accept = ctx.header("Accept");
      if (accept == null || !accept.contains("text/html")) {
        throw e;
      }
      ctx.status(302)
          .header(
              "Location",
              "/#sso-error="
                  + URLEncoder.encode(e.getMessage(), StandardCharsets.UTF_8).replace("+", "%20"));
    }
  }

  private void finish(Context ctx) throws StorageException {
    enabled();
    String state = ctx.queryParam("state");
    Pending p;
    synchronized (pending) {
      dropExpired();
      p = state == null ? null : pending.remove(state);
    }
    String client = ctx.ip();
    if (p == null) {
      auth.audit("(sso)", "login_failed", client, "unknown, used or expired state");
      throw new ApiException(
          400, "single sign-on: unknown, used or expired state; start the login again");
    }
    String browser = ctx.cookie(COOKIE);
    if (browser == null
        || !MessageDigest.isEqual(
            Passwords.sha256Hex(browser).getBytes(StandardCharsets.US_ASCII),
            p.browserHash().getBytes(StandardCharsets.US_ASCII))) {
      auth.audit("(sso)", "login_failed", client, "state from another browser");
      throw new ApiException(
          400, "single sign-on: this login was started in another browser; start it again");
    }
    if (ctx.queryParam("error") != null) {
      auth.audit("(sso)", "login_failed", client, "provider: " + clip(ctx.queryParam("error")));
      throw new ApiException(
          401, "single sign-on: the provider answered " + clip(ctx.queryParam("error")));
    }
    String code = ctx.queryParam("code");
    if (code == null || code.isEmpty() || code.length() > 4096) {
      throw new ApiException(400, "single sign-on: no code");
    }
    JWTClaimsSet claims;
    try {
      claims = provider.verify(provider.redeem(code, p.verifier()), p.nonce());
    } catch (ApiException e) {
      auth.audit("(sso)", "login_failed", client, clip(e.getMessage()));
      throw e;
    }
    String email = Objects.toString(claims.getClaim("email"), "").toLowerCase(Locale.ROOT);
    ConsoleAuth.Login login = admit(email, claims, client);
    AuthApi.setSessionCookie(ctx, login, auth);
    boolean secure = ctx.scheme().equals("https");
    ctx.res()
        .addHeader(
            "Set-Cookie",
            COOKIE
                + "=; Path=/api/v1/auth/oidc; Max-Age=0; HttpOnly; SameSite=Lax"
                + (secure ? "; Secure" : ""));
    ctx.status(302).header("Location", "/");
  }

  private ConsoleAuth.Login admit(String email, JWTClaimsSet claims, String client)
      throws StorageException {
    // Core §5.1: a boolean; some providers send the text "true".
    Object verified = claims.getClaim("email_verified");
    if (email.isEmpty()
        || verified != null && !Boolean.TRUE.equals(verified) && !"true".equals(verified)) {
      auth.audit("(sso)", "login_failed", client, "no verified e-mail in the ID token");
      throw new ApiException(403, "single sign-on: the provider gave no verified e-mail address");
    }
    String domain = email.substring(email.indexOf('@') + 1);
    if (!oidc.allowedEmailDomains().isEmpty() && !oidc.allowedEmailDomains().contains(domain)) {
      auth.audit(clip(email), "login_failed", client, "sso: e-mail domain not allowed");
      throw new ApiException(
          403, "single sign-on: accounts of " + domain + " may not use this console");
    }
    String username = Accounts.normalize(email);
    if (username == null) {
      throw new ApiException(
          403, "single sign-on: '" + clip(email) + "' cannot be a console username");
    }
    Optional<Account> existing = accounts.get(username);
    Instant now = clock.instant();
    if (existing.isPresent()) {
      Account a = existing.get();
      Role role = Role.ofAccount(a.role());
      if (a.disabled() || role == null) {
        auth.audit(username, "login_failed", client, "sso: account disabled");
        throw new ApiException(403, "single sign-on: the account " + username + " is disabled");
      }
      return auth.openSession(username, role, client, "single sign-on");
    }
    Role role = mappedRole(claims);
    if (role == null) {
      auth.audit(username, "login_failed", client, "sso: no account and no role for it");
      throw new ApiException(
          403,
          "single sign-on: there is no console account for "
              + username
              + "; an admin must create it first");
    }
    // The account is older than the session opened next (sessions of accounts changed since are
    // refused).
    Instant made = now.minusMillis(1);
    accounts.put(new Account(username, role.id(), NO_PASSWORD, false, made, made));
    auth.audit(
        "(sso)", "account_added", username, client, "role " + role.id() + ", first single sign-on");
    return auth.openSession(username, role, client, "single sign-on");
  }

  /**
   * The role of the first group list (admin, coordinator, teacher, viewer) that holds a group of
   * the token, else the default role, else null.
   */
  private Role mappedRole(JWTClaimsSet claims) {
    Object groups = claims.getClaim(oidc.groupsClaim());
    List<String> names = new java.util.ArrayList<>();
    if (groups instanceof List<?> list) {
      list.forEach(g -> names.add(String.valueOf(g)));
    } else if (groups instanceof String one) {
      names.add(one);
    }
    if (names.stream().anyMatch(oidc.adminGroups()::contains)) {
      return Role.ADMIN;
    }
    if (names.stream().anyMatch(oidc.coordinatorGroups()::contains)) {
      return Role.COORDINATOR;
    }
    // Before viewer: a teacher who is also in a staff-wide group keeps asking for its own sections.
    if (names.stream().anyMatch(oidc.teacherGroups()::contains)) {
      return Role.TEACHER;
    }
    if (names.stream().anyMatch(oidc.viewerGroups()::contains)) {
      return Role.VIEWER;
    }
    return Role.ofAccount(oidc.defaultRole());
  }

  private void enabled() {
    if (oidc == null) {
      throw new ApiException(404, "single sign-on is not configured (auth.oidc)");
    }
  }

  private void dropExpired() {
    Instant cutoff = clock.instant().minus(Duration.ofSeconds(PENDING_SECS));
    pending.values().removeIf(x -> x.created().isBefore(cutoff));
  }

  /** RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))). */
  static String challenge(String verifier) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              MessageDigest.getInstance("SHA-256")
                  .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String clip(String s) {
    return s == null ? null : s.length() > 200 ? s.substring(0, 200) : s;
  }
}
