package org.bellwatch.agent.decision;

/**
 * What a DNS filter cannot narrow, said in the snippet so IT knows the change is wider than the
 * decision: DNS sees only names (no URL path) and keeps no time of day; some servers also have no
 * per-client rules.
 */
final class DnsLimits {
  private DnsLimits() {}

  /**
   * The notes for this exemption, in comment lines with {@code prefix}; {@code noClients} is what
   * to say when source ranges are given and the server cannot follow them, or null when it can.
   */
  static String notes(Exemption e, String prefix, String noClients) {
    StringBuilder out = new StringBuilder();
    if (e.urlPrefix() != null) {
      out.append(
          Text.comment(
              prefix,
              "DNS sees names, not URLs: this lets all of "
                  + e.domain()
                  + " and its subdomains resolve, not only the URL prefix."));
    }
    if (!e.windows().isEmpty()) {
      out.append(
          Text.comment(
              prefix,
              "DNS filtering has no time of day: this holds at all hours, not only in the"
                  + " windows above (the Squid rules follow them)."));
    }
    if (!e.sourceCidrs().isEmpty() && noClients != null) {
      out.append(Text.comment(prefix, noClients));
    }
    return out.toString();
  }
}
