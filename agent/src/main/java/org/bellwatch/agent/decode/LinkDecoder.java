package org.bellwatch.agent.decode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import org.bellwatch.agent.decode.frame.FrameDecoder;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.event.RawFrame;

/**
 * Cuts IP datagrams, UDP datagrams and TCP segments out of captured frames: link layer, IPv4 or
 * IPv6, then UDP or TCP; over IPv6 also ICMPv6, whose neighbor discovery binds addresses to devices
 * (RFC 4861). Pure functions; the state that fragments and TCP streams need lives in {@link
 * FrameDecoder}.
 *
 * <p>Frames that are well formed but not IP (ARP, LLC, other ethertypes) give {@code null}: they
 * are not ours, not malformed. Frames that claim to be IP, UDP or TCP and do not add up throw a
 * {@link MalformedException} with a bounded reason. {@link #decode(RawFrame)}, the stateless UDP
 * shortcut, reports IP fragments as {@code ipv4_fragment} / {@code ipv6_fragment}; {@link
 * FrameDecoder} reassembles them. Checksums are not verified: senders with checksum offload put
 * garbage there and a passive decoder would lose good traffic.
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

  /** FDDI: frame control(1) DA(6) SA(6), then 802.2 LLC/SNAP (RFC 1042) carrying an ethertype. */
  public static final int LINKTYPE_FDDI = 10;

  private static final int PROTO_UDP = IpPacket.PROTO_UDP;
  private static final int PROTO_TCP = IpPacket.PROTO_TCP;
  private static final int PROTO_ICMPV6 = IpPacket.PROTO_ICMPV6;

  private LinkDecoder() {}

  /**
   * Returns the UDP datagram in {@code f}, or null when the frame carries no IPv4/IPv6 UDP (TCP
   * included). The payload is a view into the frame's buffer (no copy), position 0 to limit.
   * Stateless: a fragment is malformed here ({@code ipv4_fragment} / {@code ipv6_fragment}); use
   * {@link FrameDecoder} to reassemble.
   */
  public static UdpDatagram decode(RawFrame f) throws MalformedException {
    IpPacket p = ip(f);
    if (p == null) {
      return null;
    }
    if (p.fragment()) {
      throw new MalformedException(p.version() == 4 ? "ipv4_fragment" : "ipv6_fragment");
    }
    return p.protocol() == PROTO_UDP ? udp(p) : null;
  }

  /**
   * Returns the IP datagram or fragment in {@code f}, or null when the frame carries no IP. The
   * payload is a view into the frame's buffer, cut to the IP length (Ethernet padding dropped).
   */
  public static IpPacket ip(RawFrame f) throws MalformedException {
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
      case LINKTYPE_LOOP:
        {
          if (end < 4) {
            throw new MalformedException("loopback_truncated");
          }
          // LINKTYPE_NULL uses the writer's byte order; families are small, so a big-endian read
          // with the
          // high half set means the writer was little-endian.
          int raw = b.getInt(0);
          int family =
              f.linkType() == LINKTYPE_NULL && (raw & 0xffff0000) != 0
                  ? Integer.reverseBytes(raw)
                  : raw;
          if (family == 2) {
            return ipv4(f, b, 4, end);
          }
          if (family == 24 || family == 28 || family == 30) { // AF_INET6 on BSDs, FreeBSD, macOS
            return ipv6(f, b, 4, end);
          }
          return null;
        }
      case LINKTYPE_FDDI:
        // RFC 1390: IP over FDDI always uses LLC/SNAP (AA AA 03, OUI 0) followed by the ethertype.
        if (end < 21) {
          throw new MalformedException("fddi_truncated");
        }
        if ((b.get(13) & 0xff) != 0xaa
            || (b.get(14) & 0xff) != 0xaa
            || (b.get(15) & 0xff) != 0x03) {
          return null;
        }
        return etherType(f, b, u16(b, 19), 21, end);
      default:
        throw new MalformedException("link_type_unsupported");
    }
  }

  private static IpPacket etherType(RawFrame f, ByteBuffer b, int type, int off, int end)
      throws MalformedException {
    // 802.1Q and 802.1ad tags, stacked any number of times (QinQ, QinQinQ): TCI(2) then the next
    // type.
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

  private static IpPacket rawIp(RawFrame f, ByteBuffer b, int off, int end)
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
  private static IpPacket ipv4(RawFrame f, ByteBuffer b, int off, int end)
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
    int proto = b.get(off + 9) & 0xff;
    if (proto != PROTO_UDP && proto != PROTO_TCP) {
      return null; // ICMP, ESP, GRE, ...: not ours, fragmented or not
    }
    int frag = u16(b, off + 6);
    boolean more = (frag & 0x2000) != 0;
    int fragOffset = (frag & 0x1fff) * 8;
    boolean fragment = more || fragOffset != 0;
    InetAddress src = address(b, off + 12, 4);
    InetAddress dst = address(b, off + 16, 4);
    return new IpPacket(
        f.epochMicros(),
        src,
        dst,
        4,
        proto,
        fragment ? u16(b, off + 4) : 0,
        fragOffset,
        more,
        fragment,
        view(b, off + hlen, off + total));
  }

  /** RFC 8200 sections 3 and 4: skip hop-by-hop, routing and destination options headers. */
  private static IpPacket ipv6(RawFrame f, ByteBuffer b, int off, int end)
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
    int[] at = {off + 40};
    int next = skipExtensions(b, b.get(off + 6) & 0xff, at, payloadEnd);
    int p = at[0];
    InetAddress src = address(b, off + 8, 16);
    InetAddress dst = address(b, off + 24, 16);
    if (next == 44) {
      // RFC 8200 section 4.5: next header(1) reserved(1) offset(13 bits) res(2) M(1)
      // identification(4).
      if (p + 8 > payloadEnd) {
        throw new MalformedException("ipv6_fragment_truncated");
      }
      int inner = b.get(p) & 0xff;
      int offField = u16(b, p + 2);
      long id = b.getInt(p + 4) & 0xffffffffL;
      int fragOffset = offField & 0xfff8;
      boolean more = (offField & 1) != 0;
      ByteBuffer data = view(b, p + 8, payloadEnd);
      if (fragOffset == 0 && !more) {
        // An atomic fragment (RFC 6946): processed at once, never mixed with other fragments.
        return upperLayer(
            new IpPacket(f.epochMicros(), src, dst, 6, inner, 0, 0, false, false, data));
      }
      return new IpPacket(f.epochMicros(), src, dst, 6, inner, id, fragOffset, more, true, data);
    }
    if (next != PROTO_UDP && next != PROTO_TCP && next != PROTO_ICMPV6) {
      return null; // ESP, no next header (59), ...
    }
    return new IpPacket(
        f.epochMicros(), src, dst, 6, next, 0, 0, false, false, view(b, p, payloadEnd));
  }

  /**
   * Skips hop-by-hop (0), routing (43) and destination options (60) headers starting at {@code
   * at[0]}; returns the first other next-header value and leaves {@code at[0]} at its start.
   */
  private static int skipExtensions(ByteBuffer b, int next, int[] at, int end)
      throws MalformedException {
    int p = at[0];
    while (next == 0 || next == 43 || next == 60) {
      if (p + 2 > end) {
        throw new MalformedException("ipv6_ext_truncated");
      }
      int len = ((b.get(p + 1) & 0xff) + 1) * 8;
      if (p + len > end) {
        throw new MalformedException("ipv6_ext_truncated");
      }
      next = b.get(p) & 0xff;
      p += len;
    }
    at[0] = p;
    return next;
  }

  /**
   * For a reassembled IPv6 datagram whose payload starts with extension headers (destination
   * options may follow the fragment header, RFC 8200 section 4.1), skips them. Returns the packet
   * positioned at UDP or TCP (or ICMPv6), or null for other upper layers; IPv4 packets come back
   * unchanged. A second fragment header is malformed ({@code ipv6_fragment_nested}).
   */
  public static IpPacket upperLayer(IpPacket p) throws MalformedException {
    if (p.version() != 6) {
      return p.protocol() == PROTO_UDP || p.protocol() == PROTO_TCP ? p : null;
    }
    ByteBuffer b = p.payload();
    int[] at = {0};
    int next = skipExtensions(b, p.protocol(), at, b.limit());
    if (next == 44) {
      throw new MalformedException("ipv6_fragment_nested");
    }
    if (next != PROTO_UDP && next != PROTO_TCP && next != PROTO_ICMPV6) {
      return null;
    }
    return at[0] == 0 && next == p.protocol()
        ? p
        : new IpPacket(
            p.epochMicros(),
            p.src(),
            p.dst(),
            6,
            next,
            p.fragmentId(),
            p.fragmentOffset(),
            p.moreFragments(),
            p.fragment(),
            view(b, at[0], b.limit()));
  }

  /**
   * RFC 768: the UDP datagram in a whole (unfragmented or reassembled) IP packet whose protocol is
   * UDP. The UDP length must fit inside the IP payload; bytes after it are ignored.
   */
  public static UdpDatagram udp(IpPacket p) throws MalformedException {
    ByteBuffer b = p.payload();
    int ipEnd = b.limit();
    if (8 > ipEnd) {
      throw new MalformedException("udp_truncated");
    }
    int len = u16(b, 4);
    if (len < 8) {
      throw new MalformedException("udp_bad_length");
    }
    if (len > ipEnd) {
      throw new MalformedException("udp_truncated");
    }
    return new UdpDatagram(
        p.epochMicros(), p.src(), p.dst(), u16(b, 0), u16(b, 2), "udp", view(b, 8, len));
  }

  /**
   * RFC 9293 section 3.1: the segment in a whole IP packet whose protocol is TCP. Options are
   * skipped.
   */
  public static TcpSegment tcp(IpPacket p) throws MalformedException {
    ByteBuffer b = p.payload();
    int end = b.limit();
    if (20 > end) {
      throw new MalformedException("tcp_truncated");
    }
    int dataOffset = ((b.get(12) & 0xff) >> 4) * 4;
    if (dataOffset < 20) {
      throw new MalformedException("tcp_bad_header_length");
    }
    if (dataOffset > end) {
      throw new MalformedException("tcp_truncated");
    }
    return new TcpSegment(
        p.epochMicros(),
        p.src(),
        p.dst(),
        u16(b, 0),
        u16(b, 2),
        b.getInt(4) & 0xffffffffL,
        b.get(13) & 0xff,
        view(b, dataOffset, end));
  }

  /**
   * The Ethernet source address of {@code f} as lower-case colon hex, or null when its link layer
   * carries none: Ethernet (bytes 6-11), Linux cooked captures whose link-layer address is 6 bytes
   * of an Ethernet device (ARPHRD_ETHER, 1). Which device sent a frame is what binds an IPv6
   * address to it.
   */
  public static String etherSource(RawFrame f) {
    ByteBuffer b = f.bytes();
    int end = b.limit();
    byte[] mac = new byte[6];
    switch (f.linkType()) {
      case RawFrame.LINKTYPE_ETHERNET:
        if (end < 14) {
          return null;
        }
        b.get(6, mac, 0, 6);
        break;
      case RawFrame.LINKTYPE_LINUX_SLL:
        if (end < 16 || u16(b, 2) != 1 || u16(b, 4) != 6) {
          return null;
        }
        b.get(6, mac, 0, 6);
        break;
      case RawFrame.LINKTYPE_LINUX_SLL2:
        if (end < 20 || u16(b, 8) != 1 || (b.get(11) & 0xff) != 6) {
          return null;
        }
        b.get(12, mac, 0, 6);
        break;
      default:
        return null;
    }
    return AddressText.mac(mac, 0);
  }

  private static ByteBuffer view(ByteBuffer b, int from, int to) {
    return b.duplicate().position(from).limit(to).slice();
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
