package org.bellwatch.agent.parse.dnsmasq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;
import static org.bellwatch.agent.parse.Samples.line;

import org.bellwatch.agent.parse.Action;
import org.bellwatch.agent.parse.FilterEvent;
import org.bellwatch.agent.parse.LeaseObservation;
import org.bellwatch.agent.parse.LeaseObservation.Kind;
import org.bellwatch.agent.parse.Samples;
import org.junit.jupiter.api.Test;

class DnsmasqParserTest {
  final DnsmasqParser parser = new DnsmasqParser(Samples.UTC);

  @Test
  void aGravityBlockIsPairedWithThePrecedingQueryForItsClient() throws Exception {
    assertThat(parser.parse(line("dnsmasq", 1))).isNull();
    assertThat(parser.parse(line("dnsmasq", 2))).isEqualTo(new FilterEvent(at("2026-09-15T09:40:00Z"),
        ip("10.110.10.21"), null, null, "games.example.com", null, Action.BLOCKED, "dnsmasq", "dns-block",
        "gravity blocked", "gravity blocked games.example.com is 0.0.0.0", line("dnsmasq", 2)));
  }

  @Test
  void aBlockWithoutItsQueryHasAnUnknownClient() throws Exception {
    assertThat(parser.parse(line("dnsmasq", 2)).clientIp()).isNull();
  }

  @Test
  void forwardedAndRepliedNamesAndLocalRecordsAreNotBlocks() throws Exception {
    for (int n : new int[] {3, 4, 5, 7}) {
      assertThat(parser.parse(line("dnsmasq", n))).as("line %d", n).isNull();
    }
  }

  @Test
  void extraLoggingNamesTheClientOnTheBlockedLineItself() throws Exception {
    FilterEvent e = parser.parse(line("dnsmasq", 6));
    assertThat(e.clientIp()).isEqualTo(ip("10.110.10.23"));
    assertThat(e.domain()).isEqualTo("chat.example.net");
    assertThat(e.rule()).isEqualTo("config");
  }

  @Test
  void pendingQueriesAreBounded() throws Exception {
    for (int i = 0; i < DnsmasqParser.MAX_PENDING + 1; i++) {
      parser.parse("Sep 15 09:40:00 dnsmasq[812]: query[A] n" + i + ".example.com from 10.110.10.21");
    }
    assertThat(parser.parse("Sep 15 09:40:00 dnsmasq[812]: gravity blocked n0.example.com is 0.0.0.0").clientIp())
        .isNull();
    assertThat(parser.parse("Sep 15 09:40:00 dnsmasq[812]: gravity blocked n1.example.com is 0.0.0.0").clientIp())
        .isEqualTo(ip("10.110.10.21"));
    assertThatThrownBy(() -> parser.parse("dnsmasq without a header")).hasMessage("dnsmasq_no_time");
  }
}
