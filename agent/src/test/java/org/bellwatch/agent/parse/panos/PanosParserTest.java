package org.bellwatch.agent.parse.panos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;
import static org.bellwatch.agent.parse.Samples.line;

import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.parse.Samples;
import org.junit.jupiter.api.Test;

class PanosParserTest {
  final PanosParser parser = new PanosParser(Samples.UTC);

  @Test
  void aBlockUrlThreatIsAFilterDenyWithRuleUserAndCategory() throws Exception {
    assertThat(parser.parse(line("panos", "threat-url-block")))
        .isEqualTo(
            new FilterEvent(
                at("2026-09-15T08:20:00Z"),
                ip("10.30.2.14"),
                "school\\s2014",
                "videos.example.org/watch",
                "videos.example.org",
                "streaming-media",
                Action.BLOCKED,
                "panos",
                "filter-deny",
                "students-out",
                "url block-url videos.example.org/watch category streaming-media user school\\s2014",
                line("panos", "threat-url-block")));
  }

  @Test
  void otherLogTypesAreNotFilterRecordsAndAShortThreatLineIsNamed() throws Exception {
    assertThat(parser.parse(line("panos", "traffic-end"))).isNull();
    assertThatThrownBy(() -> parser.parse(line("panos", "threat-url-truncated")))
        .hasMessage("panos_too_few_fields");
  }
}
