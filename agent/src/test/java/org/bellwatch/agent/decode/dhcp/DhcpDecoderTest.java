package org.bellwatch.agent.decode.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.bellwatch.agent.event.DomainSearch;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.testing.Bytes;
import org.junit.jupiter.api.Test;

class DhcpDecoderTest {

  /** Fixed BOOTP header (RFC 2131 figure 1) with the given sname/file contents, then the cookie. */
  private static Bytes bootp(
      int op, long xid, String yiaddr, String giaddr, byte[] sname, byte[] file) {
    Bytes b =
        Bytes.of()
            .u8(op, 1, 6, 0)
            .u32(xid)
            .u16(0)
            .u16(0x8000)
            .u32(0)
            .hex(yiaddr)
            .u32(0)
            .hex(giaddr)
            .hex("90b11c994929")
            .zeros(10);
    b.bytes(Arrays.copyOf(sname, 64)).bytes(Arrays.copyOf(file, 128));
    return b.u8(99, 130, 83, 99);
  }

  private static Bytes bootp(int op, long xid) {
    return bootp(op, xid, "00000000", "00000000", new byte[0], new byte[0]);
  }

  private static DhcpMessage decode(Bytes b) throws MalformedException {
    return DhcpDecoder.decode(b.buffer());
  }

  private static String reason(Bytes b) {
    Throwable t = catchThrowable(() -> decode(b));
    assertThat(t).isInstanceOf(MalformedException.class);
    return ((MalformedException) t).reason();
  }

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void aRequestWithTheCommonOptionsDecodesToAWholeRecord() throws Exception {
    Bytes b =
        bootp(1, 0xdeadbeefL)
            .u8(53, 1, 3)
            .u8(50, 4, 192, 168, 1, 20)
            .u8(54, 4, 192, 168, 1, 1)
            .u8(12, 7)
            .ascii("lab-101")
            .u8(60, 8)
            .ascii("MSFT 5.0")
            .u8(61, 7, 1)
            .hex("90b11c994929")
            .u8(55, 4, 1, 3, 6, 15)
            .u8(81, 3 + 13, 0x04, 0, 0)
            .u8(7)
            .ascii("lab-101")
            .u8(3)
            .ascii("k12")
            .u8(0)
            .u8(255)
            .zeros(7);

    assertThat(decode(b))
        .isEqualTo(
            new DhcpMessage(
                1,
                0xdeadbeefL,
                DhcpMessage.REQUEST,
                "90:b1:1c:99:49:29",
                null,
                null,
                null,
                ip("192.168.1.20"),
                null,
                ip("192.168.1.1"),
                "lab-101",
                "0190b11c994929",
                "lab-101.k12",
                "MSFT 5.0",
                List.of(1, 3, 6, 15),
                null,
                null,
                null,
                null));
  }

  @Test
  void anAckThroughARelayCarriesAddressesLeaseAndOption82() throws Exception {
    Bytes b =
        bootp(2, 7, "0a000105", "0a000001", new byte[0], new byte[0])
            .u8(53, 1, 5)
            .u8(51, 4)
            .u32(86400)
            .u8(54, 4, 10, 0, 0, 2)
            .u8(82, 2 + 9 + 2 + 4)
            .u8(1, 9)
            .ascii("Gi1/0/12:")
            .u8(2, 4)
            .hex("0a0b0c00")
            .u8(255);

    assertThat(decode(b))
        .isEqualTo(
            new DhcpMessage(
                2,
                7,
                DhcpMessage.ACK,
                "90:b1:1c:99:49:29",
                null,
                ip("10.0.1.5"),
                ip("10.0.0.1"),
                null,
                86400L,
                ip("10.0.0.2"),
                null,
                null,
                null,
                null,
                null,
                "Gi1/0/12:",
                "0a0b0c00",
                null,
                null));
  }

  @Test
  void overloadedFileAndSnameFieldsAreReadAfterTheOptionsFieldInThatOrder() throws Exception {
    byte[] file = Bytes.of().u8(12, 3).ascii("abc").u8(255).array();
    byte[] sname = Bytes.of().u8(12, 3).ascii("def").u8(0, 0).u8(60, 2).ascii("vc").u8(255).array();
    Bytes b =
        bootp(1, 1, "00000000", "00000000", sname, file)
            .u8(53, 1, 1)
            .u8(52, 1, 3)
            .u8(12, 2)
            .ascii("xy")
            .u8(255);

    DhcpMessage m = decode(b);

    assertThat(m.hostname()).isEqualTo("xyabcdef");
    assertThat(m.vendorClass()).isEqualTo("vc");
  }

