package org.bellwatch.agent.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.bellwatch.agent.access.Account;
import org.bellwatch.agent.access.Accounts;
import org.bellwatch.agent.event.StorageException;
import org.bellwatch.agent.util.PrivateFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-time token that lets whoever reads the agent's log (or its store folder) create the first
 * admin account in the console, when the store has no enabled admin at start. It is 256 random
 * bits, kept here only as its SHA-256, written to {@value #FILE} (mode 0600) and to the log; it
 * works once, until {@code auth.setup_token_secs} after start, and never once an admin exists.
 */
final class SetupToken {
  static final String FILE = "setup.token";
  private static final Logger log = LoggerFactory.getLogger(SetupToken.class);

  private final Path file;
  private final Clock clock;
  private final Instant expires;
  private String hash;

  private SetupToken(Path file, Clock clock, Instant expires, String hash) {
    this.file = file;
    this.clock = clock;
    this.expires = expires;
    this.hash = hash;
  }

  /** Issues a token when no enabled admin account exists; otherwise removes a stale token file. */
  static SetupToken issueIfNoAdmin(Accounts accounts, Path storeDir, Clock clock, Duration ttl)
      throws StorageException {
    Path file = storeDir.resolve(FILE);
    if (hasAdmin(accounts)) {
      deleteQuietly(file);
      return new SetupToken(file, clock, Instant.MIN, null);
    }
    String token = Passwords.token(32);
    Instant expires = clock.instant().plus(ttl);
    try {
      PrivateFolder.createFile(file);
      Files.writeString(
          file, token + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      log.warn("cannot write {}: the setup token is only in this log ({})", file, e.getMessage());
    }
    log.warn(
        "no admin account yet: open the console and choose \"First start\" with the one-time setup token {}"
            + " (also in {}); it works once, until {}",
        token,
        file,
        expires);
    return new SetupToken(file, clock, expires, Passwords.sha256Hex(token));
  }

  static boolean hasAdmin(Accounts accounts) throws StorageException {
    return accounts.list().stream().anyMatch(a -> a.role().equals("admin") && !a.disabled());
  }

  /** The token may still be used (issued, unused, unexpired). */
  synchronized boolean open() {
    return hash != null && clock.instant().isBefore(expires);
  }

  /**
   * Uses the token: true once, for the right token before it expires; then never again. The caller
   * creates the admin account while holding this object's lock.
   */
  synchronized boolean redeem(String presented) {
    if (!open() || presented == null || presented.length() > 100) {
      return false;
    }
    boolean ok =
        MessageDigest.isEqual(
            hash.getBytes(StandardCharsets.US_ASCII),
            Passwords.sha256Hex(presented.strip()).getBytes(StandardCharsets.US_ASCII));
    if (ok) {
      hash = null;
      deleteQuietly(file);
    }
    return ok;
  }

  /** Closes the token without use (an admin was created another way). */
  synchronized void close() {
    hash = null;
    deleteQuietly(file);
  }

  Instant expires() {
    return expires;
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", file, e.getMessage());
    }
  }

  static Account admin(String username, String passwordHash, Instant now) {
    return new Account(username, "admin", passwordHash, false, now, now);
  }
}
