package org.bellwatch.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes DNS messages (RFC 1035 section 4.1) for the benchmark corpus, with name compression
 * against every suffix already written (section 4.1.4) as real resolvers do. Sections must be
 * written in order: questions, answers, authorities, additionals. Benchmark support only; not used
 * by the agent.
 */
final class DnsBytes {
  static final int QD = 0;
  static final int AN = 1;
  static final int NS = 2;
  static final int AR = 3;

  private final ByteBuffer b = ByteBuffer.allocate(4096);
  private final Map<String, Integer> offsets = new HashMap<>();
  private final int[] counts = new int[4];
  private int rdlengthAt = -1;

  DnsBytes(int id, int flags) {
    b.putShort((short) id).putShort((short) flags).put(new byte[8]);
  }

  DnsBytes question(String name, int type) {
    counts[QD]++;
    name(name);
    b.putShort((short) type).putShort((short) 1);
    return this;
  }

  /** Starts a record; write its RDATA with the methods below, then call {@link #end()}. */
  DnsBytes rr(int section, String owner, int type, int rclass, long ttl) {
    counts[section]++;
    name(owner);
    b.putShort((short) type).putShort((short) rclass).putInt((int) ttl);
    rdlengthAt = b.position();
    b.putShort((short) 0);
    return this;
  }

  DnsBytes end() {
    b.putShort(rdlengthAt, (short) (b.position() - rdlengthAt - 2));
    rdlengthAt = -1;
    return this;
  }

  DnsBytes a(String owner, long ttl, String ip) {
    return rr(AN, owner, 1, 1, ttl).ip(ip).end();
  }

  DnsBytes aaaa(String owner, long ttl, String ip) {
    return rr(AN, owner, 28, 1, ttl).ip(ip).end();
  }

  DnsBytes cname(String owner, long ttl, String target) {
    return rr(AN, owner, 5, 1, ttl).name(target).end();
  }

  DnsBytes soa(String zone, String mname, String rname, long serial) {
    return rr(NS, zone, 6, 1, 900)
        .name(mname)
        .name(rname)
        .u32(serial)
        .u32(1800)
        .u32(900)
        .u32(604800)
        .u32(60)
        .end();
  }

  /** EDNS0 OPT (RFC 6891) with an optional COOKIE option (RFC 7873, code 10). */
  DnsBytes opt(int udpSize, byte[] cookie) {
    rr(AR, "", 41, udpSize, 0);
    if (cookie != null) {
      u16(10).u16(cookie.length).bytes(cookie);
    }
    return end();
  }

  DnsBytes u8(int v) {
    b.put((byte) v);
    return this;
  }

  DnsBytes u16(int v) {
    b.putShort((short) v);
    return this;
  }

  DnsBytes u32(long v) {
    b.putInt((int) v);
    return this;
  }

  DnsBytes bytes(byte[] v) {
    b.put(v);
    return this;
  }

  DnsBytes ip(String literal) {
    return bytes(ip4or6(literal));
  }

  /** Writes {@code name} (no trailing dot; "" is the root), compressed against earlier names. */
  DnsBytes name(String name) {
    String rest = name;
    while (!rest.isEmpty()) {
      Integer at = offsets.get(rest.toLowerCase());
      if (at != null) {
        b.putShort((short) (0xc000 | at));
        return this;
      }
      if (b.position() < 0x3fff) {
        offsets.put(rest.toLowerCase(), b.position());
      }
      int dot = rest.indexOf('.');
      byte[] label = (dot < 0 ? rest : rest.substring(0, dot)).getBytes(StandardCharsets.US_ASCII);
      b.put((byte) label.length).put(label);
      rest = dot < 0 ? "" : rest.substring(dot + 1);
    }
    b.put((byte) 0);
    return this;
  }

  byte[] build() {
    for (int i = 0; i < 4; i++) {
      b.putShort(4 + 2 * i, (short) counts[i]);
    }
    return Arrays.copyOf(b.array(), b.position());
  }

  static byte[] ip4or6(String literal) {
    try {
      // Literals only (the corpus has no host names here), so this never consults name service.
      return InetAddress.getByName(literal).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
