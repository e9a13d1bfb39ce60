package org.bellwatch.agent.cli;

import java.util.concurrent.Callable;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigException;
import org.bellwatch.agent.store.StoreCheck;
import org.bellwatch.agent.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code bellwatch store verify}: the check the agent makes before it opens its store, on demand,
 * without changing the store (it may run while the agent holds the store, or on a copy before
 * restoring it).
 */
@Command(
    name = "store",
    mixinStandardHelpOptions = true,
    description = "Look after the store.",
    subcommands = {StoreCommand.Verify.class})
final class StoreCommand {
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Read every table of the store read-only and check its checksums (0 intact, 3 damaged).")
  static final class Verify implements Callable<Integer> {
    @Mixin ConfigOption config;

    @Override
    public Integer call() {
      BellwatchConfig cfg;
      try {
        cfg = config.load();
      } catch (ConfigException e) {
        return Errors.fail(BellwatchCli.EXIT_CONFIG, e.getMessage());
      }
      try {
        StoreCheck.Summary s = StoreCheck.verify(cfg.store().dir());
        System.out.println(
            "store "
                + cfg.store().dir()
                + " is intact: "
                + s.tableFiles()
                + " table files ("
                + s.tableBytes()
                + " bytes) and the write-ahead log read, every checksum matches, schema "
                + s.schema());
        return 0;
      } catch (StoreException e) {
        return Errors.fail(BellwatchCli.EXIT_STORE, e.getMessage());
      }
    }
  }
}
