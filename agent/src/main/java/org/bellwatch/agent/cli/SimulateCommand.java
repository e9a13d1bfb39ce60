package org.bellwatch.agent.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
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

  @Override
  public Integer call() {
    try {
      SimulationSummary s = SiteSimulator.simulate(seed, date == null ? SiteSimulator.DEFAULT_DATE : date, out);
      System.out.println("simulated " + s);
      return 0;
    } catch (IOException e) {
      return Errors.fail(BellwatchCli.EXIT_FAILURE, out + ": " + e.getMessage());
    }
  }
}
