package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bellwatch.agent.cli.BellwatchCli;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.testing.ApiSession;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GoGuardian's reports name the signed-in user but no client address (it filters in the browser):
 * such a block has no device, yet the user's enrollment places it in a section. Run through {@code
 * replay} and through the running agent, whose store, API, CSV export and reports must show it with
 * no device.
 */
class GoGuardianReportTest {
  /** 08:10 and 08:20 in Los Angeles: period 1, when carol's Biology section meets in RM102. */
  static final String REPORT =
      """
      Timestamp,Email,URL,Category,Block Type,Domain
      2026-09-15T15:10:00Z,Carol@School.example.org,https://games.example.com/play,Games,Category,games.example.com
      2026-09-15T15:12:00Z,,https://chat.example.net/,Chat,Category,chat.example.net
      2026-09-15T15:20:00Z,dave@school.example.org,https://video.example.com/,Streaming,Custom Block Rule: no video,video.example.com
      """;

  static final String CAROL_EVENT =
      """
      {"time":"2026-09-15T15:10:00.000Z","client_ip":null,"mac":null,"hostname":null,"user":"carol@school.example.org",
       "domain":"games.example.com","url":"https://games.example.com/play","category":"Games",
       "source":"goguardian_csv","method":"filter-deny","room":null,"section":"cls-bio","course":"Biology",
       "teacher":"mr.chen","period":"1","instructional":true,"while_teaching":false,"evidence":[
       "goguardian_csv: (no client address) blocked https://games.example.com/play category Games user Carol@School.example.org rule Category at 2026-09-15T15:10:00.000Z",
       "device unknown: goguardian_csv logged no client address",
       "schedule: 2026-09-15 runs 'regular', period 1 08:00-08:50 America/Los_Angeles",
       "section: carol@school.example.org is enrolled in cls-bio (Biology - 1, mr.chen)"]}
      """;
  static final String DAVE_EVENT =
      """
      {"time":"2026-09-15T15:20:00.000Z","client_ip":null,"mac":null,"hostname":null,"user":"dave@school.example.org",
       "domain":"video.example.com","url":"https://video.example.com/","category":"Streaming",
       "source":"goguardian_csv","method":"filter-deny","room":null,"section":null,"course":null,"teacher":null,
       "period":"1","instructional":true,"while_teaching":false,"evidence":[
       "goguardian_csv: (no client address) blocked https://video.example.com/ category Streaming user dave@school.example.org rule Custom Block Rule: no video at 2026-09-15T15:20:00.000Z",
       "device unknown: goguardian_csv logged no client address",
       "user: dave@school.example.org is not in the roster",
       "schedule: 2026-09-15 runs 'regular', period 1 08:00-08:50 America/Los_Angeles",
       "room unknown: the time is inside an instructional period"]}
      """;

  @TempDir Path dir;
  final ObjectMapper mapper = new ObjectMapper();

  @BeforeEach
  void site() throws Exception {
    SiteFolder.write(dir);
    // Schools on Google Workspace often export the e-mail address as the OneRoster username.
    Path roster = dir.resolve("oneroster");
    Files.writeString(
        roster.resolve("users.csv"),
        "s3,active,student,carol@school.example.org,Carol,C,\n",
        StandardOpenOption.APPEND);
    Files.writeString(
        roster.resolve("enrollments.csv"),
        "e7,active,cls-bio,s3,student,false\n",
        StandardOpenOption.APPEND);
    Files.writeString(dir.resolve("gg.csv"), REPORT, StandardCharsets.UTF_8);
  }

  @Test
  void replayTurnsRowsWithAUserButNoAddressIntoEventsWithAnUnknownDevice() throws Exception {
    SiteFolder.write(dir.resolve("bellwatch.yaml"), "site: {timezone: America/Los_Angeles}\n");
    Path out = dir.resolve("events.jsonl");

    int status =
        BellwatchCli.execute(
            "replay",
            "--config",
            dir.resolve("bellwatch.yaml").toString(),
            "--log",
            "goguardian_csv=" + dir.resolve("gg.csv"),
            "--schedule",
            dir.toString(),
            "--out",
            out.toString());

    assertThat(status).isZero();
    List<JsonNode> events = Files.readAllLines(out).stream().map(this::json).toList();
    assertThat(events).containsExactly(json(CAROL_EVENT), json(DAVE_EVENT));
  }

  @Test
  void theAgentStoresAndServesSuchEventsAndCountsARowWithNeitherUserNorAddress() throws Exception {
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        """
        site: {name: Test School, timezone: America/Los_Angeles}
        schedule: {dir: .}
        logs:
          files:
            - {path: gg.csv, vendor: goguardian_csv}
        store: {dir: store}
        web: {port: 0}
        """);
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    Clock clock = Clock.fixed(Instant.parse("2026-09-15T19:00:00Z"), ZoneOffset.UTC);
    ApiSession.createAdmin(cfg.store().dir(), cfg.site().timezone());
    try (Agent agent =
        Agent.start(cfg, SiteModel.load(cfg.schedule().dir(), cfg.site().timezone()), clock)) {
      String base = "http://127.0.0.1:" + agent.port();
      String cookie = ApiSession.login(base);
      JsonNode blocks =
          await("both report rows stored")
              .atMost(Duration.ofSeconds(20))
              .until(
                  () -> json(get(base, cookie, "/api/v1/blocks")),
                  b -> b.get("count").asInt() >= 2);

      // The API adds names from the roster (user_name, section_title, teacher_name) to the stored
      // events.
      List<JsonNode> stored = new ArrayList<>();
      List<List<String>> names = new ArrayList<>();
      for (JsonNode b : blocks.get("blocks")) {
        names.add(
            Arrays.asList(
                b.get("user_name").textValue(),
                b.get("section_title").textValue(),
                b.get("teacher_name").textValue()));
        stored.add(
            ((ObjectNode) b.deepCopy())
                .without(List.of("user_name", "section_title", "teacher_name")));
      }
      assertThat(stored).containsExactly(json(DAVE_EVENT), json(CAROL_EVENT));
      assertThat(names)
          .containsExactly(
              Arrays.asList(null, null, null),
              List.of("Carol C", "Biology (Period 1, 2, RM102)", "Li Chen"));
      assertThat(get(base, cookie, "/api/v1/blocks?format=csv"))
          .contains("carol@school.example.org")
          .contains("dave@school.example.org");
      JsonNode domain = json(get(base, cookie, "/api/v1/domains/games.example.com"));
      assertThat(domain.toString()).contains("cls-bio");
      assertThat(get(base, cookie, "/api/v1/sections/cls-bio")).contains("games.example.com");
      assertThat(get(base, cookie, "/api/v1/reports/top-domains")).contains("video.example.com");
      assertThat(get(base, null, "/metrics"))
          .contains(
              "bellwatch_decode_ignored_total{reason=\"block_without_client_ip_or_user\",} 1.0");
    }
  }

  private String get(String base, String cookie, String path) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path));
    if (cookie != null) {
      r.header("Cookie", cookie);
    }
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response.body();
  }

  private JsonNode json(String text) {
    try {
      return mapper.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError(text, e);
    }
  }
}
