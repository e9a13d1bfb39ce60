package org.bellwatch.agent.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bellwatch.agent.sim.SimulationSummary;
import org.bellwatch.agent.sim.SiteSimulator;
import org.bellwatch.agent.sim.TermSimulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description =
        "Write a simulated school day (pcap, Squid log, OneRoster roster, bells, truth) from a seed, or a"
            + " four-week term of a 600-device school (--scale term).")
final class SimulateCommand implements Callable<Integer> {
  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--date",
      description =
          "School day to simulate, YYYY-MM-DD (default: the simulator's); with"
              + " --scale term, the term's last day (default: the last school day whose classes are over).")
  LocalDate date;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder.")
  Path out;

  @Option(
      names = "--scale",
      defaultValue = "sample",
      paramLabel = "SCALE",
      description =
          "sample (the bundled sample site; default), small-school, school (2,000 devices) or term (four"
              + " weeks, 600 devices).")
  String scale;

  @Option(
      names = "--timezone",
      paramLabel = "ZONE",
      description =
          "The school's IANA time zone (default"
              + " America/Los_Angeles): its bells ring at the same local times there. Not with --scale term.")
  String timezone;

  /** The simulator's scales by their command-line names. */
  static final Map<String, SiteSimulator.Scale> SCALES =
      Map.of(
          "sample",
          SiteSimulator.Scale.SAMPLE,
          "small-school",
          SiteSimulator.Scale.SMALL_SCHOOL,
          "school",
          SiteSimulator.Scale.SCHOOL);

  @Override
  public Integer call() {
    if (scale.equals("term")) {
      if (timezone != null) {
        return Errors.fail(
            BellwatchCli.EXIT_CONFIG,
            "--timezone: a term is simulated in "
                + SiteSimulator.ZONE.getId()
                + " only; leave --timezone out with --scale term");
      }
      return term();
    }
    ZoneId zone = SiteSimulator.ZONE;
    if (timezone != null) {
      try {
        zone = ZoneId.of(timezone);
      } catch (DateTimeException e) {
        return Errors.fail(
            BellwatchCli.EXIT_CONFIG,
            "--timezone: '"
                + timezone
                + "' is not an IANA time zone"
                + " (such as America/Denver)");
      }
    }
    SiteSimulator.Scale chosen = SCALES.get(scale);
    if (chosen == null) {
      return Errors.fail(
          BellwatchCli.EXIT_CONFIG,
          "--scale: '" + scale + "' is not sample, small-school, school or term");
    }
    try {
      SimulationSummary s =
          SiteSimulator.simulate(
              seed, date == null ? SiteSimulator.DEFAULT_DATE : date, zone, chosen, out);
      System.out.println("simulated " + s);
      return 0;
    } catch (IOException e) {
      return Errors.fail(BellwatchCli.EXIT_FAILURE, out + ": " + e.getMessage());
    }
  }

  private Integer term() {
    LocalDate end = date == null ? TermSimulator.defaultEnd(Clock.systemUTC()) : date;
    if (TermSimulator.weekend(end)) {
      return Errors.fail(
          BellwatchCli.EXIT_CONFIG,
          "--date: "
              + end
              + " is a "
              + end.getDayOfWeek().toString().toLowerCase(java.util.Locale.ROOT)
              + "; a term ends on a school day (Monday to Friday)");
    }
    try {
      System.out.println("simulated " + TermSimulator.simulate(seed, end, out));
      return 0;
    } catch (IOException e) {
      return Errors.fail(BellwatchCli.EXIT_FAILURE, out + ": " + e.getMessage());
    }
  }
}
