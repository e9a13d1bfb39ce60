package org.bellwatch.agent.access;

import java.time.Instant;

/**
 * A console account. {@code role} is {@code admin}, {@code coordinator} or {@code viewer} (checked
 * by the web layer); {@code passwordHash} is the versioned PBKDF2 encoding, never the password.
 */
public record Account(
    String username,
    String role,
    String passwordHash,
    boolean disabled,
    Instant created,
    Instant updated) {
  public Account withRole(String r, Instant now) {
    return new Account(username, r, passwordHash, disabled, created, now);
  }

  public Account withPasswordHash(String h, Instant now) {
    return new Account(username, role, h, disabled, created, now);
  }

  public Account withDisabled(boolean d, Instant now) {
    return new Account(username, role, passwordHash, d, created, now);
  }
}
