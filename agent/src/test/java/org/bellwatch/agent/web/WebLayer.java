package org.bellwatch.agent.web;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.bellwatch.agent.access.Account;
import org.bellwatch.agent.access.AdminToken;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.event.StorageException;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.report.EventIndex;
import org.bellwatch.agent.report.IndexedBlocks;
import org.bellwatch.agent.report.Reports;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.store.EventStore.EventRef;
import org.bellwatch.agent.testing.InMemoryAccounts;
import org.bellwatch.agent.testing.InMemoryAuditLog;
import org.bellwatch.agent.testing.InMemoryReviews;
import org.bellwatch.agent.testing.InMemorySecrets;
import org.bellwatch.agent.testing.InMemorySessions;
import org.bellwatch.agent.testing.SiteFolder;
import org.bellwatch.agent.util.PrivateFolder;

/**
 * The web layer alone: a {@link WebServer} on a free port over in-memory accounts, sessions, audit
 * log, reviews, secrets and block events (the report index built from them), with no RocksDB and no
 * pipeline. Route tests start one in milliseconds; what is about the whole agent starts the agent.
 */
final class WebLayer implements AutoCloseable {
  final InMemoryAccounts accounts = new InMemoryAccounts();
  final InMemorySessions sessions = new InMemorySessions();
  final InMemoryAuditLog audit = new InMemoryAuditLog();
  final InMemoryReviews reviews = new InMemoryReviews(audit);
  final InMemorySecrets secrets = new InMemorySecrets();
  private final EventIndex index = new EventIndex();
  private final Map<EventRef, BlockEvent> events = new ConcurrentHashMap<>();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final WebServer server;
  private final int port;

  private WebLayer(
      BellwatchConfig cfg,
      Supplier<SiteModel> site,
      Clock clock,
      Supplier<WebServer.Health> health,
      boolean testAccounts)
      throws Exception {
    if (testAccounts) {
      addTestAccounts();
    }
    // The setup and admin tokens are files in the store folder, as beside a real store.
    PrivateFolder.prepare(cfg.store().dir());
    Reports reports = new Reports(index, cfg.site().timezone());
    ConsoleData data =
        new ConsoleData(
            new IndexedBlocks(
                reports,
                refs -> refs.stream().map(events::get).filter(java.util.Objects::nonNull).toList()),
            accounts,
            sessions,
            audit,
            reviews,
            secrets,
            this::backup);
    server =
        new WebServer(
            cfg,
            data,
            reports,
            site,
            registry,
            new BellwatchMeters(registry, clock),
            health,
            clock,
            AdminToken.create(cfg.store().dir()));
    port = server.start();
  }

  /**
   * The configuration of a plain test school in {@code dir} (its store beside it, any free port,
   * cheap password hashing), as the route tests start from.
   */
  static BellwatchConfig testSchool(Path dir) throws Exception {
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        """
        site: {name: Test School, timezone: America/Los_Angeles}
        store: {dir: store}
        web: {port: 0}
        auth: {pbkdf2_iterations: 1000}
        """);
    return ConfigLoader.load(dir.resolve("bellwatch.yaml"));
  }

  /** The web layer with the test accounts ({@link TestAccounts}), healthy, over no events yet. */
  static WebLayer start(BellwatchConfig cfg, SiteModel site, Clock clock) throws Exception {
    return new WebLayer(
        cfg, () -> site, clock, () -> new WebServer.Health("running", true, null), true);
  }

  /** The web layer with the test accounts, over no events yet, reporting {@code health}. */
  static WebLayer start(
      BellwatchConfig cfg, SiteModel site, Clock clock, Supplier<WebServer.Health> health)
      throws Exception {
    return new WebLayer(cfg, () -> site, clock, health, true);
  }

  /** The web layer with no account at all (the first start), healthy. */
  static WebLayer withoutAccounts(BellwatchConfig cfg, SiteModel site, Clock clock)
      throws Exception {
    return new WebLayer(
        cfg, () -> site, clock, () -> new WebServer.Health("running", true, null), false);
  }

  /**
   * Stores block events as the pipeline would: in the index that reports read and by their address.
   */
  void add(List<BlockEvent> blocks) {
    blocks.forEach(e -> events.put(EventRef.of(e), e));
    index.addAll(blocks);
  }

  private void addTestAccounts() throws StorageException {
    TestAccounts.addTo(accounts);
  }

  /** A backup of the in-memory data: the accounts, one per line, in a new folder. */
  private void backup(Path target) throws StorageException {
    try {
      Files.createDirectories(target.getParent());
      Files.createDirectory(target);
      Files.write(
          target.resolve("accounts"), accounts.list().stream().map(Account::toString).toList());
    } catch (java.io.IOException e) {
      throw new StorageException("backup to " + target + " failed: " + e.getMessage(), e);
    }
  }

  int port() {
    return port;
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }

  List<WebServer.Operation> operations() {
    return server.operations();
  }

  @Override
  public void close() {
    server.close();
    registry.close();
  }
}
