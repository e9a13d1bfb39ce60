package org.bellwatch.agent.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SyslogTextTest {
  @Test
  void textRepairRemovesNulsAndEscapesReplacesBadUtf8AndFlattensInjectedLines() {
    byte[] bytes = "a\u0000b \u001b[31mred\u001b[0m \u001b]0;title\u0007c\r\nforged line\tok\r\n"
        .getBytes(StandardCharsets.UTF_8);
    byte[] withBadByte = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, withBadByte, 0, 1);
    withBadByte[1] = (byte) 0xff;
    System.arraycopy(bytes, 1, withBadByte, 2, bytes.length - 1);

    assertThat(SyslogText.decode(withBadByte)).isEqualTo(new SyslogText.Clean(
        "a\uFFFDb red c  forged line\tok",
        SyslogText.INVALID_UTF8 | SyslogText.NUL | SyslogText.ANSI_ESCAPE | SyslogText.CONTROL));
    assertThat(SyslogText.decode("plain text\n".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new SyslogText.Clean("plain text", 0));
    assertThat(SyslogText.decode("trailing escape \u001b".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new SyslogText.Clean("trailing escape ", SyslogText.ANSI_ESCAPE));
  }

  @Test
  void printableAsciiIsKeptAsItIsWhileDeleteAndNonAsciiStillTakeTheRepairingPath() {
    byte[] frame = "xx<14>a\tb ~ok\r\nyy".getBytes(StandardCharsets.US_ASCII);

    assertThat(SyslogText.decode(frame, 2, frame.length - 4)).isEqualTo(new SyslogText.Clean("<14>a\tb ~ok", 0));
    assertThat(SyslogText.decode("del\u007fhere".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new SyslogText.Clean("del here", SyslogText.CONTROL));
    assertThat(SyslogText.decode("caf\u00e9 \u00fcber".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new SyslogText.Clean("caf\u00e9 \u00fcber", 0));
  }
}
