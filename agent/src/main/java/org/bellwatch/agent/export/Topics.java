package org.bellwatch.agent.export;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.utils.Utils;
import org.bellwatch.agent.config.KafkaLink;

/**
 * The district's topics under one prefix. Each school writes topics of its own, named by its site
 * id ({@code PREFIX.blocks.SITE_ID}, {@code PREFIX.health.SITE_ID}, {@code
 * PREFIX.requests.SITE_ID}, {@code PREFIX.rollups.SITE_ID}), so that the brokers' ACLs can let a
 * school's principal write its own topics and no other school's; the hub writes {@code
 * PREFIX.decisions}, which every school reads. The shared topics of before ({@code PREFIX.blocks},
 * ...) are still read by the hub while schools move off them (docs/kafka.md, "Upgrading from shared
 * topics").
 *
 * <p>The separator is '.', which a site id never holds ({@link KafkaLink#SITE_ID}): the site is
 * whatever follows the kind's dot, and the longest name stays within Kafka's 249 characters ({@link
 * KafkaLink#MAX_TOPIC_PREFIX}). Kafka names a topic's metrics with '.' turned into '_' and refuses
 * a topic whose name collides so with another's; two of these names cannot, since the kind words
 * hold neither character and a site id holds no '.'.
 */
public final class Topics {
  /** The kinds of message the hub reads: a school's block events, health and review requests. */
  private static final List<String> HUB_KINDS = List.of("blocks", "health", "requests");

  private final String prefix;
  private final Pattern hubPattern;

  public Topics(String prefix) {
    this.prefix = prefix;
    this.hubPattern =
        Pattern.compile(
            Pattern.quote(prefix)
                + "\\.("
                + String.join("|", HUB_KINDS)
                + ")(?:\\.("
                + KafkaLink.SITE_ID.pattern()
                + "))?");
  }

  public String blocks(String siteId) {
    return prefix + ".blocks." + siteId;
  }

  public String health(String siteId) {
    return prefix + ".health." + siteId;
  }

  public String rollups(String siteId) {
    return prefix + ".rollups." + siteId;
  }

  public String requests(String siteId) {
    return prefix + ".requests." + siteId;
  }

  /** The topics a school writes, as its operator creates them and grants its principal Write. */
  public List<String> ofSite(String siteId) {
    return List.of(blocks(siteId), health(siteId), requests(siteId), rollups(siteId));
  }

  public String decisions() {
    return prefix + ".decisions";
  }

  /**
   * What the hub subscribes to: every school's blocks, health and requests topics, and the shared
   * ones of before. A topic whose site part is not a site id is not matched, so it is never read.
   */
  public Pattern hubPattern() {
    return hubPattern;
  }

  /**
   * Which kind a topic the hub reads holds, and whose it is.
   *
   * @param kind {@code blocks}, {@code health} or {@code requests}
   * @param site the school the topic belongs to, which the brokers' ACLs vouch for; null on a
   *     shared topic of before, where only the message names its school
   */
  public record Origin(String kind, String site) {
    /** The message type the topic holds: {@code block}, {@code health} or {@code request}. */
    public String type() {
      return kind.equals("health") ? kind : kind.substring(0, kind.length() - 1);
    }

    /**
     * Whether a message on this topic may name {@code bodySite} in its body and be keyed {@code
     * key}: on a school's topic, neither may name another school (a key names its school before its
     * first '/'); on a shared topic of before, nothing tells who wrote it, so anything may.
     */
    public boolean admits(String bodySite, String key) {
      if (site == null) {
        return true;
      }
      int slash = key == null ? -1 : key.indexOf('/');
      String keySite = slash < 0 ? key : key.substring(0, slash);
      return site.equals(bodySite) && (keySite == null || site.equals(keySite));
    }
  }

  /** The origin of a topic {@link #hubPattern} matches, or null for any other topic. */
  public Origin origin(String topic) {
    Matcher m = hubPattern.matcher(topic);
    return m.matches() ? new Origin(m.group(1), m.group(2)) : null;
  }

  /**
   * Kafka's own key hash (murmur2, as its default partitioner), over the site id alone: all of one
   * site's messages in one partition, so a site's updates are read in the order it sent them,
   * whatever follows the site id in the key, on a topic of more than one partition too.
   */
  public static int partition(String siteId, int partitions) {
    return Utils.toPositive(Utils.murmur2(siteId.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
