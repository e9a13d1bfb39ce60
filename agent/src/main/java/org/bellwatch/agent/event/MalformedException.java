package org.bellwatch.agent.event;

/**
 * A named decoding failure (Zeek calls these "weirds"): the reason is a short, bounded, snake_case
 * name that becomes a metric tag, never free text. Stackless because malformed input is routine on
 * a mirror port and must cost no more than a counter increment.
 */
public final class MalformedException extends Exception {
  private final String reason;

  public MalformedException(String reason) {
    super(reason, null, false, false);
    this.reason = reason;
  }

  /** Bounded, snake_case reason such as {@code dns_truncated_header} or {@code dhcp_bad_cookie}. */
  public String reason() {
    return reason;
  }
}
