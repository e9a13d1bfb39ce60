package org.bellwatch.agent.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every input kept under {@code src/test/resources/fuzz/<target>/} (past crashes and hard shapes)
 * runs through its fuzz target in the default test run, without Jazzer: each must end normally or
 * as a named failure.
 */
class FuzzRegressionTest {
  static final Path ROOT = Path.of("src", "test", "resources", "fuzz");
  static final Map<String, Consumer<byte[]>> TARGETS =
      Map.of(
          "dns",
          FuzzTargets::dns,
          "dhcp",
          FuzzTargets::dhcp,
          "syslog_framing",
          FuzzTargets::syslogFraming,
          "vendor_lines",
          FuzzTargets::vendorLine);

  @TestFactory
  Stream<DynamicTest> everyKeptInputEndsNormallyOrAsANamedFailure() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (var target : TARGETS.entrySet()) {
      try (Stream<Path> files = Files.list(ROOT.resolve(target.getKey()))) {
        for (Path f : files.sorted().toList()) {
          tests.add(
              DynamicTest.dynamicTest(
                  target.getKey() + "/" + f.getFileName(),
                  () -> target.getValue().accept(Files.readAllBytes(f))));
        }
      }
    }
    return tests.stream();
  }

  @Test
  void everyTargetHasAFolderOfKeptInputsAndNoOtherFolderExists() throws Exception {
    try (Stream<Path> dirs = Files.list(ROOT)) {
      assertThat(dirs.map(d -> d.getFileName().toString()).toList())
          .containsExactlyInAnyOrderElementsOf(TARGETS.keySet());
    }
  }
}
