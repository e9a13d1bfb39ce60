package org.bellwatch.agent.parse.sophosutm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;
import static org.bellwatch.agent.parse.Samples.line;

import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.parse.Samples;
import org.junit.jupiter.api.Test;

class SophosUtmParserTest {
  final SophosUtmParser parser = new SophosUtmParser(Samples.UTC);

  @Test
  void aCategoryBlockIsAProxyDenyWithDistinctCategoryNamesAndTheProfile() throws Exception {
    assertThat(parser.parse(line("sophos_utm", "web-request-blocked")))
        .isEqualTo(
            new FilterEvent(
                at("2026-09-15T08:40:00Z"),
                ip("10.50.4.11"),
                "s3011",
                "http://games.example.com/arcade",
                "games.example.com",
                "Games",
                Action.BLOCKED,
                "sophos_utm",
                "proxy-deny",
                "REF_students",
                "web request blocked, forbidden category detected http://games.example.com/arcade category Games user s3011",
                line("sophos_utm", "web-request-blocked")));
  }

  @Test
  void internalErrorsAreNoneAndABadSourceIsNamed() throws Exception {
    assertThat(parser.parse(line("sophos_utm", "ssl-error"))).isNull();
    assertThatThrownBy(() -> parser.parse(line("sophos_utm", "http-access-bad-ip")))
        .hasMessage("sophos_utm_bad_srcip");
  }
}
