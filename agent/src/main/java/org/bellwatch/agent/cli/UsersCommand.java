package org.bellwatch.agent.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.bellwatch.agent.access.Account;
import org.bellwatch.agent.access.Accounts;
import org.bellwatch.agent.access.AuditEntry;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigException;
import org.bellwatch.agent.event.StorageException;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.web.Passwords;
import org.bellwatch.agent.web.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bellwatch users add|passwd|disable|enable|list}: console accounts, in the store named by
 * the configuration. Passwords are read from {@code --password-file} or standard input (a terminal
 * prompts twice), never from the command line, where other users of the machine could read them.
 * The agent holds the store while it runs: stop it first, or manage accounts in the console's
 * Settings page.
 */
@Command(
    name = "users",
    mixinStandardHelpOptions = true,
    description = "Manage console accounts (roles: admin, coordinator, viewer, teacher).",
    subcommands = {
      UsersCommand.Add.class,
      UsersCommand.Passwd.class,
      UsersCommand.Disable.class,
      UsersCommand.Enable.class,
      UsersCommand.ListAccounts.class
    })
final class UsersCommand {
  static Clock clock = Clock.systemUTC();

  /**
   * Opens the store of the configuration, runs {@code work}, closes it; maps failures to exit
   * statuses.
   */
  interface Work {
    int run(BellwatchConfig cfg, EventStore store) throws StorageException, IOException;
  }

  static int withStore(ConfigOption config, Work work) {
    BellwatchConfig cfg;
    try {
      cfg = config.load();
    } catch (ConfigException e) {
      return Errors.fail(BellwatchCli.EXIT_CONFIG, e.getMessage());
    }
    try (EventStore store = EventStore.open(cfg.store().dir(), cfg.site().timezone(), true)) {
      return work.run(cfg, store);
    } catch (StorageException e) {
      return Errors.fail(
          BellwatchCli.EXIT_STORE,
          e.getMessage()
              + (e.getMessage().contains("another Bellwatch")
                  ? "; stop the agent, or manage accounts in the console (Settings)"
                  : ""));
    } catch (IOException e) {
      return Errors.fail(BellwatchCli.EXIT_CONFIG, e.getMessage());
    }
  }

  static String actor() {
    return "cli:" + System.getProperty("user.name", "unknown");
  }

  static void audit(EventStore store, String action, String username, String detail)
      throws StorageException {
    store
        .console()
        .auditLog()
        .append(new AuditEntry(clock.instant(), actor(), action, username, "local", detail));
  }

