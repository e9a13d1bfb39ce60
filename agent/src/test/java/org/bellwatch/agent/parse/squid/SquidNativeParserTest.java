package org.bellwatch.agent.parse.squid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.Random;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.Mutations;
import org.bellwatch.agent.parse.ParseContext;
import org.junit.jupiter.api.Test;

class SquidNativeParserTest {
  private final SquidNativeParser parser =
      new SquidNativeParser(
          new ParseContext(
              ZoneOffset.UTC, InstantSource.fixed(Instant.parse("2026-09-20T00:00:00Z"))));

  @Test
  void aDeniedConnectIsAProxyDenyOfTheTargetHost() throws Exception {
    String line =
        "1789489801.123     12 10.10.1.23 TCP_DENIED/403 3900 CONNECT www.TikTok.com:443 alice HIER_NONE/- text/html";
    FilterEvent e = parser.parse(line);
    assertThat(e)
        .isEqualTo(
            new FilterEvent(
                Instant.parse("2026-09-15T16:30:01.123Z"),
                InetAddress.getByName("10.10.1.23"),
                "alice",
                "www.TikTok.com:443",
                "www.tiktok.com",
                null,
                Action.BLOCKED,
                "squid",
                "proxy-deny",
                null,
                "TCP_DENIED/403 CONNECT www.TikTok.com:443 user alice",
                line));
  }

  @Test
  void aProxyAuthenticationChallengeIsNotABlock() throws Exception {
    FilterEvent e =
        parser.parse(
            "1789489801.000 0 10.10.1.23 TCP_DENIED/407 4100 GET http://games.example.com/ - HIER_NONE/- text/html");
    assertThat(e.action()).isEqualTo(Action.AUTH_CHALLENGE);
    assertThat(e.method()).isNull();
    assertThat(e.user()).isNull();
  }

  @Test
  void anAllowedRequestKeepsHostWithoutPortOrPath() throws Exception {
    FilterEvent e =
        parser.parse(
            "1789489801.5 88 10.10.1.23 TCP_MISS/200 5120 GET http://docs.example.edu:8080/a/b?c=d bob HIER_DIRECT/10.0.0.1 text/html");
    assertThat(e.action()).isEqualTo(Action.ALLOWED);
    assertThat(e.domain()).isEqualTo("docs.example.edu");
    assertThat(e.time()).isEqualTo(Instant.parse("2026-09-15T16:30:01.500Z"));
  }

  @Test
  void aPfSenseSyslogLineIsReadBehindItsHeader() throws Exception {
    String line =
        "<166>Sep 15 09:30:01 fw.school.example (squid-1)[4410]: 1789489801.250 40 10.10.2.7 TCP_DENIED/403 3900 GET http://games.example.net/play - HIER_NONE/- text/html";
    assertThat(parser.parse(line))
        .isEqualTo(
            new FilterEvent(
                Instant.parse("2026-09-15T16:30:01.250Z"),
                InetAddress.getByName("10.10.2.7"),
                null,
                "http://games.example.net/play",
                "games.example.net",
                null,
                Action.BLOCKED,
                "squid",
                "proxy-deny",
                null,
                "TCP_DENIED/403 GET http://games.example.net/play",
                line));
  }

  @Test
  void anOpnSenseJsonLineIsReadWithItsOwnTimestamp() throws Exception {
    String line =
        "<166>Sep 15 09:30:05 opn.school.example (squid-1)[77]: {\"@timestamp\":\"2026-09-15T16:30:02+0000\","
            + "\"http\":{\"request\":{\"method\":\"GET\"},\"response\":{\"body\":{\"status_code\":403}}},"
            + "\"source\":{\"ip\":\"10.10.2.8\"},\"user\":{\"name\":\"s1234\"},"
            + "\"url\":{\"original\":\"http://chat.example.org/x\"},\"labels\":{\"request_status\":\"TCP_DENIED\"}}";
    assertThat(parser.parse(line))
        .isEqualTo(
            new FilterEvent(
                Instant.parse("2026-09-15T16:30:02Z"),
                InetAddress.getByName("10.10.2.8"),
                "s1234",
                "http://chat.example.org/x",
                "chat.example.org",
                null,
                Action.BLOCKED,
                "squid",
                "proxy-deny",
                null,
                "TCP_DENIED/403 GET http://chat.example.org/x user s1234",
                line));
  }

  @Test
  void anExtendedFormatWithClientPortAndHttpVersionKeepsMethodUrlAndUser() throws Exception {
    FilterEvent e =
        parser.parse(
            "1789489801.000 5 10.10.2.9 51515 TCP_MISS/200 904 123 364 GET http://docs.example.edu/ 1.1 carol HIER_DIRECT/192.0.2.1 80 text/html");
    assertThat(e.url()).isEqualTo("http://docs.example.edu/");
    assertThat(e.user()).isEqualTo("carol");
    assertThat(e.action()).isEqualTo(Action.ALLOWED);
  }

  @Test
  void blankAndCommentLinesAreNotEvents() throws Exception {
    assertThat(parser.parse("   ")).isNull();
    assertThat(parser.parse("# squid log")).isNull();
  }

