package org.bellwatch.agent.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.bellwatch.agent.config.Auth;
import org.bellwatch.agent.config.ConfigException;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.config.HubConfigLoader;
import org.bellwatch.agent.hub.Hub;
import org.bellwatch.agent.store.StoreException;
import org.bellwatch.agent.web.Passwords;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "hub",
    mixinStandardHelpOptions = true,
    description =
        "Run the district hub: read every school's Kafka topics into one store and answer for all of them.")
final class HubCommand implements Callable<Integer> {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      required = true,
      description = "Hub configuration file (YAML; see config/hub.reference.yaml).")
  Path config;

  @Override
  public Integer call() throws InterruptedException {
    HubConfig cfg;
    int iterations = Auth.DEFAULTS.pbkdf2Iterations();
    try {
      cfg = HubConfigLoader.load(config, pw -> Passwords.hash(pw, iterations));
    } catch (ConfigException e) {
      return Errors.fail(BellwatchCli.EXIT_CONFIG, e.getMessage());
    }
    Hub hub;
    try {
      hub = Hub.start(cfg, Clock.systemUTC());
    } catch (StoreException e) {
      return Errors.fail(BellwatchCli.EXIT_STORE, e.getMessage());
    } catch (IOException | RuntimeException e) {
      return Errors.fail(BellwatchCli.EXIT_FAILURE, "hub: cannot start: " + e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  hub.close();
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
    return 0;
  }
}
