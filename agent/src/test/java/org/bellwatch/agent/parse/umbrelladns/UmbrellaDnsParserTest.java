package org.bellwatch.agent.parse.umbrelladns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;
import static org.bellwatch.agent.parse.Samples.line;

import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.parse.Samples;
import org.junit.jupiter.api.Test;

class UmbrellaDnsParserTest {
  final UmbrellaDnsParser parser = new UmbrellaDnsParser(Samples.UTC);

  @Test
  void aBlockedQueryIsADnsBlockWithTheBlockedCategoryAndTheAdUsersEmail() throws Exception {
    assertThat(parser.parse(line("umbrella_dns", "blocked-with-identity")))
        .isEqualTo(
            new FilterEvent(
                at("2026-09-15T14:00:00Z"),
                ip("10.80.7.31"),
                "s4001@school.example.org",
                null,
                "games.example.com",
                "Games",
                Action.BLOCKED,
                "umbrella_dns",
                "dns-block",
                null,
                "Blocked 1 (A) games.example.com category Games user s4001@school.example.org",
                line("umbrella_dns", "blocked-with-identity")));
  }

  @Test
  void aNetworkIdentityIsNotAUserAndABadAddressIsNamed() throws Exception {
    FilterEvent e = parser.parse(line("umbrella_dns", "allowed-aaaa"));
    assertThat(e.user()).isNull();
    assertThat(e.action()).isEqualTo(Action.ALLOWED);
    assertThatThrownBy(() -> parser.parse(line("umbrella_dns", "allowed-bad-ip")))
        .hasMessage("umbrella_dns_bad_internal_ip");
  }
}
