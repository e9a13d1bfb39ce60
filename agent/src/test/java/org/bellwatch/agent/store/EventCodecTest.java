package org.bellwatch.agent.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.bellwatch.agent.event.BlockEvent;
import org.junit.jupiter.api.Test;

class EventCodecTest {
  private static BlockEvent event(String clientIp, String domain, String source, String method) {
    return new BlockEvent(
        Instant.parse("2026-09-14T14:03:07.123456Z"),
        clientIp,
        "3c:22:fb:01:02:03",
        "lab-7",
        "s1042",
        domain,
        "https://" + domain + "/",
        "social",
        source,
        method,
        "B204",
        "sec-9",
        "Biology",
        "t-17",
        "3",
        true,
        List.of("squid 1757858587.123 10.10.1.23 TCP_DENIED/403", "dhcp ack 10.10.1.23"));
  }

  /** The key suffix as every stored key so far was made: one char at a time. The specification. */
  private static long reference(BlockEvent e) {
    long h = 1125899906842597L;
    for (String part : new String[] {e.clientIp(), e.domain(), e.source(), e.method()}) {
      String s = part == null ? "" : part;
      for (int i = 0; i < s.length(); i++) {
        h = 31 * h + s.charAt(i);
      }
      h = 31 * h + 0x1f;
    }
    return h;
  }

  private static String randomPart(Random r) {
    if (r.nextInt(10) == 0) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    int len = r.nextInt(41);
    for (int i = 0; i < len; i++) {
      sb.append(r.nextInt(8) == 0 ? (char) r.nextInt(0x10000) : (char) (0x20 + r.nextInt(0x5f)));
    }
    return sb.toString();
  }

  @Test
  void theKeySuffixIsTheHashThatEveryStoredKeyWasMadeWith() {
    assertThat(EventCodec.suffix(event("10.10.1.23", "www.Tiktok.com", "squid", null)))
        .isEqualTo(4193868424804343315L);
    Random r = new Random(11);
    for (int i = 0; i < 20_000; i++) {
      BlockEvent e = event(randomPart(r), randomPart(r), randomPart(r), randomPart(r));

      assertThat(EventCodec.suffix(e)).as("event %s", e).isEqualTo(reference(e));
    }
  }

  @Test
  void aValueWrittenIntoADirectBufferIsTheArrayValueAndDecodesToTheEvent() throws Exception {
    EventCodec codec = new EventCodec();
    BlockEvent e = event("10.10.1.23", "www.tiktok.com", "squid", "GET");
    long micros = EventCodec.micros(e.time());
    ByteBuffer small = ByteBuffer.allocateDirect(8);

    ByteBuffer direct = codec.value(e, micros, null, small);
    byte[] copied = new byte[direct.remaining()];
    direct.get(copied);

    assertThat(copied).isEqualTo(codec.value(e, micros));
    assertThat(codec.decode(copied)).isEqualTo(e);
  }

  private static BlockEvent teaching() {
    BlockEvent e = event("10.10.1.23", "replit.com", "fortigate", "filter-deny");
    return new BlockEvent(
        e.time(),
        e.clientIp(),
        e.mac(),
        e.hostname(),
        "t-17",
        e.domain(),
        e.url(),
        e.category(),
        e.source(),
        e.method(),
        e.room(),
        e.section(),
        e.course(),
        "t-17",
        e.period(),
        true,
        true,
        e.evidence());
  }

  @Test
  void anEventBlockedWhileTeachingKeepsItsMarkWithAndWithoutItsEvidenceRecords() throws Exception {
    EventCodec codec = new EventCodec();
    BlockEvent e = teaching();
    List<org.bellwatch.agent.correlate.BlockEvidence> records =
        List.of(
            new org.bellwatch.agent.correlate.BlockEvidence(
                e.time(),
                java.net.InetAddress.getByName("10.10.1.23"),
                e.domain(),
                e.url(),
                "t-17",
                e.category(),
                e.source(),
                e.method(),
                e.evidence().get(0)));
    byte[] withRecords = codec.value(new org.bellwatch.agent.correlate.BlockAttempt(e, records));
    byte[] without = codec.value(e);
    RawEvent raw = new RawEvent();
    EventCodec.fields(withRecords, withRecords.length, raw);

    assertThat(withRecords[0]).isEqualTo(EventCodec.VALUE_V4);
    assertThat(codec.decode(withRecords)).isEqualTo(e);
    assertThat(codec.decodeAttempt(withRecords))
        .isEqualTo(new org.bellwatch.agent.correlate.BlockAttempt(e, records));
    assertThat(codec.decodeAttempt(without))
        .isEqualTo(new org.bellwatch.agent.correlate.BlockAttempt(e, null));
    assertThat(raw.instructional()).isTrue();
    assertThat(raw.whileTeaching()).isTrue();
  }

  @Test
  void valuesOfVersionsTwoAndThreeStayReadableAsNotBlockedWhileTeaching() throws Exception {
    EventCodec codec = new EventCodec();
    BlockEvent e = event("10.10.1.23", "www.tiktok.com", "squid", "GET");
    List<org.bellwatch.agent.correlate.BlockEvidence> records =
        List.of(
            new org.bellwatch.agent.correlate.BlockEvidence(
                e.time(),
                java.net.InetAddress.getByName("10.10.1.23"),
                e.domain(),
                e.url(),
                "s1042",
                e.category(),
                e.source(),
                e.method(),
                "a line of its own"));
    // Versions 2 and 3 are version 4's layout with a flag byte of 0 or 1: written here as they
    // were.
    byte[] v2 = asVersion(codec.value(e), EventCodec.VALUE_V2);
    byte[] v3 =
        asVersion(
            codec.value(new org.bellwatch.agent.correlate.BlockAttempt(e, records)),
            EventCodec.VALUE_V3);
    RawEvent raw = new RawEvent();
    EventCodec.fields(v3, v3.length, raw);

    assertThat(codec.decode(v2)).isEqualTo(e);
    assertThat(codec.decodeAttempt(v2))
        .isEqualTo(new org.bellwatch.agent.correlate.BlockAttempt(e, null));
    assertThat(codec.decodeAttempt(v3))
        .isEqualTo(new org.bellwatch.agent.correlate.BlockAttempt(e, records));
    assertThat(raw.instructional()).isTrue();
    assertThat(raw.whileTeaching()).isFalse();
  }

  /**
   * A version 4 value rewritten as {@code version}: its version byte, and its flag byte cut to
   * instructional.
   */
  private static byte[] asVersion(byte[] v4, byte version) throws Exception {
    RawEvent raw = new RawEvent();
    EventCodec.fields(v4, v4.length, raw);
    byte[] old = v4.clone();
    old[0] = version;
    int flag = raw.offset(EventCodec.TEXT_FIELDS - 1) + raw.length(EventCodec.TEXT_FIELDS - 1);
    old[flag] = (byte) (old[flag] & EventCodec.FLAG_INSTRUCTIONAL);
    return old;
  }
}
