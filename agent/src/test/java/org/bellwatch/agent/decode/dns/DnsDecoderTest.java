package org.bellwatch.agent.decode.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.testing.Bytes;
import org.junit.jupiter.api.Test;

class DnsDecoderTest {

  /** Header: id, flags, counts. */
  private static Bytes header(int id, int flags, int qd, int an, int ns, int ar) {
    return Bytes.of().u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
  }

  /** Appends an RR whose owner is a pointer to {@code owner} and whose RDATA is {@code rdata}. */
  private static Bytes rr(Bytes b, int owner, int type, long ttl, Bytes rdata) {
    byte[] rd = rdata.array();
    return b.pointer(owner).u16(type).u16(1).u32(ttl).u16(rd.length).bytes(rd);
  }

  private static DnsMessage decode(Bytes b) throws MalformedException {
    return DnsDecoder.decode(b.buffer());
  }

  /**
   * The single answer's data for a response to "example.com" whose answer has this type and RDATA.
   */
  private static String answerData(int type, Bytes rdata) throws MalformedException {
    Bytes b = header(1, 0x8180, 1, 1, 0, 0).name("example.com").u16(type).u16(1);
    return decode(rr(b, 12, type, 60, rdata)).answers().get(0).data();
  }

  private static String reason(Bytes b) {
    Throwable t = catchThrowable(() -> decode(b));
    assertThat(t).isInstanceOf(MalformedException.class);
    return ((MalformedException) t).reason();
  }

  @Test
  void aQueryDecodesToItsHeaderAndQuestionWithTheOriginalCase() throws Exception {
    Bytes b = header(0x1234, 0x0100, 1, 0, 0, 0).name("www.ExAmple.com").u16(1).u16(1);

    assertThat(decode(b))
        .isEqualTo(
            new DnsMessage(
                0x1234,
                false,
                0,
                0,
                List.of(new DnsQuestion("www.ExAmple.com", 1, 1)),
                List.of(),
                List.of(),
                List.of()));
  }

  @Test
  void aCompressedResponseDecodesAllFourSections() throws Exception {
    Bytes b = header(0xbeef, 0x8183, 1, 2, 1, 1).name("www.example.com").u16(1).u16(1);
    // answer 1: www.example.com CNAME web.example.com (web + pointer to "example.com" at 16)
    int cnameAt = b.size() + 12; // where the CNAME RDATA will start
    rr(b, 12, 5, 300, Bytes.of().u8(3).ascii("web").pointer(16));
    // answer 2: owner is the CNAME target, compressed against the RDATA above
    rr(b, cnameAt, 1, 300, Bytes.of().u8(192, 0, 2, 1));
    // authority: example.com NS ns1.example.com
    rr(b, 16, 2, 3600, Bytes.of().u8(3).ascii("ns1").pointer(16));
    // additional: OPT, root owner, 1232 bytes payload, DO bit
    b.u8(0).u16(41).u16(1232).u32(0x8000).u16(4).hex("000a0000");

    assertThat(decode(b))
        .isEqualTo(
            new DnsMessage(
                0xbeef,
                true,
                0,
                3,
                List.of(new DnsQuestion("www.example.com", 1, 1)),
                List.of(
                    new DnsRecord("www.example.com", 5, 1, 300, "web.example.com"),
                    new DnsRecord("web.example.com", 1, 1, 300, "192.0.2.1")),
                List.of(new DnsRecord("example.com", 2, 1, 3600, "ns1.example.com")),
                List.of(new DnsRecord("", 41, 1232, 0x8000, "000a0000")),
                new Edns(1232, 0, 0, true, List.of(new Edns.Option(10, "")), null, false)));
  }

