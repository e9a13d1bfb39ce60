package org.bellwatch.agent.cli;

import java.util.concurrent.Callable;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigException;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.schedule.ScheduleException;
import org.bellwatch.agent.schedule.SiteModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "check-config",
    mixinStandardHelpOptions = true,
    description =
        "Validate the configuration, the schedule folder and the input files it names, then exit (0 valid,"
            + " 2 invalid).")
final class CheckConfigCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Override
  public Integer call() {
    try {
      ConfigOption.Loaded loaded =
          config.loadSiteFile("check-config", ConfigLoader.Inputs.READABLE);
      BellwatchConfig cfg = loaded.cfg();
      SiteModel site = loaded.site();
      System.out.println(
          "configuration ok: site '"
              + cfg.site().name()
              + "' in "
              + cfg.site().timezone().getId()
              + ", "
              + site.schedule().sectionCount()
              + " sections, "
              + cfg.capture().interfaces().size()
              + " capture interfaces, "
              + cfg.capture().pcapFiles().size()
              + " capture files, "
              + cfg.logs().files().size()
              + " log files");
      return 0;
    } catch (ConfigException | ScheduleException e) {
      return Errors.fail(BellwatchCli.EXIT_CONFIG, e.getMessage());
    }
  }
}
