package org.bellwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.pipeline.Agent;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.store.BlockQuery;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupCommandTest {
  @TempDir Path dir;

  private Path config(int port) throws Exception {
    SiteFolder.write(
        dir.resolve("access.log"),
        "1789485000.250 5 10.0.1.20 TCP_DENIED/403 3900 CONNECT games.example.com:443 alice HIER_NONE/- text/html\n");
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        "site: {timezone: America/Los_Angeles}\n"
            + "logs: {files: [{vendor: squid, path: access.log}]}\nstore: {dir: store}\nweb: {port: "
            + port
            + "}\n");
    return dir.resolve("bellwatch.yaml");
  }

  private static List<BlockEvent> events(Path storeDir) throws Exception {
    try (EventStore store = EventStore.open(storeDir, java.time.ZoneOffset.UTC, false)) {
      return store.query(new BlockQuery(null, null, null, 100));
    }
  }

  @Test
  void aBackupOfAStoppedAgentIsAStoreThatOpensWithTheSameEvents() throws Exception {
    Path cfgFile = config(0);
    BellwatchConfig cfg = ConfigLoader.load(cfgFile);
    org.bellwatch.agent.testing.ApiSession.createAdmin(cfg.store().dir(), cfg.site().timezone());
    try (Agent agent =
        Agent.start(cfg, SiteModel.load(null, cfg.site().timezone()), Clock.systemUTC())) {
      waitRunning(agent);
    }
    int status =
        BellwatchCli.execute(
            "backup", "--config", cfgFile.toString(), dir.resolve("copy").toString());

    assertThat(status).isZero();
    assertThat(events(dir.resolve("copy"))).hasSize(1).isEqualTo(events(dir.resolve("store")));
  }

  @Test
  void aBackupOfARunningAgentIsTakenByTheAgentAndRestoresToTheSameEvents() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path cfgFile = config(port);
    BellwatchConfig cfg = ConfigLoader.load(cfgFile);
    org.bellwatch.agent.testing.ApiSession.createAdmin(cfg.store().dir(), cfg.site().timezone());
    List<BlockEvent> stored;
    try (Agent agent =
        Agent.start(cfg, SiteModel.load(null, cfg.site().timezone()), Clock.systemUTC())) {
      waitRunning(agent);
      int status =
          BellwatchCli.execute(
              "backup", "--config", cfgFile.toString(), dir.resolve("copy").toString());
      assertThat(status).isZero();
      // A second backup into the same folder is refused rather than mixed into it.
      assertThat(
              BellwatchCli.execute(
                  "backup", "--config", cfgFile.toString(), dir.resolve("copy").toString()))
          .isEqualTo(BellwatchCli.EXIT_CONFIG);
    }
    stored = events(dir.resolve("store"));
    // Restore as README says: the copy is a complete store folder to put in place of store.dir.
    assertThat(events(dir.resolve("copy"))).hasSize(1).isEqualTo(stored);
  }

  /** Waits (bounded) until the tailed log's block is stored, read through the API as an admin. */
  private static void waitRunning(Agent agent) throws Exception {
    String base = "http://127.0.0.1:" + agent.port();
    await("the agent running")
        .atMost(Duration.ofSeconds(30))
        .until(() -> agent.state().equals("running"));
    String cookie = org.bellwatch.agent.testing.ApiSession.login(base);
    long total =
        await("the tailed block stored")
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(
                            java.net.http.HttpClient.newHttpClient()
                                .send(
                                    java.net.http.HttpRequest.newBuilder(
                                            java.net.URI.create(base + "/api/v1/blocks"))
                                        .header("Cookie", cookie)
                                        .build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString())
                                .body())
                        .get("total")
                        .asLong(),
                t -> t >= 1);
    assertThat(total).isEqualTo(1);
  }
}
