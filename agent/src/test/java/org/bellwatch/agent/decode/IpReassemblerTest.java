package org.bellwatch.agent.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bellwatch.agent.event.MalformedException;
import org.junit.jupiter.api.Test;

class IpReassemblerTest {
  private static final byte[] DATA = new byte[40];

  static {
    for (int i = 0; i < DATA.length; i++) {
      DATA[i] = (byte) i;
    }
  }

  private final List<String> dropped = new ArrayList<>();
  private final IpReassembler r = new IpReassembler(2, 100, 30_000_000L);

  private static InetAddress address(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  private static IpPacket frag(int version, long t, long id, int from, int to, boolean more)
      throws Exception {
    InetAddress src = address(version == 4 ? "192.0.2.1" : "2001:db8::1");
    InetAddress dst = address(version == 4 ? "192.0.2.2" : "2001:db8::2");
    return new IpPacket(
        t,
        src,
        dst,
        version,
        17,
        id,
        from,
        more,
        true,
        ByteBuffer.wrap(Arrays.copyOfRange(DATA, from, to)));
  }

  private static IpPacket whole(int version, long t) throws Exception {
    IpPacket f = frag(version, t, 0, 0, 0, false);
    return new IpPacket(
        t, f.src(), f.dst(), version, 17, 0, 0, false, false, ByteBuffer.wrap(DATA));
  }

  private IpPacket offer(IpPacket p) throws MalformedException {
    return r.offer(p, dropped::add);
  }

  private String reason(IpPacket p) {
    return catchThrowableOfType(() -> offer(p), MalformedException.class).reason();
  }

  @Test
  void fragmentsInAnyOrderMakeTheWholeDatagramAtTheTimeOfTheLast() throws Exception {
    assertThat(offer(frag(4, 1, 7, 16, 40, false))).isNull();
    assertThat(offer(frag(4, 2, 7, 0, 8, true))).isNull();
    assertThat(offer(frag(4, 3, 7, 8, 16, true))).isEqualTo(whole(4, 3));
    assertThat(r.pendingDatagrams()).isZero();
    assertThat(r.bufferedBytes()).isZero();
  }

  @Test
  void ipv6FragmentsReassembleTheSameWay() throws Exception {
    assertThat(offer(frag(6, 1, 0xdeadbeefL, 0, 24, true))).isNull();
    assertThat(offer(frag(6, 2, 0xdeadbeefL, 24, 40, false))).isEqualTo(whole(6, 2));
  }

  @Test
  void anExactDuplicateFragmentIsDroppedAndTheDatagramKept() throws Exception {
    assertThat(offer(frag(4, 1, 7, 0, 16, true))).isNull();
    assertThat(offer(frag(4, 2, 7, 0, 8, true))).isNull();
    assertThat(offer(frag(4, 3, 7, 16, 40, false))).isEqualTo(whole(4, 3));
  }

  @Test
  void overlappingFragmentsDiscardTheWholeDatagramIncludingLaterFragments() throws Exception {
    offer(frag(6, 1, 9, 0, 16, true));
    assertThat(reason(frag(6, 2, 9, 8, 24, true))).isEqualTo("ipv6_fragment_overlap");
    assertThat(reason(frag(6, 3, 9, 24, 40, false))).isEqualTo("ipv6_fragment_discarded");
    assertThat(r.bufferedBytes()).isZero();
  }

  @Test
  void fragmentsThatBreakTheRulesHaveNamedReasons() throws Exception {
    assertThat(reason(frag(4, 1, 1, 0, 12, true))).isEqualTo("ipv4_fragment_bad_length");
    IpPacket huge =
        new IpPacket(
            1,
            address("192.0.2.1"),
            address("192.0.2.2"),
            4,
            17,
            2,
            65528,
            false,
            true,
            ByteBuffer.allocate(16));
    assertThat(reason(huge)).isEqualTo("ipv4_fragment_too_big");
    offer(frag(4, 1, 3, 16, 24, false));
    assertThat(reason(frag(4, 2, 3, 24, 40, true))).isEqualTo("ipv4_fragment_after_last");
  }

  @Test
  void theOldestDatagramIsEvictedWhenTheCountOrByteCapIsReached() throws Exception {
    offer(frag(4, 1, 1, 0, 8, true));
    offer(frag(4, 2, 2, 0, 8, true));
    offer(frag(4, 3, 3, 0, 8, true)); // third datagram: count cap 2
    assertThat(dropped).containsExactly("ip_fragment_evicted");
    offer(frag(4, 4, 3, 8, 40, true)); // 40 bytes for id 3 + 8 for id 2; fits in 100
    offer(frag(4, 5, 2, 8, 40, true)); // 80 bytes would fit, count is fine
    assertThat(dropped).containsExactly("ip_fragment_evicted");
    offer(frag(4, 6, 4, 0, 40, true)); // a new datagram: evicts id 2, the oldest
    assertThat(dropped).containsExactly("ip_fragment_evicted", "ip_fragment_evicted");
    assertThat(r.pendingDatagrams()).isEqualTo(2);
    assertThat(r.bufferedBytes()).isEqualTo(80);
  }

  @Test
  void bytesOverTheCapEvictTheOldestDatagramButNeverTheOneBeingCompleted() throws Exception {
    IpReassembler small = new IpReassembler(10, 50, 30_000_000L);
    small.offer(frag(4, 1, 1, 0, 40, true), dropped::add);
    small.offer(frag(4, 2, 2, 0, 8, true), dropped::add);
    // 40 + 8 + 32 bytes pass 50: id 1 goes, and id 2 completes.
    assertThat(small.offer(frag(4, 3, 2, 8, 40, false), dropped::add)).isEqualTo(whole(4, 3));
    assertThat(dropped).containsExactly("ip_fragment_evicted");
    assertThat(small.pendingDatagrams()).isZero();
    assertThat(small.bufferedBytes()).isZero();
  }

  @Test
  void aDatagramWaitsAtMostTheTimeoutInPacketTime() throws Exception {
    offer(frag(4, 0, 1, 0, 8, true));
    r.advanceTo(30_000_000L, dropped::add);
    assertThat(dropped).isEmpty();
    assertThat(offer(frag(4, 30_000_001L, 1, 8, 40, false))).isNull(); // the first part timed out
    assertThat(dropped).containsExactly("ip_fragment_timeout");
  }
}
