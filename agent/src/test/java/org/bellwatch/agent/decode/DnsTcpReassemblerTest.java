package org.bellwatch.agent.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsTcpReassemblerTest {
  private static final InetAddress CLIENT = address("192.0.2.10");
  private static final InetAddress SERVER = address("192.0.2.53");
  private static final byte[] M1 = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  private static final byte[] M2 = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2};

  private final List<String> dropped = new ArrayList<>();
  private final DnsTcpReassembler r = new DnsTcpReassembler(2, 64, 10_000_000L);

  private static InetAddress address(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] framed(byte[]... messages) {
    ByteBuffer b = ByteBuffer.allocate(Arrays.stream(messages).mapToInt(m -> m.length + 2).sum());
    for (byte[] m : messages) {
      b.putShort((short) m.length).put(m);
    }
    return b.array();
  }

  private static TcpSegment seg(
      long t, int sport, long seq, int flags, byte[] data, int from, int to) {
    return new TcpSegment(
        t,
        CLIENT,
        SERVER,
        sport,
        53,
        seq,
        flags,
        ByteBuffer.wrap(Arrays.copyOfRange(data, from, to)));
  }

  private static TcpSegment seg(long t, long seq, int flags, byte[] data) {
    return seg(t, 40000, seq, flags, data, 0, data.length);
  }

  private static UdpDatagram message(long t, byte[] m) {
    return message(t, 40000, m);
  }

  private static UdpDatagram message(long t, int sport, byte[] m) {
    return new UdpDatagram(t, CLIENT, SERVER, sport, 53, "tcp", ByteBuffer.wrap(m));
  }

  private List<UdpDatagram> offer(TcpSegment s) {
    return r.offer(s, dropped::add);
  }

  @Test
  void twoMessagesInOneSegmentAfterASynComeOutTogether() {
    assertThat(offer(seg(1, 999, TcpSegment.SYN, new byte[0]))).isEmpty();
    assertThat(offer(seg(2, 1000, TcpSegment.ACK | TcpSegment.PSH, framed(M1, M2))))
        .containsExactly(message(2, M1), message(2, M2));
    assertThat(dropped).isEmpty();
  }

  @Test
  void aMessageSplitInsideItsLengthPrefixComesOutWithTheSegmentThatCompletesIt() {
    byte[] s = framed(M1);
    assertThat(offer(seg(1, 40000, 5000, TcpSegment.ACK, s, 0, 1))).isEmpty();
    assertThat(offer(seg(2, 40000, 5001, TcpSegment.ACK, s, 1, 9))).isEmpty();
    assertThat(offer(seg(3, 40000, 5009, TcpSegment.ACK, s, 9, s.length)))
        .containsExactly(message(3, M1));
  }

  @Test
  void anOutOfOrderSegmentIsHeldUntilTheGapFills() {
    byte[] s = framed(M1, M2);
    assertThat(offer(seg(1, 40000, 100, TcpSegment.SYN, new byte[0], 0, 0))).isEmpty();
    assertThat(offer(seg(2, 40000, 111, TcpSegment.ACK, s, 10, s.length))).isEmpty();
    assertThat(offer(seg(3, 40000, 101, TcpSegment.ACK, s, 0, 10)))
        .containsExactly(message(3, M1), message(3, M2));
  }

  @Test
  void retransmittedDataIsDroppedAndThePartlyNewSegmentKeepsOnlyItsNewBytes() {
    byte[] s = framed(M1, M2);
    assertThat(offer(seg(1, 40000, 0, TcpSegment.ACK, s, 0, 8))).isEmpty();
    assertThat(offer(seg(2, 40000, 0, TcpSegment.ACK, s, 0, 8))).isEmpty();
    assertThat(offer(seg(3, 40000, 4, TcpSegment.ACK, s, 4, 20))).containsExactly(message(3, M1));
    assertThat(offer(seg(4, 40000, 20, TcpSegment.ACK, s, 20, s.length)))
        .containsExactly(message(4, M2));
    assertThat(dropped).isEmpty();
  }

  @Test
  void sequenceNumbersWrapAroundTwoToTheThirtyTwo() {
    byte[] s = framed(M1);
    assertThat(offer(seg(1, 40000, 0xfffffffaL, TcpSegment.ACK, s, 0, 6))).isEmpty();
    assertThat(offer(seg(2, 40000, 0, TcpSegment.ACK, s, 6, s.length)))
        .containsExactly(message(2, M1));
  }

  @Test
  void finEndsTheFlowAfterUsingItsDataAndAnUnfinishedMessageIsCounted() {
    byte[] s = framed(M1, M2);
    assertThat(offer(seg(1, 40000, 0, TcpSegment.FIN | TcpSegment.ACK, s, 0, 20)))
        .containsExactly(message(1, M1));
    assertThat(dropped).containsExactly("dns_tcp_partial_at_close");
    assertThat(r.flowCount()).isZero();
  }

  @Test
  void resetEndsTheFlowWithoutDelivering() {
    byte[] s = framed(M1);
    offer(seg(1, 40000, 0, TcpSegment.ACK, s, 0, 5));
    assertThat(offer(seg(2, 40000, 5, TcpSegment.RST, s, 5, s.length))).isEmpty();
    assertThat(dropped).containsExactly("dns_tcp_partial_at_close");
    assertThat(r.flowCount()).isZero();
  }

  @Test
  void theLeastRecentlyActiveFlowIsEvictedWhenTheFlowTableIsFull() {
    byte[] s = framed(M1);
    offer(seg(1, 1, 0, TcpSegment.ACK, s, 0, 3));
    offer(seg(2, 2, 0, TcpSegment.ACK, s, 0, 3));
    offer(seg(3, 1, 3, TcpSegment.ACK, s, 3, 4)); // flow 1 is now the more recent
    offer(seg(4, 3, 0, TcpSegment.ACK, s, 0, 3)); // evicts flow 2

    assertThat(dropped).containsExactly("dns_tcp_flow_evicted");
    assertThat(offer(seg(5, 1, 4, TcpSegment.ACK, s, 4, s.length)))
        .containsExactly(message(5, 1, M1));
  }

  @Test
  void aMessageLongerThanThePerFlowCapIsDroppedWithAName() {
    byte[] big = framed(new byte[100]);
    assertThat(offer(seg(1, 40000, 0, TcpSegment.ACK, big, 0, 30))).isEmpty();
    assertThat(dropped).containsExactly("dns_tcp_message_too_big");
    assertThat(r.flowCount()).isZero();
  }

  @Test
  void aGapThatOutgrowsTheCapGivesTheFlowUpAsAGap() {
    byte[] s = framed(M1, M2, M1, M2, M1, M2);
    offer(seg(1, 40000, 0, TcpSegment.ACK, s, 0, 2));
    offer(seg(2, 40000, 10, TcpSegment.ACK, s, 10, 40));
    offer(seg(3, 40000, 40, TcpSegment.ACK, s, 40, s.length));
    assertThat(dropped).containsExactly("dns_tcp_gap");
  }

  @Test
  void aFlowIdleLongerThanTheTimeoutInPacketTimeIsGivenUp() {
    byte[] s = framed(M1);
    offer(seg(0, 40000, 0, TcpSegment.ACK, s, 0, 3));
    r.advanceTo(10_000_000L, dropped::add);
    assertThat(dropped).isEmpty();
    r.advanceTo(10_000_001L, dropped::add);
    assertThat(dropped).containsExactly("dns_tcp_flow_timeout");
    assertThat(r.flowCount()).isZero();
  }
}
