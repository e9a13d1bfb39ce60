package org.bellwatch.agent.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.config.KafkaLink;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.store.Outbox;
import org.bellwatch.agent.testing.DistrictEvents;
import org.bellwatch.agent.testing.KafkaBrokers;
import org.bellwatch.agent.testing.ShiftedClock;
import org.bellwatch.agent.web.Passwords;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale and faults: three brokers, every topic with three replicas and two in sync required; a
 * broker is killed while two schools publish and the hub consumes. Tagged {@code slow}: it starts a
 * cluster of its own, so it is not in the default suite; run it with {@code mvn -pl agent
 * -Dgroups=slow -Dbellwatch.excludedGroups=none test}.
 */
@Tag("slow")
class ThreeBrokerDistrictTest {
  private static final Instant MONDAY = Instant.parse("2026-09-14T15:00:00Z");
  @TempDir Path dir;

  @Test
  void aBrokerKilledWhileSchoolsPublishAndTheHubReadsLosesNothingAndDoublesNothing()
      throws Exception {
    try (KafkaBrokers kafka = KafkaBrokers.start(dir.resolve("kafka"), 3)) {
      String prefix = "rf3";
      kafka.createDistrictTopics(prefix, List.of("adams-es", "baker-ms"), 1, 3);
      KafkaLink hubLink =
          new KafkaLink(
              List.of(kafka.bootstrapServers()),
              prefix,
              null,
              null,
              "PLAINTEXT",
              null,
              null,
              null,
              null,
              Duration.ofSeconds(20),
              1_000);
      HubConfig cfg =
          new HubConfig(
              "District",
              hubLink,
              "rf3-hub",
              dir.resolve("hub"),
              InetAddress.getLoopbackAddress(),
              0,
              List.of(
                  new HubConfig.Account(
                      "it",
                      "district_it",
                      null,
                      Passwords.hash("district it password".toCharArray(), 1000))));
      Set<String> expected = new HashSet<>();
      try (DistrictSite a =
              new DistrictSite(
                  "adams-es",
                  "Adams",
                  ZoneId.of("UTC"),
                  dir.resolve("a"),
                  prefix,
                  kafka.bootstrapServers());
          DistrictSite b =
              new DistrictSite(
                  "baker-ms",
                  "Baker",
                  ZoneId.of("UTC"),
                  dir.resolve("b"),
                  prefix,
                  kafka.bootstrapServers());
          Hub hub = Hub.start(cfg, new ShiftedClock(MONDAY.plus(Duration.ofDays(4))))) {
        int killed = -1;
        for (int i = 0; i < 600; i++) {
          for (DistrictSite s : List.of(a, b)) {
            BlockEvent e = DistrictEvents.block(MONDAY, i, "d" + i % 7 + ".example");
            s.store.append(List.of(e));
            expected.add(s.id + "/" + Outbox.id(EventStore.EventRef.of(e)));
          }
          if (i == 200) {
            killed = kafka.brokerIds().get(1);
            kafka.stopBroker(killed);
          }
        }
        assertThat(killed).isNotNegative();
        await()
            .atMost(Duration.ofSeconds(180))
            .until(
                () ->
                    a.exporter.pending() + b.exporter.pending() == 0
                        && DistrictTest.blockKeys(hub, "it", "district it password").size()
                            == expected.size());
        List<String> keys = DistrictTest.blockKeys(hub, "it", "district it password");
        assertThat(keys).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
      }
    }
  }
}
