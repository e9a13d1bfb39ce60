package org.bellwatch.agent.parse.kealeases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;
import static org.bellwatch.agent.parse.Samples.line;

import org.bellwatch.agent.event.LeaseObservation;
import org.bellwatch.agent.event.LeaseObservation.Kind;
import org.bellwatch.agent.parse.Samples;
import org.junit.jupiter.api.Test;

class KeaLeaseFileParserTest {
  final KeaLeaseFileParser parser = new KeaLeaseFileParser(Samples.UTC);

  @Test
  void theHeaderSetsColumnsAndAStateZeroRowIsAnAckSinceExpireMinusLifetime() throws Exception {
    assertThat(parser.parse(line("kea_leases", "header"))).isNull();
    assertThat(parser.parse(line("kea_leases", "lease-active")))
        .isEqualTo(
            new LeaseObservation(
                at("2026-09-15T14:30:00Z"),
                ip("10.0.3.60"),
                "02:00:5e:10:03:60",
                "rm303,cb60",
                Kind.ACK,
                7200L,
                "kea_leases",
                line("kea_leases", "lease-active")));
  }

  @Test
  void anExpiredReclaimedRowEndsAtExpireAndABadNumberIsNamed() throws Exception {
    LeaseObservation o = parser.parse(line("kea_leases", "lease-expired-reclaimed"));
    assertThat(o.kind()).isEqualTo(Kind.EXPIRE);
    assertThat(o.time()).isEqualTo(at("2026-09-15T16:30:00Z"));
    assertThatThrownBy(() -> parser.parse(line("kea_leases", "lease-bad-lifetime")))
        .hasMessage("kea_leases_bad_number");
  }
}
