package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Names under {@code privacy.pseudonymize} with usernames shown to admins and teachers: a student's
 * display name is its pseudonym wherever its username is, in JSON and CSV alike, and gone where its
 * username is; teachers keep their roster names.
 */
class PeoplePrivacyHttpTest {
  @RegisterExtension
  static final PeopleSite site =
      new PeopleSite("{pseudonymize: true, usernames_visible_to: [admin, teacher]}");

  @Test
  void aPseudonymizedStudentsNameIsItsPseudonymAndTeachersKeepTheirNamesInJsonAndCsv()
      throws Exception {
    JsonNode admin =
        site.as("admin1").getJson("/api/v1/blocks?domain=games.example.com").get("blocks");
    String alice = admin.get(0).get("user").asText();
    assertThat(alice).matches("user-[0-9a-f]{10}");
    List<String> named =
        Arrays.asList(
            "games.example.com",
            alice,
            alice,
            "cls-alg",
            "Algebra I, Part A (Period 1, RM101)",
            "ms.rivera",
            "Ana Rivera");
    assertThat(PeopleSite.columns(admin, PeopleHttpTest.NAMED)).containsExactly(named);
    // The teacher of the section sees its rows as the admin does (usernames_visible_to lists
    // teacher).
    JsonNode teacher =
        site.as("ms.rivera").getJson("/api/v1/blocks?domain=games.example.com").get("blocks");
    assertThat(PeopleSite.columns(teacher, PeopleHttpTest.NAMED)).containsExactly(named);
    JsonNode coordinator =
        site.as("coordinator1").getJson("/api/v1/blocks?domain=games.example.com").get("blocks");
    assertThat(PeopleSite.columns(coordinator, PeopleHttpTest.NAMED))
        .containsExactly(
            Arrays.asList(
                "games.example.com",
                null,
                null,
                "cls-alg",
                "Algebra I, Part A (Period 1, RM101)",
                "ms.rivera",
                "Ana Rivera"));

    String csv = site.as("admin1").get("/api/v1/blocks?domain=games.example.com&format=csv").body();
    assertThat(csv)
        .contains(
            "," + alice + "," + alice + ",games.example.com,",
            ",cls-alg,\"Algebra I, Part A (Period 1, RM101)\",\"Algebra I, Part A\",ms.rivera,Ana Rivera,1,true,");
    for (String shown :
        List.of(admin.toString(), teacher.toString(), coordinator.toString(), csv)) {
      assertThat(shown).doesNotContain("alice").doesNotContain("Alice A");
    }
  }
}
