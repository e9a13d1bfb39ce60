package org.bellwatch.agent.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bellwatch.agent.sim.SimulationSummary;
import org.bellwatch.agent.sim.SiteSimulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Write a simulated school day (pcap, Squid log, OneRoster roster, bells, truth) from a seed.")
final class SimulateCommand implements Callable<Integer> {
  @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--date", description = "School day to simulate, YYYY-MM-DD (default: the simulator's).")
  LocalDate date;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder.")
  Path out;

  @Option(names = "--scale", defaultValue = "sample", paramLabel = "SCALE",
      description = "sample (the bundled sample site; default), small-school or school (2,000 devices).")
  String scale;

  /** The simulator's scales by their command-line names. */
  static final Map<String, SiteSimulator.Scale> SCALES = Map.of("sample", SiteSimulator.Scale.SAMPLE,
      "small-school", SiteSimulator.Scale.SMALL_SCHOOL, "school", SiteSimulator.Scale.SCHOOL);

  @Override
  public Integer call() {
    SiteSimulator.Scale chosen = SCALES.get(scale);
    if (chosen == null) {
      return Errors.fail(BellwatchCli.EXIT_CONFIG, "--scale: '" + scale + "' is not sample, small-school or school");
    }
    try {
      SimulationSummary s = SiteSimulator.simulate(seed, date == null ? SiteSimulator.DEFAULT_DATE : date, chosen,
          out);
      System.out.println("simulated " + s);
      return 0;
    } catch (IOException e) {
      return Errors.fail(BellwatchCli.EXIT_FAILURE, out + ": " + e.getMessage());
    }
  }
}
