package org.bellwatch.agent.parse.cef;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;
import static org.bellwatch.agent.parse.Samples.line;

import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.parse.Samples;
import org.junit.jupiter.api.Test;

class CefParserTest {
  final CefParser parser = new CefParser(Samples.UTC);

  @Test
  void aBlockedCefRecordIsAFilterDenyWithThePolicyLabelledCustomString() throws Exception {
    assertThat(parser.parse(line("cef", "syslog-blocked-with-user")))
        .isEqualTo(
            new FilterEvent(
                at("2026-09-15T15:50:00Z"),
                ip("10.120.11.31"),
                "s7031",
                "https://games.example.com/play",
                "games.example.com",
                "Games",
                Action.BLOCKED,
                "cef",
                "filter-deny",
                "Students default",
                "ExampleSec WebGateway Web request blocked blocked https://games.example.com/play user s7031",
                line("cef", "syslog-blocked-with-user")));
  }

  @Test
  void anAllowedRecordWithoutSyslogHeaderAndAMissingHeaderIsNamed() throws Exception {
    assertThat(parser.parse(line("cef", "bare-allowed")).action()).isEqualTo(Action.ALLOWED);
    assertThatThrownBy(() -> parser.parse(line("cef", "not-cef"))).hasMessage("cef_no_header");
  }
}
