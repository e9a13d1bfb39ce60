package org.bellwatch.agent.config;

import java.time.Duration;

/**
 * Console accounts and sessions.
 *
 * @param pbkdf2Iterations PBKDF2-HMAC-SHA256 iterations for new password hashes (OWASP 2023:
 *     600,000)
 * @param sessionIdle a session unused this long ends
 * @param sessionAbsolute a session ends this long after login, used or not
 * @param loginMaxFailures failed logins (per account and per client address) before logins back off
 * @param loginBackoff the first wait after that; it doubles with each further failure
 * @param loginBackoffMax the longest wait
 */
public record Auth(
    int pbkdf2Iterations,
    Duration sessionIdle,
    Duration sessionAbsolute,
    int loginMaxFailures,
    Duration loginBackoff,
    Duration loginBackoffMax,
    Duration setupTokenTtl,
    Oidc oidc) {
  public static final Auth DEFAULTS =
      new Auth(
          600_000,
          Duration.ofMinutes(30),
          Duration.ofHours(12),
          5,
          Duration.ofSeconds(2),
          Duration.ofMinutes(15),
          Duration.ofHours(24),
          null);
}
