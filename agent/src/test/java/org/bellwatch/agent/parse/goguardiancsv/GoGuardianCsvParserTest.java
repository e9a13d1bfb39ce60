package org.bellwatch.agent.parse.goguardiancsv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.line;

import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.parse.Samples;
import org.junit.jupiter.api.Test;

class GoGuardianCsvParserTest {
  final GoGuardianCsvParser parser = new GoGuardianCsvParser(Samples.UTC);

  @Test
  void aBlockedAttemptsReportWithoutAnActionColumnGivesBlocksByUserWithNoClientAddress()
      throws Exception {
    assertThat(parser.parse(line("goguardian_csv", "header"))).isNull();
    assertThat(parser.parse(line("goguardian_csv", "category-block")))
        .isEqualTo(
            new FilterEvent(
                at("2026-09-15T13:20:05Z"),
                null,
                "s5001@school.example.org",
                "https://games.example.com/play",
                "games.example.com",
                "Games",
                Action.BLOCKED,
                "goguardian_csv",
                "filter-deny",
                "Category",
                "blocked https://games.example.com/play category Games user s5001@school.example.org",
                line("goguardian_csv", "category-block")));
  }

  @Test
  void aCustomBlockRuleIsKeptAsTheRuleAndAnEmptyEmailLeavesTheUserUnknown() throws Exception {
    parser.parse(line("goguardian_csv", "header"));
    assertThat(parser.parse(line("goguardian_csv", "custom-rule-block")).rule())
        .isEqualTo("Custom Block Rule: no chat in class");
    assertThat(parser.parse(line("goguardian_csv", "block-without-email")).user()).isNull();
  }

  @Test
  void aRowWithoutUrlOrDomainHasANamedReason() throws Exception {
    parser.parse(line("goguardian_csv", "header"));
    assertThatThrownBy(() -> parser.parse(line("goguardian_csv", "block-without-url")))
        .hasMessage("goguardian_csv_no_url");
  }
}
