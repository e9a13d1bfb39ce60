package org.bellwatch.agent.decode;

/**
 * Which datagrams carry DNS (RFC 1035 port 53; mDNS, RFC 6762, port 5353), DHCP (RFC 2131 ports
 * 67/68) or DHCPv6 (RFC 8415 section 7.2: clients listen on 546, servers and relay agents on 547).
 */
public final class Ports {
  public static final int DNS = 53;
  public static final int MDNS = 5353;
  public static final int DHCP_SERVER = 67;
  public static final int DHCP_CLIENT = 68;
  public static final int DHCP6_CLIENT = 546;
  public static final int DHCP6_SERVER = 547;

  private Ports() {}

  public static boolean isDns(UdpDatagram d) {
    return d.sport() == DNS || d.dport() == DNS || d.sport() == MDNS || d.dport() == MDNS;
  }

  public static boolean isDhcp(UdpDatagram d) {
    return (d.sport() == DHCP_CLIENT || d.sport() == DHCP_SERVER)
        && (d.dport() == DHCP_CLIENT || d.dport() == DHCP_SERVER);
  }

  /**
   * Client to server or relay (547), server or relay to client (546) and relay to relay (547 to
   * 547).
   */
  public static boolean isDhcp6(UdpDatagram d) {
    return (d.sport() == DHCP6_CLIENT || d.sport() == DHCP6_SERVER)
        && (d.dport() == DHCP6_CLIENT || d.dport() == DHCP6_SERVER);
  }
}
