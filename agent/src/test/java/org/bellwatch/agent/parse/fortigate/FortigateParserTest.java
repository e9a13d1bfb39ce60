package org.bellwatch.agent.parse.fortigate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;
import static org.bellwatch.agent.parse.Samples.line;

import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.parse.Samples;
import org.junit.jupiter.api.Test;

class FortigateParserTest {
  final FortigateParser parser = new FortigateParser(Samples.UTC);

  @Test
  void aWebFilterBlockIsAFilterDenyWithCategoryProfileAndTheOffsetOfTz() throws Exception {
    assertThat(parser.parse(line("fortigate", "webfilter-blocked")))
        .isEqualTo(
            new FilterEvent(
                at("2026-09-15T13:10:00Z"),
                ip("10.20.1.31"),
                "s1031",
                "https://games.example.com/play",
                "games.example.com",
                "Games",
                Action.BLOCKED,
                "fortigate",
                "filter-deny",
                "students-web",
                "utm/webfilter blocked https://games.example.com/play category Games user s1031",
                line("fortigate", "webfilter-blocked")));
  }

  @Test
  void aTrafficDenyIsAFirewallDenyWithoutHostAndItsNaUserIsNobody() throws Exception {
    assertThat(parser.parse(line("fortigate", "traffic-forward")))
        .isEqualTo(
            new FilterEvent(
                at("2026-09-15T13:10:05Z"),
                ip("10.20.1.31"),
                null,
                null,
                null,
                null,
                Action.BLOCKED,
                "fortigate",
                "firewall-deny",
                "policy 0",
                "traffic/forward deny",
                line("fortigate", "traffic-forward")));
  }

  @Test
  void aDnsFilterBlockIsADnsBlockOfTheQueriedName() throws Exception {
    FilterEvent e = parser.parse(line("fortigate", "dns-response"));
    assertThat(e.domain()).isEqualTo("chat.example.net");
    assertThat(e.method()).isEqualTo("dns-block");
    assertThat(e.category()).isEqualTo("Instant Messaging");
    assertThat(e.rule()).isEqualTo("dns-students");
  }

  @Test
  void eventLogsAreNotFilterRecordsAndABadSourceIsNamed() throws Exception {
    assertThat(parser.parse(line("fortigate", "fsso-logon"))).isNull();
    assertThatThrownBy(() -> parser.parse(line("fortigate", "webfilter-bad-ip")))
        .hasMessage("fortigate_bad_srcip");
  }
}
