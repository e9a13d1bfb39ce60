package org.bellwatch.agent.hub;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of {@code bellwatch hub}: the district store, the consumer that fills it
 * from every school's topics, the decision publisher, and the HTTP API.
 */
public final class Hub implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Hub.class);
  private final DistrictStore store;
  private final HubConsumer consumer;
  private final DecisionPublisher decisions;
  private final DistrictRetention retention;
  private final HubServer server;
  private final PrometheusMeterRegistry registry;
  private int port;

  private Hub(HubConfig cfg, Clock clock) throws StoreException, IOException {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BellwatchMeters.bindJvmAndProcess(registry);
    BellwatchMeters meters = new BellwatchMeters(registry, clock);
    this.store = DistrictStore.open(cfg.storeDir(), cfg.timezone());
    meters.gauge(
        BellwatchMeters.HUB_EVENTS,
        "Block events in the hub's store (RocksDB estimate)",
        store::estimatedBlocks);
    this.consumer = new HubConsumer(cfg, store, meters);
    this.retention = new DistrictRetention(store, cfg.retention(), cfg.timezone(), clock, meters);
    meters.hubSchools(cfg.schools(), store::schoolsHeard, consumer::lag);
    this.decisions = new DecisionPublisher(cfg);
    this.server =
        new HubServer(
            cfg,
            new HubApi(store, decisions, clock, cfg.timezone()),
            registry,
            () -> {
              String error = consumer.lastError();
              int schools;
              try {
                schools = store.schools().size();
              } catch (StoreException e) {
                return new HubServer.Health(false, e.getMessage(), 0);
              }
              return new HubServer.Health(error == null, error, schools);
            },
            clock);
  }

  /** Opens the store, starts consuming and listening; the API answers when this returns. */
  public static Hub start(HubConfig cfg, Clock clock) throws StoreException, IOException {
    Hub hub = new Hub(cfg, clock);
    try {
      hub.port = hub.server.start();
    } catch (RuntimeException e) {
      hub.decisions.close();
      hub.store.close();
      throw e;
    }
    hub.consumer.start();
    hub.retention.start();
    log.info(
        "district hub '{}': console on {}://{}:{}/, reading {} from {}",
        cfg.name(),
        cfg.tls() ? "https" : "http",
        cfg.bind().getHostAddress(),
        hub.port,
        cfg.kafka().topicPrefix() + ".*",
        cfg.kafka().bootstrapServers());
    return hub;
  }

  /** The API's routes as {@code METHOD path}. */
  public java.util.SortedSet<String> routes() {
    return server.routes();
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    server.close();
    retention.close();
    consumer.close();
    decisions.close();
    store.close();
    registry.close();
  }
}
