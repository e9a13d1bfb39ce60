package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * People as people and the teacher role, over HTTP on {@link PeopleSite} with the default privacy
 * (student usernames for admins only): names and titles in rows, reports and section labels;
 * co-teachers; every route a teacher may call limited to its own sections; a teacher the roster
 * does not know sees nothing.
 */
class PeopleHttpTest {
  @RegisterExtension static final PeopleSite site = new PeopleSite("{}");
  static final ObjectMapper mapper = new ObjectMapper();
  static final String[] NAMED = {
    "domain", "user", "user_name", "section", "section_title", "teacher", "teacher_name"
  };

  static List<String> row(String... values) {
    return Arrays.asList(values);
  }

  @Test
  void blockRowsNameTheirUserSectionAndTeacherAndHideTheUsersNameFromRolesThatMayNotSeeUsers()
      throws Exception {
    JsonNode admin = site.as("admin1").getJson("/api/v1/blocks").get("blocks");
    assertThat(PeopleSite.columns(admin, NAMED))
        .containsExactly(
            row("chat.example.net", null, null, null, null, null, null),
            row(
                "art.example.org",
                "alice",
                "Alice A",
                "cls-art",
                "Art (Period 2, RM101)",
                "ms.rivera",
                "Ana Rivera"),
            row(
                "video.example.com",
                "Bob",
                "Bob B",
                "cls-bio",
                "Biology (Period 1, 2, RM102)",
                "mr.chen",
                "Li Chen"),
            row(
                "games.example.com",
                "alice",
                "Alice A",
                "cls-alg",
                "Algebra I, Part A (Period 1, RM101)",
                "ms.rivera",
                "Ana Rivera"));
    JsonNode coordinator = site.as("coordinator1").getJson("/api/v1/blocks").get("blocks");
    assertThat(PeopleSite.columns(coordinator, NAMED))
        .containsExactly(
            row("chat.example.net", null, null, null, null, null, null),
            row(
                "art.example.org",
                null,
                null,
                "cls-art",
                "Art (Period 2, RM101)",
                "ms.rivera",
                "Ana Rivera"),
            row(
                "video.example.com",
                null,
                null,
                "cls-bio",
                "Biology (Period 1, 2, RM102)",
                "mr.chen",
                "Li Chen"),
            row(
                "games.example.com",
                null,
                null,
                "cls-alg",
                "Algebra I, Part A (Period 1, RM101)",
                "ms.rivera",
                "Ana Rivera"));
    assertThat(coordinator.toString())
        .doesNotContain("alice")
        .doesNotContain("Alice A")
        .doesNotContain("Bob");

    // The CSV export holds the same names, each beside its id, under the same rule.
    String adminCsv = site.as("admin1").get("/api/v1/blocks?format=csv").body();
    assertThat(adminCsv.substring(0, adminCsv.indexOf("\r\n")))
        .isEqualTo(
            "time,client_ip,mac,hostname,user,user_name,"
                + "domain,url,category,source,method,room,section,section_title,course,teacher,teacher_name,period,instructional,"
                + "while_teaching,evidence");
    assertThat(adminCsv)
        .contains(
            ",alice,Alice A,games.example.com,",
            ",cls-alg,\"Algebra I, Part A (Period 1, RM101)\",\"Algebra I, Part A\",ms.rivera,Ana Rivera,1,true,false,");
    String coordinatorCsv = site.as("coordinator1").get("/api/v1/blocks?format=csv").body();
    assertThat(coordinatorCsv)
        .contains(
            ",,,games.example.com,",
            ",cls-bio,\"Biology (Period 1, 2, RM102)\",Biology," + "mr.chen,Li Chen,1,true,false,")
        .doesNotContain("alice")
        .doesNotContain("Alice A");
  }

