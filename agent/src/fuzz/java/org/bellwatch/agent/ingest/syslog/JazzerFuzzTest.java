package org.bellwatch.agent.ingest.syslog;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.bellwatch.agent.parse.Vendor;

/**
 * Coverage-guided fuzzing of {@link FuzzTargets} with Jazzer: only in the {@code fuzz} profile. Jazzer fuzzes
 * one test per run, so {@code scripts/fuzz} runs each method in turn with {@code JAZZER_FUZZ=1}; without it
 * these replay their inputs once, like a unit test. A crash is written as {@code crash-<sha1>} under
 * {@code agent/.cifuzz-corpus} / the working folder: turn it into a file under
 * {@code src/test/resources/fuzz/<target>/} (for vendor_lines: the vendor id, a newline, the line), which
 * {@link FuzzRegressionTest} then replays in every default run, and fix the bug.
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

  /** Every vendor parser: the first value picks the vendor, the rest is the line. */
  @FuzzTest(maxDuration = "60s")
  void vendorLines(FuzzedDataProvider data) {
    Vendor[] vendors = Vendor.values();
    Vendor v = vendors[data.consumeInt(0, vendors.length - 1)];
    FuzzTargets.vendorLine(v, data.consumeRemainingAsString());
  }
}
