package org.bellwatch.agent.decision;

/**
 * A dnsmasq {@code server=/name/#} line. dnsmasq answers from the most specific domain that matches
 * (dnsmasq(8), --server), and '#' means "the usual upstream servers", so the line lifts a block set
 * on a parent domain or on {@code address=/#/}. At the same domain an {@code address=} line wins
 * over it (checked against dnsmasq 2.90), so the snippet says to delete such lines.
 */
final class DnsmasqSnippet {
  private DnsmasqSnippet() {}

  static Snippet of(Exemption e) {
    String d = e.domain();
    String text =
        Header.of(e, "# ")
            + DnsLimits.notes(
                e,
                "# ",
                "dnsmasq has no per-client rules: this holds for every client, not only the"
                    + " ranges above.")
            + Text.comment(
                "# ",
                "dnsmasq answers from the most specific domain that matches, so this line sends "
                    + d
                    + " and every name under it to the usual upstream servers even when a parent domain or"
                    + " address=/#/ is blocked. At the same domain an address= line wins, so also delete any address=/"
                    + d
                    + "/ or local=/"
                    + d
                    + "/ line, and the name's entries in hosts-format block lists"
                    + " (/etc/hosts and addn-hosts are answered first).")
            + "server=/"
            + d
            + "/#\n";
    return new Snippet("dnsmasq", "dnsmasq: forward the site again", text, "dnsmasq --test");
  }
}
