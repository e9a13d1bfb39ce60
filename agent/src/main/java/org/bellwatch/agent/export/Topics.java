package org.bellwatch.agent.export;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The district's topics under one prefix, and which partition a site's messages go to: all of one
 * site's messages in one partition, so a site's updates are read in the order it sent them,
 * whatever follows the site id in the key.
 */
public record Topics(String prefix) {
  public String blocks() {
    return prefix + ".blocks";
  }

  public String health() {
    return prefix + ".health";
  }

  public String rollups() {
    return prefix + ".rollups";
  }

  public String requests() {
    return prefix + ".requests";
  }

  public String decisions() {
    return prefix + ".decisions";
  }

  /** Kafka's own key hash (murmur2, as its default partitioner), over the site id alone. */
  public static int partition(String siteId, int partitions) {
    return Utils.toPositive(Utils.murmur2(siteId.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
