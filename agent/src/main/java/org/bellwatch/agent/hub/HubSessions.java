package org.bellwatch.agent.hub;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bellwatch.agent.util.LruMap;
import org.bellwatch.agent.web.LoginThrottle;
import org.bellwatch.agent.web.SessionRules;

/**
 * Browser sign-ins to the hub's console, by the site's console's rules ({@link SessionRules}: a
 * hashed 256-bit id in an HttpOnly cookie, a new id and CSRF token per login). A session ends after
 * {@link #IDLE} unused, {@link #ABSOLUTE} after the login, or at logout. Sessions live in memory:
 * the accounts are the configuration's, read at start, so a restart (which may change them) signs
 * everyone out. Failed logins back off as at a site's console ({@link LoginThrottle}, with its
 * default limits): a stranger's guesses slow that address and the account's strangers, never an
 * address that logged in to the account before.
 */
final class HubSessions {
  static final Duration IDLE = Duration.ofMinutes(30);
  static final Duration ABSOLUTE = Duration.ofHours(12);
  static final SessionRules RULES = new SessionRules("bw_hub_session", IDLE, ABSOLUTE);

  /**
   * Open sessions kept at most; the least recently used is ended first. One account holds at most
   * {@link SessionRules#MAX_PER_ACCOUNT} of them, so no account's logins push others' out.
   */
  private static final int MAX_SESSIONS = 10_000;

  private final Clock clock;
  private final Map<String, Session> sessions = new LruMap<>(MAX_SESSIONS);
  private final LoginThrottle throttle;

  /** One signed-in browser: who, its CSRF token, and when it logged in and was last seen. */
  record Session(
      String idHash, HubApi.Caller caller, String csrfToken, Instant created, Instant lastSeen) {}

  /** A new session and the id for its cookie (only its hash is kept). */
  record Opened(String id, Session session) {}

  HubSessions(Clock clock) {
    this.clock = clock;
    this.throttle = new LoginThrottle(clock, 5, Duration.ofSeconds(2), Duration.ofMinutes(15));
  }

  private static LoginThrottle.Attempt attempt(String client, String username) {
    return new LoginThrottle.Attempt(username, client, null);
  }

  /**
   * Refuses with 429 and Retry-After a password check from this client for this account while it
   * must wait: the console's login and HTTP Basic sign-in back off alike, so a script cannot guess
   * faster than the login form.
   */
  void mayTry(String client, String username) {
    Duration wait = throttle.wait(attempt(client, username));
    if (!wait.isZero()) {
      long secs = Math.max(1, (wait.toMillis() + 999) / 1000);
      throw new HubApi.Refused(429, "too many failed logins: try again in " + secs + " seconds")
          .retryAfter(secs);
    }
  }

  void failed(String client, String username) {
    throttle.failure(attempt(client, username));
  }

  /** A right password from this client for this account (what it clears: {@link LoginThrottle}). */
  void succeeded(String client, String username) {
    throttle.success(attempt(client, username));
  }

  Opened open(HubApi.Caller caller, String client) {
    succeeded(client, caller.username());
    SessionRules.Fresh fresh = SessionRules.fresh();
    Instant now = clock.instant();
    Session s = new Session(fresh.idHash(), caller, fresh.csrfToken(), now, now);
    synchronized (sessions) {
      List<Session> mine = new ArrayList<>();
      List<Session> ended = new ArrayList<>();
      for (Session other : sessions.values()) {
        if (RULES.expired(other.created(), other.lastSeen(), now)) {
          ended.add(other);
        } else if (other.caller().username().equals(caller.username())) {
          mine.add(other);
        }
      }
      ended.addAll(SessionRules.overLimit(mine, Session::lastSeen));
      ended.forEach(old -> sessions.remove(old.idHash()));
      sessions.put(s.idHash(), s);
    }
    return new Opened(fresh.id(), s);
  }

  /** The live session of a cookie's id, or null (none, unknown, or expired: then it is ended). */
  Session find(String id) {
    String hash = SessionRules.idHash(id);
    if (hash == null) {
      return null;
    }
    Instant now = clock.instant();
    synchronized (sessions) {
      Session s = sessions.get(hash);
      if (s == null) {
        return null;
      }
      if (RULES.expired(s.created(), s.lastSeen(), now)) {
        sessions.remove(hash);
        return null;
      }
      Session seen = new Session(s.idHash(), s.caller(), s.csrfToken(), s.created(), now);
      sessions.put(hash, seen);
      return seen;
    }
  }

  void end(Session s) {
    synchronized (sessions) {
      sessions.remove(s.idHash());
    }
  }

  /** When the session ends if it stays unused. */
  static Instant expiresAt(Session s) {
    return RULES.expiresAt(s.created(), s.lastSeen());
  }
}
