package org.bellwatch.agent.parse.squid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Instant;
import org.bellwatch.agent.decode.MalformedException;
import org.bellwatch.agent.parse.Action;
import org.bellwatch.agent.parse.FilterEvent;
import org.junit.jupiter.api.Test;

class SquidNativeParserTest {
  private final SquidNativeParser parser = new SquidNativeParser();

  @Test
  void aDeniedConnectIsAProxyDenyOfTheTargetHost() throws Exception {
    FilterEvent e = parser.parse("1789489801.123     12 10.10.1.23 TCP_DENIED/403 3900 CONNECT www.TikTok.com:443 alice HIER_NONE/- text/html");
    assertThat(e).isEqualTo(new FilterEvent(Instant.parse("2026-09-15T16:30:01.123Z"), InetAddress.getByName("10.10.1.23"),
        "alice", "www.TikTok.com:443", "www.tiktok.com", null, Action.BLOCKED, "squid", "proxy-deny",
        "TCP_DENIED/403 CONNECT www.TikTok.com:443 user alice"));
  }

  @Test
  void aProxyAuthenticationChallengeIsNotABlock() throws Exception {
    FilterEvent e = parser.parse("1789489801.000 0 10.10.1.23 TCP_DENIED/407 4100 GET http://games.example.com/ - HIER_NONE/- text/html");
    assertThat(e.action()).isEqualTo(Action.AUTH_CHALLENGE);
    assertThat(e.method()).isNull();
    assertThat(e.user()).isNull();
  }

  @Test
  void anAllowedRequestKeepsHostWithoutPortOrPath() throws Exception {
    FilterEvent e = parser.parse("1789489801.5 88 10.10.1.23 TCP_MISS/200 5120 GET http://docs.example.edu:8080/a/b?c=d bob HIER_DIRECT/10.0.0.1 text/html");
    assertThat(e.action()).isEqualTo(Action.ALLOWED);
    assertThat(e.domain()).isEqualTo("docs.example.edu");
    assertThat(e.time()).isEqualTo(Instant.parse("2026-09-15T16:30:01.500Z"));
  }

  @Test
  void blankAndCommentLinesAreNotEvents() throws Exception {
    assertThat(parser.parse("   ")).isNull();
    assertThat(parser.parse("# squid log")).isNull();
  }

  @Test
  void malformedLinesHaveNamedReasons() {
    assertThatThrownBy(() -> parser.parse("1789489801.123 12 10.10.1.23 TCP_DENIED/403"))
        .isInstanceOf(MalformedException.class).hasMessage("squid_too_few_fields");
    assertThatThrownBy(() -> parser.parse("yesterday 12 10.10.1.23 TCP_DENIED/403 1 GET http://a/ - N/- t"))
        .hasMessage("squid_bad_time");
    assertThatThrownBy(() -> parser.parse("1789489801.1 12 host.example TCP_DENIED/403 1 GET http://a/ - N/- t"))
        .hasMessage("squid_bad_client");
    assertThatThrownBy(() -> parser.parse("1789489801.1 12 10.0.0.1 TCP_DENIED 1 GET http://a/ - N/- t"))
        .hasMessage("squid_bad_result_code");
    assertThatThrownBy(() -> parser.parse("1789489801.1 12 10.0.0.1 TCP_DENIED/abc 1 GET http://a/ - N/- t"))
        .hasMessage("squid_bad_result_code");
  }
}
