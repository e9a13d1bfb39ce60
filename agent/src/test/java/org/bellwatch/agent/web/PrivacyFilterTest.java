package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.bellwatch.agent.config.BellwatchConfig;
import org.junit.jupiter.api.Test;

class PrivacyFilterTest {
  static final ObjectMapper M = new ObjectMapper();
  final Pseudonyms pseudonyms = new Pseudonyms(new byte[32]);

  ObjectNode event() throws Exception {
    return (ObjectNode)
        M.readTree(
            """
        {"client_ip":"10.0.1.2","mac":"aa:bb:cc:00:11:22","hostname":"RM101-CB07","user":"alice",
         "domain":"games.example.com","evidence":["lease 10.0.1.2 -> aa:bb:cc:00:11:22 (RM101-CB07)",
         "user alice from squid","10.0.1.20 is another client"]}""");
  }

  @Test
  void aRoleNotAllowedToSeeUsernamesGetsNullAndHiddenInTheEvidence() throws Exception {
    PrivacyFilter f =
        new PrivacyFilter(new BellwatchConfig.Privacy(false, List.of("admin")), () -> pseudonyms);
    assertThat(f.apply(event(), Role.COORDINATOR))
        .isEqualTo(
            M.readTree(
                """
        {"client_ip":"10.0.1.2","mac":"aa:bb:cc:00:11:22","hostname":"RM101-CB07","user":null,
         "domain":"games.example.com","evidence":["lease 10.0.1.2 -> aa:bb:cc:00:11:22 (RM101-CB07)",
         "user (hidden) from squid","10.0.1.20 is another client"]}"""));
    assertThat(f.apply(event(), Role.ADMIN)).isEqualTo(event());
  }

  @Test
  void pseudonymizingReplacesUsersAndDevicesEverywhereWithStableKeyedNames() throws Exception {
    PrivacyFilter f =
        new PrivacyFilter(
            new BellwatchConfig.Privacy(true, List.of("admin", "coordinator")), () -> pseudonyms);
    String user = pseudonyms.of("user", "alice");
    String ip = pseudonyms.of("ip", "10.0.1.2");
    String mac = pseudonyms.of("device", "aa:bb:cc:00:11:22");
    String host = pseudonyms.of("host", "RM101-CB07");
    assertThat(user).matches("user-[0-9a-f]{10}").isEqualTo(pseudonyms.of("user", "alice"));
    assertThat(new Pseudonyms(new byte[] {1}).of("user", "alice")).isNotEqualTo(user);
    assertThat(f.apply(event(), Role.COORDINATOR))
        .isEqualTo(
            M.createObjectNode()
                .put("client_ip", ip)
                .put("mac", mac)
                .put("hostname", host)
                .put("user", user)
                .put("domain", "games.example.com")
                .set(
                    "evidence",
                    M.createArrayNode()
                        .add("lease " + ip + " -> " + mac + " (" + host + ")")
                        .add("user " + user + " from squid")
                        .add("10.0.1.20 is another client")));
  }

  @Test
  void aUsersDisplayNameFollowsTheUsernameHiddenOrPseudonymizedAndTeachersKeepTheirNames()
      throws Exception {
    ObjectNode named =
        (ObjectNode)
            M.readTree(
                """
        {"user":"alice","user_name":"Alice A","teacher":"ms.rivera","teacher_name":"Ana Rivera",
         "evidence":["user alice (Alice A) from squid","section cls-alg (Algebra I - 1, ms.rivera)"]}""");
    PrivacyFilter plain =
        new PrivacyFilter(new BellwatchConfig.Privacy(false, List.of("admin")), () -> pseudonyms);
    assertThat(plain.apply(named.deepCopy(), Role.ADMIN)).isEqualTo(named);
    assertThat(plain.apply(named.deepCopy(), Role.TEACHER))
        .isEqualTo(
            M.readTree(
                """
        {"user":null,"user_name":null,"teacher":"ms.rivera","teacher_name":"Ana Rivera",
         "evidence":["user (hidden) ((hidden)) from squid","section cls-alg (Algebra I - 1, ms.rivera)"]}"""));
    PrivacyFilter pseudonymous =
        new PrivacyFilter(
            new BellwatchConfig.Privacy(true, List.of("admin", "teacher")), () -> pseudonyms);
    String user = pseudonyms.of("user", "alice");
    assertThat(pseudonymous.apply(named.deepCopy(), Role.TEACHER))
        .isEqualTo(
            M.readTree(
                """
        {"user":"%s","user_name":"%s","teacher":"ms.rivera","teacher_name":"Ana Rivera",
         "evidence":["user %s (%s) from squid","section cls-alg (Algebra I - 1, ms.rivera)"]}"""
                    .formatted(user, user, user, user)));
  }

