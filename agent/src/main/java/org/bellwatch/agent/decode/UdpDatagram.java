package org.bellwatch.agent.decode;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * A UDP (or TCP-framed) application payload with its addressing, cut out of a frame without
 * copying.
 *
 * @param epochMicros capture time, microseconds since the epoch, UTC
 * @param src source IP address
 * @param dst destination IP address
 * @param sport source port
 * @param dport destination port
 * @param transport {@code "udp"} or {@code "tcp"}
 * @param payload the application bytes, position 0 to limit (a view into the frame)
 */
public record UdpDatagram(
    long epochMicros,
    InetAddress src,
    InetAddress dst,
    int sport,
    int dport,
    String transport,
    ByteBuffer payload) {}
