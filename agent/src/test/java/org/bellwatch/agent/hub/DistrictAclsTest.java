package org.bellwatch.agent.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.config.KafkaLink;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.export.KafkaProps;
import org.bellwatch.agent.export.Messages;
import org.bellwatch.agent.export.Topics;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.store.Outbox;
import org.bellwatch.agent.testing.DistrictEvents;
import org.bellwatch.agent.testing.KafkaBrokers;
import org.bellwatch.agent.testing.ShiftedClock;
import org.bellwatch.agent.web.Passwords;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A district secured as docs/kafka.md "Securing a district" says: every school and the hub log in
 * with SCRAM users of their own, and the ACLs there are all any of them may do (a broker that
 * allows nothing without an ACL). A compromised school appliance holds its own Kafka password: with
 * it, it may not write the decisions topic, write another school's topics, read other schools'
 * blocks, or take another school's transactional id; what it writes on its own topics in another
 * school's name the hub refuses; the school's agent and the hub still work end to end.
 */
class DistrictAclsTest {
  private static final String PREFIX = "secured";
  private static final String IT_PASSWORD = "district it password 1";
  private static final Instant MONDAY = Instant.parse("2026-09-14T15:00:00Z");
  private static KafkaBrokers kafka;
  @TempDir static Path dir;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = KafkaBrokers.secured();
    kafka.createDistrictTopics(PREFIX, List.of("adams-es", "baker-ms"), 1, 1);
    kafka.addScramUser("adams-es", "adams school kafka password");
    kafka.addScramUser("baker-ms", "baker school kafka password");
    kafka.addScramUser("hub", "district hub kafka password");
    List<AclBinding> acls = new ArrayList<>();
    acls.addAll(schoolAcls("adams-es"));
    acls.addAll(schoolAcls("baker-ms"));
    acls.addAll(hubAcls("hub", "bellwatch-hub"));
    try (Admin admin = kafka.admin()) {
      admin.createAcls(acls).all().get();
    }
  }

  @AfterAll
  static void stopKafka() throws Exception {
    kafka.close();
  }

  /**
   * What docs/kafka.md's {@code kafka-acls} commands give a school whose principal and site id are
   * {@code site}: write its own four topics (literal names: a prefixed ACL on {@code
   * PREFIX.blocks.adams} would cover {@code PREFIX.blocks.adams-es} too), read decisions with its
   * own group, its own transactional id.
   */
  static List<AclBinding> schoolAcls(String site) {
    String user = "User:" + site;
    List<AclBinding> acls = new ArrayList<>();
    for (String topic : new Topics(PREFIX).ofSite(site)) {
      acls.add(allow(user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
    }
    acls.add(
        allow(
            user,
            ResourceType.TOPIC,
            PREFIX + ".decisions",
            PatternType.LITERAL,
            AclOperation.READ));
    acls.add(
        allow(
            user,
            ResourceType.GROUP,
            "bellwatch-site-" + site,
            PatternType.LITERAL,
            AclOperation.READ));
    acls.add(
        allow(
            user,
            ResourceType.TRANSACTIONAL_ID,
            "bellwatch-site-" + site,
            PatternType.LITERAL,
            AclOperation.WRITE));
    return acls;
  }

  /**
   * What docs/kafka.md's commands give the hub: read every school's topics (prefixed, so a new
   * school needs no new hub ACL), write decisions.
   */
  static List<AclBinding> hubAcls(String principal, String group) {
    String user = "User:" + principal;
    List<AclBinding> acls = new ArrayList<>();
    for (String kind : List.of(".blocks.", ".health.", ".requests.")) {
      acls.add(
          allow(user, ResourceType.TOPIC, PREFIX + kind, PatternType.PREFIXED, AclOperation.READ));
    }
    acls.add(
        allow(
            user,
            ResourceType.TOPIC,
            PREFIX + ".decisions",
            PatternType.LITERAL,
            AclOperation.WRITE));
    acls.add(allow(user, ResourceType.GROUP, group, PatternType.LITERAL, AclOperation.READ));
    return acls;
  }

  private static AclBinding allow(
      String principal, ResourceType type, String name, PatternType pattern, AclOperation op) {
    return new AclBinding(
        new ResourcePattern(type, name, pattern),
        new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
  }

  private static KafkaLink link(String user, String password, String site, String siteName)
      throws Exception {
    Path file = Files.createTempFile(dir, user, ".password");
    Files.writeString(file, password + "\n");
    return new KafkaLink(
        List.of(kafka.bootstrapServers()),
        PREFIX,
        site,
        siteName,
        "SASL_PLAINTEXT",
        null,
        "SCRAM-SHA-512",
        user,
        file,
        Duration.ofSeconds(10),
        1_000);
  }

  private static KafkaLink adams() throws Exception {
    return link("adams-es", "adams school kafka password", "adams-es", "Adams Elementary");
  }

  @Test
  void aSchoolsKafkaPasswordCannotWriteTheDecisionsTopic() throws Exception {
    Map<String, Object> props = KafkaProps.producer(adams(), "attacker");
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(props)) {
      Throwable refused =
          catchThrowable(
              () ->
                  p.send(
                          new ProducerRecord<>(
                              PREFIX + ".decisions",
                              "forged",
                              ("{\"v\":1,\"type\":\"decision\",\"domain\":\"games.example\","
                                      + "\"action\":\"unblocked\",\"schools\":[]}")
                                  .getBytes(StandardCharsets.UTF_8)))
                      .get());
      assertThat(refused).hasCauseInstanceOf(TopicAuthorizationException.class);
    }
    assertThat(endOffsets(PREFIX + ".decisions")).isZero();
  }

  @Test
  void aSchoolsKafkaPasswordCannotReadOtherSchoolsBlocks() throws Exception {
    Map<String, Object> props = KafkaProps.consumer(adams(), "attacker", "bellwatch-site-adams-es");
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props)) {
      c.assign(List.of(new TopicPartition(PREFIX + ".blocks.baker-ms", 0)));
      Throwable refused = catchThrowable(() -> c.poll(Duration.ofSeconds(10)));
      assertThat(refused).isInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  void aSchoolsKafkaPasswordCannotWriteAnotherSchoolsTopicsEvenWithThatSchoolsKeyAndBody()
      throws Exception {
    // A taken-over Adams appliance poses as Baker: key and body both name Baker, as Baker's own
    // exporter writes them. Only the topic's ACL tells the two schools apart.
    Topics topics = new Topics(PREFIX);
    Map<String, Object> props = KafkaProps.producer(adams(), "attacker");
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(props)) {
      for (ProducerRecord<String, byte[]> forged :
          List.of(
              new ProducerRecord<>(
                  topics.blocks("baker-ms"), "baker-ms/" + EVENT_ID, bakerBlock(EVENT_ID)),
              new ProducerRecord<>(topics.health("baker-ms"), "baker-ms", bakerHealth()),
              new ProducerRecord<>(topics.requests("baker-ms"), "baker-ms", bakerHealth()),
              new ProducerRecord<>(
                  topics.rollups("baker-ms"), "baker-ms/2026-09-14", bakerHealth()))) {
        assertThat(catchThrowable(() -> p.send(forged).get()))
            .as(forged.topic())
            .hasCauseInstanceOf(TopicAuthorizationException.class);
      }
    }
    for (String topic : topics.ofSite("baker-ms")) {
      assertThat(endOffsets(topic)).as(topic).isZero();
    }
  }

  @Test
  void aSchoolsKafkaPasswordCannotTakeAnotherSchoolsTransactionalId() throws Exception {
    // Taking it would fence the other school's exporter (KIP-98) and stop its export.
    Map<String, Object> props = KafkaProps.producer(adams(), "attacker", "bellwatch-site-baker-ms");
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(props)) {
      assertThat(catchThrowable(p::initTransactions))
          .isInstanceOf(TransactionalIdAuthorizationException.class);
    }
  }

  @Test
  void aSchoolWithItsOwnPrincipalStillExportsAndTheHubsDecisionReachesIt() throws Exception {
    HubConfig cfg =
        new HubConfig(
            "Springfield",
            link("hub", "district hub kafka password", null, null),
            "bellwatch-hub",
            dir.resolve("hub"),
            InetAddress.getLoopbackAddress(),
            0,
            List.of(
                new HubConfig.Account(
                    "it", "district_it", null, Passwords.hash(IT_PASSWORD.toCharArray(), 1000))));
    try (DistrictSite school =
            new DistrictSite(adams(), ZoneId.of("America/Chicago"), dir.resolve("adams"));
        Hub hub = Hub.start(cfg, new ShiftedClock(MONDAY.plus(Duration.ofDays(4))))) {
      // Adams's principal may write its own topics, so it can write Baker's key and body there:
      // the hub takes the school from the topic, and refuses both.
      Topics topics = new Topics(PREFIX);
      try (KafkaProducer<String, byte[]> p =
          new KafkaProducer<>(KafkaProps.producer(adams(), "attacker"))) {
        p.send(
                new ProducerRecord<>(
                    topics.blocks("adams-es"), "baker-ms/" + EVENT_ID, bakerBlock(EVENT_ID)))
            .get();
        p.send(new ProducerRecord<>(topics.health("adams-es"), "baker-ms", bakerHealth())).get();
      }
      BlockEvent e = DistrictEvents.block(MONDAY, 0, "video.example");
      school.store.append(List.of(e));
      String key = "adams-es/" + Outbox.id(EventStore.EventRef.of(e));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> DistrictTest.blockKeys(hub, "it", IT_PASSWORD).equals(List.of(key)));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> rejected(hub, "site_mismatch"), n -> n == 2);
      assertThat(DistrictTest.blockKeys(hub, "it", IT_PASSWORD)).containsExactly(key);
      assertThat(schools(hub)).containsExactly("adams-es");

      HttpResponse<String> decided =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + hub.port() + "/api/v1/district/decisions"))
                      .header(
                          "Authorization",
                          "Basic "
                              + Base64.getEncoder()
                                  .encodeToString(
                                      ("it:" + IT_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"domain\":\"video.example\",\"action\":\"unblocked\","
                                  + "\"reason\":\"Used in lessons\",\"schools\":[]}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(decided.statusCode()).as(decided.body()).isEqualTo(201);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> school.store.console().reviews().get("video.example").isPresent());
      Review review = school.store.console().reviews().get("video.example").orElseThrow();
      assertThat(review.status()).isEqualTo(Review.UNBLOCKED);
      assertThat(review.decision().orElseThrow().reason()).isEqualTo("Used in lessons");
    }
  }

  private static final String EVENT_ID = "00065b72b026dc00-d3f78fe8e43e3704";

  /** A block message as Baker's own exporter writes it. */
  private static byte[] bakerBlock(String eventId) {
    return ("{\"v\":1,\"type\":\"block\",\"site_id\":\"baker-ms\",\"site_name\":\"Baker Middle\","
            + "\"event_id\":\""
            + eventId
            + "\",\"replaces\":null,\"event\":{\"time\":\"2026-09-14T15:00:00Z\","
            + "\"domain\":\"forged.example\",\"instructional\":true}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** A health message as Baker's own exporter writes it. */
  private static byte[] bakerHealth() {
    return Messages.health("baker-ms", "Baker Middle", MONDAY, "ok", 0);
  }

  /** The hub's count of messages refused for {@code reason}, from its {@code /metrics}. */
  private static double rejected(Hub hub, String reason) throws Exception {
    return metricLines(hub)
        .filter(
            l ->
                l.startsWith("bellwatch_hub_rejected_total{")
                    && l.contains("reason=\"" + reason + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(0);
  }

  /** The lines of the hub's {@code /metrics} (no login: the hub listens on loopback). */
  static java.util.stream.Stream<String> metricLines(Hub hub) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body()
        .lines();
  }

  /** The site ids of the schools the hub lists. */
  private static List<String> schools(Hub hub) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + hub.port() + "/api/v1/district/schools"))
                    .header(
                        "Authorization",
                        "Basic "
                            + Base64.getEncoder()
                                .encodeToString(
                                    ("it:" + IT_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    List<String> out = new ArrayList<>();
    new ObjectMapper()
        .readTree(r.body())
        .get("schools")
        .forEach(s -> out.add(s.get("school").asText()));
    return out;
  }

  /** The end offsets of the topic's partitions, summed: what was ever written to it. */
  private static long endOffsets(String topic) throws Exception {
    try (Admin admin = kafka.admin()) {
      int partitions =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
      Map<TopicPartition, OffsetSpec> ends = new java.util.HashMap<>();
      for (int i = 0; i < partitions; i++) {
        ends.put(new TopicPartition(topic, i), OffsetSpec.latest());
      }
      return admin.listOffsets(ends).all().get().values().stream()
          .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset)
          .sum();
    }
  }
}
