package org.bellwatch.agent.web;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bellwatch.agent.access.Account;
import org.bellwatch.agent.access.Accounts;
import org.bellwatch.agent.access.AuditEntry;
import org.bellwatch.agent.access.AuditLog;
import org.bellwatch.agent.access.Session;
import org.bellwatch.agent.access.Sessions;
import org.bellwatch.agent.config.Auth;
import org.bellwatch.agent.event.StorageException;
import org.bellwatch.agent.metrics.BellwatchMeters;

/**
 * Logins and sessions of the console (OWASP Session Management and Authentication Cheat Sheets).
 *
 * <p>Sessions follow {@link SessionRules} (hashed ids in an HttpOnly cookie, a new id and CSRF
 * token per login, idle and absolute timeouts), as the hub's do; the store keeps them ({@link
 * Sessions}). They end after {@code auth.session_idle_secs} unused, after {@code
 * auth.session_absolute_secs} in all, at logout, and when the account is disabled or its password
 * or role changes. Failed logins back off ({@link LoginThrottle}) in a way that cannot lock the
 * owner out.
 */
final class ConsoleAuth {
  static final String COOKIE = "bw_session";

  /**
   * lastSeen is written at most this often, so reading pages does not write the store on every
   * request.
   */
  private static final Duration TOUCH_EVERY = Duration.ofSeconds(30);

  private final Accounts accounts;
  private final Sessions sessions;
  private final AuditLog audit;
  private final Clock clock;
  private final Auth cfg;
  private final BellwatchMeters meters;
  private final LoginThrottle throttle;
  private final SessionRules rules;
  private final DeviceCookies devices;

  /**
   * What a login for an account that does not exist is checked against: the configured cost, no
   * match.
   */
  private final String unknownAccountHash;

  private final Roster roster;

  ConsoleAuth(
      Accounts accounts,
      Sessions sessions,
      AuditLog audit,
      Clock clock,
      Auth cfg,
      BellwatchMeters meters,
      Roster roster,
      DeviceCookies devices) {
    this.roster = roster;
    this.accounts = accounts;
    this.sessions = sessions;
    this.audit = audit;
    this.clock = clock;
    this.cfg = cfg;
    this.meters = meters;
    this.throttle = new LoginThrottle(clock, cfg);
    this.rules = new SessionRules(COOKIE, cfg.sessionIdle(), cfg.sessionAbsolute());
    this.devices = devices;
    this.unknownAccountHash = Passwords.unmatchable(cfg.pbkdf2Iterations());
  }

  /**
   * A successful login: the new session, the id to put in the cookie (never stored), and for a
   * password login a fresh device cookie (null for single sign-on).
   */
  record Login(Principal principal, String sessionId, String deviceCookie) {}

  /**
   * Checks a password and opens a session. Throttled attempts are refused with 429 before the
   * password is looked at ({@link LoginThrottle}: a browser with the account's device cookie is not
   * held back by others' failures); wrong usernames, wrong passwords and disabled accounts all
   * answer the same 401 after the same work: an unknown account is checked against {@link
   * #unknownAccountHash}, which costs what the configured hash does, so timing does not tell which
   * accounts exist.
   */
  Login login(String username, char[] password, String client, String deviceCookie)
      throws StorageException {
    try {
      String u = Accounts.normalize(username);
      LoginThrottle.Attempt attempt =
          new LoginThrottle.Attempt(
              u == null ? "" : u, client, devices.trustedNonce(deviceCookie, u));
      Duration wait = throttle.wait(attempt);
      if (!wait.isZero()) {
        meters.login("throttled");
        audit(
            u == null ? "(invalid)" : u,
            "login_throttled",
            client,
            "retry after " + seconds(wait) + " s");
        throw new ApiException(
                429, "too many failed logins: try again in " + seconds(wait) + " seconds")
            .retryAfter(seconds(wait));
      }
      Optional<Account> account = u == null ? Optional.empty() : accounts.get(u);
      boolean ok =
          Passwords.verify(password, account.map(Account::passwordHash).orElse(unknownAccountHash));
      Role role = account.map(a -> Role.ofAccount(a.role())).orElse(null);
      if (!ok || account.get().disabled() || role == null) {
        throttle.failure(attempt);
        meters.login("failed");
        audit(
            u == null ? "(invalid)" : u,
            "login_failed",
            client,
            account.isEmpty() ? "no such account" : ok ? "account disabled" : "wrong password");
        throw new ApiException(401, "wrong username or password, or the account is disabled");
      }
      throttle.success(attempt);
      rehashIfCheaper(account.get(), password);
      Login opened = openSession(u, role, client, null);
      return new Login(opened.principal(), opened.sessionId(), devices.issue(u));
    } finally {
      Passwords.clear(password);
    }
  }

