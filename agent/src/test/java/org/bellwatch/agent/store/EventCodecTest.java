package org.bellwatch.agent.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.bellwatch.agent.correlate.BlockEvent;
import org.junit.jupiter.api.Test;

class EventCodecTest {
  private static BlockEvent event(String clientIp, String domain, String source, String method) {
    return new BlockEvent(Instant.parse("2026-09-14T14:03:07.123456Z"), clientIp, "3c:22:fb:01:02:03", "lab-7",
        "s1042", domain, "https://" + domain + "/", "social", source, method, "B204", "sec-9", "Biology",
        "t-17", "3", true, List.of("squid 1757858587.123 10.10.1.23 TCP_DENIED/403", "dhcp ack 10.10.1.23"));
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
    assertThat(EventCodec.suffix(event("10.10.1.23", "www.Tiktok.com", "squid", null))).isEqualTo(4193868424804343315L);
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
}
