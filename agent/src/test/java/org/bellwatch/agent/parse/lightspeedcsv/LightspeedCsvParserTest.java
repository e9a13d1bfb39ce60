package org.bellwatch.agent.parse.lightspeedcsv;

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

class LightspeedCsvParserTest {
  static final ParseContext CHICAGO =
      new ParseContext(
          ZoneId.of("America/Chicago"), InstantSource.fixed(Instant.parse("2026-09-20T00:00:00Z")));
  final LightspeedCsvParser parser = new LightspeedCsvParser(CHICAGO);

  static final String HEADER_LINE = line("lightspeed_csv", "header-with-bom");

  FilterEvent blocked() {
    return new FilterEvent(
        at("2026-09-15T13:12:01Z"),
        ip("10.80.7.41"),
        "s5001@school.example.org",
        "https://games.example.com/play?level=3",
        "games.example.com",
        "Games, Online",
        Action.BLOCKED,
        "lightspeed_csv",
        "filter-deny",
        "Students - Grades 6-8",
        "Blocked https://games.example.com/play?level=3 category Games, Online"
            + " user s5001@school.example.org",
        line("lightspeed_csv", "blocked"));
  }

  @Test
  void theHeaderRowWithAByteOrderMarkIsSkippedAndABlockedRowIsAFilterDenyAtLocalTime()
      throws Exception {
    assertThat(parser.parse(HEADER_LINE)).isNull();
    assertThat(parser.parse(line("lightspeed_csv", "blocked"))).isEqualTo(blocked());
  }

  @Test
  void rowsOfAFileResumedAfterItsHeaderAreReadInTheDocumentedColumnOrder() throws Exception {
    assertThat(new LightspeedCsvParser(CHICAGO).parse(line("lightspeed_csv", "blocked")))
        .isEqualTo(blocked());
  }

  @Test
  void aHeaderInAnotherOrderMapsColumnsByName() throws Exception {
    LightspeedCsvParser p = new LightspeedCsvParser(CHICAGO);
    assertThat(p.parse("Action,Timestamp,URL,Username,Device IP,Extra")).isNull();
    FilterEvent e =
        p.parse("Blocked,2026-09-15 08:12:01,https://games.example.com/,s5001,10.80.7.41,x");
    assertThat(e)
        .isEqualTo(
            new FilterEvent(
                at("2026-09-15T13:12:01Z"),
                ip("10.80.7.41"),
                "s5001",
                "https://games.example.com/",
                "games.example.com",
                null,
                Action.BLOCKED,
                "lightspeed_csv",
                "filter-deny",
                null,
                "Blocked https://games.example.com/ user s5001",
                "Blocked,2026-09-15 08:12:01,https://games.example.com/,s5001,10.80.7.41,x"));
  }

  @Test
  void allowedAndWarnedRowsAndAUsDateWithAmPmAndNoDomainAreRead() throws Exception {
    parser.parse(HEADER_LINE);
    assertThat(parser.parse(line("lightspeed_csv", "allowed")).action()).isEqualTo(Action.ALLOWED);
    FilterEvent warned = parser.parse(line("lightspeed_csv", "warned"));
    assertThat(warned.action()).isEqualTo(Action.WARNED);
    assertThat(warned.method()).isEqualTo("filter-deny");
    FilterEvent us = parser.parse(line("lightspeed_csv", "blocked-us-date-without-domain"));
    assertThat(us.time()).isEqualTo(at("2026-09-15T13:15:00Z"));
    assertThat(us.domain()).isEqualTo("video.example.com");
  }

  @Test
  void unknownActionsBadAddressesAndBadTimesHaveNamedReasons() throws Exception {
    parser.parse(HEADER_LINE);
    assertThatThrownBy(() -> parser.parse(line("lightspeed_csv", "quarantined")))
        .hasMessage("lightspeed_csv_unknown_action");
    assertThatThrownBy(() -> parser.parse(line("lightspeed_csv", "blocked-bad-ip")))
        .hasMessage("lightspeed_csv_bad_client_ip");
    assertThatThrownBy(() -> parser.parse(line("lightspeed_csv", "bad-time")))
        .hasMessage("lightspeed_csv_bad_time");
    assertThatThrownBy(() -> parser.parse("Date/Time,User,Category"))
        .hasMessage("lightspeed_csv_header_without_url");
  }
}
