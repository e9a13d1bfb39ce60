package org.bellwatch.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A link to a Kafka cluster, the same for a site's export and a hub's consumption (docs/kafka.md).
 *
 * @param bootstrapServers {@code host:port} of one or more brokers
 * @param topicPrefix a school's topics are {@code PREFIX.blocks.SITE_ID}, {@code
 *     PREFIX.health.SITE_ID}, ...; the hub's is {@code PREFIX.decisions} ({@code export.Topics})
 * @param siteId this school's id in the district: the message key's first part (sites only)
 * @param siteName this school's display name (sites only)
 * @param securityProtocol {@code PLAINTEXT}, {@code SSL}, {@code SASL_PLAINTEXT} or {@code
 *     SASL_SSL}
 * @param tlsCaFile PEM file of the CA certificates that sign the brokers' (SSL, SASL_SSL), or null
 * @param saslMechanism {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512} (SASL_*), or null
 * @param saslUsername the SCRAM user (SASL_*), or null
 * @param saslPasswordFile a file whose first line is the SCRAM password (SASL_*), or null
 * @param deliveryTimeout how long one batch may wait for the brokers before it is sent again
 * @param lagWarnEvents /health reports the export as lagging past this many unsent events
 */
public record KafkaLink(
    List<String> bootstrapServers,
    String topicPrefix,
    String siteId,
    String siteName,
    String securityProtocol,
    Path tlsCaFile,
    String saslMechanism,
    String saslUsername,
    Path saslPasswordFile,
    Duration deliveryTimeout,
    long lagWarnEvents) {
  /**
   * A site id: the first part of every message key, the last of its topics' names and a console
   * filter value: short and plain, and without '.', which separates a topic name's parts.
   */
  public static final Pattern SITE_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  /**
   * The longest topic prefix: a school's longest topic name, {@code PREFIX.requests.SITE_ID} with a
   * site id of 64 characters, is then Kafka's longest, 249 characters.
   */
  public static final int MAX_TOPIC_PREFIX = 249 - ".requests.".length() - 64;

  public KafkaLink {
    bootstrapServers = List.copyOf(bootstrapServers);
  }
}
