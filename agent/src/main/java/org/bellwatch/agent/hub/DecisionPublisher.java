package org.bellwatch.agent.hub;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.export.KafkaProps;
import org.bellwatch.agent.export.Messages;
import org.bellwatch.agent.export.Topics;

/**
 * Publishes decisions made at the hub on the decisions topic, where every site's agent reads them.
 * A decision is acknowledged by all in-sync replicas before the API answers, so a decision the hub
 * confirmed reaches every school that is, or later comes, online.
 */
public final class DecisionPublisher implements AutoCloseable {
  private final Producer<String, byte[]> producer;
  private final String topic;
  private final long timeoutMs;

  public DecisionPublisher(HubConfig cfg) throws IOException {
    this.producer =
        new KafkaProducer<>(KafkaProps.producer(cfg.kafka(), "bellwatch-hub-decisions"));
    this.topic = new Topics(cfg.kafka().topicPrefix()).decisions();
    this.timeoutMs = cfg.kafka().deliveryTimeout().toMillis();
  }

  /**
   * A decision for the named schools (empty: every school), as the sites apply it (docs/kafka.md).
   */
  public record Decision(
      String domain,
      String action,
      String reason,
      List<String> schools,
      LocalDate until,
      String alternative) {
    public Decision {
      schools = List.copyOf(schools);
    }
  }

  /** Sends the decision and waits for Kafka's acknowledgement; returns its message. */
  public ObjectNode publish(Decision d, String actor, Instant now)
      throws ExecutionException, InterruptedException, TimeoutException {
    ObjectNode m = Messages.object();
    String id = UUID.randomUUID().toString();
    m.put("v", Messages.VERSION);
    m.put("type", "decision");
    m.put("decision_id", id);
    m.put("time", now.toString());
    m.put("actor", actor);
    m.put("domain", d.domain());
    m.put("action", d.action());
    m.put("reason", d.reason());
    m.put("until", d.until() == null ? null : d.until().toString());
    m.put("alternative", d.alternative());
    ArrayNode schools = m.putArray("schools");
    d.schools().forEach(schools::add);
    producer
        .send(new ProducerRecord<>(topic, id, Messages.bytes(m)))
        .get(timeoutMs, TimeUnit.MILLISECONDS);
    return m;
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