  @Test
  void ednsClientSubnetIsDecodedWithTheBitsPastThePrefixMaskedAndTheExtendedRcodeKept()
      throws Exception {
    Bytes b = header(9, 0x8100, 0, 0, 0, 1);
    // OPT: extended RCODE 1 (BADVERS with header rcode 0 = 16), version 0; ECS 198.51.100.0/22
    // scope 0,
    // sent as three bytes with a stray bit past the prefix; then a cookie.
    b.u8(0)
        .u16(41)
        .u16(4096)
        .u32(0x01000000L)
        .u16(15)
        .u16(8)
        .u16(7)
        .u16(1)
        .u8(22, 0)
        .u8(198, 51, 103)
        .u16(10)
        .u16(0);

    DnsMessage m = decode(b);

    assertThat(m.edns())
        .isEqualTo(
            new Edns(
                4096,
                1,
                0,
                false,
                List.of(new Edns.Option(8, "00011600c63367"), new Edns.Option(10, "")),
                new Edns.ClientSubnet(1, 22, 0, "198.51.100.0"),
                false));
    assertThat(m.edns().fullRcode(m.rcode())).isEqualTo(16);
  }

  @Test
  void anOptionListThatDoesNotFrameKeepsTheMessageAndSaysSo() throws Exception {
    Bytes b = header(9, 0x0100, 0, 0, 0, 1);
    b.u8(0).u16(41).u16(1232).u32(0).u16(6).u16(8).u16(9).u16(2); // ECS claims 9 bytes, 2 present

    assertThat(decode(b).edns()).isEqualTo(new Edns(1232, 0, 0, false, List.of(), null, true));
  }

  @Test
  void anIpv6ClientSubnetWithALengthThatDoesNotMatchItsPrefixIsNotTrusted() throws Exception {
    Bytes b = header(9, 0x0100, 0, 0, 0, 1);
    b.u8(0)
        .u16(41)
        .u16(1232)
        .u32(0)
        .u16(10)
        .u16(8)
        .u16(6)
        .u16(2)
        .u8(56, 0)
        .hex("2001"); // /56 needs 7 bytes

    assertThat(decode(b).edns())
        .isEqualTo(
            new Edns(1232, 0, 0, false, List.of(new Edns.Option(8, "000238002001")), null, false));
  }

  @Test
  void theRootNameIsEmptyAsAnOwnerAndADotInsideRdata() throws Exception {
    Bytes b = header(7, 0x8180, 1, 1, 0, 0).name("").u16(2).u16(1);
    b.u8(0).u16(15).u16(1).u32(10).u16(3).u16(0).u8(0);

    DnsMessage m = decode(b);

    assertThat(m.qname()).isEqualTo("");
    assertThat(m.answers()).containsExactly(new DnsRecord("", 15, 1, 10, "0 ."));
  }

  @Test
  void eachRecordTypeHasItsPresentationForm() throws Exception {
    assertThat(answerData(1, Bytes.of().u8(10, 0, 0, 255))).isEqualTo("10.0.0.255");
    assertThat(answerData(28, Bytes.of().hex("20010db8000000000000000000000001")))
        .isEqualTo("2001:db8::1");
    assertThat(answerData(12, Bytes.of().name("host.example"))).isEqualTo("host.example");
    assertThat(answerData(2, Bytes.of().u8(2).ascii("ns").pointer(12))).isEqualTo("ns.example.com");
    assertThat(answerData(15, Bytes.of().u16(10).u8(4).ascii("mail").pointer(12)))
        .isEqualTo("10 mail.example.com");
    assertThat(
            answerData(
                6,
                Bytes.of()
                    .u8(2)
                    .ascii("ns")
                    .pointer(12)
                    .u8(4)
                    .ascii("host")
                    .pointer(12)
                    .u32(2024010101L)
                    .u32(7200)
                    .u32(3600)
                    .u32(1209600)
                    .u32(4294967295L)))
        .isEqualTo("ns.example.com host.example.com 2024010101 7200 3600 1209600 4294967295");
    assertThat(answerData(33, Bytes.of().u16(1).u16(5).u16(5060).name("sip.example")))
        .isEqualTo("1 5 5060 sip.example");
    assertThat(answerData(99, Bytes.of().hex("0a000001"))).isEqualTo("\\# 4 0a000001");
    assertThat(answerData(99, Bytes.of())).isEqualTo("\\# 0");
    assertThat(answerData(41, Bytes.of().hex("000a0008c0ffee00c0ffee00")))
        .isEqualTo("000a0008c0ffee00c0ffee00");
  }

