package org.bellwatch.agent.web;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.bellwatch.agent.access.Account;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.pipeline.Agent;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A running agent on {@link SiteFolder}'s school with a co-taught class and four blocks, for the
 * tests of names and teacher scopes. mx.ortiz (Sam Ortiz, sortiz@school.example) co-teaches cls-bio
 * with its primary teacher mr.chen (Li Chen); ms.rivera (Ana Rivera) teaches cls-alg and cls-art.
 * Blocks on Tuesday 2026-09-15 (Los Angeles): alice on games.example.com at 08:10 (cls-alg), Bob on
 * video.example.com at 08:20 (cls-bio), alice on art.example.org at 09:00 (cls-art), and
 * chat.example.net at lunch (no user, no section). Accounts: those of {@link TestAccounts}, and the
 * teachers mr.chen, sortiz@school.example (linked by e-mail address) and nobody.teacher (in no
 * roster).
 *
 * <p>A test class registers one ({@code @RegisterExtension static final PeopleSite site = new
 * PeopleSite(...)}): the agent runs in a folder of its own from before the class's first test to
 * after its last.
 */
final class PeopleSite implements BeforeAllCallback, AfterAllCallback {
  static final Instant GAMES = Instant.parse("2026-09-15T15:10:00.250Z");
  static final Instant ART = Instant.parse("2026-09-15T16:00:00Z");
  static final Instant CHAT = Instant.parse("2026-09-15T18:40:00Z");
  private final String privacy;
  private Path dir;
  private Agent agent;

  /** A site whose configuration has this {@code privacy:} section (YAML flow style). */
  PeopleSite(String privacy) {
    this.privacy = privacy;
  }

  /** The site's folder: its schedule folder too. */
  Path dir() {
    return dir;
  }

  /** A new session of one of the site's accounts (all share {@link TestAccounts#PASSWORD}). */
  ConsoleClient as(String username) throws Exception {
    return ConsoleClient.loggedIn(
        "http://127.0.0.1:" + agent.port(), username, TestAccounts.PASSWORD);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    agent.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /**
   * Writes the site into a new folder, starts the agent and waits until it stored the four blocks.
   */
  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("bellwatch-people");
    SiteFolder.write(dir);
    SiteFolder.write(dir.resolve("oneroster/users.csv"), users("Ana"));
    SiteFolder.write(dir.resolve("oneroster/enrollments.csv"), enrollments(""));
    SiteFolder.write(
        dir.resolve("access.log"),
        """
        1789485000.250 5 10.0.1.20 TCP_DENIED/403 3900 CONNECT games.example.com:443 alice HIER_NONE/- text/html
        1789485600.000 5 10.0.1.30 TCP_DENIED/403 3900 CONNECT video.example.com:443 Bob HIER_NONE/- text/html
        1789488000.000 5 10.0.1.20 TCP_DENIED/403 3900 CONNECT art.example.org:443 alice HIER_NONE/- text/html
        1789497600.000 5 10.0.1.21 TCP_DENIED/403 3900 GET http://chat.example.net/ - HIER_NONE/- text/html
        """);
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        """
        site: {name: Test School, timezone: America/Los_Angeles}
        schedule: {dir: .}
        logs:
          files:
            - {vendor: squid, path: access.log}
        # The last block is stored once its reorder window has passed in real time: keep it short.
        correlate: {merge_window_secs: 1, reorder_window_secs: 1}
        store: {dir: store}
        web: {port: 0}
        auth: {pbkdf2_iterations: 1000}
        privacy: %s
        """
            .formatted(privacy));
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    TestAccounts.write(cfg.store().dir(), cfg.site().timezone());
    try (EventStore store = EventStore.open(cfg.store().dir(), cfg.site().timezone(), false)) {
      Instant created = Instant.parse("2026-01-01T00:00:00Z");
      for (String teacher : new String[] {"mr.chen", "sortiz@school.example", "nobody.teacher"}) {
        store
            .console()
            .accounts()
            .put(
                new Account(
                    teacher,
                    "teacher",
                    Passwords.hash(TestAccounts.PASSWORD.toCharArray(), TestAccounts.ITERATIONS),
                    false,
                    created,
                    created));
      }
    }
    agent =
        Agent.start(
            cfg, SiteModel.load(cfg.schedule().dir(), cfg.site().timezone()), Clock.systemUTC());
    ConsoleClient admin = as("admin1");
    awaitTrue(
        "the four blocks are stored",
        () -> {
          try {
            return admin.getJson("/api/v1/blocks").get("total").asInt() == 4;
          } catch (Exception | AssertionError e) {
            return false;
          }
        });
  }

  /** users.csv with ms.rivera's given name as {@code riveraGivenName}. */
  static String users(String riveraGivenName) {
    return "sourcedId,status,role,username,email,givenName,familyName\n"
        + "t1,active,teacher,ms.rivera,,%s,Rivera\nt2,active,teacher,mr.chen,,Li,Chen\n"
            .formatted(riveraGivenName)
        + "t3,active,teacher,mx.ortiz,sortiz@school.example,Sam,Ortiz\n"
        + "s1,active,student,alice,,Alice,A\ns2,active,student,Bob,,Bob,B\n";
  }

  /** enrollments.csv: the site's own, mx.ortiz co-teaching cls-bio, and {@code extra} rows. */
  static String enrollments(String extra) {
    return "sourcedId,status,classSourcedId,userSourcedId,role,primary\n"
        + "e1,active,cls-alg,t1,teacher,true\ne2,active,cls-bio,t2,teacher,true\ne3,active,cls-art,t1,teacher,true\n"
        + "e7,active,cls-bio,t3,teacher,false\n"
        + "e4,active,cls-alg,s1,student,false\ne5,active,cls-art,s1,student,false\ne6,active,cls-bio,s2,student,false\n"
        + extra;
  }

  /** Waits up to 30 seconds for {@code condition}, checking it every 20 ms. */
  static void awaitTrue(String what, BooleanSupplier condition) {
    await(what)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(condition::getAsBoolean);
  }

  /** The named fields of each row of {@code rows}, for comparing what a role sees of them. */
  static java.util.List<java.util.List<String>> columns(JsonNode rows, String... fields) {
    java.util.List<java.util.List<String>> out = new java.util.ArrayList<>();
    for (JsonNode row : rows) {
      java.util.List<String> values = new java.util.ArrayList<>();
      for (String f : fields) {
        JsonNode v = row.get(f);
        values.add(v == null || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString());
      }
      out.add(values);
    }
    return out;
  }
}
