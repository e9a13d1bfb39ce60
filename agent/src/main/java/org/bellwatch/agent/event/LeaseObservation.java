package org.bellwatch.agent.event;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import org.bellwatch.agent.parse.vendors.Vendor;

/**
 * One DHCP server log record about a client: the same facts as a captured DHCP message, from the
 * server's own log (ISC dhcpd, Kea, Windows DhcpSrvLog, dnsmasq, Infoblox).
 *
 * @param time when the server logged it, UTC
 * @param ip the leased or requested address, or null (a DISCOVER has none)
 * @param mac the client hardware address, lower-case colon form (see {@link Macs}), or null
 * @param hostname the client host name as logged, or null
 * @param kind what happened to the lease
 * @param leaseSecs the lease time the server granted, or null when the line does not say
 * @param vendor the {@link Vendor} id that parsed it
 * @param raw the original line, cut to {@link FilterEvent#RAW_MAX_CHARS}
 * @param domains the site's domains the server handed out as logged ({@link Kind#DOMAIN}), else
 *     empty
 */
public record LeaseObservation(
    Instant time,
    InetAddress ip,
    String mac,
    String hostname,
    Kind kind,
    Long leaseSecs,
    String vendor,
    String raw,
    List<String> domains)
    implements ParsedRecord {

  public LeaseObservation {
    raw = FilterEvent.bound(raw);
    domains = List.copyOf(domains);
  }

  /** An observation that names no domain. */
  public LeaseObservation(
      Instant time,
      InetAddress ip,
      String mac,
      String hostname,
      Kind kind,
      Long leaseSecs,
      String vendor,
      String raw) {
    this(time, ip, mac, hostname, kind, leaseSecs, vendor, raw, List.of());
  }

  /**
   * Only {@link #ACK} binds an address to a client; {@link #RELEASE}, {@link #EXPIRE} and {@link
   * #DECLINE} end it.
   */
  public enum Kind {
    /** The server granted or renewed the lease (DHCPACK, Windows 10/11, Kea lease file state 0). */
    ACK,
    /** The client gave the address back (DHCPRELEASE, Windows 12). */
    RELEASE,
    /** The lease ran out (DHCPEXPIRE, Windows 16-18, Kea state 2 "expired-reclaimed"). */
    EXPIRE,
    /** The client refused the address as in use (DHCPDECLINE, Kea state 1 "declined"). */
    DECLINE,
    /** The server refused the client's request (DHCPNAK, Windows 15). */
    NAK,
    /**
     * The server saw the client ask or inform (DISCOVER, OFFER, REQUEST, INFORM): a host name, no
     * binding.
     */
    SEEN,
    /**
     * The server acknowledged a client with the site's domain name or search list (options 15 and
     * 119): names at or under these are the site's own ({@code domains}).
     */
    DOMAIN
  }
}