  @Test
  void withoutOverloadTheFileFieldIsNotReadAsOptions() throws Exception {
    byte[] file = Bytes.of().u8(12, 3).ascii("abc").u8(255).array();
    Bytes b = bootp(1, 1, "00000000", "00000000", new byte[0], file).u8(53, 1, 1).u8(255);

    assertThat(decode(b).hostname()).isNull();
  }

  @Test
  void optionsSplitIntoSeveralInstancesAreConcatenated() throws Exception {
    Bytes b =
        bootp(1, 1).u8(55, 2, 1, 3).u8(12, 2).ascii("ab").u8(55, 1, 6).u8(12, 1).ascii("c").u8(255);

    DhcpMessage m = decode(b);

    assertThat(m.paramList()).containsExactly(1, 3, 6);
    assertThat(m.hostname()).isEqualTo("abc");
  }

  @Test
  void anAsciiFqdnLosesItsTrailingDotAndAnEmptyOneIsAbsent() throws Exception {
    assertThat(decode(bootp(1, 1).u8(81, 3 + 7, 0, 255, 255).ascii("pc.k12.").u8(255)).fqdn())
        .isEqualTo("pc.k12");
    assertThat(decode(bootp(1, 1).u8(81, 3, 0x05, 0, 0).u8(255)).fqdn()).isNull();
    // A partial name in wire format has no root label (RFC 4702 section 2.3.1).
    assertThat(decode(bootp(1, 1).u8(81, 3 + 3, 0x04, 0, 0).u8(2).ascii("pc").u8(255)).fqdn())
        .isEqualTo("pc");
  }

  @Test
  void relaySubOptionsThatAreNotPrintableAreHex() throws Exception {
    Bytes b = bootp(1, 1).u8(82, 6).u8(1, 4).u8(0, 4, 0, 0x0c).u8(255);

    assertThat(decode(b).relayCircuitId()).isEqualTo("0004000c");
  }

  @Test
  void otherHardwareTypesShowPlainHexAndHlenZeroIsAbsent() throws Exception {
    byte[] ib = bootp(1, 1).u8(255).array();
    ib[1] = 32; // InfiniBand
    ib[2] = 8;
    assertThat(DhcpDecoder.decode(ByteBuffer.wrap(ib)).chaddr()).isEqualTo("90b11c9949290000");
    ib[2] = 0;
    assertThat(DhcpDecoder.decode(ByteBuffer.wrap(ib)).chaddr()).isNull();
  }

  @Test
  void plainBootpWithoutMessageTypeHasTypeZero() throws Exception {
    assertThat(decode(bootp(1, 1).u8(255)).msgType()).isZero();
  }

  @Test
  void aMissingOrWrongMagicCookieIsMalformed() {
    byte[] noCookie = Arrays.copyOf(bootp(1, 1).array(), 236);
    byte[] badCookie = bootp(1, 1).u8(255).array();
    badCookie[239] = 0;

    assertThat(reason(Bytes.of().bytes(noCookie))).isEqualTo("dhcp_bad_cookie");
    assertThat(reason(Bytes.of().bytes(badCookie))).isEqualTo("dhcp_bad_cookie");
    assertThat(reason(Bytes.of().zeros(100))).isEqualTo("dhcp_truncated_header");
  }

  @Test
  void damagedOptionsHaveNamedReasons() {
    assertThat(reason(bootp(1, 1).u8(12, 10).ascii("abc"))).isEqualTo("dhcp_option_truncated");
    assertThat(reason(bootp(1, 1).u8(53, 2, 1, 1).u8(255))).isEqualTo("dhcp_bad_option_length");
    assertThat(reason(bootp(1, 1).u8(81, 2, 4, 0).u8(255))).isEqualTo("dhcp_bad_fqdn");
    assertThat(reason(bootp(1, 1).u8(81, 5, 4, 0, 0, 5, 1).u8(255))).isEqualTo("dhcp_bad_fqdn");
    assertThat(reason(bootp(1, 1).u8(82, 3, 1, 5, 0).u8(255))).isEqualTo("dhcp_bad_relay_option");
  }

