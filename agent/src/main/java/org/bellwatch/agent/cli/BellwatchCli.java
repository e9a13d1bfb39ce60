package org.bellwatch.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bellwatch}: the command line of the agent (DESIGN.md "Public contracts"). */
@Command(
    name = "bellwatch",
    mixinStandardHelpOptions = true,
    versionProvider = BellwatchCli.Version.class,
    description =
        "Shows which blocked sites hit instruction: passive DNS/DHCP, filter logs, rosters and bells.",
    subcommands = {
      RunCommand.class,
      ReplayCommand.class,
      DecodeCommand.class,
      CheckConfigCommand.class,
      SimulateCommand.class,
      UsersCommand.class,
      BackupCommand.class,
      StoreCommand.class,
      HubCommand.class,
      MailTestCommand.class
    })
public final class BellwatchCli {
  /** Exit status for bad configuration or bad input files named on the command line. */
  public static final int EXIT_CONFIG = 2;

  /** Exit status for a failure while running. */
  public static final int EXIT_FAILURE = 1;

  /**
   * Exit status for a store that cannot be used (corrupted, newer, locked): restarting will not
   * help.
   */
  public static final int EXIT_STORE = 3;

  public static void main(String[] args) {
    // Every file this process writes (the store, tokens, backups) is for its owner alone.
    OwnerOnlyUmask.apply();
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    return new CommandLine(new BellwatchCli())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = BellwatchCli.class.getPackage().getImplementationVersion();
      return new String[] {"bellwatch " + (v == null ? "(development build)" : v)};
    }
  }
}
