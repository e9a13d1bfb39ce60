package org.bellwatch.agent.decision;

/**
 * BIND: the passthru zone ({@link RpzZone}) as a primary zone named first in {@code
 * response-policy} (BIND uses the first policy zone that matches; PASSTHRU ends the search). BIND
 * has no per-client switch for one policy zone, so source ranges get a view whose {@code
 * match-clients} are the ranges and whose {@code response-policy} starts with the exemption zone.
 */
final class BindRpzSnippet {
  static final String CONFIG_DIR = "/etc/bind";

  private BindRpzSnippet() {}

  static Snippet of(Exemption e) {
    String zoneFile = RpzZone.path(CONFIG_DIR, e);
    StringBuilder text = new StringBuilder(Header.of(e, "// "));
    text.append(DnsLimits.notes(e, "// ", null));
    if (e.sourceCidrs().isEmpty()) {
      text.append(
          Text.comment(
              "// ",
              "1. In options { }, name this zone first in your response-policy statement,"
                  + " before the zone that blocks the site (BIND uses the first policy zone that matches); use this"
                  + " statement if you have none:"));
      text.append(options(e));
      text.append(Text.comment("// ", "2. named.conf, beside your other zones:"));
    } else {
      text.append(
          Text.comment(
              "// ",
              "1. named.conf: the ranges get a view of their own, above your other views"
                  + " (the first view whose match-clients matches answers). Copy into it what these clients need from"
                  + " the view they use now: options, zones, and your policy zones after this one in response-policy"
                  + " (zone \"name\" { in-view \"other\"; }; shares a zone). With views, every zone must be in a view."));
    }
    text.append(namedConf(e, zoneFile));
    text.append(
        Text.comment(
            "// ", (e.sourceCidrs().isEmpty() ? "3" : "2") + ". The zone file " + zoneFile + ":"));
    text.append(RpzZone.file(e));
    return new Snippet(
        "bind_rpz", "BIND: RPZ passthru", text.toString(), "named-checkconf -z, named-checkzone");
  }

  /** The response-policy statement for options { }, or "" when the ranges need a view. */
  static String options(Exemption e) {
    return e.sourceCidrs().isEmpty()
        ? "response-policy { zone \"" + Names.zone(e.domain()) + "\"; };\n"
        : "";
  }

  /** The top-level named.conf statements, loading the zone from {@code zoneFile}. */
  static String namedConf(Exemption e, String zoneFile) {
    String zone = Names.zone(e.domain());
    String zoneStatement = "zone \"" + zone + "\" { type primary; file \"" + zoneFile + "\"; };\n";
    if (e.sourceCidrs().isEmpty()) {
      return zoneStatement;
    }
    String name = "bellwatch-" + Names.id(e.domain());
    return "acl \""
        + name
        + "\" { "
        + String.join("; ", e.sourceCidrs())
        + "; };\n"
        + "view \""
        + name
        + "\" {\n"
        + "    match-clients { \""
        + name
        + "\"; };\n"
        + "    response-policy { zone \""
        + zone
        + "\"; };\n"
        + "    "
        + zoneStatement
        + "};\n";
  }
}
