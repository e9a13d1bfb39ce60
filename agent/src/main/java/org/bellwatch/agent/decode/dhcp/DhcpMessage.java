package org.bellwatch.agent.decode.dhcp;

import java.net.InetAddress;
import java.util.List;

/**
 * A decoded DHCPv4 message (RFC 2131 section 2, options per RFC 2132). Absent values are null.
 *
 * @param op BOOTP op (1 request, 2 reply)
 * @param xid transaction id
 * @param msgType option 53 (1 DISCOVER, 2 OFFER, 3 REQUEST, 4 DECLINE, 5 ACK, 6 NAK, 7 RELEASE, 8
 *     INFORM), or 0 for plain BOOTP
 * @param chaddr client hardware address as lower-case colon-separated hex (htype 1, hlen 6); other
 *     hardware types as plain hex of hlen bytes
 * @param ciaddr client address (null when 0.0.0.0)
 * @param yiaddr "your" address (null when 0.0.0.0)
 * @param giaddr relay agent address (null when 0.0.0.0)
 * @param requestedIp option 50
 * @param leaseSecs option 51, or null
 * @param serverId option 54
 * @param hostname option 12
 * @param clientId option 61 as lower-case hex (type byte included)
 * @param fqdn option 81 domain name (RFC 4702)
 * @param vendorClass option 60
 * @param paramList option 55
 * @param relayCircuitId option 82 sub-option 1, printable text when printable, else hex
 * @param relayRemoteId option 82 sub-option 2, same rule
 * @param domainName option 15, the site's domain name as sent (RFC 2132 section 3.17)
 * @param domainSearch option 119, the domain search list (RFC 3397), or null
 */
public record DhcpMessage(
    int op,
    long xid,
    int msgType,
    String chaddr,
    InetAddress ciaddr,
    InetAddress yiaddr,
    InetAddress giaddr,
    InetAddress requestedIp,
    Long leaseSecs,
    InetAddress serverId,
    String hostname,
    String clientId,
    String fqdn,
    String vendorClass,
    List<Integer> paramList,
    String relayCircuitId,
    String relayRemoteId,
    String domainName,
    List<String> domainSearch) {

  public static final int DISCOVER = 1;
  public static final int OFFER = 2;
  public static final int REQUEST = 3;
  public static final int DECLINE = 4;
  public static final int ACK = 5;
  public static final int NAK = 6;
  public static final int RELEASE = 7;
  public static final int INFORM = 8;
}
