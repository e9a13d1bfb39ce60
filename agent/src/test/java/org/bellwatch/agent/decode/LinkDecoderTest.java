package org.bellwatch.agent.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.event.RawFrame;
import org.bellwatch.agent.testing.Bytes;
import org.junit.jupiter.api.Test;

class LinkDecoderTest {
  private static final byte[] PAYLOAD = {1, 2, 3, 4, 5};
  private static final String MACS = "ffffffffffff 001122334455";

  /** UDP header + payload. */
  private static Bytes udp(int sport, int dport, byte[] payload) {
    return Bytes.of().u16(sport).u16(dport).u16(8 + payload.length).u16(0).bytes(payload);
  }

  /** IPv4 header (IHL from options) carrying {@code body} as protocol {@code proto}. */
  private static Bytes ipv4(int proto, int fragField, byte[] options, byte[] body) {
    int hlen = 20 + options.length;
    return Bytes.of()
        .u8(0x40 | hlen / 4, 0)
        .u16(hlen + body.length)
        .u16(0x1234)
        .u16(fragField)
        .u8(64, proto)
        .u16(0)
        .u8(192, 0, 2, 1)
        .u8(192, 0, 2, 53)
        .bytes(options)
        .bytes(body);
  }

  private static Bytes ipv4Udp() {
    return ipv4(17, 0x4000, new byte[0], udp(40000, 53, PAYLOAD).array());
  }

  /** IPv6 header; {@code next} is the first next-header value. */
  private static Bytes ipv6(int next, byte[] body) {
    return Bytes.of()
        .u32(0x60000000L)
        .u16(body.length)
        .u8(next, 64)
        .hex("20010db8000000000000000000000001")
        .hex("20010db8000000000000000000000035")
        .bytes(body);
  }

  private static UdpDatagram decode(int linkType, Bytes frame) throws MalformedException {
    return LinkDecoder.decode(new RawFrame(1_700_000_000_123_456L, linkType, frame.buffer()));
  }

  private static String reason(int linkType, Bytes frame) {
    Throwable t = catchThrowable(() -> decode(linkType, frame));
    assertThat(t).isInstanceOf(MalformedException.class);
    return ((MalformedException) t).reason();
  }

  private static byte[] payloadOf(UdpDatagram d) {
    byte[] out = new byte[d.payload().remaining()];
    d.payload().duplicate().get(out);
    return out;
  }

  private static void assertV4(UdpDatagram d) throws Exception {
    assertThat(d)
        .usingRecursiveComparison()
        .ignoringFields("payload")
        .isEqualTo(
            new UdpDatagram(
                1_700_000_000_123_456L,
                InetAddress.getByName("192.0.2.1"),
                InetAddress.getByName("192.0.2.53"),
                40000,
                53,
                "udp",
                null));
    assertThat(d.payload().position()).isZero();
    assertThat(payloadOf(d)).containsExactly(PAYLOAD);
  }

  @Test
  void anEthernetIpv4UdpFrameGivesItsPayloadAndAddressing() throws Exception {
    assertV4(decode(1, Bytes.of().hex(MACS).u16(0x0800).bytes(ipv4Udp().array())));
  }

  @Test
  void ethernetPaddingAfterTheIpDatagramIsCutOffByTheTotalLength() throws Exception {
    assertV4(decode(1, Bytes.of().hex(MACS).u16(0x0800).bytes(ipv4Udp().array()).zeros(18)));
  }

  @Test
  void vlanAndStackedQinQTagsAreSkipped() throws Exception {
    byte[] ip = ipv4Udp().array();
    assertV4(decode(1, Bytes.of().hex(MACS).u16(0x8100).u16(0xa00a).u16(0x0800).bytes(ip)));
    assertV4(
        decode(
            1,
            Bytes.of().hex(MACS).u16(0x88a8).u16(100).u16(0x8100).u16(200).u16(0x0800).bytes(ip)));
    assertV4(
        decode(
            1,
            Bytes.of()
                .hex(MACS)
                .u16(0x88a8)
                .u16(1)
                .u16(0x8100)
                .u16(2)
                .u16(0x8100)
                .u16(3)
                .u16(0x0800)
                .bytes(ip)));
  }

  @Test
  void linuxCookedCaptureV1AndV2AreUnderstood() throws Exception {
    byte[] ip = ipv4Udp().array();
    assertV4(
        decode(
            113, Bytes.of().u16(0).u16(1).u16(6).hex("001122334455 0000").u16(0x0800).bytes(ip)));
    assertV4(
        decode(
            276,
            Bytes.of()
                .u16(0x0800)
                .u16(0)
                .u32(2)
                .u16(1)
                .u8(0, 6)
                .hex("001122334455 0000")
                .bytes(ip)));
  }

  @Test
  void rawIpTakesTheVersionFromTheFirstNibble() throws Exception {
    assertV4(decode(101, ipv4Udp()));
    assertV4(decode(228, ipv4Udp()));
    UdpDatagram d6 = decode(101, ipv6(17, udp(5353, 53, PAYLOAD).array()));
    assertThat(d6.src()).isEqualTo(InetAddress.getByName("2001:db8::1"));
    assertThat(d6.dport()).isEqualTo(53);
  }

  @Test
  void bsdLoopbackIsUnderstoodInEitherByteOrder() throws Exception {
    assertV4(decode(0, Bytes.of().hex("02000000").bytes(ipv4Udp().array())));
    assertV4(decode(0, Bytes.of().hex("00000002").bytes(ipv4Udp().array())));
  }

