package org.bellwatch.agent.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AddressTextsTest {
  @Test
  void everyAddressReadsAsItsOwnTextWhateverShareItsSlotAndIpv6IsFormattedToo() throws Exception {
    AddressTexts texts = new AddressTexts();
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < 50_000; i++) {
      // Few distinct addresses in the 10.0.0.0/20 range (repeats hit the cache) and many colliding
      // slots.
      int a = 0x0a000000 | rnd.nextInt(1 << 20);
      InetAddress ip =
          InetAddress.getByAddress(
              new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
      assertThat(texts.of(ip)).isEqualTo(ip.getHostAddress());
    }
    assertThat(texts.of(InetAddress.getByName("0.0.0.0"))).isEqualTo("0.0.0.0");
    // IPv6 in its RFC 5952 section 4 form (zeros compressed), as blocks and evidence write it.
    assertThat(texts.of(InetAddress.getByName("2001:db8::5"))).isEqualTo("2001:db8::5");
  }
}
