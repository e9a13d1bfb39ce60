package org.bellwatch.agent.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.bellwatch.agent.export.Messages;
import org.bellwatch.agent.export.Topics;
import org.bellwatch.agent.metrics.BellwatchMeters;

/**
 * Turns a poll's Kafka records into the hub store's changes: each message read and checked (its
 * fields, its school against the topic it came on and against its key), and a message that cannot
 * be used counted by a named reason and left out, never retried. Used on the consumer's thread
 * only.
 */
final class PollChanges {
  /**
   * The reason a message is refused whose key does not name the site its body names. A site's
   * exporter always keys a message by its own site id (docs/kafka.md, "Topics"), so a mismatch is a
   * broken or forging producer. On a school's own topic, {@link #SITE_MISMATCH} is checked first;
   * on a shared topic of before, a forger that writes both consistently is not caught (nothing
   * there says who wrote a message).
   */
  static final String KEY_MISMATCH = "key_mismatch";

  /**
   * The reason a message is refused whose key or body names another school than the topic it was
   * written to: a school's principal may write its own topics only (docs/kafka.md, "Securing a
   * district"), so the topic names the school the brokers vouch for, and a message naming another
   * is a school posing as another.
   */
  static final String SITE_MISMATCH = "site_mismatch";

  /** A request's id: its time in epoch micros and its domain. */
  private static final Pattern REQUEST_ID = Pattern.compile("[0-9]{1,20}:[a-z0-9._-]{1,253}");

  private final Topics topics;
  private final BellwatchMeters meters;

  /**
   * Each topic's origin, by name: parsed once per topic, not per message (consumer thread only).
   */
  private final Map<String, Topics.Origin> origins = new HashMap<>();

  /** The site id and school name last found valid (consumer thread only). */
  private final BlockMessage.Checked checked = new BlockMessage.Checked();

  PollChanges(Topics topics, BellwatchMeters meters) {
    this.topics = topics;
    this.meters = meters;
  }

  /** The store changes of a poll's messages, in order; unusable messages counted and left out. */
  List<DistrictStore.Change> changes(ConsumerRecords<String, byte[]> records) {
    List<DistrictStore.Change> out = new ArrayList<>(records.count());
    Map<String, Integer> counts = new HashMap<>();
    // Per school: block messages, and those during instruction; counted once per poll, not per
    // message.
    Map<String, long[]> bySchool = new HashMap<>();
    // Per school: messages read from a shared topic of before, so that IT sees which schools still
    // write there (docs/kafka.md, "Upgrading from shared topics").
    Map<String, Integer> shared = new HashMap<>();
    // Partition by partition, the order ConsumerRecords iterates in anyway: a partition is of one
    // topic, so its origin is looked up and its messages counted once.
    for (TopicPartition tp : records.partitions()) {
      Topics.Origin origin = origins.computeIfAbsent(tp.topic(), topics::origin);
      String type = origin.type();
      int used = 0;
      for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
        DistrictStore.Change c =
            type.equals("block") ? block(origin, r, bySchool) : other(origin, type, r);
        if (c != null) {
          out.add(c);
          used++;
          if (origin.site() == null) {
            shared.merge(c.site(), 1, Integer::sum);
          }
        }
      }
      if (used > 0) {
        counts.merge(type, used, Integer::sum);
      }
    }
    counts.forEach(meters::hubMessages);
    bySchool.forEach((site, n) -> meters.hubSchoolBlocks(site, n[0], n[1]));
    shared.forEach(meters::hubSharedTopicMessages);
    return out;
  }

  /** A block message's change, or null (counted by reason) when it cannot be used. */
  private DistrictStore.Change block(
      Topics.Origin origin, ConsumerRecord<String, byte[]> r, Map<String, long[]> bySchool) {
    BlockMessage.Read read = BlockMessage.read(r.value(), checked);
    BlockMessage m = read.message();
    if (read.problem() != null) {
      meters.hubRejected(read.problem());
      return null;
    }
    if (!origin.admits(m.site(), r.key())) {
      meters.hubRejected(SITE_MISMATCH);
      return null;
    }
    if (!Messages.isBlockKey(r.key(), m.site(), m.eventId())) {
      meters.hubRejected(KEY_MISMATCH);
      return null;
    }
    long[] n = bySchool.computeIfAbsent(m.site(), k -> new long[2]);
    n[0]++;
    n[1] += m.instructional() ? 1 : 0;
    return new DistrictStore.Change.Block(m);
  }

  /** A health or request message's change, or null (counted by reason) when it cannot be used. */
  private DistrictStore.Change other(
      Topics.Origin origin, String type, ConsumerRecord<String, byte[]> r) {
    Messages.Read read = Messages.read(r.value(), type);
    if (read.problem() != null) {
      meters.hubRejected(read.problem());
      return null;
    }
    if (!BlockMessage.siteNameOk(read.message().get("site_name"))) {
      meters.hubRejected(BlockMessage.BAD_SITE_NAME);
      return null;
    }
    DistrictStore.Change c = change(type, read.message());
    if (c == null) {
      meters.hubRejected("bad_field");
      return null;
    }
    String site = read.message().path("site_id").asText();
    if (!origin.admits(site, r.key())) {
      meters.hubRejected(SITE_MISMATCH);
      return null;
    }
    if (!site.equals(r.key())) {
      meters.hubRejected(KEY_MISMATCH);
      return null;
    }
    return c;
  }

  private static DistrictStore.Change change(String type, ObjectNode m) {
    String site = m.path("site_id").asText("");
    String name = m.path("site_name").asText(site);
    if (!BlockMessage.SITE.matcher(site).matches()) {
      return null;
    }
    if (type.equals("health")) {
      return new DistrictStore.Change.Health(site, name, m);
    }
    String key = m.path("request_id").asText("");
    return REQUEST_ID.matcher(key).matches()
        ? new DistrictStore.Change.Request(site, name, key, m)
        : null;
  }
}
