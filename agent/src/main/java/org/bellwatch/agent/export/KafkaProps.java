package org.bellwatch.agent.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bellwatch.agent.config.KafkaLink;

/**
 * Kafka client settings for a configured link: the connection and security, then producer or
 * consumer.
 */
public final class KafkaProps {
  private KafkaProps() {}

  /**
   * An idempotent producer (KIP-98): acks from every in-sync replica, retries without duplicates or
   * reordering within a partition (at most 5 requests in flight keep the order with idempotence
   * on).
   */
  public static Map<String, Object> producer(KafkaLink link, String clientId) throws IOException {
    return producer(link, clientId, null);
  }

  /**
   * A producer as {@link #producer(KafkaLink, String)}, transactional when {@code transactionalId}
   * is set (KIP-98): what a failed round sent is aborted, and a read_committed consumer never sees
   * it.
   */
  public static Map<String, Object> producer(
      KafkaLink link, String clientId, String transactionalId) throws IOException {
    Map<String, Object> p = common(link, clientId);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    p.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
    long delivery = link.deliveryTimeout().toMillis();
    long request = Math.min(30_000, delivery / 2);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) request);
    // send() waits this long for metadata (a broker that cannot be reached) before it fails the
    // batch.
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, request);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // A site sends to one partition: a round of thousands of ~1 KB messages goes in a few large
    // batches (one produce request each) instead of hundreds of the default 16 KB.
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    if (transactionalId != null) {
      p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
      p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) delivery);
    }
    return p;
  }

  /** A consumer group member that commits offsets itself, after what it read is stored. */
  public static Map<String, Object> consumer(KafkaLink link, String clientId, String groupId)
      throws IOException {
    Map<String, Object> p = common(link, clientId);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Only committed transactions: a site's export round that failed half-way was aborted and is
    // skipped.
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return p;
  }

  private static Map<String, Object> common(KafkaLink link, String clientId) throws IOException {
    Map<String, Object> p = new HashMap<>();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", link.bootstrapServers()));
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, link.securityProtocol());
    if (link.tlsCaFile() != null) {
      p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
      p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, link.tlsCaFile().toString());
    }
    if (link.saslMechanism() != null) {
      String password =
          Files.readAllLines(link.saslPasswordFile(), StandardCharsets.UTF_8).stream()
              .findFirst()
              .orElse("");
      p.put(SaslConfigs.SASL_MECHANISM, link.saslMechanism());
      p.put(
          SaslConfigs.SASL_JAAS_CONFIG,
          "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
              + jaasQuoted(link.saslUsername())
              + "\" password=\""
              + jaasQuoted(password)
              + "\";");
    }
    return p;
  }

  /**
   * A JAAS quoted string's content: backslash and double quote escaped (JAAS configuration file
   * syntax).
   */
  static String jaasQuoted(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
