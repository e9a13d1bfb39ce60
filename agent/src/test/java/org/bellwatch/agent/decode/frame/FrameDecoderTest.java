package org.bellwatch.agent.decode.frame;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bellwatch.agent.decode.TcpSegment;
import org.bellwatch.agent.decode.UdpDatagram;
import org.bellwatch.agent.decode.dhcp.DhcpMessage;
import org.bellwatch.agent.decode.dns.DnsMessage;
import org.bellwatch.agent.decode.dns.DnsQuestion;
import org.bellwatch.agent.event.RawFrame;
import org.bellwatch.agent.testing.Bytes;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
  /** A query for example.org A, id 0x0102 (RFC 1035 section 4.1). */
  private static final byte[] QUERY =
      Bytes.of()
          .u16(0x0102)
          .u16(0x0100)
          .u16(1)
          .u16(0)
          .u16(0)
          .u16(0)
          .name("example.org")
          .u16(1)
          .u16(1)
          .array();

  private final List<String> events = new ArrayList<>();
  private final FrameDecoder decoder = new FrameDecoder();
  private final FrameDecoder.Sink sink =
      new FrameDecoder.Sink() {
        @Override
        public void dns(UdpDatagram d, DnsMessage m) {
          events.add(
              "dns "
                  + d.transport()
                  + " "
                  + d.epochMicros()
                  + " "
                  + d.sport()
                  + ">"
                  + d.dport()
                  + " "
                  + m.qname());
          messages.add(m);
        }

        @Override
        public void dhcp(UdpDatagram d, DhcpMessage m) {
          events.add("dhcp");
        }

        @Override
        public void ignored(String reason) {
          events.add("ignored " + reason);
        }

        @Override
        public void malformed(String reason) {
          events.add("malformed " + reason);
        }

        @Override
        public void dropped(String reason) {
          events.add("dropped " + reason);
        }
      };
  private final List<DnsMessage> messages = new ArrayList<>();

  private static Bytes ipv4(int proto, int id, int fragField, byte[] body) {
    return Bytes.of()
        .u8(0x45, 0)
        .u16(20 + body.length)
        .u16(id)
        .u16(fragField)
        .u8(64, proto)
        .u16(0)
        .u8(192, 0, 2, 1)
        .u8(192, 0, 2, 53)
        .bytes(body);
  }

  private void frame(long t, Bytes ip) {
    decoder.decode(new RawFrame(t, RawFrame.LINKTYPE_RAW, ip.buffer()), sink);
  }

  @Test
  void anIpv4FragmentedDnsQueryIsDecodedWhenItsLastFragmentArrives() {
    byte[] udp = Bytes.of().u16(40000).u16(53).u16(8 + QUERY.length).u16(0).bytes(QUERY).array();
    frame(10, ipv4(17, 77, 0x2000, Arrays.copyOfRange(udp, 0, 16)));
    frame(20, ipv4(17, 77, 2, Arrays.copyOfRange(udp, 16, udp.length)));

    assertThat(events).containsExactly("dns udp 20 40000>53 example.org");
    assertThat(decoder.pendingFragmentDatagrams()).isZero();
  }

  @Test
  void dnsOverTcpOnPort53IsFramedAndOtherTcpPortsAreIgnored() {
    byte[] stream =
        Bytes.of().u16(QUERY.length).bytes(QUERY).u16(QUERY.length).bytes(QUERY).array();
    Bytes syn =
        Bytes.of().u16(40001).u16(53).u32(1000).u32(0).u8(0x50, TcpSegment.SYN).u16(65535).u32(0);
    frame(1, ipv4(6, 1, 0x4000, syn.array()));
    Bytes data =
        Bytes.of()
            .u16(40001)
            .u16(53)
            .u32(1001)
            .u32(0)
            .u8(0x50, TcpSegment.ACK | TcpSegment.PSH)
            .u16(65535)
            .u32(0)
            .bytes(stream);
    frame(2, ipv4(6, 2, 0x4000, data.array()));
    Bytes http =
        Bytes.of().u16(40002).u16(80).u32(1).u32(0).u8(0x50, TcpSegment.ACK).u16(65535).u32(0);
    frame(3, ipv4(6, 3, 0x4000, http.array()));

    assertThat(events)
        .containsExactly(
            "dns tcp 2 40001>53 example.org",
            "dns tcp 2 40001>53 example.org",
            "ignored other_port");
    assertThat(messages.get(0))
        .isEqualTo(
            new DnsMessage(
                0x0102,
                false,
                0,
                0,
                List.of(new DnsQuestion("example.org", 1, 1)),
                List.of(),
                List.of(),
                List.of()));
  }

  @Test
  void aBadTcpHeaderIsMalformedAndAFragmentOfIcmpIsIgnored() {
    frame(
        1,
        ipv4(6, 1, 0, Bytes.of().u16(1).u16(53).u32(0).u32(0).u8(0x40, 0).u16(0).u32(0).array()));
    frame(2, ipv4(1, 2, 0x2000, new byte[8]));

    assertThat(events).containsExactly("malformed tcp_bad_header_length", "ignored not_udp_tcp");
  }

  @Test
  void expiredReassemblyStateIsReportedAsDroppedWhenPacketTimeMovesOn() {
    byte[] udp = Bytes.of().u16(40000).u16(53).u16(8 + QUERY.length).u16(0).bytes(QUERY).array();
    frame(0, ipv4(17, 5, 0x2000, Arrays.copyOfRange(udp, 0, 16)));
    decoder.advanceTo(31_000_000L, sink);

    assertThat(events).containsExactly("dropped ip_fragment_timeout");
  }
}
