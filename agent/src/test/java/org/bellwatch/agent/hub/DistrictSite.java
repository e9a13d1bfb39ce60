package org.bellwatch.agent.hub;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import org.bellwatch.agent.config.KafkaLink;
import org.bellwatch.agent.export.DecisionListener;
import org.bellwatch.agent.export.KafkaExporter;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.testing.KafkaBrokers;

/**
 * One school's side of the district, as {@code bellwatch run} wires it when {@code export.kafka} is
 * set: its store as the outbox, the exporter, and the listener that applies district decisions.
 */
public final class DistrictSite implements AutoCloseable {
  public final String id;
  public final EventStore store;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final KafkaExporter exporter;
  final DecisionListener decisions;

  public DistrictSite(
      String id, String name, ZoneId zone, Path dir, String prefix, String bootstrap)
      throws Exception {
    this(KafkaBrokers.plaintextLink(bootstrap, prefix, id, name), zone, dir);
  }

  /** A school that reaches the cluster over {@code link} (its id and name are the link's). */
  public DistrictSite(KafkaLink link, ZoneId zone, Path dir) throws Exception {
    this.id = link.siteId();
    this.store = EventStore.open(dir, zone, false);
    store.recordOutbox();
    BellwatchMeters meters = new BellwatchMeters(registry);
    this.exporter =
        new KafkaExporter(
            link, store.outbox(), store.console().reviews(), meters, Clock.systemUTC(), () -> "ok");
    this.decisions =
        new DecisionListener(link, store.console().reviews(), meters, Clock.systemUTC());
    exporter.start();
    decisions.start();
  }

  double decisionsCounted(String outcome) {
    var c = registry.find(BellwatchMeters.DECISIONS_RECEIVED).tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  @Override
  public void close() {
    exporter.close();
    decisions.close();
    store.close();
  }
}
