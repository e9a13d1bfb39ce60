package org.bellwatch.agent.parse.meraki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;
import static org.bellwatch.agent.parse.Samples.line;

import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.parse.Samples;
import org.junit.jupiter.api.Test;

class MerakiParserTest {
  final MerakiParser parser = new MerakiParser(Samples.UTC);

  @Test
  void aUrlsRecordIsAnAllowedRequestBecauseMerakiLogsNoVerdict() throws Exception {
    assertThat(parser.parse(line("meraki", "urls-request")))
        .isEqualTo(
            new FilterEvent(
                at("2026-09-15T16:10:00.250Z"),
                ip("10.60.5.21"),
                null,
                "https://learn.example.edu/course",
                "learn.example.edu",
                null,
                Action.ALLOWED,
                "meraki",
                null,
                null,
                "urls GET https://learn.example.edu/course",
                line("meraki", "urls-request")));
  }

  @Test
  void aFlowDenyIsAFirewallDenyWhoseRuleIsThePattern() throws Exception {
    assertThat(parser.parse(line("meraki", "flows-deny")))
        .isEqualTo(
            new FilterEvent(
                at("2026-09-15T16:10:01Z"),
                ip("10.60.5.21"),
                null,
                null,
                null,
                null,
                Action.BLOCKED,
                "meraki",
                "firewall-deny",
                "deny (dst port 6881)",
                "flows deny to 198.51.100.51",
                line("meraki", "flows-deny")));
  }

  @Test
  void eventsAreNoneAndAUrlsLineWithoutSourceIsNamed() throws Exception {
    assertThat(parser.parse(line("meraki", "events-dhcp-lease"))).isNull();
    assertThatThrownBy(() -> parser.parse(line("meraki", "urls-src-without-ip")))
        .hasMessage("meraki_bad_urls");
  }
}
