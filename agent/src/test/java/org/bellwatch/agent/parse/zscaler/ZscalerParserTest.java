package org.bellwatch.agent.parse.zscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;
import static org.bellwatch.agent.parse.Samples.line;

import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.parse.Samples;
import org.junit.jupiter.api.Test;

class ZscalerParserTest {
  final ZscalerParser parser = new ZscalerParser(Samples.UTC);

  @Test
  void aBlockedRequestIsAProxyDenyFromTheInternalClientAddress() throws Exception {
    assertThat(parser.parse(line("zscaler", "nss-web-blocked")))
        .isEqualTo(
            new FilterEvent(
                at("2026-09-15T14:20:00Z"),
                ip("10.90.8.21"),
                "s6001@school.example.org",
                "games.example.com/play",
                "games.example.com",
                "Games",
                Action.BLOCKED,
                "zscaler",
                "proxy-deny",
                "Block games for students",
                "Blocked GET games.example.com/play category Games user s6001@school.example.org",
                line("zscaler", "nss-web-blocked")));
  }

  @Test
  void withoutCintipTheClientIsUnknownNotThePublicAddressAndNoneIsNoRule() throws Exception {
    FilterEvent e = parser.parse(line("zscaler", "flat-allowed"));
    assertThat(e.clientIp()).isNull();
    assertThat(e.rule()).isNull();
    assertThatThrownBy(() -> parser.parse(line("zscaler", "bad-time")))
        .hasMessage("zscaler_bad_time");
  }
}
