package org.bellwatch.agent.cli;

import java.nio.file.Path;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigException;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.schedule.ScheduleException;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option shared by commands. */
final class ConfigOption {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Configuration file (YAML).")
  Path file;

  /** A loaded configuration with its site model. */
  record Loaded(BellwatchConfig cfg, SiteModel site) {
  }

  /** The configuration and the schedule folder it names ({@code scheduleOverride} wins when not null). */
  Loaded loadWithSite(Path scheduleOverride) throws ConfigException, ScheduleException {
    BellwatchConfig cfg = load();
    Path dir = scheduleOverride != null ? scheduleOverride : cfg.schedule().dir();
    return new Loaded(cfg, SiteModel.load(dir, cfg.site().timezone()));
  }

  /** The loaded configuration, or the defaults (site in UTC, nothing configured) when no file is given. */
  BellwatchConfig load() throws ConfigException {
    if (file == null) {
      return ConfigLoader.parse("", "(defaults)", Path.of("").toAbsolutePath());
    }
    return ConfigLoader.load(file);
  }
}
