package org.bellwatch.agent.decision;

/**
 * FortiOS CLI: URL filter entries with {@code set action exempt} (config webfilter urlfilter), a
 * simple entry for the name (or the URL prefix without its scheme) and a wildcard entry for its
 * subdomains. FortiOS matches a table's entries top down and a web filter profile uses one table,
 * so the entries go into the table of the profile that blocks the site, above any entry that blocks
 * it. Only validated names and URLs reach the quoted strings; free text stays in '#' comment lines.
 * The CLI takes '?' as a request for help, so a URL prefix's query is left out of the entry.
 */
final class FortiGateSnippet {
  private FortiGateSnippet() {}

  static Snippet of(Exemption e) {
    StringBuilder text = new StringBuilder(Header.of(e, "# "));
    text.append(
        Text.comment(
            "# ",
            "Add these entries to the URL filter table of the web filter profile that blocks"
                + " the site (config webfilter profile, config web, set urlfilter-table): replace 1 with that table's id."
                + " Entries match top down: move these above any entry that blocks the site. 'edit 0' adds an entry."));
    if (e.urlPrefix() != null && e.urlPrefix().indexOf('?') >= 0) {
      text.append(
          Text.comment(
              "# ",
              "The FortiOS CLI takes '?' as a request for help, so the entry stops before the"
                  + " query and exempts the whole path."));
    }
    if (!e.sourceCidrs().isEmpty() || !e.windows().isEmpty()) {
      text.append(
          Text.comment(
              "# ",
              "The entries hold for every policy that uses the profile. For the ranges and"
                  + " times above only, use a profile of its own in a firewall policy whose source addresses are the"
                  + " ranges and whose schedule is a recurring schedule of the windows."));
    }
    text.append("config webfilter urlfilter\n");
    text.append("    edit 1\n");
    text.append("        config entries\n");
    if (e.urlPrefix() == null) {
      entry(text, e.domain(), "simple");
      entry(text, "*." + e.domain(), "wildcard");
    } else {
      entry(
          text, withoutQuery(e.urlPrefix().substring(e.urlPrefix().indexOf("://") + 3)), "simple");
    }
    text.append("        end\n");
    text.append("    next\n");
    text.append("end\n");
    return new Snippet(
        "fortigate",
        "FortiGate: URL filter exemption",
        text.toString(),
        "not checked: FortiOS does not run on Debian");
  }

  private static String withoutQuery(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  private static void entry(StringBuilder text, String url, String type) {
    text.append("            edit 0\n");
    text.append("                set url \"").append(url).append("\"\n");
    text.append("                set type ").append(type).append('\n');
    text.append("                set action exempt\n");
    text.append("            next\n");
  }
}
