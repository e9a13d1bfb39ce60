package org.bellwatch.agent.decision;

/**
 * The response policy zone file both Unbound and BIND load: a QNAME trigger for the name and one
 * for {@code *.name}, each with the PASSTHRU action ({@code CNAME rpz-passthru.}), which answers
 * the query normally and ends policy processing, so block zones listed after this one do not apply
 * (draft-vixie-dnsop-dns-rpz, sections 3 and 5).
 *
 * <p>Source ranges are not written as {@code rpz-client-ip} triggers: triggers in a policy zone are
 * alternatives, never combined, so a client-IP PASSTHRU rule would lift every block for those
 * clients, not just this name's. The servers' own client scoping (Unbound tags, BIND views) does it
 * instead.
 */
final class RpzZone {
  private RpzZone() {}

  /** Where IT puts the zone file, under the server's config folder. */
  static String path(String configDir, Exemption e) {
    return configDir + "/" + Names.zone(e.domain()) + ".rpz";
  }

  static String file(Exemption e) {
    String d = e.domain();
    return Header.brief(e, "; ")
        + "$TTL 300\n"
        + "@ IN SOA localhost. hostmaster.localhost. 1 3600 600 86400 300\n"
        + "@ IN NS localhost.\n"
        + d
        + " CNAME rpz-passthru.\n"
        + "*."
        + d
        + " CNAME rpz-passthru.\n";
  }
}
