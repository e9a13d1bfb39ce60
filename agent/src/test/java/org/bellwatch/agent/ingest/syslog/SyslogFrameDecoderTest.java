package org.bellwatch.agent.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SyslogFrameDecoderTest {
  private final AtomicInteger oversize = new AtomicInteger();
  private final EmbeddedChannel ch =
      new EmbeddedChannel(new SyslogFrameDecoder(32, oversize::incrementAndGet));

  private void write(String... chunks) {
    for (String c : chunks) {
      ch.writeInbound(Unpooled.copiedBuffer(c, StandardCharsets.ISO_8859_1));
    }
  }

  private List<String> frames() {
    List<String> out = new ArrayList<>();
    byte[] b;
    while ((b = ch.readInbound()) != null) {
      out.add(new String(b, StandardCharsets.ISO_8859_1));
    }
    return out;
  }

  private static String octets(String message) {
    return message.length() + " " + message;
  }

  @Test
  void octetCountedFramesMayContainNewlinesAndArriveSplitAcrossReads() {
    String all = octets("<1>one\ntwo!!") + octets("<2>three") + octets("<3>four");
    // Cut after every byte boundary that matters: inside the count, after the space, inside the
    // message.
    write(
        all.substring(0, 1),
        all.substring(1, 3),
        all.substring(3, 12),
        all.substring(12, 20),
        all.substring(20));

    assertThat(frames()).containsExactly("<1>one\ntwo!!", "<2>three", "<3>four");
    assertThat(oversize).hasValue(0);
  }

  @Test
  void linesEndAtLfOrNulAndLoseTheirCr() {
    write("<1>a\r\n<2>b\u0000<3>c\n\n\r\n<4>d");

    assertThat(frames()).containsExactly("<1>a", "<2>b", "<3>c");
    ch.finish();
    assertThat(frames()).containsExactly("<4>d");
  }

  @Test
  void framingIsDecidedPerFrameSoMixedStreamsWork() {
    write(
        octets("<1>a"), "<2>b\n", octets("<3>c\nd\n"), "1789485000.250 5 x\n", "1789485000 5 y\n");

    assertThat(frames())
        .containsExactly("<1>a", "<2>b", "<3>c\nd\n", "1789485000.250 5 x", "1789485000 5 y");
  }

  @Test
  void aLengthThatArrivesDigitByDigitWaitsForTheRest() {
    write("1", "1", " ", "<1>abcdefgh");

    assertThat(frames()).containsExactly("<1>abcdefgh");
  }

  @Test
  void anOversizeOctetCountedFrameIsSkippedByItsLengthWithoutBuffering() {
    write("40 <1>" + "x".repeat(10), "x".repeat(26), "y".repeat(1) + octets("<2>ok"));

    assertThat(frames()).containsExactly("<2>ok");
    assertThat(oversize).hasValue(1);
  }

  @Test
  void anOversizeLineIsSkippedToItsDelimiterAndCountedOnce() {
    write("<1>" + "x".repeat(40), "x".repeat(100), "xx\n<2>fits\n", "<3>" + "z".repeat(30) + "\n");

    assertThat(frames()).containsExactly("<2>fits");
    assertThat(oversize).hasValue(2);
  }

  @Test
  void aLineOfExactlyTheMaximumIsKept() {
    String max = "<1>" + "m".repeat(29);
    write(max + "\r\n", max + "\n");

    assertThat(frames()).containsExactly(max, max);
    assertThat(oversize).hasValue(0);
  }
}
