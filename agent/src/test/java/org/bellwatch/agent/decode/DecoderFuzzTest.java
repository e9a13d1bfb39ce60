package org.bellwatch.agent.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.bellwatch.agent.decode.dhcp.DhcpDecoder;
import org.bellwatch.agent.decode.dhcp.DhcpMessage;
import org.bellwatch.agent.decode.dns.DnsDecoder;
import org.bellwatch.agent.decode.dns.DnsMessage;
import org.bellwatch.agent.decode.frame.FrameDecoder;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.event.RawFrame;
import org.bellwatch.agent.testing.Bytes;
import org.junit.jupiter.api.Test;

/**
 * A bounded, deterministic mutation fuzz of the decoders, run by default: mutated copies of valid
 * messages (bit flips, special bytes, truncation, insertion, deletion, compression pointers planted
 * at random, length fields blown up) plus hand-made nasties. No exception other than {@link
 * MalformedException} may escape, and every reason must be one of the named, documented reasons.
 */
class DecoderFuzzTest {
  private static final int ROUNDS = 50_000;

  private static final Set<String> DNS_REASONS =
      Set.of(
          "dns_truncated_header",
          "dns_truncated",
          "dns_name_loop",
          "dns_name_too_long",
          "dns_bad_label_type",
          "dns_rdata_truncated");
  private static final Set<String> DHCP_REASONS =
      Set.of(
          "dhcp_truncated_header",
          "dhcp_bad_cookie",
          "dhcp_bad_hlen",
          "dhcp_bad_option_length",
          "dhcp_option_truncated",
          "dhcp_bad_fqdn",
          "dhcp_bad_relay_option",
          "dhcp_bad_domain_search");
  private static final Set<String> ND_REASONS =
      Set.of(
          "icmpv6_truncated",
          "nd_bad_code",
          "nd_truncated",
          "nd_option_zero_length",
          "nd_option_truncated",
          "nd_bad_prefix_option",
          "nd_multicast_target");
  private static final Set<String> DHCP6_REASONS =
      Set.of(
          "dhcp6_truncated",
          "dhcp6_option_truncated",
          "dhcp6_bad_option_length",
          "dhcp6_relay_too_deep",
          "dhcp6_relay_without_message",
          "dhcp6_bad_fqdn");