  @Test
  void aMessageCutAnywhereIsEitherMalformedOrAShorterValidMessage() throws Exception {
    byte[] full =
        bootp(1, 9)
            .u8(53, 1, 1)
            .u8(12, 3)
            .ascii("abc")
            .u8(82, 4, 1, 2, 'x', 'y')
            .u8(81, 5, 4, 0, 0, 1, 'a')
            .u8(255)
            .array();
    for (int len = 0; len < full.length; len++) {
      ByteBuffer cut = ByteBuffer.wrap(Arrays.copyOf(full, len));
      if (len < 240
          || len == full.length - 1
          || len == 240
          || len == 243
          || len == 248
          || len == 254
          || len == 261) {
        // before the options, or on an option boundary (a missing End is tolerated)
        if (len < 240) {
          assertThatThrownBy(() -> DhcpDecoder.decode(cut)).isInstanceOf(MalformedException.class);
        } else {
          assertThat(DhcpDecoder.decode(cut).xid()).isEqualTo(9);
        }
      } else {
        assertThatThrownBy(() -> DhcpDecoder.decode(cut))
            .as("cut at %d", len)
            .isInstanceOf(MalformedException.class);
      }
    }
  }

  @Test
  void theDomainNameAndTheCompressedSearchListOfRfc3397AreDecoded() throws Exception {
    // RFC 3397 section 3's example: eng.apple.com, then marketing + a pointer to offset 4
    // (apple.com).
    Bytes b =
        bootp(2, 9)
            .u8(53, 1, 5)
            .u8(15, 11)
            .ascii("school.lan")
            .u8(0)
            .u8(119, 27)
            .u8(3)
            .ascii("eng")
            .u8(5)
            .ascii("apple")
            .u8(3)
            .ascii("com")
            .u8(0)
            .u8(9)
            .ascii("marketing")
            .u8(0xc0, 0x04)
            .u8(255);

    DhcpMessage m = decode(b);

    assertThat(m.domainName()).isEqualTo("school.lan");
    assertThat(m.domainSearch()).containsExactly("eng.apple.com", "marketing.apple.com");
  }

  @Test
  void aSearchListSplitOverTwoOptionInstancesIsReadAsOne() throws Exception {
    // RFC 3396: the instances are concatenated before the names are read; the pointer counts from
    // the joint start.
    Bytes b =
        bootp(2, 9)
            .u8(53, 1, 5)
            .u8(119, 8)
            .u8(3)
            .ascii("k12")
            .u8(3)
            .ascii("org")
            .u8(119, 6)
            .u8(0)
            .u8(2)
            .ascii("cs")
            .u8(0xc0, 0x00)
            .u8(255);

    assertThat(decode(b).domainSearch()).containsExactly("k12.org", "cs.k12.org");
  }

  @Test
  void searchListsThatPointForwardLoopRunOffTheEndOrHoldADotAreMalformed() {
    assertThat(reason(bootp(2, 9).u8(119, 4).u8(1).ascii("a").u8(0xc0, 0x00).u8(255)))
        .as("a pointer to its own name's start loops")
        .isEqualTo("dhcp_bad_domain_search");
    assertThat(reason(bootp(2, 9).u8(119, 2).u8(0xc0, 0x05).u8(255)))
        .isEqualTo("dhcp_bad_domain_search");
    assertThat(reason(bootp(2, 9).u8(119, 3).u8(5).ascii("ab").u8(255)))
        .isEqualTo("dhcp_bad_domain_search");
    assertThat(reason(bootp(2, 9).u8(119, 5).u8(3).ascii("a.b").u8(0).u8(255)))
        .isEqualTo("dhcp_bad_domain_search");
    assertThat(reason(bootp(2, 9).u8(119, 2).u8(0x40, 0).u8(255)))
        .isEqualTo("dhcp_bad_domain_search");
  }

  @Test
  void fromACutCopyOfASearchListOnlyTheWholeNamesAreKept() throws Exception {
    byte[] cut =
        Bytes.of().u8(6).ascii("school").u8(3).ascii("lan").u8(0).u8(8).ascii("stu").array();

    assertThat(DomainSearch.completeNames(cut)).containsExactly("school.lan");
    assertThatThrownBy(() -> DomainSearch.decode(cut)).hasMessage("dhcp_bad_domain_search");
  }
}
