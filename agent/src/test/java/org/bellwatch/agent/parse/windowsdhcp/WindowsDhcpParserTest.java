package org.bellwatch.agent.parse.windowsdhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;
import static org.bellwatch.agent.parse.Samples.line;

import java.util.List;
import org.bellwatch.agent.event.LeaseObservation;
import org.bellwatch.agent.event.LeaseObservation.Kind;
import org.junit.jupiter.api.Test;

class WindowsDhcpParserTest {
  final WindowsDhcpParser parser =
      new WindowsDhcpParser(
          new org.bellwatch.agent.parse.ParseContext(
              java.time.ZoneId.of("America/Chicago"),
              java.time.InstantSource.fixed(at("2026-09-20T00:00:00Z"))));

  @Test
  void anAssignIsAnAckInTheServersLocalTime() throws Exception {
    assertThat(parser.parse(line("windows_dhcp", "assign")))
        .isEqualTo(
            new LeaseObservation(
                at("2026-09-15T12:33:00Z"),
                ip("10.0.4.70"),
                "02:00:5e:10:04:70",
                "RM404-CB70.school.example.org",
                Kind.ACK,
                null,
                "windows_dhcp",
                line("windows_dhcp", "assign")));
  }

  @Test
  void preambleHeaderAndDnsEventsAreNoneAReleaseEndsAndABadDateIsNamed() throws Exception {
    for (String name : List.of("title", "blank", "header", "dns-update-request")) {
      assertThat(parser.parse(line("windows_dhcp", name))).as(name).isNull();
    }
    assertThat(parser.parse(line("windows_dhcp", "release")).kind()).isEqualTo(Kind.RELEASE);
    assertThatThrownBy(() -> parser.parse(line("windows_dhcp", "renew-day-first-date")))
        .hasMessage("windows_dhcp_bad_time");
  }
}
