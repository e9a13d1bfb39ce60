package org.bellwatch.agent.parse.pfblockerng;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;
import static org.bellwatch.agent.parse.Samples.line;

import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.parse.Samples;
import org.junit.jupiter.api.Test;

class PfblockerngParserTest {
  final PfblockerngParser parser = new PfblockerngParser(Samples.UTC);

  @Test
  void aDnsblLineIsADnsBlockWithGroupAsCategoryAndFeedAsRule() throws Exception {
    assertThat(parser.parse(line("pfblockerng", "dnsbl-blocked")))
        .isEqualTo(
            new FilterEvent(
                at("2026-09-15T09:30:00Z"),
                ip("10.100.9.11"),
                null,
                null,
                "tracker.example.net",
                "ADs_Basic",
                Action.BLOCKED,
                "pfblockerng",
                "dns-block",
                "EasyPrivacy",
                "DNSBL-python tracker.example.net group ADs_Basic matched example.net",
                line("pfblockerng", "dnsbl-blocked")));
  }

  @Test
  void repliesAreNoneAndABadClientIsNamed() throws Exception {
    assertThat(parser.parse(line("pfblockerng", "dns-reply"))).isNull();
    assertThatThrownBy(() -> parser.parse(line("pfblockerng", "dnsbl-bad-ip")))
        .hasMessage("pfblockerng_bad_client");
  }
}
