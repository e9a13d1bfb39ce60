package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.pipeline.Agent;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A URL that carries a student's e-mail address, username and IP address, and a raw log line that
 * does, under pseudonymization (issue 17, finding 3: the URL was shown raw in JSON and CSV while
 * the user field beside it was hidden; finding 11: dead letters showed raw usernames).
 */
class UrlPrivacyHttpTest {
  static final String URL =
      "http://mail.example.com/u/Alice/inbox?to=alice%40students.example.org&from=10.0.1.20";
  static final List<String> RAW = List.of("alice", "10.0.1.20", "students.example.org", "carol");
  @TempDir static Path dir;
  static Agent agent;

  /**
   * The agent's pseudonym key, made in its store before it starts, so that the test can name
   * pseudonyms.
   */
  static Pseudonyms pseudonyms;

  @BeforeAll
  static void start() throws Exception {
    SiteFolder.write(dir);
    SiteFolder.write(
        dir.resolve("access.log"),
        """
        1789485000.250 5 10.0.1.20 TCP_DENIED/403 3900 GET %s alice HIER_NONE/- text/html
        not squid: Alice from 10.0.1.20 wrote to alice@students.example.org as user=carol
        """
            .formatted(URL));
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        """
        site: {name: Test School, timezone: America/Los_Angeles}
        schedule: {dir: .}
        logs:
          files:
            - {vendor: squid, path: access.log}
        # The block is stored once its reorder window has passed in real time: keep it short.
        correlate: {merge_window_secs: 1, reorder_window_secs: 1}
        store: {dir: store}
        web: {port: 0}
        auth: {pbkdf2_iterations: 1000}
        privacy: {pseudonymize: true, usernames_visible_to: [admin]}
        """);
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    TestAccounts.write(cfg.store().dir(), cfg.site().timezone());
    try (EventStore store = EventStore.open(cfg.store().dir(), cfg.site().timezone(), false)) {
      pseudonyms = new Pseudonyms(store.console().secrets().getOrCreate("pseudonym_key", 32));
    }
    agent =
        Agent.start(
            cfg, SiteModel.load(cfg.schedule().dir(), cfg.site().timezone()), Clock.systemUTC());
    ConsoleClient admin = ConsoleClient.loggedIn(base(), "admin1", TestAccounts.PASSWORD);
    PeopleSite.awaitTrue(
        "the block is stored",
        () -> {
          try {
            return admin.getJson("/api/v1/blocks").get("total").asInt() == 1;
          } catch (Exception | AssertionError e) {
            return false;
          }
        });
  }

  @AfterAll
  static void stop() {
    agent.close();
  }

  static String base() {
    return "http://127.0.0.1:" + agent.port();
  }

  static void assertNoRawPerson(String body) {
    for (String raw : RAW) {
      assertThat(body.toLowerCase(java.util.Locale.ROOT)).as(body).doesNotContain(raw);
    }
  }

  @Test
  void aUrlCarryingAStudentsEmailUsernameAndAddressIsFilteredLikeTheFieldsBesideItInJsonAndCsv()
      throws Exception {
    Pseudonyms p = pseudonyms;
    String ip = p.of("ip", "10.0.1.20");
    ConsoleClient coordinator =
        ConsoleClient.loggedIn(base(), "coordinator1", TestAccounts.PASSWORD);
    JsonNode row = coordinator.getJson("/api/v1/blocks").get("blocks").get(0);
    assertThat(row.get("user").isNull()).isTrue();
    assertThat(row.get("client_ip").asText()).isEqualTo(ip);
    assertThat(row.get("url").asText())
        .isEqualTo("http://mail.example.com/u/(hidden)/inbox?to=(hidden)&from=" + ip);
    assertNoRawPerson(row.toString());
    HttpResponse<String> csv = coordinator.get("/api/v1/blocks?format=csv");
    assertThat(csv.body())
        .contains(",http://mail.example.com/u/(hidden)/inbox?to=(hidden)&from=" + ip + ",");
    assertNoRawPerson(csv.body());

    ConsoleClient admin = ConsoleClient.loggedIn(base(), "admin1", TestAccounts.PASSWORD);
    JsonNode seen = admin.getJson("/api/v1/blocks").get("blocks").get(0);
    String alice = p.of("user", "alice");
    assertThat(seen.get("user").asText()).isEqualTo(alice);
    assertThat(seen.get("url").asText())
        .isEqualTo(
            "http://mail.example.com/u/"
                + alice
                + "/inbox?to="
                + p.of("user", "alice@students.example.org")
                + "&from="
                + ip);
    assertNoRawPerson(seen.toString());
    assertNoRawPerson(admin.get("/api/v1/blocks?format=csv").body());
  }

  @Test
  void deadLettersShowNoRawUsernameEmailOrAddressUnderPseudonymization() throws Exception {
    Pseudonyms p = pseudonyms;
    ConsoleClient admin = ConsoleClient.loggedIn(base(), "admin1", TestAccounts.PASSWORD);
    JsonNode letters = admin.getJson("/api/v1/status/dead-letters").get("letters");
    assertThat(letters).hasSize(1);
    assertThat(letters.get(0).get("line").asText())
        .isEqualTo(
            "not squid: "
                + p.of("user", "alice")
                + " from "
                + p.of("ip", "10.0.1.20")
                + " wrote to "
                + p.of("user", "alice@students.example.org")
                + " as user="
                + p.of("user", "carol"));
  }
}