  @Test
  void aDomainsSectionsAndASectionCarryTheirTitleTeachersAndPeriods() throws Exception {
    ConsoleClient admin = site.as("admin1");
    assertThat(admin.getJson("/api/v1/domains/games.example.com").get("sections"))
        .isEqualTo(
            mapper.readTree(
                """
        [{"section":"cls-alg","course":"Algebra I, Part A","teacher":"ms.rivera","room":null,"attempts":1,"users":1,
          "title":"Algebra I, Part A (Period 1, RM101)","teacher_name":"Ana Rivera","periods":["1"]}]"""));
    JsonNode bio = admin.getJson("/api/v1/sections/cls-bio");
    assertThat(
            List.of(
                bio.get("title"), bio.get("teacher_name"), bio.get("teachers"), bio.get("periods")))
        .containsExactly(
            mapper.readTree("\"Biology (Period 1, 2, RM102)\""),
            mapper.readTree("\"Li Chen\""),
            mapper.readTree(
                "[{\"username\":\"mr.chen\",\"name\":\"Li Chen\"},{\"username\":\"mx.ortiz\",\"name\":\"Sam Ortiz\"}]"),
            mapper.readTree("[\"1\",\"2\"]"));
    // Labels of sections known by id; ids the roster lacks are left out; the order is the caller's.
    assertThat(site.as("viewer1").getJson("/api/v1/sections?ids=cls-bio,nope,cls-alg,cls-bio"))
        .isEqualTo(
            mapper.readTree(
                """
        {"items":[
          {"section":"cls-bio","title":"Biology (Period 1, 2, RM102)","course":"Biology","teacher":"mr.chen",
           "teacher_name":"Li Chen","room":"RM102","periods":["1","2"]},
          {"section":"cls-alg","title":"Algebra I, Part A (Period 1, RM101)","course":"Algebra I, Part A",
           "teacher":"ms.rivera","teacher_name":"Ana Rivera","room":"RM101","periods":["1"]}]}"""));
    assertThat(admin.get("/api/v1/sections").statusCode()).isEqualTo(400);
    String tooMany =
        String.join(
            ",", java.util.stream.IntStream.rangeClosed(0, 200).mapToObj(i -> "cls-" + i).toList());
    assertThat(admin.get("/api/v1/sections?ids=" + tooMany).statusCode()).isEqualTo(400);
  }

  @Test
  void theSiteListsItsTermsAndTheFirstAndLastBlockAndATeachersRangeIsItsOwn() throws Exception {
    assertThat(site.as("viewer1").getJson("/api/v1/site"))
        .isEqualTo(
            mapper.readTree(
                """
        {"name":"Test School","timezone":"America/Los_Angeles",
         "terms":[{"id":"sy-2026","title":"2026-27","type":"schoolYear","start":"2026-08-17","end":"2027-06-11"}],
         "data":{"first":"%s","last":"%s"}}"""
                    .formatted(PeopleSite.GAMES, PeopleSite.CHAT)));
    assertThat(site.as("ms.rivera").getJson("/api/v1/site").get("data"))
        .isEqualTo(
            mapper.readTree(
                "{\"first\":\"%s\",\"last\":\"%s\"}".formatted(PeopleSite.GAMES, PeopleSite.ART)));
    assertThat(site.as("nobody.teacher").getJson("/api/v1/site").get("data"))
        .isEqualTo(mapper.readTree("{\"first\":null,\"last\":null}"));
  }

  @Test
  void coTeachersBothSeeTheirSectionTheOneLinkedByItsEmailAddressToo() throws Exception {
    for (String teacher : List.of("mr.chen", "sortiz@school.example")) {
      ConsoleClient c = site.as(teacher);
      assertThat(PeopleSite.columns(c.getJson("/api/v1/blocks").get("blocks"), NAMED))
          .as(teacher)
          .containsExactly(
              row(
                  "video.example.com",
                  null,
                  null,
                  "cls-bio",
                  "Biology (Period 1, 2, RM102)",
                  "mr.chen",
                  "Li Chen"));
      assertThat(c.getJson("/api/v1/auth/session").get("sections"))
          .as(teacher)
          .isEqualTo(mapper.readTree("[\"cls-bio\"]"));
      assertThat(c.getJson("/api/v1/sections/cls-bio").get("totals").get("attempts").asInt())
          .isEqualTo(1);
      assertThat(c.get("/api/v1/sections/cls-alg").statusCode()).as(teacher).isEqualTo(403);
    }
    JsonNode session = site.as("sortiz@school.example").getJson("/api/v1/auth/session");
    assertThat(List.of(session.get("role").asText(), session.get("display_name").asText()))
        .containsExactly("teacher", "Sam Ortiz");
    assertThat(site.as("admin1").getJson("/api/v1/auth/session").get("sections").isNull()).isTrue();
  }

