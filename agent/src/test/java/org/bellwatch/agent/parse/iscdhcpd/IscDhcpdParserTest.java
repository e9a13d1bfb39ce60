package org.bellwatch.agent.parse.iscdhcpd;

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

class IscDhcpdParserTest {
  final IscDhcpdParser parser = new IscDhcpdParser(Samples.UTC);

  @Test
  void anAckBindsTheAddressToTheClientAndItsHostName() throws Exception {
    assertThat(parser.parse(line("isc_dhcpd", "ack"))).isEqualTo(new LeaseObservation(at("2026-09-15T07:30:00Z"),
        ip("10.0.1.20"), "02:00:5e:10:01:07", "RM101-CB07", Kind.ACK, null, "isc_dhcpd", line("isc_dhcpd", "ack")));
  }

  @Test
  void aDiscoverIsSeenAndAReleaseEndsTheLease() throws Exception {
    assertThat(parser.parse(line("isc_dhcpd", "discover")).kind()).isEqualTo(Kind.SEEN);
    assertThat(parser.parse(line("isc_dhcpd", "release"))).isEqualTo(new LeaseObservation(at("2026-09-15T15:30:00Z"),
        ip("10.0.1.20"), "02:00:5e:10:01:07", "RM101-CB07", Kind.RELEASE, null, "isc_dhcpd", line("isc_dhcpd", "release")));
  }

  @Test
  void statusLinesAreNoneAndAnUnreadableDhcpLineIsNamed() throws Exception {
    assertThat(parser.parse(line("isc_dhcpd", "wrote-leases"))).isNull();
    assertThatThrownBy(() -> parser.parse(line("isc_dhcpd", "ack-garbled"))).hasMessage("isc_dhcpd_unrecognized");
  }
}
