package org.bellwatch.agent.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The sample files' format (see {@link Samples}): every sample named once, addressed by name. */
class SamplesTest {
  static List<Path> sampleFiles() throws IOException, URISyntaxException {
    Path root = Path.of(Samples.class.getResource("/samples").toURI());
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(f -> f.toString().endsWith(".log") || f.toString().endsWith(".csv"))
          .sorted()
          .toList();
    }
  }

  @Test
  void everySampleInTheFilesWeWriteHasOneNameOfItsOwn() throws Exception {
    int files = 0;
    for (Path f : sampleFiles()) {
      String folder = f.getParent().getFileName().toString();
      if (!Samples.PROGRAM_MADE.contains(folder)) {
        // named() fails, naming the file and line, on an unnamed sample, a name used twice or a bad
        // name.
        assertThat(Samples.named(folder, f.getFileName().toString())).as("%s", f).isNotEmpty();
        files++;
      }
    }
    assertThat(files).isGreaterThan(20);
  }

  @Test
  void logsMadeByAProgramStayAsItWroteThem() throws Exception {
    for (Path f : sampleFiles()) {
      if (Samples.PROGRAM_MADE.contains(f.getParent().getFileName().toString())) {
        assertThat(Files.readAllLines(f))
            .as("%s", f)
            .noneMatch(l -> l.startsWith(Samples.NAME_LINE));
      }
    }
  }

  @Test
  void aSampleIsFoundByItsNameWhereverItStandsInTheFile() {
    List<String> text =
        List.of(
            "# squid",
            "",
            "# name: first",
            "line one",
            "",
            "# name: blank",
            "",
            "# name: hash",
            "# a sample may start with a hash");

    assertThat(Samples.named("test", text))
        .containsExactly(
            java.util.Map.entry("first", "line one"),
            java.util.Map.entry("blank", ""),
            java.util.Map.entry("hash", "# a sample may start with a hash"));
    assertThat(Samples.line("squid", "auth-challenge"))
        .isEqualTo(
            "1789489801.000 0 10.10.1.23 TCP_DENIED/407 4100 GET http://games.example.com/ - HIER_NONE/- text/html");
  }

  @Test
  void twoSamplesWithOneNameAreRefusedNamingTheLine() {
    assertThatThrownBy(() -> Samples.named("t.log", List.of("# name: a", "x", "# name: a", "y")))
        .hasMessage("t.log line 3: two samples are named a");
  }

  @Test
  void aSampleWithoutANameIsRefusedNamingTheLine() {
    assertThatThrownBy(() -> Samples.named("t.log", List.of("# name: a", "x", "y")))
        .hasMessage(
            "t.log line 3: a sample without a name (put a \"# name: NAME\" line before it)");
  }

  @Test
  void aNameThatNamesNothingOrIsNotHyphenatedWordsIsRefused() {
    assertThatThrownBy(() -> Samples.named("t.log", List.of("# name: a")))
        .hasMessage("t.log line 1: the name a names no sample");
    assertThatThrownBy(() -> Samples.named("t.log", List.of("# name: Line 3", "x")))
        .hasMessage("t.log line 1: the name Line 3 is not lower-case words joined by -");
  }

  @Test
  void aMissingNameOrAnAmbiguousFragmentFailsTheTestThatAsksForIt() {
    assertThatThrownBy(() -> Samples.line("squid", "no-such-sample"))
        .hasMessage("no sample named no-such-sample in samples/squid/squid.log");
    assertThatThrownBy(
            () -> Samples.only("unbound", "unbound.log", "printer.school.lan. A IN NOERROR"))
        .hasMessageStartingWith(
            "2 lines of samples/unbound/unbound.log contain printer.school.lan. A IN NOERROR,");
  }
}
