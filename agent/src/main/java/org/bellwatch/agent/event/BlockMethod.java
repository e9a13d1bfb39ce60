package org.bellwatch.agent.event;

/**
 * The {@code method} values parsers give a blocked (or warned) {@link FilterEvent}: how the user
 * was refused. Kept small on purpose: the console groups by it and it is a metric tag. The DNS
 * capture path has {@code dns-sinkhole} of its own and shares {@link #DNS_NXDOMAIN}.
 */
public final class BlockMethod {
  private BlockMethod() {}

  /**
   * A forward proxy refused the request (Squid {@code TCP_DENIED/403}, Umbrella SWG, Zscaler,
   * Sophos UTM).
   */
  public static final String PROXY_DENY = "proxy-deny";

  /**
   * A proxy's redirector refused the request by redirecting it to the block page (squidGuard,
   * ufdbGuard, e2guardian in redirect mode: squid logs {@code TCP_REDIRECT/302}). From squid's own
   * line only when the redirect goes to a block page ({@code filter.block_page_hosts}) or the site
   * says its redirector only blocks ({@code filter.redirects_are_blocks}); from the redirector's
   * own log always.
   */
  public static final String PROXY_REDIRECT = "proxy-redirect";

  /**
   * A proxied request failed because the DNS filter refused the proxy's own lookup of the name
   * (squid logs a 5xx such as {@code TCP_MISS/503} or {@code NONE_NONE/503}; the DNS filter logs
   * the proxy's address). The block is the proxy client's; the correlator joins the two lines
   * (docs/design.md, "Proxies behind a DNS filter").
   */
  public static final String PROXY_DNS_BLOCK = "proxy-dns-block";

  /**
   * A firewall or UTM's URL/category filter refused the request (FortiGate webfilter, PAN-OS url,
   * Sophos XG web policy, SonicWall CFS, a traffic log's {@code utmaction=block}).
   */
  public static final String FILTER_DENY = "filter-deny";

  /**
   * A DNS filter refused the name (Umbrella DNS, pfBlockerNG DNSBL, Pi-hole/dnsmasq, FortiGate DNS
   * filter).
   */
  public static final String DNS_BLOCK = "dns-block";

  /**
   * A DNS server refused the name by answering that it (or its record) does not exist: NXDOMAIN, or
   * NODATA (dnsmasq {@code is NXDOMAIN}, a Pi-hole in NXDOMAIN mode; on the wire with {@code
   * dns.nxdomain_is_block}). For a name at or under the site's own domains this is the local zone
   * answering, never a block (docs/design.md, "Site-local names").
   */
  public static final String DNS_NXDOMAIN = "dns-nxdomain";

  /**
   * Application control refused an application signature (FortiGate app-ctrl, Sophos XG
   * Application).
   */
  public static final String APP_BLOCK = "app-block";

  /**
   * A layer-3 firewall rule dropped the connection (FortiGate traffic {@code action=deny}, Meraki
   * {@code pattern: deny}). Such records carry no host name, so the pipeline does not turn them
   * into block events; the verdict is kept so the log's counts stay honest.
   */
  public static final String FIREWALL_DENY = "firewall-deny";
}
