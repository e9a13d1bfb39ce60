package org.bellwatch.agent;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.util.Set;

/**
 * The arrows of DESIGN.md ("Data flow", "Modules and packages") as rules over the agent's main
 * classes, in the default test run (ArchUnit): breaking one fails the build. A new rule the code
 * does not meet yet may be frozen at its violations ({@code FreezingArchRule}, recorded in {@code
 * src/test/archunit_store/}) until they are gone; no rule is frozen today (docs/testing.md,
 * "Architecture rules").
 */
@AnalyzeClasses(
    packages = "org.bellwatch.agent",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String AGENT = "org.bellwatch.agent.";

  // Rules that hold.

  /**
   * Output goes through the logger; only the command line prints (its results and its one-line
   * errors).
   */
  @ArchTest
  static final ArchRule onlyTheCommandLinePrints =
      noClasses()
          .that()
          .resideOutsideOfPackage(AGENT + "cli..")
          .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
          .because("the agent logs through SLF4J; only the CLI writes to stdout and stderr");

  @ArchTest
  static final ArchRule noJavaUtilLogging =
      GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

  /**
   * Metric names only in BellwatchMeters: no class outside {@code metrics} makes a meter (a meter
   * builder, or a registry's counter, gauge, timer or summary), so every name and tag is defined in
   * one place.
   */
  @ArchTest
  static final ArchRule metersAreMadeOnlyInMetrics =
      noClasses()
          .that()
          .resideOutsideOfPackage(AGENT + "metrics..")
          .should()
          .callMethodWhere(describe("a Micrometer meter is made", ArchitectureTest::makesAMeter))
          .because("metric names and tags live in BellwatchMeters (DESIGN.md, habit 5)");

  /**
   * Time is injected: reading the system clock is for the command line that wires the agent
   * together.
   */
  @ArchTest
  static final ArchRule timeIsInjected =
      noClasses()
          .that()
          .resideOutsideOfPackages(AGENT + "cli..", AGENT + "metrics..")
          .should()
          .callMethodWhere(
              describe("the system clock is read", ArchitectureTest::readsTheSystemClock))
          .because("time is injected as a java.time.Clock (DESIGN.md, habit 6)");

  @ArchTest
  static final ArchRule decodersKnowNoLaterStage =
      noClasses()
          .that()
          .resideInAPackage(AGENT + "decode..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              AGENT + "web..",
              AGENT + "store..",
              AGENT + "pipeline..",
              AGENT + "correlate..",
              AGENT + "report..",
              AGENT + "cli..")
          .because("a decoder is a pure function from bytes to a record or a named failure");

  @ArchTest
  static final ArchRule parsersKnowNoLaterStage =
      noClasses()
          .that()
          .resideInAPackage(AGENT + "parse..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              AGENT + "web..",
              AGENT + "store..",
              AGENT + "pipeline..",
              AGENT + "correlate..",
              AGENT + "report..",
              AGENT + "cli..")
          .because("a parser is a pure function from a line to a record or a named failure");

  @ArchTest
  static final ArchRule theWebLayerDoesNotWireStages =
      noClasses()
          .that()
          .resideInAPackage(AGENT + "web..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(AGENT + "pipeline..", AGENT + "cli..")
          .because("only the composition root (pipeline, cli) wires stages together");

  @ArchTest
  static final ArchRule theStoreNeverKnowsTheWeb =
      noClasses()
          .that()
          .resideInAPackage(AGENT + "store..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(AGENT + "web..", AGENT + "pipeline..", AGENT + "cli..");

  /**
   * The stage contracts live in {@code event} (JDK only): a decoder turns bytes into its own
   * records or an {@code event.MalformedException}; a parser turns a line into an {@code event}
   * record. Neither knows capture, config, metrics or any later stage, so each is a pure function
   * testable alone.
   */
  @ArchTest
  static final ArchRule decodersDependOnlyOnEventAndTheJdk =
      classes()
          .that()
          .resideInAPackage(AGENT + "decode..")
          .should()
          .onlyDependOnClassesThat(
              resideInAnyPackage(AGENT + "decode..", AGENT + "event..", "java.."));

  @ArchTest
  static final ArchRule parsersDependOnlyOnEventAndTheJdk =
      classes()
          .that()
          .resideInAPackage(AGENT + "parse..")
          .should()
          .onlyDependOnClassesThat(
              resideInAnyPackage(AGENT + "parse..", AGENT + "event..", "java.."));

  /**
   * One CSV reader: Apache Commons CSV reads the site's files in {@code csv} and prints the
   * console's exports in {@code web}, in one dialect ({@code csv.Rfc4180}). The log parsers keep
   * {@code parse.Csv}, a splitter of one line, and stay JDK-only: per log line, Commons CSV takes 2
   * to 6 times the CPU and 5 to 23 times the allocation (a reader and its buffer per line;
   * docs/benchmarks.md, "CSV").
   */
  @ArchTest
  static final ArchRule commonsCsvOnlyInTheCsvReaderAndTheExports =
      noClasses()
          .that()
          .resideOutsideOfPackages(AGENT + "csv..", AGENT + "web..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.apache.commons.csv..")
          .because(
              "site files have one reader (csv.CsvTable); log lines have the parsers' own splitter");

  @ArchTest
  static final ArchRule theStageContractsDependOnlyOnTheJdk =
      classes()
          .that()
          .resideInAPackage(AGENT + "event..")
          .should()
          .onlyDependOnClassesThat(resideInAnyPackage(AGENT + "event..", "java.."))
          .because("every stage depends on event, so event depends on nothing of ours");

  /**
   * No cycle between any two packages, subpackages included (what {@code jdeps -verbose:package}
   * shows): a vendor's package depends on {@code parse}, never the reverse; the registry of vendors
   * lives apart in {@code parse.vendors}, and the whole frame decoder in {@code decode.frame}.
   */
  @ArchTest
  static final ArchRule noCyclesBetweenAnyPackages =
      slices().matching("org.bellwatch.(**)").should().beFreeOfCycles();

  /**
   * The web layer depends on narrow interfaces ({@code report.BlockQueries}, {@code
   * access.Accounts}, {@code review.Reviews}, ...) that the store implements and the composition
   * root wires in, so its routes run over in-memory implementations in tests, without RocksDB.
   */
  @ArchTest
  static final ArchRule theWebLayerSeesNoStoreTypes =
      noClasses()
          .that()
          .resideInAPackage(AGENT + "web..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage(AGENT + "store..")
          .because("web knows report, metrics and narrow interfaces, never the concrete store");

  private static final Set<String> REGISTRY_METERS =
      Set.of("counter", "gauge", "timer", "summary", "gaugeCollectionSize", "gaugeMapSize", "more");

  static boolean makesAMeter(JavaCall<?> call) {
    JavaClass owner = call.getTargetOwner();
    if (!owner.getPackageName().startsWith("io.micrometer")) {
      return false;
    }
    // By name: classes outside the agent are not imported (archunit.properties), so their hierarchy
    // is unknown.
    return call.getName().equals("builder")
        || owner.getSimpleName().endsWith("MeterRegistry")
            && REGISTRY_METERS.contains(call.getName());
  }

  /**
   * {@code now()} and {@code now(ZoneId)} of java.time read the system clock; {@code now(Clock)}
   * does not.
   */
  static boolean readsTheSystemClock(JavaCall<?> call) {
    String owner = call.getTargetOwner().getName();
    String name = call.getName();
    return owner.equals("java.lang.System") && name.equals("currentTimeMillis")
        || owner.equals("java.time.Clock")
            && (name.equals("systemUTC") || name.equals("systemDefaultZone"))
        || owner.startsWith("java.time.")
            && name.equals("now")
            && call.getTarget().getRawParameterTypes().stream()
                .noneMatch(t -> t.getName().equals("java.time.Clock"));
  }
}
