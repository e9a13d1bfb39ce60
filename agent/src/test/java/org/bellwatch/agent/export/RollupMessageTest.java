package org.bellwatch.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.store.EventStore.DailyCount;
import org.junit.jupiter.api.Test;

/** A school day's rollup message: exact totals, the most blocked domains, the rest summed. */
class RollupMessageTest {
  private static final LocalDate DAY = LocalDate.of(2026, 9, 14);
  private static final Instant AS_OF = Instant.parse("2026-09-15T02:00:00Z");

  private static JsonNode message(List<DailyCount> counts) throws Exception {
    return new ObjectMapper()
        .readTree(
            Messages.rollup(
                "lincoln-ms", "Lincoln Middle", ZoneId.of("America/Denver"), DAY, counts, AS_OF));
  }

  @Test
  void aDayListsItsBlockedDomainsMostBlockedFirstAndLeavesOutDomainsWithNoAttemptLeft()
      throws Exception {
    JsonNode m =
        message(
            List.of(
                new DailyCount(DAY, "chat.example", 2, 0),
                new DailyCount(DAY, "games.example", 5, 3),
                new DailyCount(DAY, "moved.example", 0, 0),
                new DailyCount(DAY, "art.example", 2, 2)));
    assertThat(m)
        .isEqualTo(
            new ObjectMapper()
                .readTree(
                    """
                    {"v":1,"type":"rollup","site_id":"lincoln-ms","site_name":"Lincoln Middle",
                     "day":"2026-09-14","timezone":"America/Denver","as_of":"2026-09-15T02:00:00Z",
                     "attempts":9,"instructional":5,
                     "domains":[{"domain":"games.example","attempts":5,"instructional":3},
                                {"domain":"art.example","attempts":2,"instructional":2},
                                {"domain":"chat.example","attempts":2,"instructional":0}],
                     "left_out":{"domains":0,"attempts":0,"instructional":0}}
                    """));
  }

  @Test
  void aDayWithMoreDomainsThanAMessageHoldsSumsTheLeastBlockedAndKeepsItsTotalsExact()
      throws Exception {
    List<DailyCount> counts = new ArrayList<>();
    // 253-character names, the longest DNS allows: the message still fits Kafka's default 1 MB.
    String label = "a".repeat(61);
    for (int i = 0; i < Messages.ROLLUP_DOMAINS + 3; i++) {
      String name = String.format("%05d", i) + label.substring(5) + "." + label + "." + label;
      counts.add(new DailyCount(DAY, name + "." + label.substring(0, 59) + ".example", i + 1, 1));
    }
    byte[] bytes =
        Messages.rollup(
            "lincoln-ms", "Lincoln Middle", ZoneId.of("America/Denver"), DAY, counts, AS_OF);
    assertThat(bytes.length).isLessThan(1_000_000);
    JsonNode m = new ObjectMapper().readTree(bytes);
    int n = Messages.ROLLUP_DOMAINS + 3;
    assertThat(m.get("attempts").asLong()).isEqualTo((long) n * (n + 1) / 2);
    assertThat(m.get("instructional").asLong()).isEqualTo(n);
    assertThat(m.get("domains")).hasSize(Messages.ROLLUP_DOMAINS);
    assertThat(m.get("domains").get(0).get("attempts").asLong()).isEqualTo(n);
    assertThat(m.get("domains").get(0).get("domain").asText()).hasSize(253);
    assertThat(m.get("left_out"))
        .isEqualTo(
            new ObjectMapper().readTree("{\"domains\":3,\"attempts\":6,\"instructional\":3}"));
  }
}