  @Test
  void txtStringsAreQuotedWithQuotesBackslashesAndControlBytesEscaped() throws Exception {
    Bytes rdata =
        Bytes.of().u8(11).ascii("v=spf1 -all").u8(5).ascii("a\"b\\c").u8(2).u8(0x07, 0xe9).u8(0);

    assertThat(answerData(16, rdata))
        .isEqualTo("\"v=spf1 -all\" \"a\\\"b\\\\c\" \"\\007\\233\" \"\"");
  }

  @Test
  void labelBytesThatAreNotPrintableOrAreDotsAreEscaped() throws Exception {
    Bytes b = header(1, 0, 1, 0, 0, 0).u8(3).ascii("a.b").u8(2).u8(' ', 0xff).u8(0).u16(1).u16(1);

    assertThat(decode(b).qname()).isEqualTo("a\\.b.\\032\\255");
  }

  @Test
  void svcbAndHttpsShowPriorityTargetAndParameters() throws Exception {
    Bytes rdata =
        Bytes.of()
            .u16(1)
            .name("")
            .u16(0)
            .u16(2)
            .u16(1) // mandatory=alpn
            .u16(1)
            .u16(6)
            .u8(2)
            .ascii("h2")
            .u8(2)
            .ascii("h3") // alpn=h2,h3
            .u16(2)
            .u16(0) // no-default-alpn
            .u16(3)
            .u16(2)
            .u16(8443) // port
            .u16(4)
            .u16(8)
            .u8(192, 0, 2, 1)
            .u8(192, 0, 2, 2) // ipv4hint
            .u16(5)
            .u16(3)
            .u8(1, 2, 3) // ech
            .u16(6)
            .u16(16)
            .hex("20010db8000000000000000000000053") // ipv6hint
            .u16(65000)
            .u16(2)
            .hex("abcd");

    assertThat(answerData(65, rdata))
        .isEqualTo(
            "1 . mandatory=alpn alpn=h2,h3 no-default-alpn"
                + " port=8443 ipv4hint=192.0.2.1,192.0.2.2 ech=AQID ipv6hint=2001:db8::53 key65000=abcd");
    assertThat(answerData(64, Bytes.of().u16(0).name("svc.example"))).isEqualTo("0 svc.example");
  }

  @Test
  void aRecordWhoseRdataDoesNotMatchItsTypeFallsBackToTheGenericForm() throws Exception {
    assertThat(answerData(1, Bytes.of().u8(1, 2, 3, 4, 5))).isEqualTo("\\# 5 0102030405");
    assertThat(answerData(65, Bytes.of().u16(1).name("").u16(3).u16(3).u8(1, 2, 3)))
        .isEqualTo("\\# 10 00010000030003010203");
    assertThat(answerData(5, Bytes.of().name("a").u8(0xff))).isEqualTo("\\# 4 016100ff");
  }

  @Test
  void ipv6AddressesUseTheRfc5952Form() throws Exception {
    assertThat(answerData(28, Bytes.of().hex("00000000000000000000000000000001"))).isEqualTo("::1");
    assertThat(answerData(28, Bytes.of().zeros(16))).isEqualTo("::");
    assertThat(answerData(28, Bytes.of().hex("00010000000000020000000000000003")))
        .isEqualTo("1:0:0:2::3");
    assertThat(answerData(28, Bytes.of().hex("00010000000000020000000000030004")))
        .isEqualTo("1::2:0:0:3:4");
    assertThat(answerData(28, Bytes.of().hex("20010db8000100000001000100010001")))
        .isEqualTo("2001:db8:1:0:1:1:1:1");
    assertThat(answerData(28, Bytes.of().hex("FE80000000000000ABCD00000000EF01")))
        .isEqualTo("fe80::abcd:0:0:ef01");
  }

