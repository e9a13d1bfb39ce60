package org.bellwatch.agent.parse.infoblox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;
import static org.bellwatch.agent.parse.Samples.line;

import org.bellwatch.agent.event.LeaseObservation;
import org.bellwatch.agent.event.LeaseObservation.Kind;
import org.bellwatch.agent.parse.Samples;
import org.junit.jupiter.api.Test;

class InfobloxParserTest {
  final InfobloxParser parser = new InfobloxParser(Samples.UTC);

  @Test
  void anAckBehindTheMembersAddressKeepsItsLeaseDuration() throws Exception {
    assertThat(parser.parse(line("infoblox", "ack-with-relay-and-duration")))
        .isEqualTo(
            new LeaseObservation(
                at("2026-09-15T07:31:00Z"),
                ip("10.0.2.40"),
                "02:00:5e:10:02:40",
                "RM202-CB40",
                Kind.ACK,
                28800L,
                "infoblox",
                line("infoblox", "ack-with-relay-and-duration")));
  }

  @Test
  void anExpireEndsTheLeaseAndAnUnreadableLineIsNamedForInfoblox() throws Exception {
    assertThat(parser.parse(line("infoblox", "expire")).kind()).isEqualTo(Kind.EXPIRE);
    assertThatThrownBy(() -> parser.parse("<30>Sep 15 16:00:00 ib-gm dhcpd[1]: DHCPNAK garbled"))
        .hasMessage("infoblox_unrecognized");
  }
}
