package org.bellwatch.agent.decode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import org.bellwatch.agent.capture.RawFrame;

/**
 * Cuts the UDP payload out of a captured frame: link layer, IPv4 or IPv6, UDP. Pure function.
 *
 * <p>Frames that are well formed but not IP/UDP (ARP, TCP, ICMP, LLC, other ethertypes) give {@code null}:
 * they are not ours, not malformed. Frames that claim to be IP or UDP and do not add up throw a
 * {@link MalformedException} with a bounded reason. IP fragments are reported as {@code ipv4_fragment} /
 * {@code ipv6_fragment} until reassembly exists. Checksums are not verified: senders with checksum
 * offload put garbage there and a passive decoder would lose good traffic.
 */
public final class LinkDecoder {
  /** BSD loopback: 4-byte address family in the capturing host's byte order. */
  public static final int LINKTYPE_NULL = 0;
  /** OpenBSD loopback: address family in network byte order. */
  public static final int LINKTYPE_LOOP = 108;
  /** Raw IP on some platforms (DLT_RAW values before LINKTYPE_RAW was fixed at 101). */
  public static final int LINKTYPE_RAW_12 = 12;
  public static final int LINKTYPE_RAW_14 = 14;
  public static final int LINKTYPE_IPV4 = 228;
  public static final int LINKTYPE_IPV6 = 229;

  private static final int ETHERTYPE_IPV4 = 0x0800;
  private static final int ETHERTYPE_IPV6 = 0x86dd;
  private static final int ETHERTYPE_VLAN = 0x8100;
  private static final int ETHERTYPE_QINQ = 0x88a8;
  private static final int ETHERTYPE_QINQ_OLD = 0x9100;
  private static final int PROTO_UDP = 17;

  private LinkDecoder() {
  }

  /**
   * Returns the UDP datagram in {@code f}, or null when the frame carries no IPv4/IPv6 UDP. The payload is
   * a view into the frame's buffer (no copy), position 0 to limit.
   */
  public static UdpDatagram decode(RawFrame f) throws MalformedException {
    ByteBuffer b = f.bytes().slice();
    int end = b.limit();
    switch (f.linkType()) {
      case RawFrame.LINKTYPE_ETHERNET:
        if (end < 14) {
          throw new MalformedException("ether_truncated");
        }
        return etherType(f, b, u16(b, 12), 14, end);
      case RawFrame.LINKTYPE_LINUX_SLL:
        // packet type(2) ARPHRD(2) addr len(2) addr(8) protocol(2)
        if (end < 16) {
          throw new MalformedException("sll_truncated");
        }
        return etherType(f, b, u16(b, 14), 16, end);
      case RawFrame.LINKTYPE_LINUX_SLL2:
        // protocol(2) reserved(2) ifindex(4) ARPHRD(2) packet type(1) addr len(1) addr(8)
        if (end < 20) {
          throw new MalformedException("sll2_truncated");
        }
        return etherType(f, b, u16(b, 0), 20, end);
      case RawFrame.LINKTYPE_RAW:
      case LINKTYPE_RAW_12:
      case LINKTYPE_RAW_14:
        return rawIp(f, b, 0, end);
      case LINKTYPE_IPV4:
        return ipv4(f, b, 0, end);
      case LINKTYPE_IPV6:
        return ipv6(f, b, 0, end);
      case LINKTYPE_NULL:
      case LINKTYPE_LOOP: {
        if (end < 4) {
          throw new MalformedException("loopback_truncated");
        }
        // LINKTYPE_NULL uses the writer's byte order; families are small, so a big-endian read with the
        // high half set means the writer was little-endian.
        int raw = b.getInt(0);
        int family = f.linkType() == LINKTYPE_NULL && (raw & 0xffff0000) != 0
            ? Integer.reverseBytes(raw) : raw;
        if (family == 2) {
          return ipv4(f, b, 4, end);
        }
        if (family == 24 || family == 28 || family == 30) { // AF_INET6 on BSDs, FreeBSD, macOS
          return ipv6(f, b, 4, end);
        }
        return null;
      }
      default:
        throw new MalformedException("link_type_unsupported");
    }
  }