  /** The roster of these tests: alice (with her e-mail address) and bsmith. */
  static String roster(String u) {
    return java.util.Map.of(
            "alice", "alice", "alice.a@students.example.org", "alice", "bsmith", "bsmith")
        .get(u.toLowerCase(java.util.Locale.ROOT));
  }

  static final String URL =
      "http://mail.example.com/u/Alice/inbox?to=alice.a%40students.example.org&from=10.0.1.2"
          + "&peer=BSmith&login=carol&q=homework+help#user=dave";

  ObjectNode withUrl() throws Exception {
    ObjectNode e = event();
    e.put("url", URL);
    e.set(
        "evidence",
        M.createArrayNode()
            .add("squid: 10.0.1.2 TCP_DENIED/403 GET " + URL + " user ALICE")
            .add("user: Alice is in cls-alg (Algebra I, ms.rivera)")
            .add("mail from carol@example.net"));
    return e;
  }

  @Test
  void
      aUrlsUsernamesEmailAndIpAddressesAreHiddenFromARoleThatMayNotSeeUsersAndItsHostAndPathShapeStay()
          throws Exception {
    PrivacyFilter f =
        new PrivacyFilter(
            new BellwatchConfig.Privacy(false, List.of("admin")),
            () -> pseudonyms,
            PrivacyFilterTest::roster);
    String hidden =
        "http://mail.example.com/u/(hidden)/inbox?to=(hidden)&from=(hidden)&peer=(hidden)&login=(hidden)"
            + "&q=homework+help#user=(hidden)";
    ObjectNode shown = f.apply(withUrl(), Role.COORDINATOR);
    assertThat(shown.get("url").asText()).isEqualTo(hidden);
    assertThat(shown.get("evidence"))
        .isEqualTo(
            M.createArrayNode()
                .add("squid: 10.0.1.2 TCP_DENIED/403 GET " + hidden + " user (hidden)")
                .add("user: (hidden) is in cls-alg (Algebra I, ms.rivera)")
                .add("mail from (hidden)"));
    assertThat(f.apply(withUrl(), Role.ADMIN)).isEqualTo(withUrl());
  }

  @Test
  void underPseudonymizationAUrlsPeopleGetTheSamePseudonymsAsTheEventsFields() throws Exception {
    PrivacyFilter f =
        new PrivacyFilter(
            new BellwatchConfig.Privacy(true, List.of("admin")),
            () -> pseudonyms,
            PrivacyFilterTest::roster);
    String alice = pseudonyms.of("user", "alice");
    String ip = pseudonyms.of("ip", "10.0.1.2");
    String url =
        "http://mail.example.com/u/"
            + alice
            + "/inbox?to="
            + alice
            + "&from="
            + ip
            + "&peer="
            + pseudonyms.of("user", "bsmith")
            + "&login="
            + pseudonyms.of("user", "carol")
            + "&q=homework+help#user="
            + pseudonyms.of("user", "dave");
    ObjectNode shown = f.apply(withUrl(), Role.ADMIN);
    assertThat(shown.get("user").asText()).isEqualTo(alice);
    assertThat(shown.get("client_ip").asText()).isEqualTo(ip);
    assertThat(shown.get("url").asText()).isEqualTo(url);
    assertThat(shown.get("evidence"))
        .isEqualTo(
            M.createArrayNode()
                .add("squid: " + ip + " TCP_DENIED/403 GET " + url + " user " + alice)
                .add("user: " + alice + " is in cls-alg (Algebra I, ms.rivera)")
                .add("mail from " + pseudonyms.of("user", "carol@example.net")));
  }

