package org.bellwatch.agent.parse.umbrellaproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;
import static org.bellwatch.agent.parse.Samples.line;

import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.parse.Samples;
import org.junit.jupiter.api.Test;

class UmbrellaProxyParserTest {
  final UmbrellaProxyParser parser = new UmbrellaProxyParser(Samples.UTC);

  @Test
  void aBlockedRequestIsAProxyDeny() throws Exception {
    assertThat(parser.parse(line("umbrella_proxy", "blocked-with-identity")))
        .isEqualTo(
            new FilterEvent(
                at("2026-09-15T14:10:00Z"),
                ip("10.80.7.41"),
                "s5001@school.example.org",
                "https://videos.example.org/watch?v=1",
                "videos.example.org",
                "Streaming Video",
                Action.BLOCKED,
                "umbrella_proxy",
                "proxy-deny",
                null,
                "BLOCKED https://videos.example.org/watch?v=1 category Streaming Video user s5001@school.example.org",
                line("umbrella_proxy", "blocked-with-identity")));
  }

  @Test
  void anEmptyInternalAddressLeavesTheClientUnknownAndAShortRowIsNamed() throws Exception {
    assertThat(parser.parse(line("umbrella_proxy", "allowed-without-internal-ip")).clientIp())
        .isNull();
    assertThatThrownBy(() -> parser.parse(line("umbrella_proxy", "truncated")))
        .hasMessage("umbrella_proxy_too_few_fields");
  }
}
