package org.bellwatch.agent.testing;

import java.time.Instant;
import java.util.List;
import org.bellwatch.agent.event.BlockEvent;

/** Block events of a simulated school for the district tests: one per minute from a start time. */
public final class DistrictEvents {
  private DistrictEvents() {}

  /**
   * The {@code i}th block of a school: a distinct time and client, instructional when {@code i} is
   * even.
   */
  public static BlockEvent block(Instant start, int i, String domain) {
    return new BlockEvent(
        start.plusSeconds(60L * i),
        "10.0." + (i / 250) + "." + (i % 250 + 1),
        null,
        "RM" + (100 + i % 5) + "-CB" + i,
        "student" + i,
        domain,
        null,
        "Games",
        "dns",
        "dns-sinkhole",
        "RM" + (100 + i % 5),
        i % 2 == 0 ? "cls-" + i % 5 : null,
        null,
        null,
        i % 2 == 0 ? "2" : null,
        i % 2 == 0,
        List.of("dns: answer 0.0.0.0"));
  }

  /** The same attempt with one more piece of evidence (late evidence merged into it). */
  public static BlockEvent withEvidence(BlockEvent e, String line) {
    List<String> evidence = new java.util.ArrayList<>(e.evidence());
    evidence.add(line);
    return restated(e, e.time(), evidence);
  }

  /** The same attempt, its first evidence at {@code time} and its evidence lines replaced. */
  public static BlockEvent restated(BlockEvent e, java.time.Instant time, List<String> evidence) {
    return new BlockEvent(
        time,
        e.clientIp(),
        e.mac(),
        e.hostname(),
        e.user(),
        e.domain(),
        e.url(),
        e.category(),
        e.source(),
        e.method(),
        e.room(),
        e.section(),
        e.course(),
        e.teacher(),
        e.period(),
        e.instructional(),
        evidence);
  }
}
