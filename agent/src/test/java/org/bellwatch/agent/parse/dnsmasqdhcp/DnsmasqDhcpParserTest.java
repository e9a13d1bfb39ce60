package org.bellwatch.agent.parse.dnsmasqdhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;
import static org.bellwatch.agent.parse.Samples.line;

import java.util.List;
import org.bellwatch.agent.event.LeaseObservation;
import org.bellwatch.agent.event.LeaseObservation.Kind;
import org.bellwatch.agent.parse.Samples;
import org.junit.jupiter.api.Test;

class DnsmasqDhcpParserTest {
  final DnsmasqDhcpParser parser = new DnsmasqDhcpParser(Samples.UTC);

  @Test
  void anAckBindsAddressMacAndHostName() throws Exception {
    assertThat(parser.parse(line("dnsmasq_dhcp", "ack-with-hostname")))
        .isEqualTo(
            new LeaseObservation(
                at("2026-09-15T07:34:00Z"),
                ip("10.0.5.80"),
                "02:00:5e:10:05:80",
                "rm505-cb80",
                Kind.ACK,
                null,
                "dnsmasq_dhcp",
                line("dnsmasq_dhcp", "ack-with-hostname")));
  }

  @Test
  void aRequestIsSeenAReleaseEndsAndABadMacIsNamed() throws Exception {
    assertThat(parser.parse(line("dnsmasq_dhcp", "request")).kind()).isEqualTo(Kind.SEEN);
    assertThat(parser.parse(line("dnsmasq_dhcp", "release")).kind()).isEqualTo(Kind.RELEASE);
    assertThatThrownBy(() -> parser.parse(line("dnsmasq_dhcp", "ack-bad-mac")))
        .hasMessage("dnsmasq_dhcp_bad_mac");
  }

  @Test
  void theDomainNameAndSearchListSentWithAnAcknowledgementAreTheSitesDomains() throws Exception {
    // Real dnsmasq 2.90 log-dhcp lines (fixtures/site-local): the options follow their message line
    // under
    // the same serial; option 119 is logged as hex cut after 14 bytes, so only school.lan lies
    // whole in it.
    assertThat(parser.parse(line("dnsmasq_dhcp", "offer-with-xid")).kind()).isEqualTo(Kind.SEEN);
    assertThat(parser.parse(line("dnsmasq_dhcp", "sent-domain-name-after-offer")))
        .as("sent with the offer")
        .isNull();
    assertThat(parser.parse(line("dnsmasq_dhcp", "sent-domain-search-after-offer")))
        .as("sent with the offer")
        .isNull();
    assertThat(parser.parse(line("dnsmasq_dhcp", "ack-with-xid")).kind()).isEqualTo(Kind.ACK);

    assertThat(parser.parse(line("dnsmasq_dhcp", "sent-domain-name-after-ack")))
        .isEqualTo(
            new LeaseObservation(
                at("2025-12-06T23:21:56Z"),
                null,
                null,
                null,
                Kind.DOMAIN,
                null,
                "dnsmasq_dhcp",
                line("dnsmasq_dhcp", "sent-domain-name-after-ack"),
                List.of("school.lan")));
    assertThat(parser.parse(line("dnsmasq_dhcp", "sent-domain-search-after-ack")).domains())
        .containsExactly("school.lan");
  }

  @Test
  void aSearchListLoggedWholeGivesEveryNameAndADamagedOneIsNamed() throws Exception {
    parser.parse(
        "Dec  6 23:21:56 dnsmasq-dhcp[30093]: 77 DHCPACK(eth0) 10.98.0.120 02:98:00:00:00:07 pc");
    // At most 14 bytes are logged in full: lan.example, then a pointer to "example" (RFC 3397
    // compression).
    assertThat(
            parser
                .parse(
                    "Dec  6 23:21:56 dnsmasq-dhcp[30093]: 77 sent size: 14 option:119 domain-search  "
                        + "03:6c:61:6e:07:65:78:61:6d:70:6c:65:00:00")
                .domains())
        .containsExactly("lan.example");
    assertThatThrownBy(
            () ->
                parser.parse(
                    "Dec  6 23:21:56 dnsmasq-dhcp[30093]: 77 sent size: 3 option:119 "
                        + "domain-search  03:6c:c0"))
        .hasMessage("dnsmasq_dhcp_bad_domain_search");
    assertThat(
            parser.parse(
                "Dec  6 23:21:56 dnsmasq-dhcp[30093]: 78 sent size: 10 option: 15 domain-name  "
                    + "other.lan"))
        .as("another transaction's")
        .isNull();
  }
}
