package org.bellwatch.agent.decode;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * One IPv4 or IPv6 datagram, or one fragment of it, cut out of a frame without copying.
 *
 * @param epochMicros capture time, microseconds since the epoch, UTC
 * @param src source address
 * @param dst destination address
 * @param version 4 or 6
 * @param protocol IPv4 protocol; for IPv6 the next header at the start of {@code payload} (after
 *     the extension headers that precede a fragment header, or that precede the upper layer)
 * @param fragmentId identification (16 bits for IPv4, 32 for IPv6); 0 when not a fragment
 * @param fragmentOffset offset of {@code payload} in the original datagram, in bytes
 * @param moreFragments the MF / M flag
 * @param fragment true when this is a fragment that needs reassembly
 * @param payload the bytes after the IP header (and, for IPv6, after the skipped extension
 *     headers), position 0 to limit
 */
public record IpPacket(
    long epochMicros,
    InetAddress src,
    InetAddress dst,
    int version,
    int protocol,
    long fragmentId,
    int fragmentOffset,
    boolean moreFragments,
    boolean fragment,
    ByteBuffer payload) {

  public static final int PROTO_TCP = 6;
  public static final int PROTO_UDP = 17;

  /** RFC 8200 section 4: ICMPv6's next-header value (RFC 4443). */
  public static final int PROTO_ICMPV6 = 58;

  /**
   * The same addressing with a reassembled (or otherwise replaced) payload and no fragment flags.
   */
  public IpPacket whole(long atMicros, ByteBuffer newPayload) {
    return new IpPacket(atMicros, src, dst, version, protocol, 0, 0, false, false, newPayload);
  }
}
