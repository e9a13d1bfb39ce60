package org.bellwatch.agent.web;

import io.javalin.http.Context;
import java.net.URI;

/**
 * Whether a state-changing request came from a page of this server: its Origin (else Referer) names
 * the host and port the request was sent to (OWASP CSRF prevention cheat sheet, "Verifying origin
 * with standard headers"). Shared by the site console's guard and the district hub's.
 */
public final class SameOrigin {
  private SameOrigin() {}

  public static boolean of(Context ctx) {
    String source = ctx.header("Origin");
    if (source == null || source.equals("null")) {
      source = ctx.header("Referer");
    }
    String host = ctx.header("Host");
    if (source == null || host == null) {
      return false;
    }
    try {
      String authority = URI.create(source).getRawAuthority();
      return authority != null && authority.equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