  /**
   * A hash made at a lower cost than configured (before the cost was raised) is made again at the
   * configured cost while the password is at hand, so that every account costs the same to check.
   * The account's {@code updated} stays: the password is the same, so its sessions need not end.
   * The account is read again just before it is written, and left alone if its password changed
   * meanwhile; its role and state are taken from that fresh read, so a concurrent change is not
   * undone.
   */
  private void rehashIfCheaper(Account a, char[] password) throws StorageException {
    if (Passwords.iterations(a.passwordHash()) >= cfg.pbkdf2Iterations()) {
      return;
    }
    String stronger = Passwords.hash(password, cfg.pbkdf2Iterations());
    Optional<Account> fresh = accounts.get(a.username());
    if (fresh.isPresent() && a.passwordHash().equals(fresh.get().passwordHash())) {
      Account f = fresh.get();
      accounts.put(
          new Account(f.username(), f.role(), stronger, f.disabled(), f.created(), f.updated()));
    }
  }

  /**
   * Opens a session for an account whose identity was proven (password, or single sign-on: {@code
   * how} says which in the audit log); a new id and CSRF token every time.
   */
  Login openSession(String username, Role role, String client, String how) throws StorageException {
    for (Session old : SessionRules.overLimit(liveSessionsOf(username), Session::lastSeen)) {
      sessions.delete(old.idHash());
      audit(
          username,
          "session_ended",
          client,
          "over " + SessionRules.MAX_PER_ACCOUNT + " sessions: least recently used");
    }
    SessionRules.Fresh fresh = SessionRules.fresh();
    Instant now = clock.instant();
    Session s = new Session(fresh.idHash(), username, fresh.csrfToken(), now, now, client);
    sessions.put(s);
    meters.login("ok");
    audit(username, "login", client, how);
    return new Login(principal(username, role, s), fresh.id(), null);
  }

  /**
   * The principal of the request's session cookie, or null (no cookie, unknown, expired, account
   * gone).
   */
  Principal authenticate(Context ctx) throws StorageException {
    String hash = SessionRules.idHash(rules.cookieId(ctx));
    if (hash == null) {
      return null;
    }
    Optional<Session> found = sessions.get(hash);
    if (found.isEmpty()) {
      return null;
    }
    Session s = found.get();
    Instant now = clock.instant();
    if (expired(s, now)) {
      sessions.delete(hash);
      audit(s.username(), "session_expired", ctx.ip(), null);
      return null;
    }
    Optional<Account> a = accounts.get(s.username());
    Role role = a.map(x -> Role.ofAccount(x.role())).orElse(null);
    if (a.isEmpty()
        || a.get().disabled()
        || role == null
        || !a.get().updated().isBefore(s.created())) {
      // Disabled, deleted, or changed (password, role) since this login: the session ends.
      sessions.delete(hash);
      return null;
    }
    if (Duration.between(s.lastSeen(), now).compareTo(TOUCH_EVERY) > 0) {
      s = s.seenAt(now);
      sessions.put(s);
    }
    return principal(s.username(), role, s);
  }

  /**
   * The principal with its scope, resolved from the roster in force now (so a reload applies to the
   * next request): a teacher sees the sections they teach, every other role all of them.
   */
  private Principal principal(String username, Role role, Session s) {
    return new Principal(
        username, role, s, role == Role.TEACHER ? roster.sectionsOfTeacher(username) : null);
  }

  void logout(Principal p, String client) throws StorageException {
    sessions.delete(p.session().idHash());
    audit(p.username(), "logout", client, null);
  }

  /** When the session ends if it stays unused. */
  Instant expiresAt(Session s) {
    return rules.expiresAt(s.created(), s.lastSeen());
  }

  boolean expired(Session s, Instant now) {
    return rules.expired(s.created(), s.lastSeen(), now);
  }

  /** The session cookie's rules: its name, Set-Cookie values, timeouts. */
  SessionRules rules() {
    return rules;
  }

  void audit(String actor, String action, String client, String detail) throws StorageException {
    audit(actor, action, null, client, detail);
  }

  void audit(String actor, String action, String target, String client, String detail)
      throws StorageException {
    audit.append(new AuditEntry(clock.instant(), actor, action, target, client, detail));
  }

  /** Ends every expired session, and returns the live ones of this account. */
  private List<Session> liveSessionsOf(String username) throws StorageException {
    Instant now = clock.instant();
    List<Session> live = new ArrayList<>();
    for (Session s : sessions.list()) {
      if (expired(s, now)) {
        sessions.delete(s.idHash());
      } else if (s.username().equals(username)) {
        live.add(s);
      }
    }
    return live;
  }

  private static long seconds(Duration d) {
    return Math.max(1, (d.toMillis() + 999) / 1000);
  }
}
