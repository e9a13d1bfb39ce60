package org.bellwatch.agent.parse.generic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;

import java.util.List;
import java.util.Map;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.BlockMethod;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.parse.GenericFormat;
import org.bellwatch.agent.parse.Samples;
import org.junit.jupiter.api.Test;

class GenericParserTest {
  final GenericParser regex = new GenericParser(GenericSamples.CHICAGO_REGEX);
  final GenericParser json = new GenericParser(GenericSamples.UTC_JSON);

  /** A sample of the text log, by name. */
  static String text(String name) {
    return Samples.line("generic", "generic.log", name);
  }

  /** A sample of the JSON lines log, by name. */
  static String json(String name) {
    return Samples.line("generic", "generic-json.log", name);
  }

  @Test
  void aRegexLineWithABlockActionIsAFilterDenyAtItsLocalTimeInTheSourceZone() throws Exception {
    assertThat(regex.parse(text("block")))
        .isEqualTo(
            new FilterEvent(
                at("2026-09-15T13:12:01Z"),
                ip("10.20.3.44"),
                "s1234@school.example.org",
                "https://games.example.com/play",
                "games.example.com",
                "Games",
                Action.BLOCKED,
                "generic",
                "filter-deny",
                "Students",
                "BLOCK https://games.example.com/play category Games user s1234@school.example.org",
                text("block")));
  }

  @Test
  void
      mappedActionValuesGiveAllowedWarnedAndAuthChallengeAndPlaceholderUsersAndEmptyGroupsBecomeNull()
          throws Exception {
    assertThat(regex.parse(text("pass")))
        .isEqualTo(
            new FilterEvent(
                at("2026-09-15T13:12:05Z"),
                ip("10.20.3.45"),
                null,
                "https://www.example.org/",
                "www.example.org",
                "Education",
                Action.ALLOWED,
                "generic",
                null,
                "Default",
                "PASS https://www.example.org/ category Education",
                text("pass")));
    FilterEvent warned = regex.parse(text("warn"));
    assertThat(warned.action()).isEqualTo(Action.WARNED);
    assertThat(warned.method()).isEqualTo("filter-deny");
    FilterEvent auth = regex.parse(text("auth"));
    assertThat(auth)
        .isEqualTo(
            new FilterEvent(
                at("2026-09-15T13:12:11Z"),
                ip("10.20.3.47"),
                null,
                "http://news.example.com/",
                "news.example.com",
                null,
                Action.AUTH_CHALLENGE,
                "generic",
                null,
                null,
                "AUTH http://news.example.com/",
                text("auth")));
  }

  @Test
  void regexLinesThatDoNotMatchOrCarryABadTimeAddressOrActionHaveNamedReasons() {
    assertThatThrownBy(() -> regex.parse(text("not-from-the-filter")))
        .hasMessage("generic_no_match");
    assertThatThrownBy(() -> regex.parse(text("bad-date"))).hasMessage("generic_bad_time");
    assertThatThrownBy(() -> regex.parse(text("bad-ip"))).hasMessage("generic_bad_client_ip");
    assertThatThrownBy(() -> regex.parse(text("unknown-action")))
        .hasMessage("generic_unknown_action");
  }

  @Test
  void aDefaultActionTakesUnmappedValues() throws Exception {
    GenericFormat f = GenericSamples.REGEX;
    GenericParser lenient =
        new GenericParser(
            GenericSamples.CHICAGO_REGEX.withGeneric(
                new GenericFormat(
                    f.pattern(),
                    Map.of(),
                    f.timeFormat(),
                    f.actions(),
                    Action.ALLOWED,
                    f.blockMethod())));
    assertThat(lenient.parse(text("unknown-action")).action()).isEqualTo(Action.ALLOWED);
  }

  @Test
  void aJsonLineIsReadThroughDottedPaths() throws Exception {
    assertThat(json.parse(json("deny-url")))
        .isEqualTo(
            new FilterEvent(
                at("2026-09-15T13:12:01Z"),
                ip("10.20.3.44"),
                "s1234",
                "https://games.example.com/play",
                "games.example.com",
                "Games",
                Action.BLOCKED,
                "generic",
                BlockMethod.PROXY_DENY,
                "Students",
                "deny https://games.example.com/play category Games user s1234",
                json("deny-url")));
  }

  @Test
  void aJsonLineWithOnlyAHostKeepsItNormalizedAndNoUrl() throws Exception {
    assertThat(json.parse(json("deny-host-none-user")))
        .isEqualTo(
            new FilterEvent(
                at("2026-09-15T13:13:00.250Z"),
                ip("10.20.3.45"),
                null,
                null,
                "ads.example.net",
                null,
                Action.BLOCKED,
                "generic",
                "proxy-deny",
                null,
                "deny ads.example.net",
                json("deny-host-none-user")));
    assertThat(json.parse(json("allow")).action()).isEqualTo(Action.ALLOWED);
  }

  /**
   * Regression: a JSON mapping on a syslog listener saw the header first and counted
   * generic_not_json.
   */
  @Test
  void aJsonObjectBehindAnRfc5424OrRfc3164HeaderIsReadAsTheSameObjectFromAFile() throws Exception {
    FilterEvent fromFile = json.parse(json("deny-url"));
    for (String header :
        List.of(
            "<134>1 2026-09-15T13:12:02Z cf01 filter 311 - [origin ip=\"10.0.0.7\"] ",
            "<134>Sep 15 13:12:02 cf01 filter[311]: ")) {
      String frame = header + json("deny-url");
      assertThat(json.parse(frame))
          .isEqualTo(
              new FilterEvent(
                  fromFile.time(),
                  fromFile.clientIp(),
                  fromFile.user(),
                  fromFile.url(),
                  fromFile.domain(),
                  fromFile.category(),
                  fromFile.action(),
                  fromFile.vendor(),
                  fromFile.method(),
                  fromFile.rule(),
                  fromFile.summary(),
                  frame));
    }
    assertThatThrownBy(() -> json.parse("<134>Sep 15 13:12:02 cf01 filter: not json"))
        .hasMessage("generic_not_json");
  }

  @Test
  void jsonLinesThatAreNotObjectsAreCutShortOrHaveNoTimeHaveNamedReasons() {
    assertThatThrownBy(() -> json.parse(json("not-json"))).hasMessage("generic_not_json");
    assertThatThrownBy(() -> json.parse(json("truncated-json"))).hasMessage("json_truncated");
    assertThatThrownBy(() -> json.parse(json("without-time"))).hasMessage("generic_no_time");
  }

  @Test
  void epochTimesInSecondsAndMillisecondsAreRead() throws Exception {
    GenericFormat secs =
        new GenericFormat(
            null,
            Map.of("time", "t", "host", "h"),
            "epoch_secs",
            Map.of(),
            Action.BLOCKED,
            BlockMethod.DNS_BLOCK);
    assertThat(
            new GenericParser(Samples.UTC.withGeneric(secs))
                .parse("{\"t\":1789477921.5,\"h\":\"a.example\"}")
                .time())
        .isEqualTo(at("2026-09-15T13:12:01.500Z"));
    GenericFormat millis =
        new GenericFormat(
            null,
            Map.of("time", "t", "host", "h"),
            "epoch_millis",
            Map.of(),
            Action.BLOCKED,
            BlockMethod.DNS_BLOCK);
    assertThat(
            new GenericParser(Samples.UTC.withGeneric(millis))
                .parse("{\"t\":\"1789477921500\",\"h\":\"a.example\"}")
                .time())
        .isEqualTo(at("2026-09-15T13:12:01.500Z"));
  }
}
