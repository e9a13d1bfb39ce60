package org.bellwatch.agent.decode.nd;

import java.net.InetAddress;
import java.util.List;

/**
 * A decoded IPv6 neighbor discovery message (RFC 4861 section 4): Router Solicitation (133), Router
 * Advertisement (134), Neighbor Solicitation (135) or Neighbor Advertisement (136). Absent values
 * are null.
 *
 * @param type ICMPv6 type, 133 to 136
 * @param target NS/NA target address (section 4.3, 4.4); null for RS and RA
 * @param router NA R flag (the sender is a router, section 4.4); true for every RA
 * @param solicited NA S flag
 * @param override NA O flag
 * @param routerLifetime RA router lifetime in seconds (0: not a default router, section 4.2); else
 *     null
 * @param sourceLinkAddr source link-layer address option (type 1, section 4.6.1), colon hex for 6
 *     bytes
 * @param targetLinkAddr target link-layer address option (type 2)
 * @param prefixes RA prefix information options (type 3, section 4.6.2)
 */
public record NdMessage(
    int type,
    InetAddress target,
    boolean router,
    boolean solicited,
    boolean override,
    Integer routerLifetime,
    String sourceLinkAddr,
    String targetLinkAddr,
    List<Prefix> prefixes) {

  public static final int ROUTER_SOLICITATION = 133;
  public static final int ROUTER_ADVERTISEMENT = 134;
  public static final int NEIGHBOR_SOLICITATION = 135;
  public static final int NEIGHBOR_ADVERTISEMENT = 136;

  public NdMessage {
    prefixes = List.copyOf(prefixes);
  }

  /**
   * One prefix information option (RFC 4861 section 4.6.2): the lifetimes bound how long addresses
   * that SLAAC forms in it stay valid (RFC 4862 section 5.5.3).
   *
   * @param prefix the prefix, host bits as sent
   * @param length prefix length in bits
   * @param onLink L flag
   * @param autonomous A flag (SLAAC may form addresses in it)
   * @param validSecs valid lifetime; 0xffffffff is infinity
   * @param preferredSecs preferred lifetime
   */
  public record Prefix(
      InetAddress prefix,
      int length,
      boolean onLink,
      boolean autonomous,
      long validSecs,
      long preferredSecs) {}
}