  @Test
  void aRedirectIsRedirectedWithTheLocationAFormatLogsAfterTheNativeFields() throws Exception {
    // Squid 5.7 with squidGuard, logformat ... %mt "%{Location}<h" (ProxySite): squid logs the
    // original URL.
    String line =
        "1796636748.050      2 127.219.0.21 TCP_REDIRECT/302 308 GET http://blocked.test/page? alice HIER_NONE/- - "
            + "\"http://block.school.test/denied?client=127.219.0.21&cat=adult&url=http://blocked.test/page?q=1\"";
    assertThat(parser.parse(line))
        .isEqualTo(
            new FilterEvent(
                Instant.parse("2026-12-07T09:45:48.050Z"),
                InetAddress.getByName("127.219.0.21"),
                "alice",
                "http://blocked.test/page?",
                "blocked.test",
                null,
                Action.REDIRECTED,
                "squid",
                "proxy-redirect",
                null,
                "TCP_REDIRECT/302 GET http://blocked.test/page? user alice"
                    + " to http://block.school.test/denied?client=127.219.0.21&cat=adult&url=http://blocked.test/page?q=1",
                line,
                "http://block.school.test/denied?client=127.219.0.21&cat=adult&url=http://blocked.test/page?q=1"));
  }

  @Test
  void aRedirectInTheNativeFormatHasNoTarget() throws Exception {
    FilterEvent e =
        parser.parse(
            "1796636748.225      4 127.219.0.21 TCP_REDIRECT/302 278 CONNECT games.test:443 alice HIER_NONE/- -");
    assertThat(e.action()).isEqualTo(Action.REDIRECTED);
    assertThat(e.redirect()).isNull();
    assertThat(e.domain()).isEqualTo("games.test");
  }

  @Test
  void aRequestTheProxyCouldNotFetchHasFailedWithoutAMethod() throws Exception {
    // Squid 5.7 behind a sinkholing dnsmasq: 0.0.0.0 cannot be connected to; an NXDOMAIN name is a
    // 502; CONNECT 503/500.
    for (String line :
        new String[] {
          "1796636748.305      3 127.219.0.21 TCP_MISS/503 3432 GET http://sinkholed.test/x alice HIER_DIRECT/0.0.0.0 text/html",
          "1796636748.360      0 127.219.0.21 TCP_MISS/502 3390 GET http://nx.test/a alice HIER_NONE/- text/html",
          "1796635760.329      0 127.0.0.9 NONE_NONE/503 0 CONNECT sinkholed.test:443 - HIER_DIRECT/0.0.0.0 -",
          "1796635769.002      0 127.0.0.9 NONE_NONE/500 0 CONNECT nx.test:443 - HIER_NONE/- -"
        }) {
      FilterEvent e = parser.parse(line);
      assertThat(e.action()).as(line).isEqualTo(Action.FAILED);
      assertThat(e.method()).as(line).isNull();
    }
  }

  @Test
  void malformedLinesHaveNamedReasons() {
    assertThatThrownBy(() -> parser.parse("1789489801.123 12 10.10.1.23 TCP_DENIED/403"))
        .isInstanceOf(MalformedException.class)
        .hasMessage("squid_too_few_fields");
    assertThatThrownBy(
            () -> parser.parse("yesterday 12 10.10.1.23 TCP_DENIED/403 1 GET http://a/ - N/- t"))
        .hasMessage("squid_bad_time");
    assertThatThrownBy(
            () ->
                parser.parse("1789489801.1 12 host.example TCP_DENIED/403 1 GET http://a/ - N/- t"))
        .hasMessage("squid_bad_client");
    assertThatThrownBy(
            () -> parser.parse("1789489801.1 12 10.0.0.1 TCP_DENIED 1 GET http://a/ - N/- t"))
        .hasMessage("squid_bad_result_code");
    assertThatThrownBy(
            () -> parser.parse("1789489801.1 12 10.0.0.1 TCP_DENIED/abc 1 GET http://a/ - N/- t"))
        .hasMessage("squid_bad_result_code");
  }

  @Test
  void anExtendedLineThatEndsAtItsUrlHasNoUserRatherThanFailing() throws Exception {
    // Found by LogInputFuzzTest: the user field was read past the end of a line cut after the URL.
    FilterEvent e =
        parser.parse(
            "1789489801.000 5 10.10.2.9 51515 TCP_MISS/200 904 123 364 GET http://docs.example.edu/");

    assertThat(e.user()).isNull();
    assertThat(e.url()).isEqualTo("http://docs.example.edu/");
  }

  @Test
  void fieldsAreSplitAsTheFormerWhitespaceExpressionSplitStrippedLines() {
    String seed =
        "1789489801.123     12 10.10.1.23 TCP_DENIED/403 3900 CONNECT www.TikTok.com:443 alice HIER_NONE/- text/html";
    String alphabet = " \t\n\u000b\f\r\u00a0\u2028\u001cax/.";
    Random r = new Random(9);
    for (int n = 0; n < 100_000; n++) {
      String body = Mutations.of(seed, alphabet, 5, r).strip();
      assertThat(SquidNativeParser.fields(body))
          .as("[%s]", body)
          .containsExactly(body.split("\\s+"));
    }
  }
}
