package org.bellwatch.agent.cli;

import java.nio.file.Path;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigException;
import org.bellwatch.agent.config.ConfigLoader;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option shared by commands. */
final class ConfigOption {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Configuration file (YAML).")
  Path file;

  /** The loaded configuration, or the defaults (site in UTC, nothing configured) when no file is given. */
  BellwatchConfig load() throws ConfigException {
    if (file == null) {
      return ConfigLoader.parse("", "(defaults)", Path.of("").toAbsolutePath());
    }
    return ConfigLoader.load(file);
  }
}
