package org.bellwatch.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class BellwatchMetersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final BellwatchMeters meters = new BellwatchMeters(registry);

  private double count(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  @Test
  void theHubCountsBlocksPerListedSchoolFromZeroAndEveryOtherSiteAsUnlisted() {
    meters.hubSchools(List.of("adams-es", "baker-ms"), () -> 3, () -> 42);
    meters.hubSchoolBlocks("adams-es", 5, 2);
    meters.hubSchoolBlocks("zz-not-in-the-district", 7, 7);
    meters.hubSchoolBlocks("another-stranger", 1, 0);
    assertThat(registry.get(BellwatchMeters.HUB_SCHOOL_BLOCKS).counters())
        .extracting(c -> c.getId().getTag("school") + "=" + (long) c.count())
        .containsExactlyInAnyOrder("adams-es=5", "baker-ms=0", "unlisted=8");
    assertThat(registry.get(BellwatchMeters.HUB_SCHOOL_INSTRUCTIONAL).counters())
        .extracting(c -> c.getId().getTag("school") + "=" + (long) c.count())
        .containsExactlyInAnyOrder("adams-es=2", "baker-ms=0", "unlisted=7");
    meters.hubSharedTopicMessages("baker-ms", 4);
    meters.hubSharedTopicMessages("zz-not-in-the-district", 2);
    assertThat(registry.get(BellwatchMeters.HUB_SHARED_TOPIC_MESSAGES).counters())
        .extracting(c -> c.getId().getTag("school") + "=" + (long) c.count())
        .containsExactlyInAnyOrder("adams-es=0", "baker-ms=4", "unlisted=2");
    assertThat(registry.get(BellwatchMeters.HUB_SCHOOLS).gauge().value()).isEqualTo(3);
    assertThat(registry.get(BellwatchMeters.HUB_STORE_LAG).gauge().value()).isEqualTo(42);
  }

  @Test
  void attributionOutcomesExistAtZeroBeforeTheFirstBlock() {
    for (String outcome : BellwatchMeters.OUTCOMES) {
      assertThat(count(BellwatchMeters.ATTRIBUTIONS, "outcome", outcome)).isZero();
    }
    assertThat(count(BellwatchMeters.BLOCKS, "instructional", "true")).isZero();
  }

  @Test
  void aBlockWithoutRoomOrUserCountsAsAttributedAndAsEachUnknownStep() {
    meters.attributed(true, false, false, false);
    meters.attributed(true, true, true, true);

    assertThat(count(BellwatchMeters.ATTRIBUTIONS, "outcome", "attributed")).isEqualTo(2);
    assertThat(count(BellwatchMeters.ATTRIBUTIONS, "outcome", "room_unknown")).isEqualTo(1);
    assertThat(count(BellwatchMeters.ATTRIBUTIONS, "outcome", "user_unknown")).isEqualTo(1);
    assertThat(count(BellwatchMeters.ATTRIBUTIONS, "outcome", "section_found")).isEqualTo(1);
    assertThat(count(BellwatchMeters.ATTRIBUTIONS, "outcome", "device_unknown")).isZero();
  }

  @Test
  void categoriesBeyondTheCapCountAsOtherAndMissingOnesAsNone() {
    for (int i = 0; i < BellwatchMeters.MAX_CATEGORIES + 5; i++) {
      meters.instructionalBlock("Category " + i, "1");
    }
    meters.instructionalBlock(null, null);
    meters.instructionalBlock("category 0", "1");

    assertThat(registry.find(BellwatchMeters.INSTRUCTIONAL_BLOCKS).counters())
        .hasSize(BellwatchMeters.MAX_CATEGORIES + 2);
    assertThat(count(BellwatchMeters.INSTRUCTIONAL_BLOCKS, "category", "other", "period", "1"))
        .isEqualTo(5);
    assertThat(count(BellwatchMeters.INSTRUCTIONAL_BLOCKS, "category", "none", "period", "none"))
        .isEqualTo(1);
    assertThat(count(BellwatchMeters.INSTRUCTIONAL_BLOCKS, "category", "category_0", "period", "1"))
        .isEqualTo(2);
  }

  @Test
  void aTagValueIsCutAndRestrictedToSafeCharacters() {
    BellwatchMeters.TagLimit limit = new BellwatchMeters.TagLimit(3);
    assertThat(limit.tag("  Games/Online \"x\"\n")).isEqualTo("games_online__x_");
    assertThat(limit.tag("a".repeat(100))).hasSize(BellwatchMeters.TagLimit.MAX_LENGTH);
    assertThat(limit.tag("")).isEqualTo("none");
  }

  @Test
  void httpRequestsAreTimedByRouteTemplate() {
    BellwatchMeters.httpRequest(registry, "GET", "/api/v1/domains/{domain}", 200, 1_000_000);
    assertThat(
            registry
                .get(BellwatchMeters.HTTP_REQUESTS)
                .tags("route", "/api/v1/domains/{domain}", "status", "200")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void logLinesAreCountedByVendorAndResultAndAMalformedLineAlsoByItsReason() {
    meters.logLine("squid", "allowed");
    meters.logLine("squid", "allowed");
    meters.logLine("squid", "blocked");
    meters.logLine("fortigate", "allowed");
    meters.malformedLine("squid", "syslog:squid", "squid_bad_time", "x");

    assertThat(count(BellwatchMeters.LOG_LINES, "vendor", "squid", "result", "allowed"))
        .isEqualTo(2);
    assertThat(count(BellwatchMeters.LOG_LINES, "vendor", "squid", "result", "blocked"))
        .isEqualTo(1);
    assertThat(count(BellwatchMeters.LOG_LINES, "vendor", "fortigate", "result", "allowed"))
        .isEqualTo(1);
    assertThat(count(BellwatchMeters.LOG_LINES, "vendor", "squid", "result", "malformed"))
        .isEqualTo(1);
    assertThat(count(BellwatchMeters.LOG_MALFORMED, "vendor", "squid", "reason", "squid_bad_time"))
        .isEqualTo(1);
  }
}