  @Test
  void aCompressionPointerLoopIsAMalformedNameNotAHang() {
    Bytes selfLoop = header(1, 0, 1, 0, 0, 0).pointer(12).u16(1).u16(1);
    Bytes forward = header(1, 0, 1, 0, 0, 0).pointer(14).name("a").u16(1).u16(1);
    // "a" then a pointer back to "a": each jump goes backwards from the pointer, but revisits the
    // name.
    Bytes cycle = header(1, 0, 1, 0, 0, 0).u8(1).ascii("a").pointer(12).u16(1).u16(1);

    assertThat(reason(selfLoop)).isEqualTo("dns_name_loop");
    assertThat(reason(forward)).isEqualTo("dns_name_loop");
    assertThat(reason(cycle)).isEqualTo("dns_name_loop");
  }

  @Test
  void aNameLongerThan255OctetsIsMalformed() {
    Bytes b = header(1, 0, 1, 0, 0, 0);
    for (int i = 0; i < 5; i++) {
      b.u8(63).ascii("x".repeat(63));
    }
    b.u8(0).u16(1).u16(1);

    assertThat(reason(b)).isEqualTo("dns_name_too_long");
  }

  @Test
  void aNameOfExactly255OctetsIsAccepted() throws Exception {
    Bytes b = header(1, 0, 1, 0, 0, 0);
    for (int i = 0; i < 3; i++) {
      b.u8(63).ascii("x".repeat(63));
    }
    b.u8(61).ascii("y".repeat(61)).u8(0).u16(1).u16(1); // 3*64 + 62 + 1 = 255

    assertThat(decode(b).qname()).hasSize(3 * 64 + 61);
  }

  @Test
  void extendedAndReservedLabelTypesAreMalformed() {
    assertThat(reason(header(1, 0, 1, 0, 0, 0).u8(0x41, 0, 0).u16(1).u16(1)))
        .isEqualTo("dns_bad_label_type");
    assertThat(reason(header(1, 0, 1, 0, 0, 0).u8(0x80, 0, 0).u16(1).u16(1)))
        .isEqualTo("dns_bad_label_type");
  }

  @Test
  void anRdlengthBeyondTheMessageIsMalformed() {
    Bytes b =
        header(1, 0x8180, 1, 1, 0, 0)
            .name("a")
            .u16(1)
            .u16(1)
            .pointer(12)
            .u16(1)
            .u16(1)
            .u32(1)
            .u16(5)
            .u8(1, 2, 3, 4);

    assertThat(reason(b)).isEqualTo("dns_rdata_truncated");
  }

  @Test
  void aHeaderShorterThanTwelveBytesIsMalformed() {
    assertThat(reason(Bytes.of().u8(1, 2, 3))).isEqualTo("dns_truncated_header");
  }

  @Test
  void theDecoderReadsFromThePayloadPositionAndLeavesItUnchanged() throws Exception {
    byte[] msg = header(9, 0, 1, 0, 0, 0).name("a").u16(1).u16(1).array();
    ByteBuffer buf = ByteBuffer.allocate(msg.length + 3).put(new byte[] {1, 2, 3}).put(msg);
    buf.position(3);

    assertThat(DnsDecoder.decode(buf).id()).isEqualTo(9);
    assertThat(buf.position()).isEqualTo(3);
  }

