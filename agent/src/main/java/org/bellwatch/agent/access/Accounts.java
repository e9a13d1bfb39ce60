package org.bellwatch.agent.access;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bellwatch.agent.event.StorageException;

/** Console accounts, keyed by lower-case username. */
public interface Accounts {
  /** Usernames: 1 to 64 of letters, digits, '.', '_', '-', '@' (an e-mail address fits). */
  Pattern USERNAME = Pattern.compile("[a-z0-9._@-]{1,64}");

  /**
   * The canonical form of a username (lower case, trimmed), or null when it is not a valid
   * username.
   */
  static String normalize(String username) {
    if (username == null) {
      return null;
    }
    String u = username.trim().toLowerCase(Locale.ROOT);
    return USERNAME.matcher(u).matches() ? u : null;
  }

  /**
   * Refuses an account whose username is not in its canonical form: it could never be found again.
   */
  static void requireNormalized(Account a) {
    if (!a.username().equals(normalize(a.username()))) {
      throw new IllegalArgumentException("username not normalized: " + a.username());
    }
  }

  Optional<Account> get(String username) throws StorageException;

  /** Every account, by username. */
  List<Account> list() throws StorageException;

  /** Creates or replaces the account (its username must be normalized). */
  void put(Account a) throws StorageException;
}
