package org.bellwatch.agent.sim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Byte builders for the capture: classic pcap (microsecond, LINKTYPE_ETHERNET), Ethernet II, IPv4
 * (with header checksum), UDP (checksum 0, allowed for IPv4 by RFC 768), DHCPv4 (RFC 2131/2132) and
 * DNS (RFC 1035, answer names compressed against earlier names).
 */
final class Wire {

  static final byte[] BROADCAST_MAC = {-1, -1, -1, -1, -1, -1};
  static final int BROADCAST_IP = 0xFFFFFFFF;

  private Wire() {}

  /** One captured frame; {@code seq} keeps generation order for frames with equal timestamps. */
  record Frame(long epochMicros, long seq, byte[] bytes) {}

  static final Comparator<Frame> ORDER =
      Comparator.comparingLong(Frame::epochMicros).thenComparingLong(Frame::seq);

  static void writePcap(Path file, List<Frame> frames) throws IOException {
    try (PcapWriter w = new PcapWriter(file)) {
      w.write(frames);
    }
  }

  /**
   * A classic pcap file written in parts: each {@link #write} call's frames, sorted, after the
   * previous ones.
   */
  static final class PcapWriter implements java.io.Closeable {
    private final OutputStream out;

    PcapWriter(Path file) throws IOException {
      out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
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

    void write(List<Frame> frames) throws IOException {
      List<Frame> sorted = new ArrayList<>(frames);
      sorted.sort(ORDER);
      for (Frame f : sorted) {
        ByteBuffer rh = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        rh.putInt((int) Math.floorDiv(f.epochMicros(), 1_000_000L))
            .putInt((int) Math.floorMod(f.epochMicros(), 1_000_000L))
            .putInt(f.bytes().length)
            .putInt(f.bytes().length);
        out.write(rh.array());
        out.write(f.bytes());
      }
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  /** Ethernet II + IPv4 + UDP around {@code payload}, padded to the 60-byte Ethernet minimum. */
  static byte[] udpFrame(
      byte[] srcMac,
      byte[] dstMac,
      int srcIp,
      int dstIp,
      int sport,
      int dport,
      int ipId,
      int ttl,
      byte[] payload) {
    int ipLen = 20 + 8 + payload.length;
    int frameLen = Math.max(60, 14 + ipLen);
    ByteBuffer b = ByteBuffer.allocate(frameLen); // big-endian; padding stays zero
    b.put(dstMac).put(srcMac).putShort((short) 0x0800);
    int ipStart = b.position();
    b.put((byte) 0x45)
        .put((byte) 0)
        .putShort((short) ipLen)
        .putShort((short) ipId)
        .putShort((short) 0)
        .put((byte) ttl)
        .put((byte) 17)
        .putShort((short) 0)
        .putInt(srcIp)
        .putInt(dstIp);
    b.putShort(ipStart + 10, (short) ipv4Checksum(b.array(), ipStart, 20));
    b.putShort((short) sport)
        .putShort((short) dport)
        .putShort((short) (8 + payload.length))
        .putShort((short) 0);
    b.put(payload);
    return b.array();
  }

  /**
   * Ethernet II + IPv6 + UDP around {@code payload} (RFC 8200 section 3), with the UDP checksum
   * over the pseudo-header that IPv6 makes mandatory (RFC 8200 section 8.1).
   */
  static byte[] udp6Frame(
      byte[] srcMac, byte[] dstMac, byte[] src, byte[] dst, int sport, int dport, byte[] payload) {
    int udpLen = 8 + payload.length;
    ByteBuffer b = ByteBuffer.allocate(14 + 40 + udpLen);
    b.put(dstMac).put(srcMac).putShort((short) 0x86dd);
    b.putInt(0x60000000).putShort((short) udpLen).put((byte) 17).put((byte) 64).put(src).put(dst);
    int udp = b.position();
    b.putShort((short) sport)
        .putShort((short) dport)
        .putShort((short) udpLen)
        .putShort((short) 0)
        .put(payload);
    ByteBuffer pseudo = ByteBuffer.allocate(40 + udpLen + 1);
    pseudo.put(src).put(dst).putInt(udpLen).putInt(17).put(b.array(), udp, udpLen);
    int sum = ipv4Checksum(pseudo.array(), 0, 40 + udpLen + (udpLen & 1));
    b.putShort(udp + 6, (short) (sum == 0 ? 0xffff : sum));
    return b.array();
  }

  static int ipv4Checksum(byte[] a, int off, int len) {
    long sum = 0;
    for (int i = 0; i < len; i += 2) {
      sum += ((a[off + i] & 0xFF) << 8) | (a[off + i + 1] & 0xFF);
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >> 16);
    }
    return (int) (~sum & 0xFFFF);
  }

  static int ip(String dotted) {
    String[] p = dotted.split("\\.");
    return (Integer.parseInt(p[0]) << 24)
        | (Integer.parseInt(p[1]) << 16)
        | (Integer.parseInt(p[2]) << 8)
        | Integer.parseInt(p[3]);
  }

  static String ipString(int ip) {
    return ((ip >>> 24) & 0xFF)
        + "."
        + ((ip >>> 16) & 0xFF)
        + "."
        + ((ip >>> 8) & 0xFF)
        + "."
        + (ip & 0xFF);
  }

  static String macString(byte[] mac) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < mac.length; i++) {
      if (i > 0) {
        sb.append(':');
      }
      sb.append(String.format("%02x", mac[i] & 0xFF));
    }
    return sb.toString();
  }

  // ---------------- DHCP ----------------

