package org.bellwatch.agent.export;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.bellwatch.agent.config.KafkaLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One site's transactional producer (KIP-98, transactional id {@code bellwatch-site-SITE}): the
 * records of an exporter round go in one transaction, begun with its first record and committed
 * once every record is acknowledged by all in-sync replicas. Every record goes to the site's
 * partition ({@link Topics#partition}). The producer is made when first needed; its initialisation
 * aborts what an earlier producer with the same id left open and fences it. After a failure the
 * exporter {@link #discard}s it, and the next round starts a new one.
 */
final class SiteTransactions implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SiteTransactions.class);

  private final KafkaLink link;
  private Producer<String, byte[]> producer;

  /** The records of the transaction under way; empty when none is. */
  private final List<Future<RecordMetadata>> sent = new ArrayList<>();

  SiteTransactions(KafkaLink link) {
    this.link = link;
  }

  /** Sends one record in the transaction under way, beginning it with the first. */
  void send(String topic, String key, byte[] value) throws IOException {
    Producer<String, byte[]> p = producer();
    if (sent.isEmpty()) {
      p.beginTransaction();
    }
    int partitions = p.partitionsFor(topic).size();
    sent.add(
        p.send(
            new ProducerRecord<>(topic, Topics.partition(link.siteId(), partitions), key, value)));
  }

  /**
   * Waits until Kafka acknowledged every record sent, then commits the transaction; nothing when
   * none was sent. A failure is thrown (the exporter then discards this producer).
   */
  void commit() throws ExecutionException, InterruptedException {
    if (sent.isEmpty()) {
      return;
    }
    producer.flush();
    for (Future<RecordMetadata> f : sent) {
      f.get();
    }
    producer.commitTransaction();
    sent.clear();
  }

  private Producer<String, byte[]> producer() throws IOException {
    if (producer == null) {
      String id = "bellwatch-site-" + link.siteId();
      KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaProps.producer(link, id, id));
      try {
        p.initTransactions();
      } catch (KafkaException e) {
        p.close(Duration.ZERO);
        throw e;
      }
      producer = p;
    }
    return producer;
  }

  /**
   * Closes the producer, waiting up to {@code wait} for what it holds; the transaction under way,
   * if any, is left to be aborted by the next producer's initialisation.
   */
  void discard(Duration wait) {
    sent.clear();
    if (producer != null) {
      try {
        producer.close(wait);
      } catch (KafkaException e) {
        log.debug("export: closing the producer: {}", e.getMessage());
      }
      producer = null;
    }
  }

  @Override
  public void close() {
    discard(Duration.ofSeconds(5));
  }
}
