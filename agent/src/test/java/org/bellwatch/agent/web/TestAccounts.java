package org.bellwatch.agent.web;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import org.bellwatch.agent.access.Account;
import org.bellwatch.agent.access.Accounts;
import org.bellwatch.agent.event.StorageException;
import org.bellwatch.agent.store.EventStore;

/**
 * The accounts the web tests log in with; written into the store before the agent opens it (or into
 * the in-memory accounts of a {@link WebLayer}): admin1, coordinator1, viewer1, and the teacher
 * {@value #TEACHER} ({@link org.bellwatch.agent.testing.SiteFolder}'s teacher of cls-alg and
 * cls-art).
 */
final class TestAccounts {
  static final String PASSWORD = "correct horse battery";
  static final String TEACHER = "ms.rivera";

  /**
   * Test configurations lower the hashing cost ({@code auth.pbkdf2_iterations}); production never
   * does.
   */
  static final int ITERATIONS = 1000;

  private TestAccounts() {}

  /** The test account of a role. */
  static String username(String role) {
    return role.equals("teacher") ? TEACHER : role + "1";
  }

  static void write(Path storeDir, ZoneId zone) throws Exception {
    try (EventStore store = EventStore.open(storeDir, zone, false)) {
      addTo(store.console().accounts());
    }
  }

  /**
   * Adds the test accounts (an admin, a coordinator, a viewer and a teacher) to {@code accounts}.
   */
  static void addTo(Accounts accounts) throws StorageException {
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    for (String role : new String[] {"admin", "coordinator", "viewer", "teacher"}) {
      accounts.put(
          new Account(
              username(role),
              role,
              Passwords.hash(PASSWORD.toCharArray(), ITERATIONS),
              false,
              created,
              created));
    }
  }
}
