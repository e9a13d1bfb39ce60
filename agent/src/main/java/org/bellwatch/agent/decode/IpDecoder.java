package org.bellwatch.agent.decode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import org.bellwatch.agent.decode.frame.FrameDecoder;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.event.RawFrame;

/**
 * The network layer of a captured frame: the IPv4 or IPv6 header at the offset {@link LinkDecoder}
 * found past the link layer, cut to the datagram's own length, with IPv6 extension headers skipped
 * and fragments described for {@link FrameDecoder} to reassemble. Pure functions; bounds are
 * checked before every read and a header that does not add up is a {@link MalformedException} with
 * a bounded reason.
 */
public final class IpDecoder {
  private static final int PROTO_UDP = IpPacket.PROTO_UDP;
  private static final int PROTO_TCP = IpPacket.PROTO_TCP;
  private static final int PROTO_ICMPV6 = IpPacket.PROTO_ICMPV6;

  private IpDecoder() {}

  /** The IPv4 or IPv6 datagram at {@code off}, by its version nibble (raw IP link types). */
  static IpPacket ip(RawFrame f, ByteBuffer b, int off, int end) throws MalformedException {
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
  static IpPacket ipv4(RawFrame f, ByteBuffer b, int off, int end) throws MalformedException {
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
  static IpPacket ipv6(RawFrame f, ByteBuffer b, int off, int end) throws MalformedException {
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

  static ByteBuffer view(ByteBuffer b, int from, int to) {
    return b.duplicate().position(from).limit(to).slice();
  }

  static int u16(ByteBuffer b, int at) {
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
