package org.bellwatch.agent.parse.dnsmasq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;
import static org.bellwatch.agent.parse.Samples.line;

import java.util.List;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.parse.Samples;
import org.junit.jupiter.api.Test;

class DnsmasqParserTest {
  final DnsmasqParser parser = new DnsmasqParser(Samples.UTC);

  @Test
  void aGravityBlockIsPairedWithThePrecedingQueryForItsClient() throws Exception {
    assertThat(parser.parse(line("dnsmasq", "query-games"))).isNull();
    assertThat(parser.parse(line("dnsmasq", "gravity-blocked")))
        .isEqualTo(
            new FilterEvent(
                at("2026-09-15T09:40:00Z"),
                ip("10.110.10.21"),
                null,
                null,
                "games.example.com",
                null,
                Action.BLOCKED,
                "dnsmasq",
                "dns-block",
                "gravity blocked",
                "gravity blocked games.example.com is 0.0.0.0",
                line("dnsmasq", "gravity-blocked")));
  }

  @Test
  void aBlockWithoutItsQueryHasAnUnknownClient() throws Exception {
    assertThat(parser.parse(line("dnsmasq", "gravity-blocked")).clientIp()).isNull();
  }

  @Test
  void forwardedAndRepliedNamesAndLocalRecordsAreNotBlocks() throws Exception {
    for (String name :
        List.of("query-docs", "forwarded-docs", "reply-docs", "config-local-address")) {
      assertThat(parser.parse(line("dnsmasq", name))).as(name).isNull();
    }
  }

  @Test
  void extraLoggingNamesTheClientOnTheBlockedLineItself() throws Exception {
    FilterEvent e = parser.parse(line("dnsmasq", "config-nxdomain-with-query-id"));
    assertThat(e.clientIp()).isEqualTo(ip("10.110.10.23"));
    assertThat(e.domain()).isEqualTo("chat.example.net");
    assertThat(e.rule()).isEqualTo("config");
  }

  @Test
  void pendingQueriesAreBounded() throws Exception {
    for (int i = 0; i < DnsmasqParser.MAX_PENDING + 1; i++) {
      parser.parse(
          "Sep 15 09:40:00 dnsmasq[812]: query[A] n" + i + ".example.com from 10.110.10.21");
    }
    assertThat(
            parser
                .parse("Sep 15 09:40:00 dnsmasq[812]: gravity blocked n0.example.com is 0.0.0.0")
                .clientIp())
        .isNull();
    assertThat(
            parser
                .parse("Sep 15 09:40:00 dnsmasq[812]: gravity blocked n1.example.com is 0.0.0.0")
                .clientIp())
        .isEqualTo(ip("10.110.10.21"));
    assertThatThrownBy(() -> parser.parse("dnsmasq without a header"))
        .hasMessage("dnsmasq_no_time");
  }

  @Test
  void anAnswerThatTheNameDoesNotExistIsADnsNxdomainWhateverTheListThatGaveIt() throws Exception {
    // Real dnsmasq 2.90 lines (fixtures/site-local): a local=/school.lan/ name and a policy
    // address=/name/
    // entry read the same; the pipeline tells them apart by the site's domains.
    FilterEvent local =
        parser.parse(
            "Dec  6 23:21:59 dnsmasq[30093]: 1 10.98.0.120/36664 config nonexistent.school.lan is NXDOMAIN");
    FilterEvent policy =
        parser.parse(
            "Dec  6 23:21:59 dnsmasq[30093]: 4 10.98.0.120/33187 config wpad.example.com is NXDOMAIN");

    assertThat(local.method()).isEqualTo("dns-nxdomain");
    assertThat(policy)
        .extracting(FilterEvent::domain, FilterEvent::method, FilterEvent::rule)
        .containsExactly("wpad.example.com", "dns-nxdomain", "config");
    assertThat(
            parser
                .parse("Sep 15 09:40:00 dnsmasq[812]: gravity blocked games.example.com is NODATA")
                .method())
        .isEqualTo("dns-nxdomain");
    assertThat(parser.parse(line("dnsmasq", "gravity-blocked")).method()).isEqualTo("dns-block");
    assertThat(
            parser.parse(
                "Dec  6 23:21:59 dnsmasq[30093]: 3 10.98.0.120/57367 config printer.school.lan is "
                    + "NODATA-IPv6"))
        .as("a record of another type exists: no block")
        .isNull();
  }
}
