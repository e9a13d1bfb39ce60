package org.bellwatch.agent.parse.dnsmasqdhcp;

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

class DnsmasqDhcpParserTest {
  final DnsmasqDhcpParser parser = new DnsmasqDhcpParser(Samples.UTC);

  @Test
  void anAckBindsAddressMacAndHostName() throws Exception {
    assertThat(parser.parse(line("dnsmasq_dhcp", 2))).isEqualTo(new LeaseObservation(at("2026-09-15T07:34:00Z"),
        ip("10.0.5.80"), "02:00:5e:10:05:80", "rm505-cb80", Kind.ACK, null, "dnsmasq_dhcp", line("dnsmasq_dhcp", 2)));
  }

  @Test
  void aRequestIsSeenAReleaseEndsAndABadMacIsNamed() throws Exception {
    assertThat(parser.parse(line("dnsmasq_dhcp", 1)).kind()).isEqualTo(Kind.SEEN);
    assertThat(parser.parse(line("dnsmasq_dhcp", 3)).kind()).isEqualTo(Kind.RELEASE);
    assertThatThrownBy(() -> parser.parse(line("dnsmasq_dhcp", 4))).hasMessage("dnsmasq_dhcp_bad_mac");
  }
}
