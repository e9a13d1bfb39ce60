package org.bellwatch.agent.identity;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Set;
import org.bellwatch.agent.decode.dhcp6.Dhcp6Message;
import org.bellwatch.agent.decode.nd.NdMessage;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.Lease;
import org.bellwatch.agent.event.Times;
import org.bellwatch.agent.util.LruMap;

/**
 * Learns which device holds an IPv6 address from what a mirror port shows, and records it in the
 * {@link LeaseTable} as a binding with a lifetime, the way a DHCPv4 lease is recorded: SLAAC and
 * temporary addresses (RFC 4862, RFC 8981) have no server that logs them, so the link is the
 * witness.
 *
 * <p>What binds an address to a MAC, most direct first (docs/design.md, "IPv6 clients"):
 *
 * <ul>
 *   <li>neighbor discovery (RFC 4861 section 4): an NA's target with its target link-layer address;
 *       an NS or RS source with its source link-layer address; a duplicate address detection NS
 *       (source ::, RFC 4862 section 5.4.2) names its tentative target and comes from the device's
 *       own Ethernet address;
 *   <li>DHCPv6 (RFC 8415): the addresses of a Reply's IA_NA / IA_TA, for the client whose DUID is a
 *       DUID-LL/LLT, or whose Client Link-Layer Address (RFC 6939) a relay added, or whose own
 *       Solicit/Request came in a frame from its MAC; valid lifetime 0 or a Release/Decline ends
 *       it;
 *   <li>the Ethernet source of a client's own DNS query;
 *   <li>a modified EUI-64 interface id (RFC 4291 appendix A: the MAC with ff:fe in the middle and
 *       the U/L bit flipped), when the frame's source cannot name the device.
 * </ul>
 *
 * A router forwards other hosts' packets with its own source MAC, so a router's MAC never binds an
 * address: routers are learned from Router Advertisements (RFC 4861 section 4.2), NAs with the R
 * flag, and the Ethernet source of relayed DHCPv4 replies (the relay agent is the gateway, RFC 2131
 * section 4.1).
 *
 * <p>A binding lasts the valid lifetime DHCPv6 gave, else the valid lifetime of the advertised
 * prefix it is in (RFC 4862 section 5.5.3), else {@link #DEFAULT_LIFETIME_SECS}. Seeing the address
 * again extends it; to spare the store a write per packet, only once half of it has passed. Not
 * thread-safe: owned by the pipeline thread.
 */
public final class Ipv6Bindings {
  /**
   * Where no DHCPv6 lifetime or advertised prefix says otherwise: a school day, renewed as it is
   * seen.
   */
  public static final long DEFAULT_LIFETIME_SECS = 4 * 3600;

  /** RFC 4861 section 4.6.2: a valid lifetime of all ones is infinity. */
  private static final long INFINITE = 0xffffffffL;

  static final int MAX_ROUTERS = 1024;
  static final int MAX_PREFIXES = 256;
  static final int MAX_CLIENTS = 100_000;

  /** How a binding was learned: a bounded tag for the metric and the start of its evidence line. */
  public enum How {
    ND_NA,
    ND_NS,
    ND_DAD,
    ND_RS,
    DNS_SOURCE,
    EUI64,
    DHCP6;

    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Told of each binding added, extended or ended: the correlator looks the address up again. */
  public interface Listener {
    void changed(InetAddress ip, How how);
  }

  private final LeaseTable leases;
  private final Listener listener;

  /** MAC → true for routers; an LRU so a flood of forged RAs cannot grow it. */
  private final LruMap<String, Boolean> routers = new LruMap<>(MAX_ROUTERS);

  /** Advertised prefixes, by "prefix/length", with their valid lifetimes. */
  private final LruMap<String, Advertised> prefixes = new LruMap<>(MAX_PREFIXES);

  /** DUID (hex) → MAC from the client's own messages, for the server's Reply. */
  private final LruMap<String, String> macByDuid = new LruMap<>(MAX_CLIENTS);

  public Ipv6Bindings(LeaseTable leases, Listener listener) {
    this.leases = leases;
    this.listener = listener;
  }

