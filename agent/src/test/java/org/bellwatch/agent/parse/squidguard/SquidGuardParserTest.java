package org.bellwatch.agent.parse.squidguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.List;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.Samples;
import org.junit.jupiter.api.Test;

class SquidGuardParserTest {
  private final SquidGuardParser parser = new SquidGuardParser(Samples.MADE_2026_12_07);

  @Test
  void aRedirectIsAProxyRedirectBlockWithTheMatchedListAsCategory() throws Exception {
    String line = Samples.only("squidguard", "squidguard.log", "http://blocked.test/page?q=1");
    assertThat(parser.parse(line))
        .isEqualTo(
            new FilterEvent(
                Instant.parse("2026-12-07T09:40:22Z"),
                InetAddress.getByName("127.0.0.9"),
                null,
                "http://blocked.test/page?q=1",
                "blocked.test",
                "adult",
                Action.BLOCKED,
                "squidguard",
                "proxy-redirect",
                "default",
                "redirected GET http://blocked.test/page?q=1 (adult)",
                line));
  }

  @Test
  void aConnectOfAnAuthenticatedUserNamesTheUserAndTheHost() throws Exception {
    String line = Samples.only("squidguard", "squidguard.log", "games.test:443");
    assertThat(parser.parse(line))
        .isEqualTo(
            new FilterEvent(
                Instant.parse("2026-12-07T09:45:48Z"),
                InetAddress.getByName("127.219.0.21"),
                "alice",
                "games.test:443",
                "games.test",
                "games",
                Action.BLOCKED,
                "squidguard",
                "proxy-redirect",
                "default",
                "redirected CONNECT games.test:443 (games) user alice",
                line));
  }

  @Test
  void aRewriteRulesRedirectIsNoBlock() throws Exception {
    FilterEvent e = parser.parse(Samples.only("squidguard", "squidguard.log", "http://old.test/x"));
    assertThat(e.action()).isEqualTo(Action.ALLOWED);
    assertThat(e.method()).isNull();
  }

  @Test
  void startAndStopLinesCarryNoRequest() throws Exception {
    for (String fragment :
        List.of(
            "squidGuard 1.6.0 started", "squidGuard ready for requests", "squidGuard stopped")) {
      assertThat(parser.parse(Samples.only("squidguard", "squidguard.log", fragment)))
          .as(fragment)
          .isNull();
    }
  }

  @Test
  void timesAreReadInTheFilesZone() throws Exception {
    SquidGuardParser chicago =
        new SquidGuardParser(
            new ParseContext(
                ZoneId.of("America/Chicago"),
                InstantSource.fixed(Instant.parse("2026-12-08T00:00:00Z"))));
    assertThat(
            chicago
                .parse(Samples.only("squidguard", "squidguard.log", "http://blocked.test/page?q=1"))
                .time())
        .isEqualTo(Instant.parse("2026-12-07T15:40:22Z"));
  }

  @Test
  void aLineThatIsNotSquidGuardsIsMalformed() {
    assertThatThrownBy(() -> parser.parse("Dec  7 09:40:22 host squid[1]: hello"))
        .isInstanceOf(MalformedException.class)
        .hasMessage("squidguard_bad_line");
    assertThatThrownBy(
            () ->
                parser.parse(
                    "2026-12-07 09:40:22 [1] Request(default/adult/-) http://x.test/ nohost/- - GET REDIRECT"))
        .isInstanceOf(MalformedException.class)
        .hasMessage("squidguard_bad_client");
    assertThatThrownBy(
            () ->
                parser.parse(
                    "2026-13-07 09:40:22 [1] Request(default/adult/-) http://x.test/ 10.0.0.1/- - GET REDIRECT"))
        .isInstanceOf(MalformedException.class)
        .hasMessage("squidguard_bad_time");
  }
}
