package org.bellwatch.agent.ingest.syslog;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.bellwatch.agent.parse.vendors.Vendor;

/**
 * Coverage-guided fuzzing of {@link FuzzTargets} with Jazzer: only in the {@code fuzz} profile.
 * Jazzer fuzzes one test per run, so {@code scripts/fuzz} runs each method in turn with {@code
 * JAZZER_FUZZ=1}; without it these replay their inputs once, like a unit test. The corpus grows in
 * {@code agent/.cifuzz-corpus}; a crash is written as {@code crash-<sha1>} beside the inputs, in
 * {@code JazzerFuzzTestInputs/<method>/} under {@code src/test/resources}: turn it into a file
 * under {@code src/test/resources/fuzz/<target>/} (for vendor_lines: the vendor id, a newline, the
 * line), which {@link FuzzRegressionTest} then replays in every default run, and fix the bug.
 */
class JazzerFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void dns(byte[] message) {
    FuzzTargets.dns(message);
  }

  @FuzzTest(maxDuration = "30s")
  void dhcp(byte[] message) {
    FuzzTargets.dhcp(message);
  }

  @FuzzTest(maxDuration = "30s")
  void syslogFraming(byte[] stream) {
    FuzzTargets.syslogFraming(stream);
  }

  /**
   * Every vendor parser: the first value picks the vendor, the rest is the line. A finding names
   * both in the form {@link FuzzRegressionTest} keeps ({@code vendor_lines/<name>}: the vendor id,
   * a newline, the line), escaped so that the log shows it whole.
   */
  @FuzzTest(maxDuration = "60s")
  void vendorLines(FuzzedDataProvider data) {
    Vendor[] vendors = Vendor.values();
    Vendor v = vendors[data.consumeInt(0, vendors.length - 1)];
    String line = data.consumeRemainingAsString();
    try {
      FuzzTargets.vendorLine(v, line);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "vendor_lines input to keep (Java escapes): " + v.id() + "\\n" + escaped(line), e);
    }
  }

  /** {@code s} with backslashes, control characters and non-ASCII written as Java escapes. */
  private static String escaped(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '\\') {
        b.append("\\\\");
      } else if (c < 0x20 || c > 0x7e) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
