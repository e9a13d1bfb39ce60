package org.bellwatch.agent.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.export.KafkaProps;
import org.bellwatch.agent.export.Messages;
import org.bellwatch.agent.export.Topics;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every school's topics into the {@link DistrictStore} as one member of the hub's consumer group.
 * Each poll's messages are stored in one batch and only then are their offsets committed: a hub stopped
 * at any moment reads again at most what it had not committed, and storing a message twice changes
 * nothing (the key is site and event id). A message that cannot be used is counted by reason and skipped,
 * never retried forever. A failed store write or a lost group membership closes the consumer; a new one
 * starts from the committed offsets.
 */
public final class HubConsumer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HubConsumer.class);
  /** Site ids and event and request ids as the sites write them; anything else is refused as {@code bad_field}. */
  private static final Pattern SITE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  private static final Pattern ID = Pattern.compile("[0-9A-Za-z._:-]{1,128}");
  /** A request's id: its time in epoch micros and its domain. */
  private static final Pattern REQUEST_ID = Pattern.compile("[0-9]{1,20}:[a-z0-9._-]{1,253}");

  private final HubConfig cfg;
  private final DistrictStore store;
  private final BellwatchMeters meters;
  private final Topics topics;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile String lastError;
  /** Records in the assigned partitions after the last one stored, as of the last poll. */
  private volatile long lag;

  public HubConsumer(HubConfig cfg, DistrictStore store, BellwatchMeters meters) {
    this.cfg = cfg;
    this.store = store;
    this.meters = meters;
    this.topics = new Topics(cfg.kafka().topicPrefix());
    this.thread = new Thread(this::loop, "hub-consumer");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Records in the hub's partitions not yet stored, as the last poll saw them (0 before the first). */
  public long lag() {
    return lag;
  }

  /** The last failure, or null while consuming works. */
  public String lastError() {
    return lastError;
  }

  private void loop() {
    long backoffMs = 500;
    while (running) {
      try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaProps.consumer(cfg.kafka(), "bellwatch-hub",
          cfg.groupId()))) {
        consumer = c;
        c.subscribe(List.of(topics.blocks(), topics.health(), topics.requests()));
        while (running) {
          ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
          if (!records.isEmpty()) {
            store.apply(changes(records));
            c.commitSync(nextOffsets(records));
          }
          lag = lagOf(c);
          lastError = null;
          backoffMs = 500;
        }
      } catch (WakeupException e) {
        return;
      } catch (KafkaException | StoreException | IOException e) {
        lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
        log.warn("hub: reading from Kafka failed, reading again from the committed offsets: {}", lastError);
        sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 30_000);
      } finally {
        consumer = null;
      }
    }
  }

  /** The sum of the assigned partitions' lags the consumer knows from its fetches (no request to a broker). */
  private static long lagOf(KafkaConsumer<String, byte[]> c) {
    long sum = 0;
    for (TopicPartition tp : c.assignment()) {
      sum += c.currentLag(tp).orElse(0);
    }
    return sum;
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    for (TopicPartition tp : records.partitions()) {
      List<ConsumerRecord<String, byte[]>> part = records.records(tp);
      out.put(tp, new OffsetAndMetadata(part.get(part.size() - 1).offset() + 1));
    }
    return out;
  }

  /** The store changes of a poll's messages, in order; unusable messages counted and left out. */
  List<DistrictStore.Change> changes(ConsumerRecords<String, byte[]> records) {
    List<DistrictStore.Change> out = new ArrayList<>(records.count());
    Map<String, Integer> counts = new HashMap<>();
    // Per school: block messages, and those during instruction; counted once per poll, not per message.
    Map<String, long[]> bySchool = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      String type = r.topic().equals(topics.blocks()) ? "block" : r.topic().equals(topics.health()) ? "health"
          : "request";
      Messages.Read read = Messages.read(r.value(), type);
      if (read.problem() != null) {
        meters.hubRejected(read.problem());
        continue;
      }
      DistrictStore.Change c = change(type, read.message());
      if (c == null) {
        meters.hubRejected("bad_field");
        continue;
      }
      out.add(c);
      counts.merge(type, 1, Integer::sum);
      if (c instanceof DistrictStore.Change.Block b) {
        long[] n = bySchool.computeIfAbsent(b.site(), k -> new long[2]);
        n[0]++;
        n[1] += b.event().path("instructional").asBoolean(false) ? 1 : 0;
      }
    }
    counts.forEach(meters::hubMessages);
    bySchool.forEach((site, n) -> meters.hubSchoolBlocks(site, n[0], n[1]));
    return out;
  }

  private static DistrictStore.Change change(String type, ObjectNode m) {
    String site = m.path("site_id").asText("");
    String name = m.path("site_name").asText(site);
    if (!SITE.matcher(site).matches()) {
      return null;
    }
    if (type.equals("block")) {
      String id = m.path("event_id").asText("");
      JsonNode replaces = m.path("replaces");
      JsonNode event = m.get("event");
      if (!ID.matcher(id).matches() || !(event instanceof ObjectNode) || !event.path("time").isTextual()
          || !replaces.isMissingNode() && !replaces.isNull() && !ID.matcher(replaces.asText()).matches()) {
        return null;
      }
      return new DistrictStore.Change.Block(site, name, id, replaces.isTextual() ? replaces.asText() : null, event);
    }
    if (type.equals("health")) {
      return new DistrictStore.Change.Health(site, name, m);
    }
    String key = m.path("request_id").asText("");
    return REQUEST_ID.matcher(key).matches() ? new DistrictStore.Change.Request(site, name, key, m) : null;
  }

  private void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @Override
  public void close() {
    running = false;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    thread.interrupt();
    try {
      thread.join(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
