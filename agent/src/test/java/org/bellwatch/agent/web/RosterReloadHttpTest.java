package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Names and teachers' sections follow the schedule folder when it is reloaded, for sessions already
 * open too.
 */
class RosterReloadHttpTest {
  @RegisterExtension static final PeopleSite site = new PeopleSite("{}");
  static final ObjectMapper mapper = new ObjectMapper();

  @Test
  void aReloadedRosterRenamesPeopleAndMovesATeachersSectionsWithoutANewLogin() throws Exception {
    ConsoleClient admin = site.as("admin1");
    ConsoleClient rivera = site.as("ms.rivera");
    ConsoleClient ortiz = site.as("sortiz@school.example");
    assertThat(rivera.get("/api/v1/sections/cls-bio").statusCode()).isEqualTo(403);

    // Ana becomes Anna; ms.rivera co-teaches cls-bio; mx.ortiz leaves it.
    SiteFolder.write(site.dir().resolve("oneroster/users.csv"), PeopleSite.users("Anna"));
    SiteFolder.write(
        site.dir().resolve("oneroster/enrollments.csv"),
        PeopleSite.enrollments("e8,active,cls-bio,t1,teacher,false\n")
            .replace("e7,active,cls-bio,t3,teacher,false\n", ""));
    PeopleSite.awaitTrue(
        "the schedule folder is reloaded",
        () -> {
          try {
            return admin
                .getJson("/api/v1/blocks?domain=games.example.com")
                .get("blocks")
                .get(0)
                .get("teacher_name")
                .asText()
                .equals("Anna Rivera");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });

    assertThat(rivera.getJson("/api/v1/auth/session").get("sections"))
        .isEqualTo(mapper.readTree("[\"cls-alg\",\"cls-art\",\"cls-bio\"]"));
    assertThat(rivera.getJson("/api/v1/sections/cls-bio").get("teachers"))
        .isEqualTo(
            mapper.readTree(
                "[{\"username\":\"mr.chen\",\"name\":\"Li Chen\"},{\"username\":\"ms.rivera\",\"name\":\"Anna Rivera\"}]"));
    assertThat(PeopleHttpTest.domains(rivera.getJson("/api/v1/reports/top-domains")))
        .containsExactlyInAnyOrder("art.example.org", "games.example.com", "video.example.com");
    assertThat(
            List.of(
                ortiz.getJson("/api/v1/blocks").get("total").asInt(),
                ortiz.get("/api/v1/sections/cls-bio").statusCode()))
        .containsExactly(0, 403);
    assertThat(rivera.getJson("/api/v1/auth/session").get("display_name").asText())
        .isEqualTo("Anna Rivera");
  }
}
