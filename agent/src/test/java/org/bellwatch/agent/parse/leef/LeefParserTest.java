package org.bellwatch.agent.parse.leef;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;
import static org.bellwatch.agent.parse.Samples.line;

import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.parse.Samples;
import org.junit.jupiter.api.Test;

class LeefParserTest {
  final LeefParser parser = new LeefParser(Samples.UTC);

  @Test
  void aLeef1BlockIsAFilterDenyWithItsPolicy() throws Exception {
    assertThat(parser.parse(line("leef", "leef1-blocked-with-user")))
        .isEqualTo(
            new FilterEvent(
                at("2026-09-15T15:50:00Z"),
                ip("10.130.12.41"),
                "s8041",
                "https://games.example.com/",
                "games.example.com",
                "Games",
                Action.BLOCKED,
                "leef",
                "filter-deny",
                "Students",
                "ExampleSec WebGateway blocked block https://games.example.com/ user s8041",
                line("leef", "leef1-blocked-with-user")));
  }

  @Test
  void aLeef2RecordUsesItsOwnDelimiterAndATimelessLineIsNamed() throws Exception {
    FilterEvent e = parser.parse(line("leef", "leef2-allowed-caret-delimiter"));
    assertThat(e.action()).isEqualTo(Action.ALLOWED);
    assertThat(e.domain()).isEqualTo("docs.example.edu");
    assertThatThrownBy(() -> parser.parse(line("leef", "leef1-blocked-without-time")))
        .hasMessage("leef_no_time");
  }

  @Test
  void aLeef2DelimiterIsOneCharacterOrItsHexCodeAndAnythingElseIsANamedMalformedHeader()
      throws Exception {
    assertThat(LeefParser.delimiter("")).isEqualTo("\t");
    assertThat(LeefParser.delimiter("^")).isEqualTo("^");
    assertThat(LeefParser.delimiter("x")).isEqualTo("x");
    assertThat(LeefParser.delimiter("x09")).isEqualTo("\t");
    assertThat(LeefParser.delimiter("0x5E")).isEqualTo("^");
    for (String bad : new String[] {"0x", "xZZ", "x1F600", "x\u0663"}) {
      assertThatThrownBy(() -> LeefParser.delimiter(bad)).as(bad).hasMessage("leef_bad_delimiter");
    }
  }

  @Test
  void aLeef2LineWithADelimiterThatIsNotHexIsMalformedNotAParserError() {
    // Fuzzing found a lone "x" (src/test/resources/fuzz/vendor_lines/leef-delimiter-lone-x), read
    // as an empty
    // hex code: Integer.parseInt threw, and the line counted as a parser bug.
    assertThatThrownBy(() -> parser.parse("LEEF:2.0|Vendor|Filter|1.0|block|xZZ|src=10.0.0.1"))
        .hasMessage("leef_bad_delimiter");
  }
}