  @Test
  void aCompressedMessageInsideALargerBufferOfAnyKindDecodesAsOnItsOwn() throws Exception {
    Bytes b = header(0xbeef, 0x8180, 1, 3, 0, 0).name("www.example.com").u16(28).u16(1);
    int cnameAt = b.size() + 12;
    rr(b, 12, 5, 300, Bytes.of().u8(3).ascii("web").pointer(16));
    rr(b, cnameAt, 28, 300, Bytes.of().hex("20010db8000000000000000000000001"));
    rr(b, cnameAt, 1, 300, Bytes.of().u8(192, 0, 2, 1));
    byte[] msg = b.array();
    ByteBuffer buf = ByteBuffer.allocate(msg.length + 7).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    buf.put(new byte[] {(byte) 0xc0, 12, 0, 0, 0}).put(msg).put(new byte[] {9, 9});
    buf.position(5).limit(5 + msg.length);

    assertThat(DnsDecoder.decode(buf))
        .isEqualTo(
            new DnsMessage(
                0xbeef,
                true,
                0,
                0,
                List.of(new DnsQuestion("www.example.com", 28, 1)),
                List.of(
                    new DnsRecord("www.example.com", 5, 1, 300, "web.example.com"),
                    new DnsRecord("web.example.com", 28, 1, 300, "2001:db8::1"),
                    new DnsRecord("web.example.com", 1, 1, 300, "192.0.2.1")),
                List.of(),
                List.of()));
    assertThat(DnsDecoder.decode(ByteBuffer.wrap(msg))).isEqualTo(DnsDecoder.decode(buf));
    // Captured frames are read-only views, and a direct buffer has no array: both are copied first.
    assertThat(DnsDecoder.decode(buf.asReadOnlyBuffer())).isEqualTo(DnsDecoder.decode(buf));
    ByteBuffer direct = ByteBuffer.allocateDirect(msg.length + 2).put(new byte[] {7, 7}).put(msg);
    assertThat(DnsDecoder.decode(direct.position(2))).isEqualTo(DnsDecoder.decode(buf));
    assertThat(buf.position()).isEqualTo(5);
  }

  @Test
  void aMessageCutAtAnyLengthIsMalformedAndNeverAnotherException() throws Exception {
    Bytes b = header(0xbeef, 0x8180, 1, 3, 0, 1).name("www.example.com").u16(1).u16(1);
    rr(b, 12, 5, 300, Bytes.of().u8(3).ascii("web").pointer(16));
    rr(b, 16, 16, 300, Bytes.of().u8(2).ascii("hi"));
    rr(b, 16, 65, 300, Bytes.of().u16(1).name("").u16(1).u16(3).u8(2).ascii("h2"));
    b.u8(0).u16(41).u16(1232).u32(0).u16(0);
    byte[] full = b.array();
    decode(b); // the whole message is fine

    for (int len = 0; len < full.length; len++) {
      ByteBuffer cut = ByteBuffer.wrap(Arrays.copyOf(full, len));
      assertThatThrownBy(() -> DnsDecoder.decode(cut))
          .as("cut at %d", len)
          .isInstanceOf(MalformedException.class);
    }
  }

  @Test
  void randomlyDamagedMessagesOnlyEverFailAsMalformed() {
    Bytes b = header(0xbeef, 0x8180, 1, 2, 0, 0).name("www.example.com").u16(1).u16(1);
    rr(b, 12, 5, 300, Bytes.of().u8(3).ascii("web").pointer(16));
    rr(b, 16, 6, 300, Bytes.of().pointer(12).pointer(16).u32(1).u32(2).u32(3).u32(4).u32(5));
    byte[] full = b.array();
    Random random = new Random(42);

    for (int i = 0; i < 20_000; i++) {
      byte[] damaged = full.clone();
      for (int k = 0; k < 1 + random.nextInt(4); k++) {
        damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
      }
      Throwable t = catchThrowable(() -> DnsDecoder.decode(ByteBuffer.wrap(damaged)));
      if (t != null) {
        assertThat(t).isInstanceOf(MalformedException.class);
      }
    }
  }
}
