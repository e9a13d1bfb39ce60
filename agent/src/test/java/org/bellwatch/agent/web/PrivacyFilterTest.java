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
    return (ObjectNode) M.readTree("""
        {"client_ip":"10.0.1.2","mac":"aa:bb:cc:00:11:22","hostname":"RM101-CB07","user":"alice",
         "domain":"games.example.com","evidence":["lease 10.0.1.2 -> aa:bb:cc:00:11:22 (RM101-CB07)",
         "user alice from squid","10.0.1.20 is another client"]}""");
  }

  @Test
  void aRoleNotAllowedToSeeUsernamesGetsNullAndHiddenInTheEvidence() throws Exception {
    PrivacyFilter f = new PrivacyFilter(new BellwatchConfig.Privacy(false, List.of("admin")), () -> pseudonyms);
    assertThat(f.apply(event(), Role.COORDINATOR)).isEqualTo(M.readTree("""
        {"client_ip":"10.0.1.2","mac":"aa:bb:cc:00:11:22","hostname":"RM101-CB07","user":null,
         "domain":"games.example.com","evidence":["lease 10.0.1.2 -> aa:bb:cc:00:11:22 (RM101-CB07)",
         "user (hidden) from squid","10.0.1.20 is another client"]}"""));
    assertThat(f.apply(event(), Role.ADMIN)).isEqualTo(event());
  }

  @Test
  void pseudonymizingReplacesUsersAndDevicesEverywhereWithStableKeyedNames() throws Exception {
    PrivacyFilter f = new PrivacyFilter(new BellwatchConfig.Privacy(true, List.of("admin", "coordinator")),
        () -> pseudonyms);
    String user = pseudonyms.of("user", "alice");
    String ip = pseudonyms.of("ip", "10.0.1.2");
    String mac = pseudonyms.of("device", "aa:bb:cc:00:11:22");
    String host = pseudonyms.of("host", "RM101-CB07");
    assertThat(user).matches("user-[0-9a-f]{10}").isEqualTo(pseudonyms.of("user", "alice"));
    assertThat(new Pseudonyms(new byte[] {1}).of("user", "alice")).isNotEqualTo(user);
    assertThat(f.apply(event(), Role.COORDINATOR)).isEqualTo(M.createObjectNode().put("client_ip", ip)
        .put("mac", mac).put("hostname", host).put("user", user).put("domain", "games.example.com")
        .set("evidence", M.createArrayNode().add("lease " + ip + " -> " + mac + " (" + host + ")")
            .add("user " + user + " from squid").add("10.0.1.20 is another client")));
  }

  @Test
  void aUsersDisplayNameFollowsTheUsernameHiddenOrPseudonymizedAndTeachersKeepTheirNames() throws Exception {
    ObjectNode named = (ObjectNode) M.readTree("""
        {"user":"alice","user_name":"Alice A","teacher":"ms.rivera","teacher_name":"Ana Rivera",
         "evidence":["user alice (Alice A) from squid","section cls-alg (Algebra I - 1, ms.rivera)"]}""");
    PrivacyFilter plain = new PrivacyFilter(new BellwatchConfig.Privacy(false, List.of("admin")), () -> pseudonyms);
    assertThat(plain.apply(named.deepCopy(), Role.ADMIN)).isEqualTo(named);
    assertThat(plain.apply(named.deepCopy(), Role.TEACHER)).isEqualTo(M.readTree("""
        {"user":null,"user_name":null,"teacher":"ms.rivera","teacher_name":"Ana Rivera",
         "evidence":["user (hidden) ((hidden)) from squid","section cls-alg (Algebra I - 1, ms.rivera)"]}"""));
    PrivacyFilter pseudonymous = new PrivacyFilter(new BellwatchConfig.Privacy(true, List.of("admin", "teacher")),
        () -> pseudonyms);
    String user = pseudonyms.of("user", "alice");
    assertThat(pseudonymous.apply(named.deepCopy(), Role.TEACHER)).isEqualTo(M.readTree("""
        {"user":"%s","user_name":"%s","teacher":"ms.rivera","teacher_name":"Ana Rivera",
         "evidence":["user %s (%s) from squid","section cls-alg (Algebra I - 1, ms.rivera)"]}"""
        .formatted(user, user, user, user)));
  }
}