  @Test
  void anAdminAddsATeacherAccountThatSeesTheSectionsOfTheRosterUserOfItsName() throws Exception {
    ConsoleClient admin = site.as("admin1");
    HttpResponse<String> wrong =
        admin.post(
            "/api/v1/accounts",
            "{\"username\":\"mx.ortiz\",\"role\":\"principal\",\"password\":\"plenty of long secrets\"}");
    assertThat(mapper.readTree(wrong.body()))
        .isEqualTo(
            mapper.readTree(
                "{\"error\":\"role: 'principal' is not admin, coordinator, viewer or teacher\"}"));
    HttpResponse<String> added =
        admin.post(
            "/api/v1/accounts",
            "{\"username\":\"MX.Ortiz\",\"role\":\"teacher\",\"password\":\"plenty of long secrets\"}");
    assertThat(List.of(added.statusCode(), mapper.readTree(added.body()).get("role").asText()))
        .containsExactly(201, "teacher");
    JsonNode session =
        ConsoleClient.loggedIn(admin.base, "mx.ortiz", "plenty of long secrets")
            .getJson("/api/v1/auth/session");
    assertThat(List.of(session.get("display_name").asText(), session.get("sections").toString()))
        .containsExactly("Sam Ortiz", "[\"cls-bio\"]");
  }

  @Test
  void aTeacherSeesOnlyItsOwnSectionsOnEveryRouteItMayCall() throws Exception {
    ConsoleClient teacher = site.as("ms.rivera");
    ConsoleClient admin = site.as("admin1");
    // Every GET a teacher may call that reads blocks: the other section's and the sectionless
    // blocks never show.
    Map<String, Integer> statuses = new LinkedHashMap<>();
    for (OpenApi.Op op : OpenApi.operations(OpenApi.read())) {
      if (!op.teachers()
          || !op.method().equals("GET")
          || op.path().contains("/auth/")
          || op.path().contains("/reviews")) {
        continue;
      }
      String path =
          op.path().equals("/api/v1/sections")
              ? "/api/v1/sections?ids=cls-alg,cls-bio"
              : OpenApi.concrete(op.path());
      HttpResponse<String> mine = teacher.get(path);
      statuses.put(path, mine.statusCode());
      assertThat(mine.body())
          .as(path)
          .doesNotContain("video.example.com")
          .doesNotContain("chat.example.net")
          .doesNotContain("cls-bio")
          .doesNotContain("mr.chen");
    }
    assertThat(statuses)
        .containsKeys(
            "/api/v1/site",
            "/api/v1/blocks",
            "/api/v1/reports/top-domains",
            "/api/v1/reports/heatmap",
            "/api/v1/reports/trend",
            "/api/v1/reports/breakdown/room",
            "/api/v1/domains/games.example.com",
            "/api/v1/sections/cls-alg",
            "/api/v1/sections?ids=cls-alg,cls-bio");
    assertThat(statuses.values()).containsOnly(200);
    assertThat(admin.get("/api/v1/reports/top-domains").body())
        .contains("video.example.com", "chat.example.net");

    String range = "?from=2026-09-15T07:00:00Z&to=2026-09-16T07:00:00Z";
    assertThat(domains(teacher.getJson("/api/v1/reports/top-domains")))
        .containsExactly("art.example.org", "games.example.com");
    assertThat(
            teacher.getJson("/api/v1/reports/trend" + range).get("current").get("attempts").asInt())
        .isEqualTo(2);
    assertThat(teacher.getJson("/api/v1/reports/heatmap").get("periods"))
        .isEqualTo(mapper.readTree("[\"1\",\"2\"]"));
    assertThat(values(teacher.getJson("/api/v1/reports/breakdown/section")))
        .containsExactly("cls-alg", "cls-art");
    assertThat(teacher.getJson("/api/v1/blocks?section=cls-bio").get("total").asInt())
        .as("asking for another's")
        .isZero();
    assertThat(teacher.get("/api/v1/domains/video.example.com").statusCode()).isEqualTo(404);
    HttpResponse<String> other = teacher.get("/api/v1/sections/cls-bio");
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(mapper.readTree(other.body()))
        .isEqualTo(mapper.readTree("{\"error\":\"section cls-bio is not one of your sections\"}"));
    // Whole-site routes stay closed.
    assertThat(
            List.of(
                teacher.get("/api/v1/accounts").statusCode(),
                teacher.get("/api/v1/audit").statusCode()))
        .containsExactly(403, 403);
  }

