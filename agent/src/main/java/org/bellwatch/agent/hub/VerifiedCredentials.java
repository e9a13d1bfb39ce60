package org.bellwatch.agent.hub;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Basic credentials that matched an account's PBKDF2 hash, remembered for the life of the process
 * so that HTTP Basic sign-in (sent with every request, RFC 7617) costs one PBKDF2 per client
 * instead of one per request: with the default cost a single check takes longer than the district's
 * queries. The hub's accounts and their passwords are fixed from its start, so a remembered answer
 * cannot go stale. Only an HMAC of the header under a random key made at start is kept, never the
 * password; a wrong password is never remembered, so every guess still costs a full PBKDF2. At most
 * {@link #MAX} are kept (then all are forgotten).
 */
final class VerifiedCredentials {
  static final int MAX = 1_024;
  private final SecretKeySpec key;
  private final Map<String, HubApi.Caller> verified = new ConcurrentHashMap<>();

  VerifiedCredentials() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    this.key = new SecretKeySpec(k, "HmacSHA256");
  }

  /** The account a header was verified for, or null. */
  HubApi.Caller get(String header) {
    return verified.get(digest(header));
  }

  void remember(String header, HubApi.Caller caller) {
    if (verified.size() >= MAX) {
      verified.clear();
    }
    verified.put(digest(header), caller);
  }

  private String digest(String header) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(header.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
