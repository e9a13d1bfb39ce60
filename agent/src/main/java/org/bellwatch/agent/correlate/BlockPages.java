package org.bellwatch.agent.correlate;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.parse.Domains;

/**
 * Which proxy redirects are blocks: a redirector such as squidGuard or ufdbGuard refuses by
 * redirecting to the block page, but a proxy also redirects for other reasons (a login page, http
 * to https). A redirect is a block when it goes to one of the site's block pages ({@code
 * filter.block_page_hosts}), or always when the site says its redirector redirects only to refuse
 * ({@code filter.redirects_are_blocks}).
 */
public final class BlockPages {
  /** The verdict on one redirect; {@code reason} names why it is no block, else null. */
  public record Verdict(boolean block, String reason) {}

  private static final Verdict BLOCK = new Verdict(true, null);
  private static final Verdict NOT_TO_A_BLOCK_PAGE =
      new Verdict(false, "redirect_not_to_block_page");
  private static final Verdict TARGET_NOT_LOGGED = new Verdict(false, "redirect_target_not_logged");

  private final Set<String> hosts;
  private final boolean redirectsAreBlocks;

  /**
   * {@code hosts}: lower-case names, and addresses as {@link InetAddress#getHostAddress()} writes
   * them.
   */
  public BlockPages(List<String> hosts, boolean redirectsAreBlocks) {
    this.hosts = Set.copyOf(hosts);
    this.redirectsAreBlocks = redirectsAreBlocks;
  }

  public Verdict judge(FilterEvent redirect) {
    if (redirectsAreBlocks) {
      return BLOCK;
    }
    String host = Domains.hostOfUrl(redirect.redirect());
    if (host == null) {
      return TARGET_NOT_LOGGED;
    }
    InetAddress address = AddressText.parseIp(host);
    return hosts.contains(address != null ? address.getHostAddress() : host)
        ? BLOCK
        : NOT_TO_A_BLOCK_PAGE;
  }
}
