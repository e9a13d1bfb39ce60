package org.bellwatch.agent.decode.dhcp6;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.testing.Bytes;
import org.junit.jupiter.api.Test;

public class Dhcp6DecoderTest {
  /** dnsmasq 2.90's Reply to dhclient -6 -D LL in fixtures/ipv6. */
  public static final String DNSMASQ_REPLY =
      "0795f80a0001000a000300010266000000120002000e0001000132a9407f02660000000100030028"
          + "0000001200000e100000189c0005001820010db800770000000000000000108c00001c2000001c20000d0009000073756363"
          + "6573730017001020010db8007700000000000000000001";

  /** A Solicit with a DUID-EN (enterprise 9, no link-layer address) and an IA_TA. */
  static final String SOLICIT_DUID_EN =
      "01abcdef"
          + "0001000c"
          + "00020000000901020304"
          + "0506"
          + "00040020"
          + "00000007"
          + "00050018"
          + "20010db8007700000000000000000abc"
          + "00000e10"
          + "00001c20";

  @Test
  void aReplyGivesTheClientsDuidLinkAddressAndItsLeasedAddressWithLifetimes()
      throws MalformedException {
    Dhcp6Message m = Dhcp6Decoder.decode(Bytes.of().hex(DNSMASQ_REPLY).buffer());
    assertThat(m)
        .isEqualTo(
            new Dhcp6Message(
                7,
                7,
                0x95f80a,
                "00030001026600000012",
                "02:66:00:00:00:12",
                null,
                null,
                List.of(
                    new Dhcp6Message.IaAddress(
                        AddressText.parseIp("2001:db8:77::108c"), 7200, 7200, false, 0x12)),
                List.of()));
  }

  @Test
  void aDuidLltCarriesTheLinkAddressAfterItsTime() throws MalformedException {
    byte[] m =
        Bytes.of()
            .u8(1)
            .u8(0, 0, 1)
            .u16(1)
            .u16(14)
            .u16(1)
            .u16(1)
            .u32(0x12345678)
            .hex("020000aabbcc")
            .array();
    assertThat(Dhcp6Decoder.decode(java.nio.ByteBuffer.wrap(m)).duidLinkAddr())
        .isEqualTo("02:00:00:aa:bb:cc");
  }

  @Test
  void aRelayForwardGivesItsInterfaceIdRemoteIdAndTheClientLinkLayerAddressOfTheRelayedSolicit()
      throws MalformedException {
    byte[] inner = Bytes.of().hex(SOLICIT_DUID_EN).array();
    byte[] relay =
        Bytes.of()
            .u8(12, 0)
            .hex("20010db8007700000000000000000001")
            .hex("fe800000000000000000000000000042")
            .u16(18)
            .u16(8)
            .ascii("Gi1/0/17")
            .u16(37)
            .u16(10)
            .u32(9)
            .ascii("sw-b2")
            .hex("00") // the sixth byte of the 6-byte remote id "sw-b2\0" is a NUL: not printable,
            // so hex
            .u16(79)
            .u16(8)
            .u16(1)
            .hex("3c0754aa0017")
            .u16(9)
            .u16(inner.length)
            .bytes(inner)
            .array();
    Dhcp6Message m = Dhcp6Decoder.decode(java.nio.ByteBuffer.wrap(relay));
    assertThat(m)
        .isEqualTo(
            new Dhcp6Message(
                1,
                12,
                0xabcdef,
                "00020000000901020304" + "0506",
                null,
                "3c:07:54:aa:00:17",
                null,
                List.of(
                    new Dhcp6Message.IaAddress(
                        AddressText.parseIp("2001:db8:77::abc"), 3600, 7200, true, 7)),
                List.of(
                    new Dhcp6Message.Relay(
                        12,
                        0,
                        AddressText.parseIp("2001:db8:77::1"),
                        AddressText.parseIp("fe80::42"),
                        "Gi1/0/17",
                        "9:73772d623200"))));
  }

  @Test
  void relayLayersNestedBeyondTheHopCountLimitAreMalformed() {
    byte[] m = Bytes.of().hex(SOLICIT_DUID_EN).array();
    for (int i = 0; i <= Dhcp6Decoder.HOP_COUNT_LIMIT; i++) {
      m = Bytes.of().u8(12, i).zeros(32).u16(9).u16(m.length).bytes(m).array();
    }
    byte[] deep = m;
    assertThatThrownBy(() -> Dhcp6Decoder.decode(java.nio.ByteBuffer.wrap(deep)))
        .hasMessage("dhcp6_relay_too_deep");
  }

  @Test
  void anOptionRunningPastTheMessageAndARelayWithoutAMessageAreMalformed() {
    byte[] cut = Bytes.of().u8(1, 0, 0, 1).u16(1).u16(40).u16(3).array();
    byte[] empty = Bytes.of().u8(12, 0).zeros(32).array();
    assertThatThrownBy(() -> Dhcp6Decoder.decode(java.nio.ByteBuffer.wrap(cut)))
        .hasMessage("dhcp6_option_truncated");
    assertThatThrownBy(() -> Dhcp6Decoder.decode(java.nio.ByteBuffer.wrap(empty)))
        .hasMessage("dhcp6_relay_without_message");
  }
}