  private static UdpDatagram etherType(RawFrame f, ByteBuffer b, int type, int off, int end)
      throws MalformedException {
    // 802.1Q and 802.1ad tags, stacked any number of times (QinQ, QinQinQ): TCI(2) then the next type.
    while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD) {
      if (off + 4 > end) {
        throw new MalformedException("vlan_truncated");
      }
      type = u16(b, off + 2);
      off += 4;
    }
    if (type == ETHERTYPE_IPV4) {
      return ipv4(f, b, off, end);
    }
    if (type == ETHERTYPE_IPV6) {
      return ipv6(f, b, off, end);
    }
    return null; // ARP, LLC (type <= 1500 is an 802.3 length), anything else
  }

  private static UdpDatagram rawIp(RawFrame f, ByteBuffer b, int off, int end)
      throws MalformedException {
    if (off >= end) {
      throw new MalformedException("ip_truncated");
    }
    int version = (b.get(off) & 0xff) >> 4;
    if (version == 4) {
      return ipv4(f, b, off, end);
    }
    if (version == 6) {
      return ipv6(f, b, off, end);
    }
    throw new MalformedException("ip_bad_version");
  }

  /** RFC 791 section 3.1. Ethernet padding after the datagram is cut off by the total length. */
  private static UdpDatagram ipv4(RawFrame f, ByteBuffer b, int off, int end)
      throws MalformedException {
    if (off + 20 > end) {
      throw new MalformedException("ipv4_truncated");
    }
    int vihl = b.get(off) & 0xff;
    if (vihl >> 4 != 4) {
      throw new MalformedException("ipv4_bad_version");
    }
    int hlen = (vihl & 0xf) * 4;
    if (hlen < 20) {
      throw new MalformedException("ipv4_bad_header_length");
    }
    int total = u16(b, off + 2);
    if (total < hlen) {
      throw new MalformedException("ipv4_bad_total_length");
    }
    if (off + total > end) {
      throw new MalformedException("ipv4_truncated");
    }
    if ((b.get(off + 9) & 0xff) != PROTO_UDP) {
      return null;
    }
    int frag = u16(b, off + 6);
    if ((frag & 0x2000) != 0 || (frag & 0x1fff) != 0) {
      throw new MalformedException("ipv4_fragment");
    }
    InetAddress src = address(b, off + 12, 4);
    InetAddress dst = address(b, off + 16, 4);
    return udp(f, b, off + hlen, off + total, src, dst);
  }

  /** RFC 8200 sections 3 and 4: skip hop-by-hop, routing and destination options headers. */
  private static UdpDatagram ipv6(RawFrame f, ByteBuffer b, int off, int end)
      throws MalformedException {
    if (off + 40 > end) {
      throw new MalformedException("ipv6_truncated");
    }
    if ((b.get(off) & 0xff) >> 4 != 6) {
      throw new MalformedException("ipv6_bad_version");
    }
    int payloadEnd = off + 40 + u16(b, off + 4);
    if (payloadEnd > end) {
      throw new MalformedException("ipv6_truncated");
    }
    int next = b.get(off + 6) & 0xff;
    int p = off + 40;
    while (true) {
      switch (next) {
        case PROTO_UDP:
          return udp(f, b, p, payloadEnd, address(b, off + 8, 16), address(b, off + 24, 16));
        case 0:  // hop-by-hop options
        case 43: // routing
        case 60: { // destination options
          if (p + 2 > payloadEnd) {
            throw new MalformedException("ipv6_ext_truncated");
          }
          int len = ((b.get(p + 1) & 0xff) + 1) * 8;
          if (p + len > payloadEnd) {
            throw new MalformedException("ipv6_ext_truncated");
          }
          next = b.get(p) & 0xff;
          p += len;
          break;
        }
        case 44:
          throw new MalformedException("ipv6_fragment");
        default:
          return null; // TCP, ICMPv6, ESP, no next header (59), ...
      }
    }
  }

  /** RFC 768. The UDP length must fit inside the IP payload; bytes after it are ignored. */
  private static UdpDatagram udp(RawFrame f, ByteBuffer b, int off, int ipEnd, InetAddress src,
      InetAddress dst) throws MalformedException {
    if (off + 8 > ipEnd) {
      throw new MalformedException("udp_truncated");
    }
    int len = u16(b, off + 4);
    if (len < 8) {
      throw new MalformedException("udp_bad_length");
    }
    if (off + len > ipEnd) {
      throw new MalformedException("udp_truncated");
    }
    ByteBuffer payload = b.duplicate().position(off + 8).limit(off + len).slice();
    return new UdpDatagram(f.epochMicros(), src, dst, u16(b, off), u16(b, off + 2), "udp", payload);
  }

  private static int u16(ByteBuffer b, int at) {
    return b.getShort(at) & 0xffff;
  }

  private static InetAddress address(ByteBuffer b, int at, int len) {
    byte[] a = new byte[len];
    b.get(at, a, 0, len);
    try {
      return InetAddress.getByAddress(a);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always a valid address", e);
    }
  }
}
