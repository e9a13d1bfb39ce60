package org.bellwatch.agent.cli;

import java.time.format.TextStyle;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigException;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.config.Notifications;
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

  /** What the mail settings will do, for the summary line (mail-test checks the relay itself). */
  static String mail(Notifications.Email e) {
    if (e == null) {
      return "";
    }
    return "; mail via "
        + e.host()
        + ":"
        + e.port()
        + " ("
        + e.security().name().toLowerCase(Locale.ROOT)
        + ") to "
        + e.itTo().size()
        + " IT address(es) for requests, "
        + (e.teachers() ? "teachers for decisions, " : "no teacher for decisions, ")
        + (e.digestTo().isEmpty()
            ? "no weekly summary"
            : "a weekly summary to "
                + e.digestTo().size()
                + " address(es) on "
                + e.digestDay().getDisplayName(TextStyle.FULL, Locale.US)
                + "s at "
                + e.digestTime());
  }

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
              + " log files"
              + mail(cfg.notifications().email()));
      return 0;
    } catch (ConfigException | ScheduleException e) {
      return Errors.fail(BellwatchCli.EXIT_CONFIG, e.getMessage());
    }
  }
}
