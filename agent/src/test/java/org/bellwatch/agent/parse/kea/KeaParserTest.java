package org.bellwatch.agent.parse.kea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;
import static org.bellwatch.agent.parse.Samples.line;

import org.bellwatch.agent.event.LeaseObservation;
import org.bellwatch.agent.event.LeaseObservation.Kind;
import org.bellwatch.agent.parse.Samples;
import org.junit.jupiter.api.Test;

class KeaParserTest {
  final KeaParser parser = new KeaParser(Samples.UTC);

  @Test
  void anAllocationIsAnAckForItsLifetime() throws Exception {
    assertThat(parser.parse(line("kea", "lease-alloc")))
        .isEqualTo(
            new LeaseObservation(
                at("2026-09-15T07:32:00Z"),
                ip("10.0.3.50"),
                "02:00:5e:10:03:50",
                null,
                Kind.ACK,
                7200L,
                "kea",
                line("kea", "lease-alloc")));
  }

  @Test
  void aReleaseEndsItOtherMessagesAreNoneAndABadHardwareAddressIsNamed() throws Exception {
    assertThat(parser.parse(line("kea", "release")).kind()).isEqualTo(Kind.RELEASE);
    assertThat(parser.parse(line("kea", "lfc-start"))).isNull();
    assertThatThrownBy(() -> parser.parse(line("kea", "lease-alloc-bad-hwaddr")))
        .hasMessage("kea_bad_lease");
  }

  @Test
  void aDhcp6AllocationBindsTheIpv6AddressToTheHardwareAddressOrTheMacInsideADuidLl()
      throws Exception {
    assertThat(parser.parse(line("kea", "dhcp6-alloc-duid-ll")))
        .isEqualTo(
            new LeaseObservation(
                at("2026-09-15T07:40:00Z"),
                ip("2001:db8:77::108c"),
                "02:66:00:00:00:12",
                null,
                Kind.ACK,
                7200L,
                "kea",
                line("kea", "dhcp6-alloc-duid-ll")));
    assertThat(parser.parse(line("kea", "dhcp6-alloc-hwaddr")))
        .isEqualTo(
            new LeaseObservation(
                at("2026-09-15T07:41:00Z"),
                ip("2001:db8:77::2a"),
                "3c:07:54:aa:00:17",
                null,
                Kind.ACK,
                3600L,
                "kea",
                line("kea", "dhcp6-alloc-hwaddr")));
    assertThat(parser.parse(line("kea", "dhcp6-release")))
        .isEqualTo(
            new LeaseObservation(
                at("2026-09-15T11:02:00Z"),
                ip("2001:db8:77::108c"),
                "02:66:00:00:00:12",
                null,
                Kind.RELEASE,
                null,
                "kea",
                line("kea", "dhcp6-release")));
  }
}