  private static final Set<String> FRAME_REASONS =
      union(
          DNS_REASONS,
          DHCP_REASONS,
          ND_REASONS,
          DHCP6_REASONS,
          Set.of(
              "ether_truncated",
              "vlan_truncated",
              "ip_truncated",
              "ip_bad_version",
              "ipv4_truncated",
              "ipv4_bad_version",
              "ipv4_bad_header_length",
              "ipv4_bad_total_length",
              "ipv6_truncated",
              "ipv6_bad_version",
              "ipv6_ext_truncated",
              "ipv6_fragment_truncated",
              "ipv6_fragment_nested",
              "udp_truncated",
              "udp_bad_length",
              "tcp_truncated",
              "tcp_bad_header_length",
              "ipv4_fragment_bad_length",
              "ipv4_fragment_too_big",
              "ipv4_fragment_overlap",
              "ipv4_fragment_discarded",
              "ipv4_fragment_after_last",
              "ipv6_fragment_bad_length",
              "ipv6_fragment_too_big",
              "ipv6_fragment_overlap",
              "ipv6_fragment_discarded",
              "ipv6_fragment_after_last"));
  private static final Set<String> DROP_REASONS =
      Set.of(
          "ip_fragment_timeout",
          "ip_fragment_evicted",
          "dns_tcp_flow_timeout",
          "dns_tcp_flow_evicted",
          "dns_tcp_partial_at_close",
          "dns_tcp_gap",
          "dns_tcp_message_too_big");

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    Set<String> all = new TreeSet<>();
    for (Set<String> s : sets) {
      all.addAll(s);
    }
    return all;
  }

  private static List<byte[]> dnsSeeds() {
    List<byte[]> seeds = new ArrayList<>();
    // A compressed response with CNAME, A, NS, SOA, MX, TXT, SRV, HTTPS and an OPT with Client
    // Subnet.
    Bytes b =
        Bytes.of()
            .u16(0xbeef)
            .u16(0x8180)
            .u16(1)
            .u16(7)
            .u16(1)
            .u16(1)
            .name("www.example.com")
            .u16(1)
            .u16(1);
    b.pointer(12).u16(5).u16(1).u32(300).u16(6).u8(3).ascii("web").pointer(16);
    b.pointer(12).u16(1).u16(1).u32(300).u16(4).u8(192, 0, 2, 1);
    b.pointer(16).u16(15).u16(1).u32(60).u16(4).u16(10).pointer(12);
    b.pointer(16).u16(16).u16(1).u32(60).u16(8).u8(3).ascii("a=b").u8(3).ascii("c d");
    b.pointer(16).u16(33).u16(1).u32(60).u16(8).u16(1).u16(2).u16(443).pointer(16);
    b.pointer(16)
        .u16(65)
        .u16(1)
        .u32(60)
        .u16(17)
        .u16(1)
        .u8(0)
        .u16(1)
        .u16(3)
        .u8(2)
        .ascii("h2")
        .u16(3)
        .u16(2)
        .u16(443);
    b.pointer(16)
        .u16(6)
        .u16(1)
        .u32(60)
        .u16(24)
        .pointer(16)
        .pointer(16)
        .u32(1)
        .u32(2)
        .u32(3)
        .u32(4)
        .u32(5);
    b.pointer(16).u16(2).u16(1).u32(3600).u16(6).u8(3).ascii("ns1").pointer(16);
    b.u8(0).u16(41).u16(1232).u32(0x8000).u16(11).u16(8).u16(7).u16(1).u8(24, 0).u8(198, 51, 100);
    seeds.add(b.array());
    // A plain query and an AAAA answer.
    seeds.add(
        Bytes.of()
            .u16(1)
            .u16(0x0100)
            .u16(1)
            .u16(0)
            .u16(0)
            .u16(0)
            .name("a.b.example")
            .u16(28)
            .u16(1)
            .array());
    seeds.add(
        Bytes.of()
            .u16(2)
            .u16(0x8180)
            .u16(1)
            .u16(1)
            .u16(0)
            .u16(0)
            .name("v6.example")
            .u16(28)
            .u16(1)
            .pointer(12)
            .u16(28)
            .u16(1)
            .u32(5)
            .u16(16)
            .hex("20010db8000000000000000000000001")
            .array());
    // Nasties: a pointer loop, a name of 255+ bytes, zero-length labels, lengths past the end.
    seeds.add(
        Bytes.of().u16(3).u16(0).u16(1).u16(0).u16(0).u16(0).pointer(12).u16(1).u16(1).array());
    Bytes longName = Bytes.of().u16(4).u16(0).u16(1).u16(0).u16(0).u16(0);
    for (int i = 0; i < 5; i++) {
      longName.u8(63).zeros(63);
    }
    seeds.add(longName.u8(0).u16(1).u16(1).array());
    seeds.add(
        Bytes.of()
            .u16(5)
            .u16(0)
            .u16(1)
            .u16(0)
            .u16(0)
            .u16(0)
            .u8(0)
            .u8(0)
            .u8(0)
            .u16(1)
            .u16(1)
            .array());
    seeds.add(
        Bytes.of()
            .u16(6)
            .u16(0x8180)
            .u16(1)
            .u16(1)
            .u16(0)
            .u16(0)
            .name("x")
            .u16(1)
            .u16(1)
            .pointer(12)
            .u16(1)
            .u16(1)
            .u32(1)
            .u16(9999)
            .u8(1, 2, 3, 4)
            .array());
    seeds.add(new byte[11]);
    return seeds;
  }

  private static List<byte[]> dhcpSeeds() {
    Bytes b =
        Bytes.of()
            .u8(1, 1, 6, 0)
            .u32(0x12345678L)
            .u16(0)
            .u16(0)
            .zeros(16)
            .hex("001122334455")
            .zeros(10)
            .zeros(64 + 128)
            .u32(0x63825363L);
    b.u8(53, 1, 3).u8(50, 4, 10, 0, 0, 9).u8(51, 4).u32(3600).u8(54, 4, 10, 0, 0, 1);
    b.u8(12, 5).ascii("RM101").u8(55, 3, 1, 3, 6).u8(61, 7, 1).hex("001122334455");
    b.u8(60, 4).ascii("MSFT").u8(81, 8, 0, 0, 0, 3).ascii("rm1").u8(0);
    b.u8(82, 10, 1, 3).ascii("eth").u8(2, 3).ascii("sw1").u8(52, 1, 3).u8(255);
    return List.of(b.array());
  }

  /**
   * One random mutation of {@code seed}; several kinds, chosen to reach the decoders' edge cases.
   */
  private static byte[] mutate(byte[] seed, Random rnd) {
    byte[] m = seed.clone();
    int kinds = 1 + rnd.nextInt(3);
    for (int k = 0; k < kinds; k++) {
      if (m.length == 0) {
        m = new byte[] {(byte) rnd.nextInt(256)};
      }
      int at = rnd.nextInt(m.length);
      switch (rnd.nextInt(8)) {
        case 0 -> m[at] ^= (byte) (1 << rnd.nextInt(8));
        case 1 -> m[at] = (byte) new int[] {0x00, 0x3f, 0x40, 0x80, 0xc0, 0xff}[rnd.nextInt(6)];
        case 2 -> m = Arrays.copyOf(m, rnd.nextInt(m.length + 1)); // truncation
        case 3 -> { // a compression pointer aimed anywhere, loops included
          if (at + 1 < m.length) {
            int target = rnd.nextInt(Math.max(1, m.length));
            m[at] = (byte) (0xc0 | (target >> 8 & 0x3f));
            m[at + 1] = (byte) target;
          }
        }
        case 4 -> { // a 16-bit length or count blown up
          if (at + 1 < m.length) {
            m[at] = (byte) 0xff;
            m[at + 1] = (byte) rnd.nextInt(256);
          }
        }
        case 5 -> { // insert random bytes
          byte[] extra = new byte[1 + rnd.nextInt(8)];
          rnd.nextBytes(extra);
          byte[] n = new byte[m.length + extra.length];
          System.arraycopy(m, 0, n, 0, at);
          System.arraycopy(extra, 0, n, at, extra.length);
          System.arraycopy(m, at, n, at + extra.length, m.length - at);
          m = n;
        }
        case 6 -> { // delete a run
          int n = Math.min(m.length - at, 1 + rnd.nextInt(8));
          byte[] out = new byte[m.length - n];
          System.arraycopy(m, 0, out, 0, at);
          System.arraycopy(m, at + n, out, at, m.length - at - n);
          m = out;
        }
        default -> m[at] = (byte) rnd.nextInt(256);
      }
    }
    return m;
  }

  @Test
  void mutatedDnsMessagesOnlyEverFailWithANamedReason() {
    Random rnd = new Random(0xB311);
    List<byte[]> seeds = dnsSeeds();
    Set<String> seen = new TreeSet<>();
    int decoded = 0;
    for (int i = 0; i < ROUNDS; i++) {
      byte[] m = mutate(seeds.get(i % seeds.size()), rnd);
      try {
        DnsMessage msg = DnsDecoder.decode(ByteBuffer.wrap(m));
        assertThat(msg).isNotNull();
        decoded++;
      } catch (MalformedException e) {
        seen.add(e.reason());
      }
    }
    assertThat(DNS_REASONS).containsAll(seen);
    assertThat(seen)
        .contains("dns_name_loop", "dns_name_too_long", "dns_truncated", "dns_truncated_header");
    assertThat(decoded).isPositive();
  }

  @Test
  void mutatedDhcpMessagesOnlyEverFailWithANamedReason() {
    Random rnd = new Random(0xD4C9);
    byte[] seed = dhcpSeeds().get(0);
    Set<String> seen = new TreeSet<>();
    int decoded = 0;
    for (int i = 0; i < ROUNDS; i++) {
      byte[] m = mutate(seed, rnd);
      try {
        DhcpMessage msg = DhcpDecoder.decode(ByteBuffer.wrap(m));
        assertThat(msg).isNotNull();
        decoded++;
      } catch (MalformedException e) {
        seen.add(e.reason());
      }
    }
    assertThat(DHCP_REASONS).containsAll(seen);
    assertThat(decoded).isPositive();
  }

  @Test
  void mutatedNeighborDiscoveryMessagesOnlyEverFailWithANamedReason() {
    Random rnd = new Random(0x6ED);
    List<byte[]> seeds =
        List.of(
            Bytes.of().hex(org.bellwatch.agent.decode.nd.NdDecoderTest.RADVD_RA).array(),
            Bytes.of().hex(org.bellwatch.agent.decode.nd.NdDecoderTest.ROUTER_NA).array());
    Set<String> seen = new TreeSet<>();
    int decoded = 0;
    for (int i = 0; i < ROUNDS; i++) {
      try {
        if (org.bellwatch.agent.decode.nd.NdDecoder.decode(
                ByteBuffer.wrap(mutate(seeds.get(i % 2), rnd)))
            != null) {
          decoded++;
        }
      } catch (MalformedException e) {
        seen.add(e.reason());
      }
    }
    assertThat(ND_REASONS).containsAll(seen);
    assertThat(seen).contains("nd_option_zero_length", "nd_option_truncated");
    assertThat(decoded).isPositive();
  }

  @Test
  void mutatedDhcpv6MessagesAndRelaysOnlyEverFailWithANamedReason() {
    Random rnd = new Random(0xD6);
    byte[] reply =
        Bytes.of().hex(org.bellwatch.agent.decode.dhcp6.Dhcp6DecoderTest.DNSMASQ_REPLY).array();
    byte[] relayed =
        Bytes.of()
            .u8(13, 0)
            .zeros(32)
            .u16(18)
            .u16(3)
            .ascii("eth")
            .u16(9)
            .u16(reply.length)
            .bytes(reply)
            .array();
    Set<String> seen = new TreeSet<>();
    int decoded = 0;
    for (int i = 0; i < ROUNDS; i++) {
      try {
        assertThat(
                org.bellwatch.agent.decode.dhcp6.Dhcp6Decoder.decode(
                    ByteBuffer.wrap(mutate(i % 2 == 0 ? reply : relayed, rnd))))
            .isNotNull();
        decoded++;
      } catch (MalformedException e) {
        seen.add(e.reason());
      }
    }
    assertThat(DHCP6_REASONS).containsAll(seen);
    assertThat(seen).contains("dhcp6_option_truncated", "dhcp6_truncated");
    assertThat(decoded).isPositive();
  }

  @Test
  void mutatedFramesThroughTheStatefulDecoderOnlyEverGiveNamedOutcomes() {
    Random rnd = new Random(0xF7A3);
    byte[] dns = dnsSeeds().get(0);
    byte[] udp = Bytes.of().u16(53).u16(40000).u16(8 + dns.length).u16(0).bytes(dns).array();
    byte[] tcp =
        Bytes.of()
            .u16(53)
            .u16(40000)
            .u32(1)
            .u32(0)
            .u8(0x50, 0x18)
            .u16(1)
            .u32(0)
            .u16(dns.length)
            .bytes(dns)
            .array();
    List<byte[]> frames =
        List.of(
            ipv4(17, 0x0000, udp),
            ipv4(17, 0x2000, Arrays.copyOf(udp, 64)),
            ipv4(17, 0x0008, Arrays.copyOfRange(udp, 64, udp.length)),
            ipv4(6, 0x4000, tcp),
            Bytes.of()
                .u32(0x60000000L)
                .u16(8 + udp.length)
                .u8(44, 64)
                .zeros(32)
                .u8(17, 0)
                .u16(1)
                .u32(7)
                .bytes(udp)
                .array());
    FrameDecoder decoder =
        new FrameDecoder(new FrameDecoder.Limits(8, 4096, 1_000, 8, 1024, 1_000));
    Set<String> seen = new TreeSet<>();
    Set<String> drops = new TreeSet<>();
    FrameDecoder.Sink sink =
        new FrameDecoder.Sink() {
          @Override
          public void dns(UdpDatagram d, DnsMessage m) {}

          @Override
          public void dhcp(UdpDatagram d, DhcpMessage m) {}

          @Override
          public void ignored(String reason) {}

          @Override
          public void malformed(String reason) {
            seen.add(reason);
          }

          @Override
          public void dropped(String reason) {
            drops.add(reason);
          }
        };
    for (int i = 0; i < ROUNDS / 2; i++) {
      byte[] f = mutate(frames.get(i % frames.size()), rnd);
      decoder.decode(new RawFrame(i * 100L, RawFrame.LINKTYPE_RAW, ByteBuffer.wrap(f)), sink);
    }
    assertThat(FRAME_REASONS).containsAll(seen);
    assertThat(DROP_REASONS).containsAll(drops);
    assertThat(decoder.pendingFragmentDatagrams()).isLessThanOrEqualTo(8);
    assertThat(decoder.tcpFlows()).isLessThanOrEqualTo(8);
  }

  private static byte[] ipv4(int proto, int frag, byte[] body) {
    return Bytes.of()
        .u8(0x45, 0)
        .u16(20 + body.length)
        .u16(99)
        .u16(frag)
        .u8(64, proto)
        .u16(0)
        .u8(192, 0, 2, 1)
        .u8(192, 0, 2, 2)
        .bytes(body)
        .array();
  }
}
