package org.bellwatch.agent.web;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The rules a console login session follows, the same at a site's console ({@link ConsoleAuth}) and
 * at the hub's (OWASP Session Management and CSRF Prevention Cheat Sheets): the id is 256 random
 * bits, sent only in an HttpOnly, SameSite=Strict cookie (Secure, with the {@code __Host-} prefix,
 * over HTTPS) and kept only as its SHA-256, so a copy of what is kept cannot be replayed as a
 * login; every login makes a new id (an id sent before login is never promoted) and a new CSRF
 * token, which a state-changing request must echo in {@value #CSRF_HEADER}; a session ends after
 * {@code idle} unused or {@code absolute} after the login, whichever comes first.
 *
 * <p>Where sessions are kept, and what else ends them, is each console's own: a site keeps them in
 * its store and ends them when the account changes; the hub's accounts are its configuration's, so
 * it keeps them in memory.
 */
public final class SessionRules {
  public static final String CSRF_HEADER = "X-CSRF-Token";

  /**
   * Live sessions one account may hold. A login beyond it ends the account's least recently used
   * session: enough for a person's browsers and a shared account's few screens, while one account's
   * logins can neither grow what is kept without bound nor, at the hub, push other accounts'
   * sessions out of its table (OWASP Session Management Cheat Sheet, "Simultaneous Session
   * Logons").
   */
  public static final int MAX_PER_ACCOUNT = 20;

  /** Longer cookie values are not ours (an id is 43 characters): refused before any hashing. */
  private static final int MAX_ID_CHARS = 100;

  private final String cookie;
  private final Duration idle;
  private final Duration absolute;

  /**
   * @param cookie the cookie's name over HTTP; over HTTPS it carries the {@code __Host-} prefix
   */
  public SessionRules(String cookie, Duration idle, Duration absolute) {
    this.cookie = cookie;
    this.idle = idle;
    this.absolute = absolute;
  }

  /**
   * Of one account's live sessions, those a new login must end to keep within {@link
   * #MAX_PER_ACCOUNT}: the least recently used first.
   */
  public static <S> List<S> overLimit(Collection<S> live, Function<S, Instant> lastSeen) {
    int excess = live.size() - (MAX_PER_ACCOUNT - 1);
    if (excess <= 0) {
      return List.of();
    }
    return live.stream().sorted(Comparator.comparing(lastSeen)).limit(excess).toList();
  }

  /** A new session's id (for the cookie only), the hash it is kept under, and its CSRF token. */
  public record Fresh(String id, String idHash, String csrfToken) {}

  public static Fresh fresh() {
    String id = Passwords.token(32);
    return new Fresh(id, Passwords.sha256Hex(id), Passwords.token(32));
  }

  /** The session id the request's cookie carries (the {@code __Host-} one first), or null. */
  public String cookieId(Context ctx) {
    String id = ctx.cookie("__Host-" + cookie);
    return id != null ? id : ctx.cookie(cookie);
  }

  /**
   * The hash a session of this cookie id is kept under, or null when the value cannot be one of
   * ours (none, or too long).
   */
  public static String idHash(String cookieId) {
    if (cookieId == null || cookieId.length() > MAX_ID_CHARS) {
      return null;
    }
    return Passwords.sha256Hex(cookieId);
  }

  /**
   * The Set-Cookie value of a new login. Max-Age bounds the cookie by the absolute timeout; the
   * server enforces both timeouts regardless.
   */
  public String setCookie(String id, boolean secure) {
    return name(secure)
        + "="
        + id
        + "; Path=/; Max-Age="
        + absolute.toSeconds()
        + "; HttpOnly; SameSite=Strict"
        + (secure ? "; Secure" : "");
  }

  /** The Set-Cookie value that ends the session's cookie (logout). */
  public String clearCookie(boolean secure) {
    return name(secure)
        + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
        + (secure ? "; Secure" : "");
  }

  private String name(boolean secure) {
    return secure ? "__Host-" + cookie : cookie;
  }

  /** When a session ends if it stays unused. */
  public Instant expiresAt(Instant created, Instant lastSeen) {
    Instant byIdle = lastSeen.plus(idle);
    Instant byAbsolute = created.plus(absolute);
    return byIdle.isBefore(byAbsolute) ? byIdle : byAbsolute;
  }

  public boolean expired(Instant created, Instant lastSeen, Instant now) {
    return !now.isBefore(expiresAt(created, lastSeen));
  }

  /** Whether the CSRF token sent matches the session's, compared in constant time. */
  public static boolean csrfMatches(String expected, String sent) {
    return sent != null
        && MessageDigest.isEqual(
            sent.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }
}
