package org.bellwatch.agent.decision;

/**
 * Unbound: an {@code rpz:} clause loading the passthru zone ({@link RpzZone}). Unbound applies RPZ
 * clauses in config order and a PASSTHRU match ends the search (both checked against Unbound 1.17),
 * so the clause goes above the one that blocks the site. Source ranges become a tag: the clause's
 * {@code tags:} limits it to clients whose {@code access-control-tag} carries it (unbound.conf(5)).
 */
final class UnboundRpzSnippet {
  static final String CONFIG_DIR = "/etc/unbound";

  private UnboundRpzSnippet() {}

  static Snippet of(Exemption e) {
    String zoneFile = RpzZone.path(CONFIG_DIR, e);
    String text =
        Header.of(e, "# ")
            + DnsLimits.notes(e, "# ", null)
            + Text.comment(
                "# ",
                "1. unbound.conf: put this rpz: clause above the rpz: clause that blocks the site;"
                    + " Unbound applies RPZ clauses in order and a PASSTHRU match ends the search. RPZ needs the respip"
                    + " module, e.g. module-config: \"respip validator iterator\".")
            + (e.sourceCidrs().isEmpty()
                ? ""
                : Text.comment(
                    "# ",
                    "The tag limits the clause to the ranges. A range that"
                        + " has an access-control-tag line already takes the tag in that line's list instead; a range"
                        + " without access-control is allowed to query."))
            + config(e, zoneFile)
            + Text.comment("# ", "2. The zone file " + zoneFile + ":")
            + RpzZone.file(e);
    return new Snippet("unbound_rpz", "Unbound: RPZ passthru", text, "unbound-checkconf");
  }

  /** The unbound.conf lines, loading the zone from {@code zoneFile}. */
  static String config(Exemption e, String zoneFile) {
    StringBuilder out = new StringBuilder();
    String tag = "bellwatch-" + Names.id(e.domain());
    if (!e.sourceCidrs().isEmpty()) {
      out.append("server:\n");
      out.append("    define-tag: \"").append(tag).append("\"\n");
      for (String cidr : e.sourceCidrs()) {
        out.append("    access-control-tag: ")
            .append(cidr)
            .append(" \"")
            .append(tag)
            .append("\"\n");
      }
    }
    out.append("rpz:\n");
    out.append("    name: ").append(Names.zone(e.domain())).append('\n');
    out.append("    zonefile: \"").append(zoneFile).append("\"\n");
    if (!e.sourceCidrs().isEmpty()) {
      out.append("    tags: \"").append(tag).append("\"\n");
    }
    return out.toString();
  }
}
