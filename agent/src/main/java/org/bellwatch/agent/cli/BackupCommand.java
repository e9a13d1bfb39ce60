package org.bellwatch.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.bellwatch.agent.access.AdminToken;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigException;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.store.StoreException;
import org.bellwatch.agent.util.PemTrust;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code bellwatch backup DIR}: a consistent copy of the store. When the agent is stopped the store
 * is opened directly; when it runs (the store is locked) the running agent makes the copy, asked
 * over its loopback API with the token it keeps in the store folder.
 */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description =
        "Copy the store (events, rollups, offsets) into DIR, which must not exist; works while running.")
final class BackupCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Parameters(paramLabel = "DIR", description = "Folder to create with the copy.")
  Path target;

  @Override
  public Integer call() throws InterruptedException {
    BellwatchConfig cfg;
    try {
      cfg = config.load();
    } catch (ConfigException e) {
      return Errors.fail(BellwatchCli.EXIT_CONFIG, e.getMessage());
    }
    Path dir = target.toAbsolutePath().normalize();
    if (Files.exists(dir)) {
      return Errors.fail(
          BellwatchCli.EXIT_CONFIG, dir + ": already exists; backups go into a new folder");
    }
    try (EventStore store = EventStore.open(cfg.store().dir(), cfg.site().timezone(), false)) {
      store.checkpoint(dir);
      System.out.println("backup of " + cfg.store().dir() + " written to " + dir);
      return 0;
    } catch (StoreException e) {
      if (!e.getMessage().contains("another Bellwatch process holds it")) {
        return Errors.fail(BellwatchCli.EXIT_STORE, e.getMessage());
      }
    }
    return throughRunningAgent(cfg, dir);
  }

  private static int throughRunningAgent(BellwatchConfig cfg, Path dir)
      throws InterruptedException {
    String origin =
        (cfg.web().tls() ? "https://" : "http://") + hostForUrl(cfg) + ":" + cfg.web().port();
    String url = origin + "/api/v1/admin/backup";
    try {
      String token = AdminToken.read(cfg.store().dir());
      String body = new ObjectMapper().createObjectNode().put("target", dir.toString()).toString();
      HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
      if (cfg.web().tls()) {
        // Trusts exactly the console's own certificate (often the self-signed one made at install):
        // this command talks only to the agent on this machine.
        client.sslContext(PemTrust.trusting(cfg.web().tlsCertFile()));
      }
      HttpResponse<String> r =
          client
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(url))
                      .timeout(Duration.ofMinutes(10))
                      .header(AdminToken.HEADER, token)
                      .header("Content-Type", "application/json")
                      // The console refuses state-changing requests from other origins (CSRF
                      // defence).
                      .header("Origin", origin)
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return Errors.fail(
            BellwatchCli.EXIT_FAILURE,
            "the running agent refused the backup (" + r.statusCode() + "): " + r.body());
      }
      System.out.println("backup of the running agent's store written to " + dir);
      return 0;
    } catch (IOException e) {
      return Errors.fail(
          BellwatchCli.EXIT_FAILURE,
          "the store is in use but the running agent at "
              + url
              + " could not be asked for a backup: "
              + e.getMessage());
    }
  }

  private static String hostForUrl(BellwatchConfig cfg) {
    String host =
        cfg.web().bind().isAnyLocalAddress() ? "127.0.0.1" : cfg.web().bind().getHostAddress();
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