  /**
   * Reads a new password from the file, else a terminal (twice), else the first line of standard
   * input.
   */
  static char[] readPassword(Path file) throws IOException {
    if (file != null) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int nl = text.indexOf('\n');
      return (nl >= 0 ? text.substring(0, nl) : text).replace("\r", "").toCharArray();
    }
    Console console = System.console();
    if (console != null) {
      char[] a = console.readPassword("New password: ");
      char[] b = console.readPassword("Again: ");
      if (a == null || b == null || !Arrays.equals(a, b)) {
        throw new IOException("the two passwords differ");
      }
      return a;
    }
    String line =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    if (line == null) {
      throw new IOException("no password on standard input (or use --password-file)");
    }
    return line.toCharArray();
  }

  static String username(String text) throws IOException {
    String u = Accounts.normalize(text);
    if (u == null) {
      throw new IOException(
          "'" + text + "' is not a username: 1 to 64 of letters, digits, '.', '_', '-', '@'");
    }
    return u;
  }

  static String hashNew(BellwatchConfig cfg, String username, Path passwordFile)
      throws IOException {
    char[] pw = readPassword(passwordFile);
    try {
      String weak = Passwords.weakness(pw, username);
      if (weak != null) {
        throw new IOException("password refused: " + weak);
      }
      return Passwords.hash(pw, cfg.auth().pbkdf2Iterations());
    } finally {
      Arrays.fill(pw, '\0');
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Add an account.")
  static final class Add implements Callable<Integer> {
    @Mixin ConfigOption config;

    @Parameters(index = "0", paramLabel = "USERNAME")
    String username;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        description =
            "admin, coordinator, viewer or teacher (sees only the sections"
                + " the OneRoster teacher with this username or e-mail address teaches)")
    String role;

    @Option(
        names = "--password-file",
        paramLabel = "FILE",
        description =
            "Read the password from the first line" + " of FILE instead of standard input.")
    Path passwordFile;

    @Override
    public Integer call() {
      return withStore(
          config,
          (cfg, store) -> {
            String u = username(username);
            Role r = Role.ofAccount(role);
            if (r == null) {
              return Errors.fail(
                  BellwatchCli.EXIT_CONFIG,
                  "--role: '" + role + "' is not admin, coordinator, viewer or teacher");
            }
            if (store.console().accounts().get(u).isPresent()) {
              return Errors.fail(
                  BellwatchCli.EXIT_CONFIG, "account " + u + " already exists (use users passwd)");
            }
            String hash = hashNew(cfg, u, passwordFile);
            Instant now = clock.instant();
            store.console().accounts().put(new Account(u, r.id(), hash, false, now, now));
            audit(store, "account_added", u, "role " + r.id());
            System.out.println("account " + u + " added with role " + r.id());
            return 0;
          });
    }
  }

  @Command(
      name = "passwd",
      mixinStandardHelpOptions = true,
      description = "Set an account's password; its" + " sessions end.")
  static final class Passwd implements Callable<Integer> {
    @Mixin ConfigOption config;

    @Parameters(index = "0", paramLabel = "USERNAME")
    String username;

    @Option(names = "--password-file", paramLabel = "FILE")
    Path passwordFile;

    @Override
    public Integer call() {
      return withStore(
          config,
          (cfg, store) -> {
            String u = username(username);
            Optional<Account> a = store.console().accounts().get(u);
            if (a.isEmpty()) {
              return Errors.fail(BellwatchCli.EXIT_CONFIG, "no account " + u);
            }
            store
                .console()
                .accounts()
                .put(a.get().withPasswordHash(hashNew(cfg, u, passwordFile), clock.instant()));
            audit(store, "account_changed", u, "password reset");
            System.out.println("password of " + u + " changed");
            return 0;
          });
    }
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Disable an account; its sessions end.")
  static final class Disable implements Callable<Integer> {
    @Mixin ConfigOption config;

    @Parameters(index = "0", paramLabel = "USERNAME")
    String username;

    @Override
    public Integer call() {
      return setDisabled(config, username, true);
    }
  }

  @Command(
      name = "enable",
      mixinStandardHelpOptions = true,
      description = "Enable a disabled account.")
  static final class Enable implements Callable<Integer> {
    @Mixin ConfigOption config;

    @Parameters(index = "0", paramLabel = "USERNAME")
    String username;

    @Override
    public Integer call() {
      return setDisabled(config, username, false);
    }
  }

  static int setDisabled(ConfigOption config, String username, boolean disabled) {
    return withStore(
        config,
        (cfg, store) -> {
          String u = username(username);
          Optional<Account> a = store.console().accounts().get(u);
          if (a.isEmpty()) {
            return Errors.fail(BellwatchCli.EXIT_CONFIG, "no account " + u);
          }
          store.console().accounts().put(a.get().withDisabled(disabled, clock.instant()));
          audit(store, "account_changed", u, disabled ? "disabled" : "enabled");
          System.out.println("account " + u + (disabled ? " disabled" : " enabled"));
          return 0;
        });
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List accounts: username, role, state.")
  static final class ListAccounts implements Callable<Integer> {
    @Mixin ConfigOption config;

    @Override
    public Integer call() {
      return withStore(
          config,
          (cfg, store) -> {
            for (Account a : store.console().accounts().list()) {
              System.out.println(
                  a.username() + "\t" + a.role() + "\t" + (a.disabled() ? "disabled" : "enabled"));
            }
            return 0;
          });
    }
  }
}
