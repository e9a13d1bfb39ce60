package org.bellwatch.agent.parse.sophosxg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;
import static org.bellwatch.agent.parse.Samples.line;

import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.parse.Samples;
import org.junit.jupiter.api.Test;

class SophosXgParserTest {
  final SophosXgParser parser = new SophosXgParser(Samples.UTC);

  @Test
  void aDeniedHttpRecordOfV19IsAFilterDenyAtItsOwnOffset() throws Exception {
    assertThat(parser.parse(line("sophos_xg", "syslog-content-denied")))
        .isEqualTo(
            new FilterEvent(
                at("2026-09-15T13:30:00Z"),
                ip("10.40.3.20"),
                "s2040",
                "https://games.example.com/",
                "games.example.com",
                "Games",
                Action.BLOCKED,
                "sophos_xg",
                "filter-deny",
                "web policy 9",
                "denied https://games.example.com/ category Games user s2040",
                line("sophos_xg", "syslog-content-denied")));
  }

  @Test
  void aWarnedRecordOfTheOlderLayoutIsAWarningInItsTimezone() throws Exception {
    FilterEvent e = parser.parse(line("sophos_xg", "content-warned"));
    assertThat(e.action()).isEqualTo(Action.WARNED);
    assertThat(e.time()).isEqualTo(at("2026-09-15T13:31:00Z"));
    assertThat(e.rule()).isEqualTo("firewall rule 4");
  }

  @Test
  void otherLogTypesAreNoneAndABadSourceIsNamed() throws Exception {
    assertThat(parser.parse(line("sophos_xg", "firewall-allowed"))).isNull();
    assertThatThrownBy(() -> parser.parse(line("sophos_xg", "content-denied-bad-ip")))
        .hasMessage("sophos_xg_bad_src_ip");
  }
}