  /**
   * {@code mac} is a router's (a relayed DHCPv4 reply came from it): it never binds a client
   * address.
   */
  public void router(String mac) {
    if (mac != null) {
      routers.put(mac, Boolean.TRUE);
    }
  }

  public boolean isRouter(String mac) {
    return mac != null && routers.containsKey(mac);
  }

  /**
   * One neighbor discovery message from {@code src} in a frame from {@code etherSource} (null if
   * none).
   */
  public void nd(Instant t, InetAddress src, NdMessage m, String etherSource) {
    switch (m.type()) {
      case NdMessage.ROUTER_ADVERTISEMENT -> {
        router(etherSource);
        router(m.sourceLinkAddr());
        for (NdMessage.Prefix p : m.prefixes()) {
          if (p.autonomous() || p.onLink()) {
            prefix(p);
          }
        }
      }
      case NdMessage.NEIGHBOR_ADVERTISEMENT -> {
        if (m.router()) {
          router(m.targetLinkAddr());
          router(etherSource);
        } else {
          bind(t, m.target(), m.targetLinkAddr(), How.ND_NA, null);
        }
      }
      case NdMessage.NEIGHBOR_SOLICITATION -> {
        if (src.isAnyLocalAddress()) {
          bind(t, m.target(), etherSource, How.ND_DAD, null);
        } else {
          bind(t, src, m.sourceLinkAddr(), How.ND_NS, null);
        }
      }
      default -> bind(t, src, m.sourceLinkAddr(), How.ND_RS, null);
    }
  }

  /**
   * A DNS query from {@code src}, in a frame from {@code etherSource} (null if the link has none).
   */
  public void query(Instant t, InetAddress src, String etherSource) {
    if (!(src instanceof Inet6Address) || !bindable(src)) {
      return;
    }
    if (etherSource != null && !isRouter(etherSource)) {
      bind(t, src, etherSource, How.DNS_SOURCE, null);
    } else {
      bind(t, src, eui64Mac(src), How.EUI64, null);
    }
  }

  /**
   * One DHCPv6 message from {@code src}: a client's own message teaches its DUID's MAC; a Reply
   * binds its addresses; a Release or Decline ends them (RFC 8415 sections 18.2.7, 18.2.8).
   */
  public void dhcp6(Instant t, InetAddress src, Dhcp6Message m, String etherSource) {
    String mac = m.clientLinkAddr() != null ? m.clientLinkAddr() : m.duidLinkAddr();
    if (m.clientDuid() != null && m.fromClient()) {
      if (mac == null && m.relays().isEmpty() && etherSource != null && !isRouter(etherSource)) {
        mac = etherSource;
      }
      if (mac != null) {
        macByDuid.put(m.clientDuid(), mac);
      }
    }
    if (mac == null && m.clientDuid() != null) {
      mac = macByDuid.get(m.clientDuid());
    }
    if (mac == null || isRouter(mac)) {
      return;
    }
    if (m.fqdn() != null) {
      leases.observeHostname(
          mac, firstLabel(m.fqdn())); // before binding: the binding takes the name
    }
    if (m.msgType() == Dhcp6Message.REPLY) {
      for (Dhcp6Message.IaAddress a : m.addresses()) {
        if (a.validSecs() == 0) {
          end(t, a.address(), mac);
        } else {
          bind(t, a.address(), mac, How.DHCP6, Math.min(a.validSecs(), INFINITE - 1));
        }
      }
    } else if (m.msgType() == Dhcp6Message.RELEASE || m.msgType() == Dhcp6Message.DECLINE) {
      for (Dhcp6Message.IaAddress a : m.addresses()) {
        end(t, a.address(), mac);
      }
    }
  }

  /**
   * The MAC a modified EUI-64 interface id carries (RFC 4291 appendix A): bytes 11 and 12 are
   * ff:fe, and the U/L bit of the first byte is inverted back. Null for other interface ids.
   */
  public static String eui64Mac(InetAddress ip) {
    byte[] a = ip.getAddress();
    if (a.length != 16 || (a[11] & 0xff) != 0xff || (a[12] & 0xff) != 0xfe) {
      return null;
    }
    byte[] mac = {(byte) (a[8] ^ 0x02), a[9], a[10], a[13], a[14], a[15]};
    return AddressText.mac(mac, 0);
  }

