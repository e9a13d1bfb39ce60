package org.bellwatch.agent.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.pipeline.Agent;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.testing.SiteFolder;

/**
 * An agent over {@link SiteFolder}'s school (Los Angeles) with no inputs: its store holds the given
 * block events, attributed as the correlator would have, and the {@link TestAccounts}. For tests of
 * what the API makes of stored blocks.
 */
final class StoredSchool implements AutoCloseable {
  static final ZoneId LA = ZoneId.of("America/Los_Angeles");
  final Agent agent;

  private StoredSchool(Agent agent) {
    this.agent = agent;
  }

  /**
   * A new session of one of the {@link TestAccounts} ({@code admin1}, {@code coordinator1}, {@code
   * viewer1}).
   */
  ConsoleClient as(String username) throws Exception {
    return ConsoleClient.loggedIn(
        "http://127.0.0.1:" + agent.port(), username, TestAccounts.PASSWORD);
  }

  /** The lines of the agent's /metrics that start with {@code prefix}. */
  List<String> metricLines(String prefix) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return r.body().lines().filter(l -> l.startsWith(prefix)).toList();
  }

  @Override
  public void close() {
    agent.close();
  }

  static StoredSchool start(Path dir, Clock clock, List<BlockEvent> events) throws Exception {
    return start(dir, clock, events, "");
  }

  /** As above, with more of the configuration (whole top-level sections, as YAML). */
  static StoredSchool start(Path dir, Clock clock, List<BlockEvent> events, String moreConfig)
      throws Exception {
    SiteFolder.write(dir);
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        """
        site: {name: Test School, timezone: America/Los_Angeles}
        schedule: {dir: .}
        store: {dir: store}
        web: {port: 0}
        auth: {pbkdf2_iterations: 1000}
        """
            + moreConfig);
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    TestAccounts.write(cfg.store().dir(), LA);
    try (EventStore store = EventStore.open(cfg.store().dir(), LA, false)) {
      store.append(events);
    }
    return new StoredSchool(Agent.start(cfg, SiteModel.load(cfg.schedule().dir(), LA), clock));
  }

  /** A block at a local time in Los Angeles; the device is its MAC (and, hashed, its address). */
  static BlockEvent block(
      String local,
      String domain,
      String category,
      String user,
      String device,
      String room,
      String section,
      String teacher,
      String period,
      boolean instructional) {
    return new BlockEvent(
        LocalDateTime.parse(local).atZone(LA).toInstant(),
        "10.0.1." + (device.hashCode() & 0x7f),
        device,
        null,
        user,
        domain,
        null,
        category,
        "squid",
        "proxy-deny",
        room,
        section,
        section == null ? null : "Course of " + section,
        teacher,
        period,
        instructional,
        List.of("test"));
  }

  /** As {@link #block}, blocked while {@code teacher} (the user) taught the section. */
  static BlockEvent whileTeaching(
      String local,
      String domain,
      String category,
      String teacher,
      String device,
      String room,
      String section,
      String period) {
    BlockEvent e =
        block(local, domain, category, teacher, device, room, section, teacher, period, true);
    return new BlockEvent(
        e.time(),
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
        true,
        true,
        e.evidence());
  }
}
