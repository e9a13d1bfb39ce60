package org.bellwatch.agent.decode.nd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.testing.Bytes;
import org.junit.jupiter.api.Test;

public class NdDecoderTest {
  /** radvd 2.19's advertisement in fixtures/ipv6 (prefix 2001:db8:77::/64, valid 7200 s, RDNSS). */
  public static final String RADVD_RA =
      "8600566a4040001e0000000000000000030440c000001c2000000e100000000020010db8007700000000"
          + "000000000000190300000000000a20010db80077000000000000000000010101026600000001";

  /** Linux's answer to ndisc6: a solicited NA for the router's own address, R flag set. */
  public static final String ROUTER_NA =
      "8800e418e000000020010db80077000000000000000000010201026600000001";

  @Test
  void aRouterAdvertisementGivesTheRoutersLinkAddressLifetimeAndPrefixes()
      throws MalformedException {
    NdMessage m = NdDecoder.decode(Bytes.of().hex(RADVD_RA).buffer());
    assertThat(m)
        .isEqualTo(
            new NdMessage(
                134,
                null,
                true,
                false,
                false,
                30,
                "02:66:00:00:00:01",
                null,
                List.of(
                    new NdMessage.Prefix(
                        AddressText.parseIp("2001:db8:77::"), 64, true, true, 7200, 3600))));
  }

  @Test
  void aNeighborAdvertisementGivesItsTargetFlagsAndTargetLinkAddress() throws MalformedException {
    NdMessage m = NdDecoder.decode(Bytes.of().hex(ROUTER_NA).buffer());
    assertThat(m)
        .isEqualTo(
            new NdMessage(
                136,
                AddressText.parseIp("2001:db8:77::1"),
                true,
                true,
                true,
                null,
                null,
                "02:66:00:00:00:01",
                List.of()));
  }

  @Test
  void anOptionOfLengthZeroIsMalformedRatherThanALoop() {
    byte[] ns =
        Bytes.of()
            .u8(135, 0)
            .u16(0)
            .u32(0)
            .hex("20010db8007700000000000000000001")
            .u8(1, 0)
            .zeros(6)
            .array();
    assertThatThrownBy(() -> NdDecoder.decode(java.nio.ByteBuffer.wrap(ns)))
        .hasMessage("nd_option_zero_length");
  }

  @Test
  void aNonZeroCodeAndAMulticastTargetAreMalformed() {
    byte[] badCode =
        Bytes.of().u8(135, 1).u16(0).u32(0).hex("20010db8007700000000000000000001").array();
    byte[] multicast =
        Bytes.of().u8(136, 0).u16(0).u32(0).hex("ff020000000000000000000000000001").array();
    assertThatThrownBy(() -> NdDecoder.decode(java.nio.ByteBuffer.wrap(badCode)))
        .hasMessage("nd_bad_code");
    assertThatThrownBy(() -> NdDecoder.decode(java.nio.ByteBuffer.wrap(multicast)))
        .hasMessage("nd_multicast_target");
  }

  @Test
  void otherIcmpv6MessagesAreNotOurs() throws MalformedException {
    assertThat(NdDecoder.decode(Bytes.of().u8(128, 0).u16(0).u32(1).buffer()))
        .isNull(); // echo request
  }
}
