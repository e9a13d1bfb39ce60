package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.testing.SteppedClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The password rules hold wherever the console sets a password (issue 17, finding 11: password1234
 * was accepted).
 */
class PasswordPolicyHttpTest {
  static final ObjectMapper mapper = new ObjectMapper();
  static final String ADVICE =
      "this password is too easy to guess: This is a top-10 common password. Add another"
          + " word or two. Uncommon words are better. (about 4 bits; at least 35 are needed: a few uncommon words make a"
          + " strong password)";
  @TempDir Path dir;

  @Test
  void password1234IsRefusedWithAdviceAtSetupAccountCreationResetAndPasswordChange()
      throws Exception {
    BellwatchConfig cfg = WebLayer.testSchool(dir);
    SteppedClock clock = new SteppedClock(Instant.parse("2026-09-15T19:01:00Z"));
    try (WebLayer web =
        WebLayer.withoutAccounts(cfg, SiteModel.load(null, cfg.site().timezone()), clock)) {
      String base = "http://127.0.0.1:" + web.port();
      String token = Files.readString(cfg.store().dir().resolve(SetupToken.FILE)).strip();
      ConsoleClient anonymous = ConsoleClient.anonymous(base);
      List<HttpResponse<String>> refused = new ArrayList<>();
      refused.add(
          anonymous.post(
              "/api/v1/setup",
              mapper
                  .createObjectNode()
                  .put("token", token)
                  .put("username", "it.lead")
                  .put("password", "password1234")
                  .toString()));
      assertThat(
              anonymous
                  .post(
                      "/api/v1/setup",
                      mapper
                          .createObjectNode()
                          .put("token", token)
                          .put("username", "it.lead")
                          .put("password", TestAccounts.PASSWORD)
                          .toString())
                  .statusCode())
          .isEqualTo(201);
      clock.step(Duration.ofSeconds(1));
      ConsoleClient admin = ConsoleClient.loggedIn(base, "it.lead", TestAccounts.PASSWORD);
      refused.add(
          admin.post(
              "/api/v1/accounts",
              "{\"username\":\"ana\",\"role\":\"viewer\",\"password\":\"password1234\"}"));
      assertThat(
              admin
                  .post(
                      "/api/v1/accounts",
                      "{\"username\":\"ana\",\"role\":\"viewer\",\"password\":\""
                          + TestAccounts.PASSWORD
                          + "\"}")
                  .statusCode())
          .isEqualTo(201);
      refused.add(admin.send("PUT", "/api/v1/accounts/ana", "{\"password\":\"password1234\"}"));
      refused.add(
          admin.post(
              "/api/v1/auth/password",
              mapper
                  .createObjectNode()
                  .put("current_password", TestAccounts.PASSWORD)
                  .put("new_password", "password1234")
                  .toString()));

      List<String> answers = new ArrayList<>();
      for (HttpResponse<String> r : refused) {
        answers.add(r.statusCode() + " " + mapper.readTree(r.body()).get("error").asText());
      }
      assertThat(answers)
          .containsExactly(
              "400 password: " + ADVICE,
              "400 password: " + ADVICE,
              "400 password: " + ADVICE,
              "400 new_password: " + ADVICE);
      // Nothing was changed by the refusals: both accounts still log in with their passwords.
      assertThat(ConsoleClient.anonymous(base).login("ana", TestAccounts.PASSWORD).statusCode())
          .isEqualTo(200);
      assertThat(ConsoleClient.anonymous(base).login("it.lead", TestAccounts.PASSWORD).statusCode())
          .isEqualTo(200);
    }
  }
}