  /** A DHCP option: code and value bytes. Options are written in the order given. */
  record Opt(int code, byte[] value) {
    static Opt u8(int code, int v) {
      return new Opt(code, new byte[] {(byte) v});
    }

    static Opt u32(int code, long v) {
      return new Opt(code, ByteBuffer.allocate(4).putInt((int) v).array());
    }

    static Opt text(int code, String s) {
      return new Opt(code, s.getBytes(StandardCharsets.US_ASCII));
    }

    static Opt ips(int code, int... ips) {
      ByteBuffer b = ByteBuffer.allocate(4 * ips.length);
      for (int i : ips) {
        b.putInt(i);
      }
      return new Opt(code, b.array());
    }
  }

  /**
   * A BOOTP/DHCP message (RFC 2131 figure 1) with the magic cookie, options, end, padded to 300
   * bytes like common clients and servers do.
   */
  static byte[] dhcp(
      int op,
      long xid,
      int secs,
      boolean broadcast,
      int ciaddr,
      int yiaddr,
      int siaddr,
      byte[] chaddr,
      List<Opt> options) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteBuffer fixed = ByteBuffer.allocate(236);
    fixed
        .put((byte) op)
        .put((byte) 1)
        .put((byte) 6)
        .put((byte) 0)
        .putInt((int) xid)
        .putShort((short) secs)
        .putShort((short) (broadcast ? 0x8000 : 0))
        .putInt(ciaddr)
        .putInt(yiaddr)
        .putInt(siaddr)
        .putInt(0)
        .put(chaddr);
    o.writeBytes(fixed.array());
    o.writeBytes(new byte[] {99, (byte) 130, 83, 99});
    for (Opt opt : options) {
      o.write(opt.code());
      o.write(opt.value().length);
      o.writeBytes(opt.value());
    }
    o.write(255);
    while (o.size() < 300) {
      o.write(0);
    }
    return o.toByteArray();
  }

  // ---------------- DNS ----------------

  static final int TYPE_A = 1;
  static final int TYPE_CNAME = 5;
  static final int TYPE_AAAA = 28;

  /** One resource record; {@code data} is an IP literal for A/AAAA or a name for CNAME. */
  record Rr(String name, int type, int ttl, String data) {}

  static byte[] dnsQuery(int id, String qname, int qtype) {
    return dns(id, 0x0100, qname, qtype, List.of());
  }

  static byte[] dnsResponse(int id, String qname, int qtype, List<Rr> answers) {
    return dnsResponse(id, qname, qtype, 0, answers);
  }

  /** A response with QR, RD, RA and the given RCODE (RFC 1035 section 4.1.1; 3 is NXDOMAIN). */
  static byte[] dnsResponse(int id, String qname, int qtype, int rcode, List<Rr> answers) {
    return dns(id, 0x8180 | rcode, qname, qtype, answers);
  }

  private static byte[] dns(int id, int flags, String qname, int qtype, List<Rr> answers) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteBuffer h = ByteBuffer.allocate(12);
    h.putShort((short) id)
        .putShort((short) flags)
        .putShort((short) 1)
        .putShort((short) answers.size())
        .putShort((short) 0)
        .putShort((short) 0);
    o.writeBytes(h.array());
    Map<String, Integer> offsets = new LinkedHashMap<>();
    writeName(o, qname, offsets);
    o.write(qtype >> 8);
    o.write(qtype);
    o.write(0);
    o.write(1);
    for (Rr rr : answers) {
      writeName(o, rr.name(), offsets);
      byte[] rdata;
      if (rr.type() == TYPE_CNAME) {
        // rdata name: compressed against earlier names; its offset is after the 10 fixed bytes.
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        int rdataStart = o.size() + 10;
        Map<String, Integer> local = new LinkedHashMap<>(offsets);
        writeNameAt(r, rr.data(), local, rdataStart);
        offsets.putAll(local);
        rdata = r.toByteArray();
      } else {
        rdata = ipLiteral(rr.data());
      }
      ByteBuffer f = ByteBuffer.allocate(10);
      f.putShort((short) rr.type())
          .putShort((short) 1)
          .putInt(rr.ttl())
          .putShort((short) rdata.length);
      o.writeBytes(f.array());
      o.writeBytes(rdata);
    }
    return o.toByteArray();
  }

  private static void writeName(
      ByteArrayOutputStream o, String name, Map<String, Integer> offsets) {
    ByteArrayOutputStream tmp = new ByteArrayOutputStream();
    writeNameAt(tmp, name, offsets, o.size());
    o.writeBytes(tmp.toByteArray());
  }

  /** Writes labels until a suffix already written earlier is found, then a pointer to it. */
  private static void writeNameAt(
      ByteArrayOutputStream o, String name, Map<String, Integer> offsets, int base) {
    String rest = name;
    while (!rest.isEmpty()) {
      Integer ptr = offsets.get(rest.toLowerCase());
      if (ptr != null) {
        o.write(0xC0 | (ptr >> 8));
        o.write(ptr & 0xFF);
        return;
      }
      if (base + o.size() < 0x3FFF) {
        offsets.put(rest.toLowerCase(), base + o.size());
      }
      int dot = rest.indexOf('.');
      String label = dot < 0 ? rest : rest.substring(0, dot);
      rest = dot < 0 ? "" : rest.substring(dot + 1);
      byte[] l = label.getBytes(StandardCharsets.US_ASCII);
      o.write(l.length);
      o.writeBytes(l);
    }
    o.write(0);
  }

  static byte[] ipLiteral(String ip) {
    try {
      return java.net.InetAddress.getByName(ip).getAddress(); // literals only: no lookup happens
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(ip, e);
    }
  }
}
