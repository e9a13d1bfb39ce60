package org.bellwatch.agent.decode;

import static org.bellwatch.agent.decode.IpDecoder.u16;
import static org.bellwatch.agent.decode.IpDecoder.view;

import java.nio.ByteBuffer;
import org.bellwatch.agent.decode.frame.FrameDecoder;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.event.RawFrame;

/**
 * Cuts IP datagrams, UDP datagrams and TCP segments out of captured frames: the link layer here,
 * IPv4 or IPv6 in {@link IpDecoder}, then UDP or TCP here; over IPv6 also ICMPv6, whose neighbor
 * discovery binds addresses to devices (RFC 4861). Pure functions; the state that fragments and TCP
 * streams need lives in {@link FrameDecoder}.
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
        return IpDecoder.ip(f, b, 0, end);
      case LINKTYPE_IPV4:
        return IpDecoder.ipv4(f, b, 0, end);
      case LINKTYPE_IPV6:
        return IpDecoder.ipv6(f, b, 0, end);
      case LINKTYPE_NULL:
      case LINKTYPE_LOOP:
        {
          if (end < 4) {
            throw new MalformedException("loopback_truncated");
          }
          // LINKTYPE_NULL uses the writer's byte order; families are small, so a big-endian read
          // with the high half set means the writer was little-endian.
          int raw = b.getInt(0);
          int family =
              f.linkType() == LINKTYPE_NULL && (raw & 0xffff0000) != 0
                  ? Integer.reverseBytes(raw)
                  : raw;
          if (family == 2) {
            return IpDecoder.ipv4(f, b, 4, end);
          }
          if (family == 24 || family == 28 || family == 30) { // AF_INET6 on BSDs, FreeBSD, macOS
            return IpDecoder.ipv6(f, b, 4, end);
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
      return IpDecoder.ipv4(f, b, off, end);
    }
    if (type == ETHERTYPE_IPV6) {
      return IpDecoder.ipv6(f, b, off, end);
    }
    return null; // ARP, LLC (type <= 1500 is an 802.3 length), anything else
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
}
