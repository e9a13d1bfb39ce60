package org.bellwatch.agent.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes: PBKDF2-HMAC-SHA256 from the JDK, a random 16-byte salt and a 32-byte key (OWASP
 * Password Storage Cheat Sheet, 2023: 600,000 iterations for PBKDF2-HMAC-SHA256).
 *
 * <p>Encoding, versioned so that the algorithm or cost can change without a migration: {@code
 * pbkdf2-sha256$1$ITERATIONS$SALT$KEY} (salt and key in unpadded base64). A hash records its own
 * iterations, so lowering the configured cost (tests do) never weakens existing hashes.
 */
public final class Passwords {
  public static final String SCHEME = "pbkdf2-sha256";
  public static final int VERSION = 1;
  public static final int MIN_CHARS = 12;
  private static final int SALT_BYTES = 16;
  private static final int KEY_BITS = 256;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Passwords() {}

  public static String hash(char[] password, int iterations) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return encode(iterations, salt, derive(password, salt, iterations));
  }

  /**
   * A well-formed hash of {@code iterations} that no password matches (its key is random, not
   * derived): checking a password against it costs what checking against a real hash of that cost
   * does.
   */
  static String unmatchable(int iterations) {
    byte[] salt = new byte[SALT_BYTES];
    byte[] key = new byte[KEY_BITS / 8];
    RANDOM.nextBytes(salt);
    RANDOM.nextBytes(key);
    return encode(iterations, salt, key);
  }

  private static String encode(int iterations, byte[] salt, byte[] key) {
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return SCHEME
        + "$"
        + VERSION
        + "$"
        + iterations
        + "$"
        + b64.encodeToString(salt)
        + "$"
        + b64.encodeToString(key);
  }

  /** The iterations a hash records, or 0 when it is not one of ours. */
  static int iterations(String encoded) {
    String[] parts = encoded == null ? new String[0] : encoded.split("\\$");
    try {
      return parts.length == 5 && parts[0].equals(SCHEME) ? Integer.parseInt(parts[2]) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * True when {@code password} matches {@code encoded}; compared in constant time. A null hash
   * never matches.
   */
  public static boolean verify(char[] password, String encoded) {
    if (encoded == null) {
      return false;
    }
    String[] parts = encoded.split("\\$");
    if (parts.length != 5
        || !parts[0].equals(SCHEME)
        || !parts[1].equals(Integer.toString(VERSION))) {
      return false;
    }
    try {
      int iterations = Integer.parseInt(parts[2]);
      byte[] salt = Base64.getDecoder().decode(parts[3]);
      byte[] expected = Base64.getDecoder().decode(parts[4]);
      return MessageDigest.isEqual(derive(password, salt, iterations), expected);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Why {@code password} is refused for {@code username}, or null when it is acceptable: the rules
   * every place that sets a password applies (the {@code users} command, the accounts API, setup, a
   * password change), the last of them a minimum strength ({@link PasswordStrength}).
   */
  public static String weakness(char[] password, String username) {
    if (password.length < MIN_CHARS) {
      return "a password needs at least " + MIN_CHARS + " characters";
    }
    String p = new String(password);
    if (p.strip().length() != p.length()) {
      return "a password cannot start or end with a space";
    }
    if (username != null
        && p.toLowerCase(java.util.Locale.ROOT)
            .contains(username.toLowerCase(java.util.Locale.ROOT))) {
      return "a password cannot contain the username";
    }
    if (p.chars().distinct().count() < 5) {
      return "a password needs at least 5 different characters";
    }
    return PasswordStrength.weakness(p, username);
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, KEY_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java 17 runtime", e);
    } finally {
      spec.clearPassword();
    }
  }

  /** SHA-256 of {@code text} in hex: how session ids are kept in the store. */
  public static String sha256Hex(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder(64);
      for (byte b : d) {
        sb.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
      }
      return sb.toString();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A random token of {@code bytes} bytes, URL-safe base64 without padding. */
  public static String token(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static void clear(char[] password) {
    Arrays.fill(password, '\0');
  }
}
