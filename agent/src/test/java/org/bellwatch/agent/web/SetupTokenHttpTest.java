package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.testing.SiteFolder;
import org.bellwatch.agent.testing.SteppedClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first admin account, made in the console with the one-time setup token of a store without
 * admins.
 */
class SetupTokenHttpTest {
  static final ObjectMapper mapper = new ObjectMapper();
  @TempDir Path dir;

  WebLayer start(SteppedClock clock, boolean withAdmin) throws Exception {
    SiteFolder.write(dir);
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        """
        site: {name: Test School, timezone: America/Los_Angeles}
        schedule: {dir: .}
        store: {dir: store}
        web: {port: 0}
        auth: {pbkdf2_iterations: 1000, setup_token_secs: 3600}
        """);
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    SiteModel site = SiteModel.load(cfg.schedule().dir(), cfg.site().timezone());
    return withAdmin
        ? WebLayer.start(cfg, site, clock)
        : WebLayer.withoutAccounts(cfg, site, clock);
  }

  static String setupBody(String token, String username) {
    return mapper
        .createObjectNode()
        .put("token", token)
        .put("username", username)
        .put("password", TestAccounts.PASSWORD)
        .toString();
  }

  @Test
  void theSetupTokenInTheStoreFolderCreatesTheFirstAdminOnceAndTheAuditLogSaysSo()
      throws Exception {
    SteppedClock clock = new SteppedClock(Instant.parse("2026-09-15T19:01:00Z"));
    try (WebLayer web = start(clock, false)) {
      String base = web.base();
      Path file = dir.resolve("store").resolve(SetupToken.FILE);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      String token = Files.readString(file).strip();
      assertThat(token).matches("[A-Za-z0-9_-]{43}");
      ConsoleClient anonymous = ConsoleClient.anonymous(base);
      assertThat(mapper.readTree(anonymous.get("/api/v1/setup").body()))
          .isEqualTo(mapper.readTree("{\"open\":true,\"expires_at\":\"2026-09-15T20:01:00Z\"}"));

      HttpResponse<String> crossOrigin =
          ConsoleClient.HTTP.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/setup"))
                  .header("Origin", "http://evil.example")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(setupBody(token, "mallory.admin")))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> wrong =
          anonymous.post("/api/v1/setup", setupBody("not-the-token", "mallory.admin"));
      HttpResponse<String> right = anonymous.post("/api/v1/setup", setupBody(token, "it.lead"));
      HttpResponse<String> again =
          anonymous.post("/api/v1/setup", setupBody(token, "second.admin"));
      assertThat(
              List.of(
                  crossOrigin.statusCode(),
                  wrong.statusCode(),
                  right.statusCode(),
                  again.statusCode()))
          .containsExactly(403, 403, 201, 409);
      assertThat(mapper.readTree(right.body()))
          .isEqualTo(
              mapper.readTree(
                  "{\"username\":\"it.lead\",\"role\":\"admin\",\"status\":\"admin account created; log in\"}"));
      assertThat(file).doesNotExist();
      assertThat(mapper.readTree(anonymous.get("/api/v1/setup").body()))
          .isEqualTo(mapper.readTree("{\"open\":false,\"expires_at\":null}"));

      clock.step(Duration.ofSeconds(1));
      ConsoleClient admin = ConsoleClient.loggedIn(base, "it.lead", TestAccounts.PASSWORD);
      assertThat(admin.getJson("/api/v1/accounts").get("items")).hasSize(1);
      List<String> audit = new java.util.ArrayList<>();
      for (JsonNode e : admin.getJson("/api/v1/audit").get("items")) {
        audit.add(
            e.get("actor").asText()
                + " "
                + e.get("action").asText()
                + " "
                + e.get("target").asText());
      }
      assertThat(audit)
          .containsExactly(
              "it.lead login null",
              "(setup token) account_added it.lead",
              "(setup) setup_failed mallory.admin");
    }
  }

  @Test
  void anExpiredSetupTokenCreatesNothing() throws Exception {
    SteppedClock clock = new SteppedClock(Instant.parse("2026-09-15T19:01:00Z"));
    try (WebLayer web = start(clock, false)) {
      String base = web.base();
      String token = Files.readString(dir.resolve("store").resolve(SetupToken.FILE)).strip();
      clock.step(Duration.ofHours(1));
      HttpResponse<String> late =
          ConsoleClient.anonymous(base).post("/api/v1/setup", setupBody(token, "it.lead"));
      assertThat(late.statusCode()).isEqualTo(409);
      assertThat(ConsoleClient.anonymous(base).login("it.lead", TestAccounts.PASSWORD).statusCode())
          .isEqualTo(401);
    }
  }

  @Test
  void aStoreWithAnAdminGetsNoSetupToken() throws Exception {
    try (WebLayer web = start(new SteppedClock(Instant.parse("2026-09-15T19:01:00Z")), true)) {
      assertThat(dir.resolve("store").resolve(SetupToken.FILE)).doesNotExist();
      assertThat(
              mapper
                  .readTree(ConsoleClient.anonymous(web.base()).get("/api/v1/setup").body())
                  .get("open")
                  .asBoolean())
          .isFalse();
    }
  }
}
