package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.bellwatch.agent.sim.SimulationSummary;
import org.bellwatch.agent.sim.SiteSimulator;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The accuracy suite of issue 5: a simulated school day replayed through the real pipeline (the
 * same FileReplay and {@link Pipelines#create} as {@code bellwatch replay}), its block events
 * compared with the simulator's truth, which the simulator computes from its own model (lease
 * history, rooms, rosters, bells), never by running the pipeline.
 *
 * <p>Days: the Monday after the autumn DST change (2026-11-02), an early-release day (2026-11-25
 * runs the {@code minimum} bells), and the Monday after the spring change (2026-03-09, spring
 * term). Each has address reuse across rooms, DHCP server log lines that are the only lease
 * evidence for half the school and reach the log file up to 20 s after the blocks they explain, and
 * students signed in on other rooms' Chromebooks.
 *
 * <p>The default run simulates the DST Monday at the issue's full school ({@link
 * SiteSimulator.Scale#SCHOOL}: 2,000 devices, 60 rooms, 7 periods plus lunch) and the other two
 * days at {@link SiteSimulator.Scale#SMALL_SCHOOL} (212 devices, 12 rooms), about 12 s in all.
 * Every day at full scale: {@code scripts/accuracy}, or {@code mvn -o verify
 * -Dtest=SchoolAccuracyTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dbellwatch.accuracy.full=true}. Figures are printed to the test's output ({@code
 * agent/target/surefire-reports/*SchoolAccuracyTest-output.txt}).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SchoolAccuracyTest {
  static final ObjectMapper mapper = new ObjectMapper();

  static Stream<LocalDate> days() {
    return Stream.of(
        LocalDate.of(2026, 11, 2), LocalDate.of(2026, 11, 25), LocalDate.of(2026, 3, 9));
  }

  /**
   * The issue's full school for the DST Monday; the other days at a tenth unless asked for in full.
   */
  static SiteSimulator.Scale scale(LocalDate day) {
    return Boolean.getBoolean("bellwatch.accuracy.full") || day.equals(LocalDate.of(2026, 11, 2))
        ? SiteSimulator.Scale.SCHOOL
        : SiteSimulator.Scale.SMALL_SCHOOL;
  }

  /** Counts for one boolean property: positives as the pipeline says vs as the truth says. */
  record Score(long truePositive, long falsePositive, long falseNegative) {
    double precision() {
      return truePositive + falsePositive == 0
          ? 1.0
          : (double) truePositive / (truePositive + falsePositive);
    }

    double recall() {
      return truePositive + falseNegative == 0
          ? 1.0
          : (double) truePositive / (truePositive + falseNegative);
    }

    String text() {
      return String.format(
          Locale.ROOT,
          "precision %.2f%% recall %.2f%% (tp %d, fp %d, fn %d)",
          100 * precision(),
          100 * recall(),
          truePositive,
          falsePositive,
          falseNegative);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("days")
  void a_simulated_school_day_is_attributed_exactly_as_the_simulator_says(
      LocalDate day, @TempDir Path dir) throws Exception {
    SiteSimulator.Scale scale = scale(day);
    long started = System.nanoTime();
    SimulationSummary summary = SiteSimulator.simulate(5, day, scale, dir);
    long simulated = System.nanoTime();
    List<JsonNode> truth = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("truth.jsonl"))) {
      truth.add(mapper.readTree(line));
    }
    List<JsonNode> got = new ArrayList<>();
    Map<String, List<String>> evidence = new HashMap<>();
    for (String line : SampleSiteReplayTest.replay(dir.resolve("bellwatch.yaml"))) {
      ObjectNode o = (ObjectNode) mapper.readTree(line);
      List<String> ev = new ArrayList<>();
      o.get("evidence").forEach(n -> ev.add(n.asText()));
      o.remove("evidence");
      evidence.put(key(o), ev);
      got.add(o);
    }
    long replayed = System.nanoTime();

    Score instructional =
        score(truth, got, e -> e.get("instructional").asBoolean() ? "true" : null);
    Score section =
        score(truth, got, e -> e.get("section").isNull() ? null : e.get("section").asText());
    Score teaching =
        score(
            truth,
            got,
            e -> e.get("while_teaching").asBoolean() ? e.get("teacher").asText() : null);
    System.out.printf(
        Locale.ROOT,
        "accuracy %s (%d devices, %d rooms): %d truth events, %d attributed;"
            + " instructional %s; section %s; blocked while teaching %s; simulate %d ms, replay %d ms%n",
        day,
        summary.devices(),
        scale.rooms(),
        truth.size(),
        got.size(),
        instructional.text(),
        section.text(),
        teaching.text(),
        (simulated - started) / 1_000_000,
        (replayed - simulated) / 1_000_000);

    assertThat(summary.scenarios())
        .containsKeys(
            "late-log-reuse",
            "late-log-released",
            "late-log-arrival",
            "user-on-other-rooms-device");
    assertThat(truth).hasSizeGreaterThan(scale.randomBlocks() / 2);
    assertThat(truth)
        .anyMatch(e -> e.get("instructional").asBoolean())
        .anyMatch(e -> !e.get("instructional").asBoolean() && !e.get("period").isNull());
    // Dual-stack Chromebooks ask over IPv6 from EUI-64 and temporary SLAAC addresses: their blocks
    // find a section too.
    assertThat(truth)
        .anyMatch(e -> e.get("client_ip").asText().contains("ff:fe") && !e.get("room").isNull())
        .anyMatch(e -> e.get("client_ip").asText().contains(":") && !e.get("section").isNull());
    assertThat(instructional.precision()).isEqualTo(1.0);
    assertThat(instructional.recall()).isEqualTo(1.0);
    assertThat(section.precision()).isEqualTo(1.0);
    assertThat(section.recall()).isEqualTo(1.0);
    assertThat(truth).anyMatch(e -> e.get("while_teaching").asBoolean());
    assertThat(teaching.precision()).isEqualTo(1.0);
    assertThat(teaching.recall()).isEqualTo(1.0);
    // JSON objects compare by content, whatever the key order of the truth file.
    assertThat(got).containsExactlyElementsOf(truth);

    List<String> conflicts = Files.readAllLines(dir.resolve("conflicts.txt"));
    assertThat(conflicts).isNotEmpty();
    for (String c : conflicts) {
      assertThat(evidence.get(c)).as(c).anyMatch(line -> line.startsWith("conflict: room "));
    }
  }

  private static String key(JsonNode e) {
    return e.get("time").asText()
        + " "
        + e.get("client_ip").asText()
        + " "
        + e.get("domain").asText();
  }

  private static Score score(
      List<JsonNode> truth,
      List<JsonNode> got,
      java.util.function.Function<JsonNode, String> positive) {
    Map<String, String> expected = new HashMap<>();
    truth.forEach(e -> expected.put(key(e), positive.apply(e)));
    Map<String, String> actual = new HashMap<>();
    got.forEach(e -> actual.put(key(e), positive.apply(e)));
    long tp = 0;
    long fp = 0;
    long fn = 0;
    for (Map.Entry<String, String> a : actual.entrySet()) {
      if (a.getValue() != null) {
        if (a.getValue().equals(expected.get(a.getKey()))) {
          tp++;
        } else {
          fp++;
        }
      }
    }
    for (Map.Entry<String, String> t : expected.entrySet()) {
      if (t.getValue() != null && !t.getValue().equals(actual.get(t.getKey()))) {
        fn++;
      }
    }
    return new Score(tp, fp, fn);
  }
}
