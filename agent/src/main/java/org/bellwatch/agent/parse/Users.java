package org.bellwatch.agent.parse;

import java.util.Locale;
import java.util.Set;

/**
 * The one place that decides whether a logged user name is a real user or a vendor's placeholder.
 */
public final class Users {
  private Users() {}

  /**
   * Placeholders seen in vendor logs, compared case-insensitively: Squid {@code -}, SonicWall
   * {@code Unknown (SSO failed)}, FortiGate {@code N/A}, Zscaler {@code None}, Sophos {@code
   * (null)}.
   */
  private static final Set<String> PLACEHOLDERS =
      Set.of("", "-", "unknown", "unknown (sso failed)", "n/a", "none", "(null)");

  /** The user as logged, trimmed, or null when absent or a placeholder. */
  public static String normalize(String user) {
    if (user == null) {
      return null;
    }
    String u = user.strip();
    return PLACEHOLDERS.contains(u.toLowerCase(Locale.ROOT)) ? null : u;
  }
}
