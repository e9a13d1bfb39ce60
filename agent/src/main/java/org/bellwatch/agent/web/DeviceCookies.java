package org.bellwatch.agent.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): after a
 * successful password login the browser gets a cookie that says "this browser has logged in as this
 * account before". A login attempt that carries one for the account it names is not held back by
 * the backoff that strangers' failures cause ({@link LoginThrottle}), so guessing someone's
 * password elsewhere cannot lock them out.
 *
 * <p>The cookie is {@code v1.USERNAME.ISSUED.NONCE.MAC} (username in URL-safe base64, ISSUED in
 * epoch seconds, MAC the HMAC-SHA256 of everything before it under a key kept in the store), so the
 * agent keeps no table of them and they survive a restart. It is trusted for {@value #TRUST_DAYS}
 * days after it was issued and renewed at every successful login. It is no credential: the password
 * is still needed.
 */
final class DeviceCookies {
  static final String COOKIE = "bw_device";
  static final String SECURE_COOKIE = "__Host-bw_device";
  static final int TRUST_DAYS = 90;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private final SecretKeySpec key;
  private final Clock clock;

  DeviceCookies(byte[] key, Clock clock) {
    this.key = new SecretKeySpec(key, "HmacSHA256");
    this.clock = clock;
  }

  /** A new cookie value for {@code username}, issued now. */
  String issue(String username) {
    String body =
        "v1."
            + B64.encodeToString(username.getBytes(StandardCharsets.UTF_8))
            + "."
            + clock.instant().getEpochSecond()
            + "."
            + Passwords.token(16);
    return body + "." + B64.encodeToString(mac(body));
  }

  /**
   * The nonce of {@code value} when it is a cookie this agent issued for {@code username} within
   * the last {@value #TRUST_DAYS} days; null otherwise (absent, forged, another account's, or too
   * old).
   */
  String trustedNonce(String value, String username) {
    if (value == null || username == null || value.length() > 400) {
      return null;
    }
    int lastDot = value.lastIndexOf('.');
    String[] parts = value.split("\\.", -1);
    if (parts.length != 5 || !parts[0].equals("v1")) {
      return null;
    }
    try {
      byte[] sent = Base64.getUrlDecoder().decode(parts[4]);
      if (!MessageDigest.isEqual(sent, mac(value.substring(0, lastDot)))) {
        return null;
      }
      String named = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
      Instant issued = Instant.ofEpochSecond(Long.parseLong(parts[2]));
      boolean fresh = issued.plus(Duration.ofDays(TRUST_DAYS)).isAfter(clock.instant());
      return named.equals(username) && fresh ? parts[3] : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The Set-Cookie value: HttpOnly, SameSite=Strict, and over HTTPS Secure with the __Host- prefix.
   */
  static String header(String value, boolean secure) {
    return (secure ? SECURE_COOKIE : COOKIE)
        + "="
        + value
        + "; Path=/; Max-Age="
        + Duration.ofDays(TRUST_DAYS).toSeconds()
        + "; HttpOnly; SameSite=Strict"
        + (secure ? "; Secure" : "");
  }

  private byte[] mac(String body) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(key);
      return m.doFinal(body.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
