package org.bellwatch.agent.parse.securlycsv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;
import static org.bellwatch.agent.parse.Samples.line;

import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.parse.ParseContext;
import org.junit.jupiter.api.Test;

class SecurlyCsvParserTest {
  final SecurlyCsvParser parser =
      new SecurlyCsvParser(
          new ParseContext(
              ZoneId.of("America/Chicago"),
              InstantSource.fixed(Instant.parse("2026-09-20T00:00:00Z"))));

  @Test
  void aBlockedSiteIsAFilterDenyOnTheNormalizedHostWithNoUrl() throws Exception {
    assertThat(parser.parse(line("securly_csv", "header"))).isNull();
    assertThat(parser.parse(line("securly_csv", "blocked-mixed-case-site")))
        .isEqualTo(
            new FilterEvent(
                at("2026-09-15T13:30:00Z"),
                ip("10.81.2.10"),
                "s5010@school.example.org",
                null,
                "games.example.com",
                "Games",
                Action.BLOCKED,
                "securly_csv",
                "filter-deny",
                "Middle School",
                "Blocked games.example.com category Games user s5010@school.example.org",
                line("securly_csv", "blocked-mixed-case-site")));
  }

  @Test
  void allowedAndFlaggedSitesAreNotBlocks() throws Exception {
    parser.parse(line("securly_csv", "header"));
    assertThat(parser.parse(line("securly_csv", "allowed")).action()).isEqualTo(Action.ALLOWED);
    FilterEvent flagged = parser.parse(line("securly_csv", "flagged"));
    assertThat(flagged.action()).isEqualTo(Action.ALLOWED);
    assertThat(flagged.method()).isNull();
  }

  @Test
  void anEmptyStatusAndAShortRowHaveNamedReasons() throws Exception {
    parser.parse(line("securly_csv", "header"));
    assertThatThrownBy(() -> parser.parse(line("securly_csv", "without-status")))
        .hasMessage("securly_csv_unknown_action");
    assertThatThrownBy(() -> parser.parse(line("securly_csv", "truncated")))
        .hasMessage("securly_csv_no_url");
  }
}
