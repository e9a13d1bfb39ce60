package org.bellwatch.agent.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.bellwatch.agent.config.Auth;
import org.bellwatch.agent.util.LruMap;

/**
 * Who must wait before trying a password again, built so that guessing cannot be used to keep the
 * right password out (OWASP Authentication Cheat Sheet, "Account Lockout": an attacker must not be
 * able to lock a user out on purpose).
 *
 * <p>Design note. A login attempt comes from the account's owner or from a stranger, and each backs
 * off on failures of its own ({@link LoginLimiter}):
 *
 * <ul>
 *   <li><b>The owner</b> is a browser with a device cookie the agent issued at an earlier login to
 *       this account ({@link DeviceCookies}), or else an address that logged in to this account
 *       before (remembered in memory for {@value #KNOWN_DAYS} days, at most 10,000 pairs). It waits
 *       only for the failures of that cookie, or of that address at this account. Strangers'
 *       failures never hold it back.
 *   <li><b>A stranger</b> waits for its address's failures at any account (one address spraying
 *       guesses over many accounts slows down) and for the account's failures from all strangers
 *       (guesses spread over many addresses slow down too: credential stuffing, a lab of machines).
 * </ul>
 *
 * An attacker at the same address as the owner (a shared NAT, the same loopback) delays that
 * address at that account; the owner's browser, with its cookie, still gets in. A success clears
 * the backoff it came through, and the account's strangers' backoff only when it came from a
 * stranger, so that the owner logging in does not hand an attacker fresh tries.
 */
public final class LoginThrottle {
  static final int KNOWN_DAYS = 30;
  private static final int MAX_KNOWN = 10_000;
  private final Clock clock;
  private final LoginLimiter byOwner;
  private final LoginLimiter byClient;
  private final LoginLimiter byAccount;
  private final Map<String, Instant> known = new LruMap<>(MAX_KNOWN);

  /**
   * One attempt: the normalized account ("" for an invalid username), the client address, and the
   * nonce of a valid device cookie for this account (null without one).
   */
  public record Attempt(String account, String client, String device) {}

  LoginThrottle(Clock clock, Auth cfg) {
    this(clock, cfg.loginMaxFailures(), cfg.loginBackoff(), cfg.loginBackoffMax());
  }

  /** A throttle with these limits ({@link LoginLimiter}) for each kind of key. */
  public LoginThrottle(Clock clock, int maxFailures, Duration backoff, Duration backoffMax) {
    this.clock = clock;
    this.byOwner = new LoginLimiter(clock, maxFailures, backoff, backoffMax);
    this.byClient = new LoginLimiter(clock, maxFailures, backoff, backoffMax);
    this.byAccount = new LoginLimiter(clock, maxFailures, backoff, backoffMax);
  }

  /** How long this attempt must wait; zero when it may try now. */
  public Duration wait(Attempt a) {
    String owner = owner(a);
    if (owner != null) {
      return byOwner.wait(owner);
    }
    Duration client = byClient.wait(a.client());
    Duration account = byAccount.wait(a.account());
    return account.compareTo(client) > 0 ? account : client;
  }

  public void failure(Attempt a) {
    String owner = owner(a);
    if (owner != null) {
      byOwner.failure(owner);
    } else {
      byClient.failure(a.client());
      byAccount.failure(a.account());
    }
  }

  public void success(Attempt a) {
    String owner = owner(a);
    if (owner != null) {
      byOwner.success(owner);
    } else {
      byClient.success(a.client());
      byAccount.success(a.account());
    }
    synchronized (known) {
      known.put(pair(a), clock.instant());
    }
  }

  /**
   * The owner's backoff key of this attempt (its device cookie, else its known address), or null
   * for a stranger.
   */
  private String owner(Attempt a) {
    if (a.device() != null) {
      return "device:" + a.device();
    }
    synchronized (known) {
      Instant last = known.get(pair(a));
      boolean isKnown =
          last != null && last.plus(Duration.ofDays(KNOWN_DAYS)).isAfter(clock.instant());
      return isKnown ? "address:" + pair(a) : null;
    }
  }

  private static String pair(Attempt a) {
    return a.account() + "\u0000" + a.client();
  }
}