  @Test
  void ipv4OptionsAreSkippedUsingTheHeaderLength() throws Exception {
    assertV4(
        decode(
            101,
            ipv4(17, 0, new byte[] {1, 1, 1, 0, 7, 4, 0, 0}, udp(40000, 53, PAYLOAD).array())));
  }

  @Test
  void ipv6HopByHopRoutingAndDestinationOptionsAreSkipped() throws Exception {
    byte[] u = udp(40000, 53, PAYLOAD).array();
    Bytes ext =
        Bytes.of()
            .u8(43, 0)
            .zeros(6) // hop-by-hop, 8 bytes, next routing
            .u8(60, 1)
            .zeros(14) // routing, 16 bytes, next destination options
            .u8(17, 0)
            .zeros(6) // destination options, next UDP
            .bytes(u);
    UdpDatagram d = decode(1, Bytes.of().hex(MACS).u16(0x86dd).bytes(ipv6(0, ext.array()).array()));

    assertThat(d.dst()).isEqualTo(InetAddress.getByName("2001:db8::35"));
    assertThat(payloadOf(d)).containsExactly(PAYLOAD);
  }

  @Test
  void theStatelessDecoderNamesFragmentsMalformedBecauseReassemblyNeedsState() {
    byte[] u = udp(40000, 53, PAYLOAD).array();
    assertThat(reason(101, ipv4(17, 0x2000, new byte[0], u))).isEqualTo("ipv4_fragment");
    assertThat(reason(101, ipv4(17, 0x0010, new byte[0], u))).isEqualTo("ipv4_fragment");
    assertThat(reason(101, ipv6(44, Bytes.of().u8(17, 0).u16(1).u32(9).bytes(u).array())))
        .isEqualTo("ipv6_fragment");
  }

  @Test
  void framesThatAreNotIpUdpAreIgnoredNotMalformed() throws Exception {
    assertThat(decode(1, Bytes.of().hex(MACS).u16(0x0806).zeros(28))).isNull(); // ARP
    assertThat(decode(1, Bytes.of().hex(MACS).u16(0x0026).hex("424203").zeros(35))).isNull(); // LLC
    assertThat(decode(101, ipv4(6, 0, new byte[0], new byte[20]))).isNull(); // TCP
    assertThat(decode(101, ipv4(1, 0x2000, new byte[0], new byte[8]))).isNull(); // ICMP fragment
    assertThat(decode(101, ipv6(58, new byte[8]))).isNull(); // ICMPv6
  }

  @Test
  void inconsistentHeadersHaveNamedReasons() {
    byte[] u = udp(40000, 53, PAYLOAD).array();
    assertThat(reason(1, Bytes.of().hex("ffffffffffff"))).isEqualTo("ether_truncated");
    assertThat(reason(1, Bytes.of().hex(MACS).u16(0x8100).u8(0))).isEqualTo("vlan_truncated");
    Bytes badIhl = ipv4Udp();
    byte[] bad = badIhl.array();
    bad[0] = 0x44;
    assertThat(reason(101, Bytes.of().bytes(bad))).isEqualTo("ipv4_bad_header_length");
    byte[] shortTotal = ipv4Udp().array();
    shortTotal[3] = 10;
    assertThat(reason(101, Bytes.of().bytes(shortTotal))).isEqualTo("ipv4_bad_total_length");
    byte[] longUdp = ipv4Udp().array();
    longUdp[20 + 5] = 100;
    assertThat(reason(101, Bytes.of().bytes(longUdp))).isEqualTo("udp_truncated");
    byte[] tinyUdp = ipv4Udp().array();
    tinyUdp[20 + 5] = 7;
    assertThat(reason(101, Bytes.of().bytes(tinyUdp))).isEqualTo("udp_bad_length");
    assertThat(reason(101, Bytes.of().u8(0x50))).isEqualTo("ip_bad_version");
    assertThat(reason(147, Bytes.of().u8(0x45))).isEqualTo("link_type_unsupported");
    assertThat(reason(101, ipv6(60, Bytes.of().u8(17, 4).zeros(6).bytes(u).array())))
        .isEqualTo("ipv6_ext_truncated");
  }

  @Test
  void aFrameCutAtAnyLengthIsMalformedAndNeverAnotherException() {
    Bytes ext = Bytes.of().u8(17, 0).zeros(6).bytes(udp(1, 2, PAYLOAD).array());
    byte[][] frames = {
      Bytes.of().hex(MACS).u16(0x8100).u16(5).u16(0x0800).bytes(ipv4Udp().array()).array(),
      Bytes.of().hex(MACS).u16(0x86dd).bytes(ipv6(60, ext.array()).array()).array()
    };
    for (byte[] full : frames) {
      for (int len = 0; len < full.length; len++) {
        RawFrame f = new RawFrame(0, 1, ByteBuffer.wrap(Arrays.copyOf(full, len)));
        assertThatThrownBy(() -> LinkDecoder.decode(f))
            .as("cut at %d", len)
            .isInstanceOf(MalformedException.class);
      }
    }
  }

  @Test
  void thePayloadIsAViewIntoTheFrameNotACopy() throws Exception {
    byte[] frame = Bytes.of().hex(MACS).u16(0x0800).bytes(ipv4Udp().array()).array();
    UdpDatagram d = LinkDecoder.decode(new RawFrame(0, 1, ByteBuffer.wrap(frame)));
    frame[frame.length - 1] = 99;

    assertThat(d.payload().get(4)).isEqualTo((byte) 99);
  }
}
