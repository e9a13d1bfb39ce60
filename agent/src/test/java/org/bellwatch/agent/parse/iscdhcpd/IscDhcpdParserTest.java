package org.bellwatch.agent.parse.iscdhcpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;
import static org.bellwatch.agent.parse.Samples.line;

import org.bellwatch.agent.event.LeaseObservation;
import org.bellwatch.agent.event.LeaseObservation.Kind;
import org.bellwatch.agent.parse.Samples;
import org.junit.jupiter.api.Test;

class IscDhcpdParserTest {
  final IscDhcpdParser parser = new IscDhcpdParser(Samples.UTC);

  @Test
  void anAckBindsTheAddressToTheClientAndItsHostName() throws Exception {
    assertThat(parser.parse(line("isc_dhcpd", "ack")))
        .isEqualTo(
            new LeaseObservation(
                at("2026-09-15T07:30:00Z"),
                ip("10.0.1.20"),
                "02:00:5e:10:01:07",
                "RM101-CB07",
                Kind.ACK,
                null,
                "isc_dhcpd",
                line("isc_dhcpd", "ack")));
  }

  @Test
  void aDiscoverIsSeenAndAReleaseEndsTheLease() throws Exception {
    assertThat(parser.parse(line("isc_dhcpd", "discover")).kind()).isEqualTo(Kind.SEEN);
    assertThat(parser.parse(line("isc_dhcpd", "release")))
        .isEqualTo(
            new LeaseObservation(
                at("2026-09-15T15:30:00Z"),
                ip("10.0.1.20"),
                "02:00:5e:10:01:07",
                "RM101-CB07",
                Kind.RELEASE,
                null,
                "isc_dhcpd",
                line("isc_dhcpd", "release")));
  }

  @Test
  void statusLinesAreNoneAndAnUnreadableDhcpLineIsNamed() throws Exception {
    assertThat(parser.parse(line("isc_dhcpd", "wrote-leases"))).isNull();
    assertThatThrownBy(() -> parser.parse(line("isc_dhcpd", "ack-garbled")))
        .hasMessage("isc_dhcpd_unrecognized");
  }

  @Test
  void aDhcp6ReplyBindsTheIpv6AddressToTheMacInsideTheClientsDuidLlOrDuidLlt() throws Exception {
    assertThat(parser.parse(line("isc_dhcpd", "dhcp6-reply-duid-ll")))
        .isEqualTo(
            new LeaseObservation(
                at("2026-09-15T07:40:01Z"),
                ip("2001:db8:77::1060"),
                "02:66:00:00:00:12",
                null,
                Kind.ACK,
                7200L,
                "isc_dhcpd",
                line("isc_dhcpd", "dhcp6-reply-duid-ll")));
    assertThat(parser.parse(line("isc_dhcpd", "dhcp6-reply-duid-llt")))
        .isEqualTo(
            new LeaseObservation(
                at("2026-09-15T07:41:00Z"),
                ip("2001:db8:77::1011"),
                "02:66:00:00:00:12",
                null,
                Kind.ACK,
                7200L,
                "isc_dhcpd",
                line("isc_dhcpd", "dhcp6-reply-duid-llt")));
    assertThat(parser.parse(line("isc_dhcpd", "dhcp6-reply-static")))
        .isEqualTo(
            new LeaseObservation(
                at("2026-09-15T07:42:00Z"),
                ip("2001:db8:77::20"),
                "02:66:00:00:00:13",
                null,
                Kind.ACK,
                null,
                "isc_dhcpd",
                line("isc_dhcpd", "dhcp6-reply-static")));
  }

  @Test
  void aDhcp6AdvertiseIsSeenAndAClientsReleaseEndsItsBinding() throws Exception {
    assertThat(parser.parse(line("isc_dhcpd", "dhcp6-advertise-duid-ll")))
        .isEqualTo(
            new LeaseObservation(
                at("2026-09-15T07:40:00Z"),
                ip("2001:db8:77::1060"),
                "02:66:00:00:00:12",
                null,
                Kind.SEEN,
                null,
                "isc_dhcpd",
                line("isc_dhcpd", "dhcp6-advertise-duid-ll")));
    assertThat(parser.parse(line("isc_dhcpd", "dhcp6-release-duid-ll")))
        .isEqualTo(
            new LeaseObservation(
                at("2026-09-15T11:02:00Z"),
                ip("2001:db8:77::1060"),
                "02:66:00:00:00:12",
                null,
                Kind.RELEASE,
                null,
                "isc_dhcpd",
                line("isc_dhcpd", "dhcp6-release-duid-ll")));
  }

  @Test
  void aDhcp6ClientWithADuidThatNamesNoMacIsCountedNotGuessedAndOtherDhcp6LinesAreNone()
      throws Exception {
    assertThatThrownBy(() -> parser.parse(line("isc_dhcpd", "dhcp6-reply-duid-en")))
        .hasMessage("isc_dhcpd_duid_without_mac");
    assertThat(parser.parse(line("isc_dhcpd", "dhcp6-solicit"))).isNull();
  }
}
