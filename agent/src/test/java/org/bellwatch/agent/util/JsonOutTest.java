package org.bellwatch.agent.util;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonOutTest {
  /**
   * Characters that take every path: plain, escaped, short escapes, DEL, 2- and 3-byte UTF-8,
   * surrogates.
   */
  private static final String POOL =
      "aZ09 ~\"\\/\b\t\n\f\r\u0000\u0001\u001f\u007f\u00e9\u00ff\u0100\u07ff"
          + "\u0800\u4e2d\ufeff\uffff\ud83d\ude00\ud800\udc00";

  private interface Writing {
    void write(JsonOut out) throws Exception;
  }

  private interface Generating {
    void write(JsonGenerator g) throws Exception;
  }

  private static byte[] ours(int bufferBytes, Writing w) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    JsonOut out = new JsonOut(bytes, bufferBytes);
    w.write(out);
    out.flush();
    return bytes.toByteArray();
  }

  private static byte[] jackson(Generating w) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator g = new JsonFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
      w.write(g);
    }
    return bytes.toByteArray();
  }

  private interface Element<T> {
    void write(T target, int index) throws Exception;
  }

  /** A JSON array of {@code n} elements written by Jackson. */
  private static byte[] jacksonArray(int n, Element<JsonGenerator> element) throws Exception {
    return jackson(
        g -> {
          g.writeStartArray();
          for (int i = 0; i < n; i++) {
            element.write(g, i);
          }
          g.writeEndArray();
        });
  }

  /** The same array written by {@link JsonOut}, commas and all. */
  private static byte[] oursArray(int bufferBytes, int n, Element<JsonOut> element)
      throws Exception {
    return ours(
        bufferBytes,
        out -> {
          out.raw('[');
          for (int i = 0; i < n; i++) {
            if (i > 0) {
              out.raw(',');
            }
            element.write(out, i);
          }
          out.raw(']');
        });
  }

  private static String randomString(Random r) {
    StringBuilder sb = new StringBuilder();
    int len = r.nextInt(600);
    while (sb.length() < len) {
      sb.append(POOL.charAt(r.nextInt(POOL.length())));
    }
    return sb.toString();
  }

  @Test
  void randomStringsAreWrittenByteForByteAsJacksonWritesThemWhateverTheBufferSize()
      throws Exception {
    Random r = new Random(42);
    for (int i = 0; i < 2_000; i++) {
      String[] values = new String[1 + r.nextInt(5)];
      Arrays.setAll(values, k -> r.nextInt(8) == 0 ? null : randomString(r));
      byte[] expected = jacksonArray(values.length, (g, k) -> g.writeString(values[k]));
      byte[] actual =
          oursArray(256 + r.nextInt(512), values.length, (out, k) -> out.string(values[k]));

      assertThat(new String(actual, StandardCharsets.UTF_8))
          .isEqualTo(new String(expected, StandardCharsets.UTF_8));
      assertThat(actual).isEqualTo(expected);
    }
  }

  @Test
  void integersAreWrittenAsJacksonWritesThemIncludingTheExtremes() throws Exception {
    Random r = new Random(7);
    long[] values = new long[1_000];
    Arrays.setAll(
        values,
        i ->
            i < 8
                ? new long[] {0, 1, -1, 9, 10, -10, Long.MAX_VALUE, Long.MIN_VALUE}[i]
                : r.nextLong() >> r.nextInt(64));

    byte[] expected = jacksonArray(values.length, (g, i) -> g.writeNumber(values[i]));
    byte[] actual = oursArray(256, values.length, (out, i) -> out.number(values[i]));

    assertThat(new String(actual, StandardCharsets.US_ASCII))
        .isEqualTo(new String(expected, StandardCharsets.US_ASCII));
  }

  @Test
  void surrogatesPairedOrNotAreWrittenAsEscapesAsJacksonDoes() throws Exception {
    byte[] actual = ours(256, out -> out.string("a\ud83d\ude00b\ud800"));

    assertThat(new String(actual, StandardCharsets.US_ASCII))
        .isEqualTo("\"a\\uD83D\\uDE00b\\uD800\"");
  }

  @Test
  void fragmentsLongerThanTheBufferAreWrittenWholeAndInOrder() throws Exception {
    byte[] big = JsonOut.ascii("x".repeat(1_000));
    byte[] actual =
        ours(256, out -> out.raw('{').raw(big).number(12).raw(big).bool(true).nul().raw('}'));

    assertThat(new String(actual, StandardCharsets.US_ASCII))
        .isEqualTo("{" + "x".repeat(1_000) + "12" + "x".repeat(1_000) + "truenull}");
  }

  @Test
  void zeroPaddedNumbersHaveExactlyTheirWidth() throws Exception {
    byte[] actual =
        ours(
            256,
            out ->
                out.zeroPadded(0, 6).raw(' ').zeroPadded(100, 6).raw(' ').zeroPadded(999_999, 6));

    assertThat(new String(actual, StandardCharsets.US_ASCII)).isEqualTo("000000 000100 999999");
  }
}