  private void bind(Instant t, InetAddress ip, String mac, How how, Long validSecs) {
    if (ip == null || mac == null || !bindable(ip) || isRouter(mac) || multicastOrZero(mac)) {
      return;
    }
    long secs = validSecs != null ? validSecs : lifetime(ip);
    Lease now = leases.at(ip, t);
    if (now != null && now.mac().equals(mac) && now.end().isAfter(t.plusSeconds(secs / 2))) {
      return; // seen recently enough: the binding already lasts long
    }
    leases.acknowledge(ip, mac, null, t, secs, evidence(how, ip, mac, t, validSecs));
    listener.changed(ip, how);
  }

  private void end(Instant t, InetAddress ip, String mac) {
    Lease now = leases.at(ip, t);
    if (now != null && now.mac().equals(mac)) {
      leases.end(ip, mac, t);
      listener.changed(ip, How.DHCP6);
    }
  }

  /** Evidence lines in the form of the lease ones: what was seen, the address, the MAC, when. */
  private static String evidence(How how, InetAddress ip, String mac, Instant t, Long validSecs) {
    String a = AddressText.address(ip);
    String what =
        switch (how) {
          case ND_NA -> "NDP NA: " + a + " at " + mac + " (target link-layer address)";
          case ND_NS -> "NDP NS: " + a + " at " + mac + " (source link-layer address)";
          case ND_RS -> "NDP RS: " + a + " at " + mac + " (source link-layer address)";
          case ND_DAD -> "NDP DAD NS: " + a + " tentative, from " + mac;
          case DNS_SOURCE -> "DNS query: " + a + " in a frame from " + mac;
          case EUI64 -> "EUI-64: " + a + " embeds " + mac;
          case DHCP6 -> "DHCPv6 REPLY: " + a + " to " + mac + " valid " + validSecs + " s";
        };
    return what + " at " + Times.iso(t);
  }

  /** Unicast addresses a device holds: not ::, loopback, multicast or link-local (fe80::/10). */
  private static boolean bindable(InetAddress ip) {
    return ip instanceof Inet6Address
        && !ip.isAnyLocalAddress()
        && !ip.isLoopbackAddress()
        && !ip.isMulticastAddress()
        && !ip.isLinkLocalAddress();
  }

  /** The group bit (RFC 7042 section 2.1) or all zeros: no single device. */
  private static boolean multicastOrZero(String mac) {
    return (Character.digit(mac.charAt(1), 16) & 1) != 0 || mac.equals("00:00:00:00:00:00");
  }

  private void prefix(NdMessage.Prefix p) {
    if (p.length() == 0 || p.length() > 128) {
      return;
    }
    prefixes.put(
        AddressText.address(p.prefix()) + "/" + p.length(),
        new Advertised(p.prefix().getAddress(), p.length(), p.validSecs()));
  }

  private record Advertised(byte[] prefix, int length, long validSecs) {
    boolean holds(byte[] a) {
      for (int bit = 0; bit < length; bit++) {
        int mask = 0x80 >> (bit & 7);
        if ((a[bit >> 3] & mask) != (prefix[bit >> 3] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  /** The valid lifetime of the longest advertised prefix holding {@code ip}, else the default. */
  long lifetime(InetAddress ip) {
    byte[] a = ip.getAddress();
    long best = -1;
    int bestLen = -1;
    for (Advertised p : prefixes.values()) {
      if (p.length() > bestLen && p.holds(a)) {
        best = p.validSecs();
        bestLen = p.length();
      }
    }
    return best <= 0 || best >= INFINITE ? DEFAULT_LIFETIME_SECS : best;
  }

  private static String firstLabel(String fqdn) {
    int dot = fqdn.indexOf('.');
    return dot < 0 ? fqdn : fqdn.substring(0, dot);
  }

  /** Routers known (for the gauge and tests). */
  public Set<String> routers() {
    return Set.copyOf(routers.keySet());
  }
}
