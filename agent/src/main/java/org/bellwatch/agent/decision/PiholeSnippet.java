package org.bellwatch.agent.decision;

/**
 * Pi-hole v6 allowlist commands: {@code pihole allow} for the exact name and {@code pihole
 * --allow-wild} for its subdomains, which Pi-hole stores as the regex {@code (\.|^)name$}. Allow
 * entries come before every deny entry and list in Pi-hole's order of evaluation. Pi-hole refuses a
 * comment with any character outside letters, digits, space and {@code _#:/.,-}, so the comment
 * keeps only those; it is single-quoted, so the shell expands nothing in it.
 */
final class PiholeSnippet {
  private PiholeSnippet() {}

  static Snippet of(Exemption e) {
    String d = e.domain();
    String comment = comment(e);
    String text =
        Header.of(e, "# ")
            + DnsLimits.notes(
                e,
                "# ",
                "The pihole command puts entries in the Default group, which holds every client."
                    + " For the ranges above only: in Group management add a group, add each range as a client of it,"
                    + " and move both entries from Default to that group.")
            + Text.comment(
                "# ",
                "Pi-hole v6, on the Pi-hole host. The exact entry allows "
                    + d
                    + "; the --allow-wild entry is the regex (\\.|^)"
                    + d.replace(".", "\\.")
                    + "$ for its subdomains."
                    + " Allow entries win over deny entries and subscribed block lists.")
            + "pihole allow "
            + d
            + " --comment '"
            + comment
            + "'\n"
            + "pihole --allow-wild "
            + d
            + " --comment '"
            + comment
            + "'\n";
    return new Snippet(
        "pihole",
        "Pi-hole: allowlist entries",
        text,
        "not checked: Pi-hole is not packaged in Debian");
  }

  /** The reference and end date in the characters Pi-hole's list.sh accepts in a comment. */
  static String comment(Exemption e) {
    String text = e.reference() + (e.until() == null ? "" : ", until " + e.until());
    String kept = Text.oneLine(text.replaceAll("[^a-zA-Z0-9_#:/.,\\- ]", " "));
    return kept.isEmpty() ? "bellwatch" : kept;
  }
}
