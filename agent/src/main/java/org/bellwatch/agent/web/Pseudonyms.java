package org.bellwatch.agent.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stable keyed pseudonyms for users and devices ({@code privacy.pseudonymize}): HMAC-SHA256 under a
 * random key kept in the store, so the same student is the same pseudonym on every page and export,
 * and nobody without the store can reverse or recompute one from a guessed username.
 */
final class Pseudonyms {
  private final SecretKeySpec key;

  Pseudonyms(byte[] key) {
    this.key = new SecretKeySpec(key, "HmacSHA256");
  }

  /**
   * {@code kind-} followed by 40 bits of the HMAC in hex: {@code user-3f9a2c1d7e}. Null stays null.
   */
  String of(String kind, String value) {
    if (value == null) {
      return null;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] d = mac.doFinal((kind + "\u0000" + value).getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder(kind).append('-');
      for (int i = 0; i < 5; i++) {
        sb.append(Character.forDigit((d[i] >> 4) & 15, 16))
            .append(Character.forDigit(d[i] & 15, 16));
      }
      return sb.toString();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