  @Test
  void aUrlThatNamesNobodyIsLeftExactlyAsItWas() throws Exception {
    PrivacyFilter f =
        new PrivacyFilter(
            new BellwatchConfig.Privacy(true, List.of()),
            () -> pseudonyms,
            PrivacyFilterTest::roster);
    for (String url :
        List.of(
            "www.twitch.tv:443",
            "http://chat.example.net/a%20b/?x=1&y=%zz&z#top",
            "https://[2001:db8::1]:8443/games/play?level=10&t=08:00",
            "http://10.0.0.5/",
            "/relative/path?",
            "https://cdn.example.com/v1.2.3/app.js?build=2026-09-15T14:37:43Z")) {
      ObjectNode e = M.createObjectNode().put("url", url);
      assertThat(f.apply(e, Role.COORDINATOR).get("url").asText()).isEqualTo(url);
    }
  }

  @Test
  void aUrlsUserInformationIsReplacedWholeAndAnIpv6AddressInItsPathIsHidden() throws Exception {
    PrivacyFilter f =
        new PrivacyFilter(
            new BellwatchConfig.Privacy(false, List.of("admin")),
            () -> pseudonyms,
            PrivacyFilterTest::roster);
    ObjectNode e =
        M.createObjectNode().put("url", "ftp://alice:s3cret@files.example.com/from/2001:db8::7/x");
    assertThat(f.apply(e, Role.VIEWER).get("url").asText())
        .isEqualTo("ftp://(hidden)@files.example.com/from/(hidden)/x");
  }

  @Test
  void aRawLogLineShowsNoUserEmailOrIpAddressUnderPseudonymizationOrToARoleThatMayNotSeeUsers() {
    String line =
        "1789485000.250 5 10.0.1.20 TCP_DENIED/403 3900 GET http://x.example/?u=Alice bob.b@example.org"
            + " srcuser=\"carol\" BSmith ::1 2001:db8::20 aa:bb:cc:00:11:22";
    PrivacyFilter plain =
        new PrivacyFilter(
            new BellwatchConfig.Privacy(false, List.of("coordinator")),
            () -> pseudonyms,
            PrivacyFilterTest::roster);
    assertThat(plain.line(line, Role.ADMIN))
        .isEqualTo(
            "1789485000.250 5 (hidden) TCP_DENIED/403 3900 GET"
                + " http://x.example/?u=(hidden) (hidden) srcuser=\"(hidden)\" (hidden) (hidden) (hidden) aa:bb:cc:00:11:22");
    assertThat(plain.line(line, Role.COORDINATOR)).isEqualTo(line);
    PrivacyFilter pseudonymous =
        new PrivacyFilter(
            new BellwatchConfig.Privacy(true, List.of("admin")),
            () -> pseudonyms,
            PrivacyFilterTest::roster);
    assertThat(pseudonymous.line(line, Role.ADMIN))
        .isEqualTo(
            "1789485000.250 5 "
                + pseudonyms.of("ip", "10.0.1.20")
                + " TCP_DENIED/403 3900 GET http://x.example/?u="
                + pseudonyms.of("user", "alice")
                + " "
                + pseudonyms.of("user", "bob.b@example.org")
                + " srcuser=\""
                + pseudonyms.of("user", "carol")
                + "\" "
                + pseudonyms.of("user", "bsmith")
                + " "
                + pseudonyms.of("ip", "::1")
                + " "
                + pseudonyms.of("ip", "2001:db8::20")
                + " aa:bb:cc:00:11:22");
  }
}
