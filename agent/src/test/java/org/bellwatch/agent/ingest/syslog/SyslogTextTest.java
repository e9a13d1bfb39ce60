package org.bellwatch.agent.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SyslogTextTest {
  @Test
  void textRepairRemovesNulsAndEscapesReplacesBadUtf8AndFlattensInjectedLines() {
    byte[] bytes =
        "a\u0000b \u001b[31mred\u001b[0m \u001b]0;title\u0007c\r\nforged line\tok\r\n"
            .getBytes(StandardCharsets.UTF_8);
    byte[] withBadByte = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, withBadByte, 0, 1);
    withBadByte[1] = (byte) 0xff;
    System.arraycopy(bytes, 1, withBadByte, 2, bytes.length - 1);

    assertThat(SyslogText.decode(withBadByte))
        .isEqualTo(
            new SyslogText.Clean(
                "a\uFFFDb red c  forged line\tok",
                SyslogText.INVALID_UTF8
                    | SyslogText.NUL
                    | SyslogText.ANSI_ESCAPE
                    | SyslogText.CONTROL));
    assertThat(SyslogText.decode("plain text\n".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new SyslogText.Clean("plain text", 0));
    assertThat(SyslogText.decode("trailing escape \u001b".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new SyslogText.Clean("trailing escape ", SyslogText.ANSI_ESCAPE));
  }

  @Test
  void printableAsciiIsKeptAsItIsWhileDeleteAndNonAsciiStillTakeTheRepairingPath() {
    byte[] frame = "xx<14>a\tb ~ok\r\nyy".getBytes(StandardCharsets.US_ASCII);

    assertThat(SyslogText.decode(frame, 2, frame.length - 4))
        .isEqualTo(new SyslogText.Clean("<14>a\tb ~ok", 0));
    assertThat(SyslogText.decode("del\u007fhere".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new SyslogText.Clean("del here", SyslogText.CONTROL));
    assertThat(SyslogText.decode("caf\u00e9 \u00fcber".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new SyslogText.Clean("caf\u00e9 \u00fcber", 0));
  }

  @Test
  void theEightBytesAtATimeTestAgreesWithAByteByByteOneAtEveryOffsetAndLength() {
    byte[] special = {
      0x00, 0x09, 0x0a, 0x1f, 0x20, 0x7e, 0x7f, (byte) 0x80, (byte) 0xc3, (byte) 0xff
    };
    Random r = new Random(7);
    for (int n = 0; n < 100_000; n++) {
      byte[] b = new byte[r.nextInt(40)];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) (0x20 + r.nextInt(0x5f));
      }
      for (int m = r.nextInt(3); m > 0 && b.length > 0; m--) {
        b[r.nextInt(b.length)] = special[r.nextInt(special.length)];
      }
      int from = b.length == 0 ? 0 : r.nextInt(b.length);
      int to = from + r.nextInt(b.length - from + 1);
      boolean expected = true;
      for (int i = from; i < to; i++) {
        expected &= b[i] >= 0x20 && b[i] != 0x7f || b[i] == '\t';
      }
      assertThat(SyslogText.printableAscii(b, from, to)).isEqualTo(expected);
    }
  }
}
