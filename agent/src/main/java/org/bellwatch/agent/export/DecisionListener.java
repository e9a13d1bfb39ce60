package org.bellwatch.agent.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.bellwatch.agent.access.AuditEntry;
import org.bellwatch.agent.config.KafkaLink;
import org.bellwatch.agent.event.StorageException;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.review.Reviews;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the district's decisions to this site's review state: each decision on the decisions
 * topic that is district-wide or names this site becomes a step of the domain's review, by {@code
 * district:ACTOR}, with the district's reason, so the site's console shows it like a decision made
 * there. The site reads the topic as its own consumer group and commits after applying; a decision
 * read again (a restart before the commit) is recognised by its time, actor and action and not
 * applied twice.
 */
public final class DecisionListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DecisionListener.class);
  private final KafkaLink link;
  private final Reviews reviews;
  private final BellwatchMeters meters;
  private final Clock clock;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile KafkaConsumer<String, byte[]> consumer;

  public DecisionListener(KafkaLink link, Reviews reviews, BellwatchMeters meters, Clock clock) {
    this.link = link;
    this.reviews = reviews;
    this.meters = meters;
    this.clock = clock;
    this.thread = new Thread(this::loop, "export-decisions");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void loop() {
    long backoffMs = 500;
    while (running) {
      try (KafkaConsumer<String, byte[]> c =
          new KafkaConsumer<>(
              KafkaProps.consumer(
                  link, "bellwatch-site-" + link.siteId(), "bellwatch-site-" + link.siteId()))) {
        consumer = c;
        c.subscribe(List.of(new Topics(link.topicPrefix()).decisions()));
        while (running) {
          ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
          Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
          for (ConsumerRecord<String, byte[]> r : records) {
            meters.decisionReceived(apply(r.value()));
            done.put(
                new TopicPartition(r.topic(), r.partition()),
                new OffsetAndMetadata(r.offset() + 1));
          }
          if (!done.isEmpty()) {
            c.commitSync(done);
          }
          backoffMs = 500;
        }
      } catch (WakeupException e) {
        return;
      } catch (KafkaException | StorageException | IOException e) {
        log.warn("decisions from Kafka: {}; reading again from the last applied", e.getMessage());
        try {
          Thread.sleep(backoffMs);
        } catch (InterruptedException ie) {
          return;
        }
        backoffMs = Math.min(backoffMs * 2, 30_000);
      } finally {
        consumer = null;
      }
    }
  }

  /** Applies one decision message; returns the outcome counted. */
  String apply(byte[] value) throws StorageException {
    Messages.Read read = Messages.read(value, "decision");
    if (read.problem() != null) {
      return "invalid";
    }
    ObjectNode m = read.message();
    boolean forUs = m.path("schools").isEmpty();
    for (JsonNode s : m.path("schools")) {
      forUs |= link.siteId().equals(s.asText());
    }
    if (!forUs) {
      return "other_school";
    }
    String domain = m.path("domain").asText("");
    String action = m.path("action").asText("");
    Instant time;
    LocalDate until;
    try {
      time = Instant.parse(m.path("time").asText());
      until = m.hasNonNull("until") ? LocalDate.parse(m.get("until").asText()) : null;
    } catch (java.time.DateTimeException e) {
      return "invalid";
    }
    if (domain.isEmpty() || !Review.DECISIONS.contains(action) || !m.path("reason").isTextual()) {
      return "invalid";
    }
    String actor = "district:" + m.path("actor").asText("");
    boolean seen =
        reviews
            .get(domain)
            .map(
                r ->
                    r.history().stream()
                        .anyMatch(
                            e ->
                                e.time().equals(time)
                                    && actor.equals(e.actor())
                                    && action.equals(e.action())))
            .orElse(false);
    if (seen) {
      return "repeated";
    }
    String alternative = m.hasNonNull("alternative") ? m.get("alternative").asText() : null;
    Review.Entry step =
        new Review.Entry(
            time,
            actor,
            "district",
            action,
            m.get("reason").asText(),
            List.of(),
            null,
            null,
            null,
            "everyone",
            until,
            alternative);
    reviews.append(
        domain,
        step,
        new AuditEntry(
            clock.instant(),
            actor,
            "review_decided",
            domain,
            "kafka",
            "district decision " + m.path("decision_id").asText()));
    log.info("district decision {} applied: {} {}", m.path("decision_id").asText(), domain, action);
    return "applied";
  }

  @Override
  public void close() {
    running = false;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      thread.join(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
