package org.bellwatch.agent.decision;

import java.util.List;

/**
 * The filter changes that carry out an unblock decision, one per filter a school may run, as text
 * for IT to copy. Every value that reaches the text was validated when the {@link Exemption} was
 * built (names, URL, ranges, windows) or is written only inside comments made safe by {@link Text}
 * (reason, reference), so no input can add a line or directive of its own.
 */
public final class FilterSnippets {
  private FilterSnippets() {}

  /** The snippets in a fixed order: squid, dnsmasq, pihole, unbound_rpz, bind_rpz, fortigate. */
  public static List<Snippet> all(Exemption e) {
    if (e == null) {
      throw new IllegalArgumentException("an exemption is required");
    }
    return List.of(
        SquidSnippet.of(e),
        DnsmasqSnippet.of(e),
        PiholeSnippet.of(e),
        UnboundRpzSnippet.of(e),
        BindRpzSnippet.of(e),
        FortiGateSnippet.of(e));
  }
}
