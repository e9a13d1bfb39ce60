package org.bellwatch.agent.parse.sonicwall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;
import static org.bellwatch.agent.parse.Samples.line;

import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.parse.Samples;
import org.junit.jupiter.api.Test;

class SonicwallParserTest {
  final SonicwallParser parser = new SonicwallParser(Samples.UTC);

  @Test
  void aCfsDenialIsAFilterDenyWithCategoryAndPolicyFromTheNote() throws Exception {
    assertThat(parser.parse(line("sonicwall", "access-denied")))
        .isEqualTo(
            new FilterEvent(
                at("2026-09-15T13:50:00Z"),
                ip("10.70.6.12"),
                "s4012",
                "https://games.example.com/",
                "games.example.com",
                "Games",
                Action.BLOCKED,
                "sonicwall",
                "filter-deny",
                "Students CFS",
                "m=14 Web site access denied https://games.example.com/ category Games user s4012",
                line("sonicwall", "access-denied")));
  }

  @Test
  void aCfsHitIsAllowedAndTheSsoFailedSentinelIsNoUser() throws Exception {
    FilterEvent e = parser.parse(line("sonicwall", "web-site-hit"));
    assertThat(e.action()).isEqualTo(Action.ALLOWED);
    assertThat(e.user()).isNull();
    assertThat(e.url()).isEqualTo("http://docs.example.edu/guide");
  }

  @Test
  void connectionLogsAreNoneAndABadTimeIsNamed() throws Exception {
    assertThat(parser.parse(line("sonicwall", "connection-opened"))).isNull();
    assertThatThrownBy(() -> parser.parse(line("sonicwall", "bad-time")))
        .hasMessage("sonicwall_bad_time");
  }
}
