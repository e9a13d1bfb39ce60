package org.bellwatch.agent.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.bellwatch.agent.config.KafkaLink;
import org.bellwatch.agent.export.Topics;

/**
 * A real Apache Kafka cluster in KRaft mode (the broker and controller code of the {@code
 * kafka_2.13} server artifact, started in this JVM on loopback ports): one combined node, or
 * several brokers with their own controller, so a test can stop and start a broker under load.
 */
public final class KafkaBrokers implements AutoCloseable {
  private final KafkaClusterTestKit cluster;
  private static KafkaBrokers shared;

  private KafkaBrokers(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  /**
   * One single-node cluster for every test class of this JVM that does not stop its broker ({@link
   * #own} for those that do): starting one takes seconds, so classes share it, each under topic
   * names of its own. Closed when the JVM exits.
   */
  public static synchronized KafkaBrokers shared() throws Exception {
    if (shared == null) {
      Path dir = java.nio.file.Files.createTempDirectory("bellwatch-kafka");
      shared = start(dir, 1);
      KafkaBrokers s = shared;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      s.close();
                    } catch (Exception e) {
                      // The JVM is exiting; the folder is temporary.
                    }
                  }));
    }
    return shared;
  }

  /**
   * A single-node cluster of its own, for a test class that stops and restarts its broker: a broker
   * restarted under another class's feet left that class's admin calls waiting for a node
   * assignment. Close it after.
   */
  public static KafkaBrokers own() throws Exception {
    return start(java.nio.file.Files.createTempDirectory("bellwatch-kafka"), 1);
  }

  /**
   * Starts {@code brokers} brokers (one: a combined broker and controller) with their data under
   * {@code dir}, and waits until they serve.
   */
  public static KafkaBrokers start(Path dir, int brokers) throws Exception {
    return start(
        new TestKitNodes.Builder()
            .setCombined(brokers == 1)
            .setNumBrokerNodes(brokers)
            .setNumControllerNodes(1)
            .setBaseDirectory(dir)
            .build(),
        Map.of());
  }

  /**
   * A single-node cluster of its own that authenticates every client with SASL and authorises it
   * with ACLs (KRaft's StandardAuthorizer, nothing allowed without an ACL): the test kit's broker
   * and controller talk PLAIN as the super user {@link #ADMIN} ({@link #admin}), and clients may
   * also log in with SCRAM-SHA-512 users made by {@link #addScramUser}. Close it after.
   */
  public static KafkaBrokers secured() throws Exception {
    return start(
        new TestKitNodes.Builder()
            .setCombined(true)
            .setNumBrokerNodes(1)
            .setNumControllerNodes(1)
            .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
            .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
            .setBaseDirectory(java.nio.file.Files.createTempDirectory("bellwatch-kafka"))
            .build(),
        // The kit sets the authorizer (StandardAuthorizer, allow.everyone.if.no.acl.found=false)
        // and the PLAIN super user only where a setting is absent: the mechanisms are ours.
        Map.of("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512"));
  }

  /** The super user of a {@link #secured} cluster, as the test kit names it. */
  public static final String ADMIN = "plain-admin";

  /** Makes (or changes) a SCRAM-SHA-512 user of a {@link #secured} cluster. */
  public void addScramUser(String user, String password) throws Exception {
    try (Admin admin = cluster.admin()) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
          .all()
          .get();
    }
  }

  private static KafkaBrokers start(TestKitNodes nodes, Map<String, String> extra)
      throws Exception {
    int brokers = nodes.brokerNodes().size();
    KafkaClusterTestKit.Builder b =
        new KafkaClusterTestKit.Builder(nodes)
            // Small, fast test cluster: one group coordinator partition, no wait before the first
            // rebalance.
            .setConfigProp("offsets.topic.num.partitions", "1")
            .setConfigProp("offsets.topic.replication.factor", String.valueOf(Math.min(brokers, 3)))
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp(
                "transaction.state.log.replication.factor", String.valueOf(Math.min(brokers, 3)))
            .setConfigProp("transaction.state.log.min.isr", "1")
            // One transaction coordinator partition, not 50: a loaded machine took tens of seconds
            // to lead 50,
            // and every site's first export waits for its coordinator.
            .setConfigProp("transaction.state.log.num.partitions", "1");
    extra.forEach(b::setConfigProp);
    KafkaClusterTestKit cluster = b.build();
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      if (nodes.brokerListenerProtocol() == SecurityProtocol.PLAINTEXT) {
        // A secured cluster's clients log in as their own users, with their own ACLs: none is
        // made here.
        awaitTransactionCoordinator(cluster.bootstrapServers());
      }
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
    return new KafkaBrokers(cluster);
  }

  /**
   * A PLAINTEXT link to {@code bootstrap} under {@code prefix}: a site's when {@code siteId} is
   * set, else the hub's.
   */
  public static KafkaLink plaintextLink(
      String bootstrap, String prefix, String siteId, String siteName) {
    return plaintextLink(bootstrap, prefix, siteId, siteName, 1_000);
  }

  /** {@link #plaintextLink(String, String, String, String)} warning at {@code lagWarn} events. */
  public static KafkaLink plaintextLink(
      String bootstrap, String prefix, String siteId, String siteName, long lagWarn) {
    return new KafkaLink(
        List.of(bootstrap),
        prefix,
        siteId,
        siteName,
        "PLAINTEXT",
        null,
        null,
        null,
        null,
        Duration.ofSeconds(6),
        lagWarn);
  }

  /**
   * Waits until the brokers can run transactions: the transaction state topic is created at the
   * first transactional request and its coordinator then loads it, during which every site's {@code
   * initTransactions} waits (and under load timed out). One producer's initialisation with a
   * generous bound does both before any test starts.
   */
  private static void awaitTransactionCoordinator(String bootstrap) {
    Map<String, Object> p =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            "bellwatch-test-broker-ready",
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            120_000,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      producer.initTransactions();
    }
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /**
   * Creates the topics with {@code partitions} partitions each and {@code replicas} copies of each.
   */
  public void createTopics(List<String> names, int partitions, int replicas) throws Exception {
    try (Admin admin = cluster.admin()) {
      admin
          .createTopics(
              names.stream()
                  .map(
                      n ->
                          new NewTopic(n, partitions, (short) replicas)
                              .configs(
                                  Map.of(
                                      "min.insync.replicas",
                                      String.valueOf(Math.max(1, replicas - 1)))))
                  .toList())
          .all()
          .get();
    }
  }

  /**
   * Creates a district's topics as docs/kafka.md says an operator does: the hub's decisions topic
   * and each school's own topics, with {@code partitions} partitions and {@code replicas} copies of
   * each.
   */
  public void createDistrictTopics(String prefix, List<String> sites, int partitions, int replicas)
      throws Exception {
    Topics topics = new Topics(prefix);
    List<String> names = new java.util.ArrayList<>(List.of(topics.decisions()));
    sites.forEach(site -> names.addAll(topics.ofSite(site)));
    createTopics(names, partitions, replicas);
  }

  /** A plain producer to this cluster (no transactions), for messages a test writes by hand. */
  public KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()),
        new org.apache.kafka.common.serialization.StringSerializer(),
        new ByteArraySerializer());
  }

  public Admin admin() {
    return cluster.admin();
  }

  /** The ids of the brokers. */
  public List<Integer> brokerIds() {
    return List.copyOf(cluster.brokers().keySet());
  }

  /**
   * Stops one broker (its controller, in a combined node, keeps running); its data stays on disk.
   */
  public void stopBroker(int id) {
    cluster.brokers().get(id).shutdown();
    cluster.brokers().get(id).awaitShutdown();
  }

  /** Starts a stopped broker again, on its former port, with its former data. */
  public void restartBroker(int id) {
    cluster.brokers().get(id).startup();
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
