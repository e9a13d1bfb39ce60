package org.bellwatch.agent.web;

import java.util.Locale;

/**
 * The role of an account, and the access level of a route.
 *
 * <p>Staff roles are ordered: an admin may do what a coordinator may, a coordinator what a viewer
 * may. A {@link #TEACHER} is not on that ladder: a teacher sees the blocks of their own sections
 * (rows included) but none of the whole-site aggregates a viewer sees, so it sits below {@link
 * #VIEWER} and may call only the routes that let teachers in by name ({@link
 * WebServer.Access#teachers()}), each scoped to the teacher's sections. {@link #ANONYMOUS} is the
 * access level of routes that need no login; no account has it.
 */
public enum Role {
  ANONYMOUS,
  TEACHER,
  VIEWER,
  COORDINATOR,
  ADMIN;

  /**
   * The role of an account ({@code teacher}, {@code viewer}, {@code coordinator}, {@code admin}),
   * or null.
   */
  public static Role ofAccount(String name) {
    if (name == null) {
      return null;
    }
    return switch (name) {
      case "teacher" -> TEACHER;
      case "viewer" -> VIEWER;
      case "coordinator" -> COORDINATOR;
      case "admin" -> ADMIN;
      default -> null;
    };
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * On the staff ladder (a teacher only above anonymous): see {@link WebServer.Access} for routes.
   */
  public boolean atLeast(Role other) {
    return compareTo(other) >= 0;
  }
}
