package org.bellwatch.agent.cli;

import java.nio.file.Path;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigException;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.schedule.ScheduleException;
import org.bellwatch.agent.schedule.SiteModel;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option shared by commands. */
final class ConfigOption {
  /** Where the Debian package and install.sh put the configuration (the service unit names it). */
  static final String PACKAGE_CONFIG = "/etc/bellwatch/bellwatch.yaml";

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Configuration file (YAML).")
  Path file;

  /** A loaded configuration with its site model. */
  record Loaded(BellwatchConfig cfg, SiteModel site) {}

  /**
   * The configuration and the schedule folder it names ({@code scheduleOverride} wins when not
   * null).
   */
  Loaded loadWithSite(Path scheduleOverride) throws ConfigException, ScheduleException {
    return withSite(load(), scheduleOverride);
  }

  /**
   * For the commands that act on the site itself ({@code run}, {@code check-config}): the file is
   * required, since the defaults would start a real agent nobody configured (a store under
   * /var/lib/bellwatch, the console on port 8080) or call them valid. {@code inputs} says whether
   * the input files it names must be readable now.
   */
  Loaded loadSiteFile(String command, ConfigLoader.Inputs inputs)
      throws ConfigException, ScheduleException {
    if (file == null) {
      throw new ConfigException(
          command + ": --config FILE is required (the package's is " + PACKAGE_CONFIG + ")");
    }
    return withSite(ConfigLoader.load(file, inputs), null);
  }

  /**
   * The loaded configuration, or the defaults (site in UTC, nothing configured) when no file is
   * given.
   */
  BellwatchConfig load() throws ConfigException {
    if (file == null) {
      return ConfigLoader.parse("", "(defaults)", Path.of("").toAbsolutePath());
    }
    return ConfigLoader.load(file);
  }

  private static Loaded withSite(BellwatchConfig cfg, Path scheduleOverride)
      throws ScheduleException {
    Path dir = scheduleOverride != null ? scheduleOverride : cfg.schedule().dir();
    return new Loaded(cfg, SiteModel.load(dir, cfg.site().timezone()));
  }
}
