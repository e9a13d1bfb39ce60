package org.bellwatch.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Ethernet II + IPv4/IPv6 + UDP frame builder and a classic pcap writer (microseconds,
 * little-endian, LINKTYPE_ETHERNET) for the benchmark corpus. Benchmark support only; not used by
 * the agent.
 */
final class Frames {
  private Frames() {}

  /** Ethernet + IPv4 (header checksum set) + UDP (checksum 0, allowed for IPv4 by RFC 768). */
  static byte[] udp4(
      byte[] srcMac,
      byte[] dstMac,
      byte[] srcIp,
      byte[] dstIp,
      int sport,
      int dport,
      int ipId,
      byte[] payload) {
    int ipLen = 20 + 8 + payload.length;
    ByteBuffer b = ByteBuffer.allocate(Math.max(60, 14 + ipLen));
    b.put(dstMac).put(srcMac).putShort((short) 0x0800);
    b.put((byte) 0x45)
        .put((byte) 0)
        .putShort((short) ipLen)
        .putShort((short) ipId)
        .putShort((short) 0x4000)
        .put((byte) 64)
        .put((byte) 17)
        .putShort((short) 0)
        .put(srcIp)
        .put(dstIp);
    b.putShort(14 + 10, (short) ~fold(sum(b.array(), 14, 20, 0)));
    b.putShort((short) sport)
        .putShort((short) dport)
        .putShort((short) (8 + payload.length))
        .putShort((short) 0)
        .put(payload);
    return b.array();
  }

  /** Ethernet + IPv6 + UDP with the mandatory UDP checksum (RFC 8200 section 8.1). */
  static byte[] udp6(
      byte[] srcMac,
      byte[] dstMac,
      byte[] srcIp,
      byte[] dstIp,
      int sport,
      int dport,
      byte[] payload) {
    int udpLen = 8 + payload.length;
    ByteBuffer b = ByteBuffer.allocate(Math.max(60, 14 + 40 + udpLen));
    b.put(dstMac).put(srcMac).putShort((short) 0x86dd);
    b.putInt(0x60000000)
        .putShort((short) udpLen)
        .put((byte) 17)
        .put((byte) 64)
        .put(srcIp)
        .put(dstIp);
    int u = b.position();
    b.putShort((short) sport)
        .putShort((short) dport)
        .putShort((short) udpLen)
        .putShort((short) 0)
        .put(payload);
    long s = sum(b.array(), 14 + 8, 32, 0) + udpLen + 17;
    int c = ~fold(sum(b.array(), u, udpLen, s)) & 0xffff;
    b.putShort(u + 6, (short) (c == 0 ? 0xffff : c));
    return b.array();
  }

  private static long sum(byte[] a, int off, int len, long s) {
    for (int i = 0; i < len; i += 2) {
      s += ((a[off + i] & 0xff) << 8) | (i + 1 < len ? a[off + i + 1] & 0xff : 0);
    }
    return s;
  }

  private static int fold(long s) {
    while ((s >> 16) != 0) {
      s = (s & 0xffff) + (s >> 16);
    }
    return (int) s;
  }

  /** Streams frames into a classic pcap file. */
  static final class PcapWriter implements AutoCloseable {
    private final OutputStream out;
    private final ByteBuffer rh = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);

    PcapWriter(Path file) throws IOException {
      out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
      ByteBuffer gh = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
      gh.putInt(0xa1b2c3d4)
          .putShort((short) 2)
          .putShort((short) 4)
          .putInt(0)
          .putInt(0)
          .putInt(65535)
          .putInt(1);
      out.write(gh.array());
    }

    void write(long epochMicros, byte[] frame) throws IOException {
      rh.clear();
      rh.putInt((int) (epochMicros / 1_000_000L))
          .putInt((int) (epochMicros % 1_000_000L))
          .putInt(frame.length)
          .putInt(frame.length);
      out.write(rh.array());
      out.write(frame);
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
