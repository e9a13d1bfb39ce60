package org.bellwatch.agent.decode;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * One TCP segment (RFC 9293 section 3.1): the addressing, sequence number, flags and payload.
 *
 * @param epochMicros capture time, microseconds since the epoch, UTC
 * @param src source address
 * @param dst destination address
 * @param sport source port
 * @param dport destination port
 * @param seq sequence number, unsigned 32 bits
 * @param flags the flag bits of header byte 13 ({@link #FIN}, {@link #SYN}, {@link #RST}, ...)
 * @param payload the segment data, position 0 to limit (a view into the frame)
 */
public record TcpSegment(
    long epochMicros,
    InetAddress src,
    InetAddress dst,
    int sport,
    int dport,
    long seq,
    int flags,
    ByteBuffer payload) {
  public static final int FIN = 0x01;
  public static final int SYN = 0x02;
  public static final int RST = 0x04;
  public static final int PSH = 0x08;
  public static final int ACK = 0x10;

  public boolean has(int flag) {
    return (flags & flag) != 0;
  }
}
