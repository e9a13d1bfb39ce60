package org.bellwatch.agent.web;

import java.util.Locale;

/**
 * Who may call a route. Roles are ordered: an admin may do what a coordinator may, a coordinator what a
 * viewer may. {@link #ANONYMOUS} is the access level of routes that need no login; no account has it.
 */
public enum Role {
  ANONYMOUS, VIEWER, COORDINATOR, ADMIN;

  /** The role of an account ({@code viewer}, {@code coordinator}, {@code admin}), or null for anything else. */
  public static Role ofAccount(String name) {
    if (name == null) {
      return null;
    }
    return switch (name) {
      case "viewer" -> VIEWER;
      case "coordinator" -> COORDINATOR;
      case "admin" -> ADMIN;
      default -> null;
    };
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean atLeast(Role other) {
    return compareTo(other) >= 0;
  }
}
