package org.bellwatch.agent.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.util.LruMap;

/**
 * Who must wait before trying a password again, built so that guessing cannot be used to keep the right
 * password out (OWASP Authentication Cheat Sheet, "Account Lockout": an attacker must not be able to lock
 * a user out on purpose).
 *
 * <p>Design note. A login attempt is one of three kinds, each with its own backoff ({@link LoginLimiter}):
 * <ul>
 *   <li><b>with a device cookie</b> the agent issued to this browser at an earlier login to this account
 *       ({@link DeviceCookies}): only that cookie's own failures slow it down. Strangers' failures never do.</li>
 *   <li><b>from an address that logged in to this account before</b> (remembered in memory for
 *       {@value #KNOWN_DAYS} days, at most 10,000 pairs): held by that address's failures only.</li>
 *   <li><b>from anywhere else</b>: held by the address's failures and by the account's failures from such
 *       strangers, so guesses spread over many addresses still slow down (credential stuffing, a botnet).</li>
 * </ul>
 * The per-address backoff counts every failure without a device cookie, whatever the account, so one
 * address spraying many accounts is slowed down too. An attacker at the same address as the account's
 * owner (a shared NAT, the same loopback) delays that address; the owner's browser, with its device
 * cookie, still gets in. A success clears the backoff of what it came through (the cookie, the address),
 * and the account's strangers' backoff only when it came from a stranger, so that the owner logging in does
 * not hand an attacker fresh tries.
 */
final class LoginThrottle {
  static final int KNOWN_DAYS = 30;
  private static final int MAX_KNOWN = 10_000;
  private final Clock clock;
  private final LoginLimiter byClient;
  private final LoginLimiter byAccount;
  private final LoginLimiter byDevice;
  private final Map<String, Instant> known = new LruMap<>(MAX_KNOWN);

  /**
   * One attempt: the normalized account ("" for an invalid username), the client address, and the nonce of
   * a valid device cookie for this account (null without one).
   */
  record Attempt(String account, String client, String device) {
  }

  LoginThrottle(Clock clock, BellwatchConfig.Auth cfg) {
    this.clock = clock;
    this.byClient = limiter(clock, cfg);
    this.byAccount = limiter(clock, cfg);
    this.byDevice = limiter(clock, cfg);
  }

  private static LoginLimiter limiter(Clock clock, BellwatchConfig.Auth cfg) {
    return new LoginLimiter(clock, cfg.loginMaxFailures(), cfg.loginBackoff(), cfg.loginBackoffMax());
  }

  /** How long this attempt must wait; zero when it may try now. */
  Duration wait(Attempt a) {
    if (a.device() != null) {
      return byDevice.wait(a.device());
    }
    Duration w = byClient.wait(a.client());
    if (!known(a)) {
      Duration account = byAccount.wait(a.account());
      w = account.compareTo(w) > 0 ? account : w;
    }
    return w;
  }

  void failure(Attempt a) {
    if (a.device() != null) {
      byDevice.failure(a.device());
      return;
    }
    byClient.failure(a.client());
    if (!known(a)) {
      byAccount.failure(a.account());
    }
  }

  void success(Attempt a) {
    if (a.device() != null) {
      byDevice.success(a.device());
    } else if (!known(a)) {
      byAccount.success(a.account());
    }
    byClient.success(a.client());
    synchronized (known) {
      known.put(pair(a), clock.instant());
    }
  }

  private boolean known(Attempt a) {
    synchronized (known) {
      Instant last = known.get(pair(a));
      return last != null && last.plus(Duration.ofDays(KNOWN_DAYS)).isAfter(clock.instant());
    }
  }

  private static String pair(Attempt a) {
    return a.account() + "\u0000" + a.client();
  }
}
