package org.bellwatch.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A link to a Kafka cluster, the same for a site's export and a hub's consumption (docs/kafka.md).
 *
 * @param bootstrapServers {@code host:port} of one or more brokers
 * @param topicPrefix topics are {@code PREFIX.blocks}, {@code PREFIX.health}, {@code
 *     PREFIX.decisions}, ...
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
  public KafkaLink {
    bootstrapServers = List.copyOf(bootstrapServers);
  }
}
