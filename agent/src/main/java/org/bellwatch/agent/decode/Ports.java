package org.bellwatch.agent.decode;

/** Which datagrams carry DNS (RFC 1035 port 53; mDNS, RFC 6762, port 5353) or DHCP (RFC 2131 ports 67/68). */
public final class Ports {
  public static final int DNS = 53;
  public static final int MDNS = 5353;
  public static final int DHCP_SERVER = 67;
  public static final int DHCP_CLIENT = 68;

  private Ports() {
  }

  public static boolean isDns(UdpDatagram d) {
    return d.sport() == DNS || d.dport() == DNS || d.sport() == MDNS || d.dport() == MDNS;
  }

  public static boolean isDhcp(UdpDatagram d) {
    return (d.sport() == DHCP_CLIENT || d.sport() == DHCP_SERVER)
        && (d.dport() == DHCP_CLIENT || d.dport() == DHCP_SERVER);
  }
}