  @Test
  void aTeacherAccountTheRosterDoesNotKnowSeesNothingRatherThanEverything() throws Exception {
    ConsoleClient nobody = site.as("nobody.teacher");
    JsonNode session = nobody.getJson("/api/v1/auth/session");
    assertThat(List.of(session.get("sections"), session.get("display_name")))
        .containsExactly(mapper.readTree("[]"), mapper.nullNode());
    assertThat(nobody.getJson("/api/v1/blocks").get("total").asInt()).isZero();
    assertThat(nobody.getJson("/api/v1/reports/top-domains").get("items")).isEmpty();
    assertThat(nobody.getJson("/api/v1/reports/breakdown/domain").get("items")).isEmpty();
    assertThat(nobody.getJson("/api/v1/reports/heatmap").get("periods")).isEmpty();
    assertThat(
            nobody
                .getJson("/api/v1/reports/trend?from=2026-09-15T07:00:00Z&to=2026-09-16T07:00:00Z")
                .get("current")
                .get("attempts")
                .asInt())
        .isZero();
    assertThat(nobody.getJson("/api/v1/sections?ids=cls-alg,cls-bio").get("items")).isEmpty();
    assertThat(
            List.of(
                nobody.get("/api/v1/domains/games.example.com").statusCode(),
                nobody.get("/api/v1/sections/cls-alg").statusCode()))
        .containsExactly(404, 403);
  }

  @Test
  void aTeacherAsksForAReviewOfItsOwnSectionsOnlyAndNeverDecides() throws Exception {
    ConsoleClient teacher = site.as("ms.rivera");
    String domain = "/api/v1/reviews/games.example.com";
    List<Integer> statuses = new ArrayList<>();
    statuses.add(
        teacher
            .post(domain + "/request", "{\"note\":\"for our lesson\",\"sections\":[\"cls-bio\"]}")
            .statusCode());
    statuses.add(
        teacher
            .post(domain + "/request", "{\"note\":\"for our lesson\",\"sections\":[]}")
            .statusCode());
    statuses.add(
        teacher
            .post(
                domain + "/request",
                "{\"note\":\"for our lesson\",\"sections\":[\"cls-alg\"," + "\"cls-bio\"]}")
            .statusCode());
    statuses.add(
        teacher
            .post(domain + "/request", "{\"note\":\"for our lesson\",\"sections\":[\"cls-alg\"]}")
            .statusCode());
    statuses.add(teacher.post(domain + "/decision", "{\"decision\":\"unblocked\"}").statusCode());
    assertThat(statuses).containsExactly(403, 403, 403, 200, 403);
    JsonNode review = teacher.getJson(domain);
    assertThat(PeopleSite.columns(review.get("history"), "actor", "role", "action", "sections"))
        .containsExactly(row("ms.rivera", "teacher", "requested", "[\"cls-alg\"]"));
  }

  static List<String> domains(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("items").forEach(i -> out.add(i.get("domain").asText()));
    return out;
  }

  static List<String> values(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("items").forEach(i -> out.add(i.get("value").asText()));
    return out;
  }
}
