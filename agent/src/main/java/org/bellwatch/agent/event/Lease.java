package org.bellwatch.agent.event;

import java.net.InetAddress;
import java.time.Instant;

/**
 * One binding of an IP address to a device over a time interval [{@code start}, {@code end}).
 *
 * @param ip the leased address
 * @param mac client hardware address, lower-case colon hex
 * @param hostname host name the client gave (DHCP option 12), or null
 * @param circuitId relay agent circuit id (DHCP option 82 sub-option 1, RFC 3046): the switch port,
 *     or null
 * @param start when the binding was first acknowledged
 * @param end when it ended: expiry, release or the address going to another device
 * @param evidence the observation that established it, e.g. "DHCP ACK 10.10.1.23 to aa:bb:.. at
 *     15:02:01Z"
 */
public record Lease(
    InetAddress ip,
    String mac,
    String hostname,
    String circuitId,
    Instant start,
    Instant end,
    String evidence) {
  public boolean covers(Instant t) {
    return !t.isBefore(start) && t.isBefore(end);
  }
}
