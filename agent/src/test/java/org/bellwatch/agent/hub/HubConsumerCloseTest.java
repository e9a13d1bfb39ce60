package org.bellwatch.agent.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.config.KafkaLink;
import org.bellwatch.agent.export.Topics;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.testing.KafkaBrokers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Regression: closing the hub's consumer interrupted its thread, so the Kafka consumer could not
 * close: it logged "Failed to close coordinator" and "Failed to close fetcher" with their stack
 * traces as errors at every stop of the hub (seen in {@code scripts/bench-hub ingest}), and did not
 * wait for the group to take its leave.
 */
class HubConsumerCloseTest {
  @TempDir Path dir;

  private static ConsumerGroupDescription group(KafkaBrokers kafka, String id) throws Exception {
    try (Admin admin = kafka.admin()) {
      return admin.describeConsumerGroups(List.of(id)).all().get().get(id);
    }
  }

  @Test
  void aClosedHubLeavesItsConsumerGroupAtOnceAndKafkaLogsNoError() throws Exception {
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    Logger kafkaLog = (Logger) LoggerFactory.getLogger("org.apache.kafka");
    logged.start();
    kafkaLog.addAppender(logged);
    KafkaBrokers kafka = KafkaBrokers.shared();
    String prefix = "close" + System.nanoTime();
    Topics topics = new Topics(prefix);
    kafka.createTopics(topics.ofSite("adams-es"), 2, 1);
    KafkaLink link = KafkaBrokers.plaintextLink(kafka.bootstrapServers(), prefix, null, null);
    String groupId = prefix + "-hub";
    HubConfig cfg =
        new HubConfig(
            "District", link, groupId, dir, InetAddress.getLoopbackAddress(), 0, List.of());
    try (DistrictStore store = DistrictStore.open(dir.resolve("store"), ZoneOffset.UTC)) {
      HubConsumer consumer =
          new HubConsumer(cfg, store, new BellwatchMeters(new SimpleMeterRegistry()));
      consumer.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> group(kafka, groupId).members().size() == 1);

      consumer.close();

      assertThat(group(kafka, groupId).members()).isEmpty();
      assertThat(logged.list)
          .filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
          .extracting(ILoggingEvent::getFormattedMessage)
          .isEmpty();
    } finally {
      kafkaLog.detachAppender(logged);
    }
  }
}
