package org.bellwatch.agent.cli;

import java.time.Clock;
import java.util.concurrent.Callable;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigException;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.event.StorageException;
import org.bellwatch.agent.ingest.syslog.SyslogException;
import org.bellwatch.agent.pipeline.Agent;
import org.bellwatch.agent.schedule.ScheduleException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run the agent: capture, files, pipeline, store, console and metrics.")
final class RunCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Override
  public Integer call() throws InterruptedException {
    ConfigOption.Loaded loaded;
    try {
      loaded = config.loadSiteFile("run", ConfigLoader.Inputs.AS_GIVEN);
    } catch (ConfigException | ScheduleException e) {
      return Errors.fail(BellwatchCli.EXIT_CONFIG, e.getMessage());
    }
    BellwatchConfig cfg = loaded.cfg();
    Agent agent;
    try {
      agent = Agent.start(cfg, loaded.site(), Clock.systemUTC());
    } catch (StorageException e) {
      return Errors.fail(BellwatchCli.EXIT_STORE, e.getMessage());
    } catch (SyslogException e) {
      return Errors.fail(BellwatchCli.EXIT_FAILURE, e.getMessage());
    } catch (RuntimeException e) {
      // Javalin reports a port in use or a bind failure as a RuntimeException.
      return Errors.fail(
          BellwatchCli.EXIT_FAILURE,
          "web: cannot listen on "
              + cfg.web().bind().getHostAddress()
              + ":"
              + cfg.web().port()
              + ": "
              + rootMessage(e));
    }
    Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "shutdown"));
    agent.awaitStop();
    return 0;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
