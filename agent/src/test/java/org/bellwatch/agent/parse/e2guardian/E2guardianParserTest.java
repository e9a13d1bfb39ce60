package org.bellwatch.agent.parse.e2guardian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;

import java.util.List;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.Samples;
import org.bellwatch.agent.parse.squid.SquidNativeParser;
import org.junit.jupiter.api.Test;

/**
 * Against the access logs of a real e2guardian 5.3 (scripts/make-dns-filter-fixtures;
 * samples/e2guardian/README.md).
 */
class E2guardianParserTest {
  final E2guardianParser parser = new E2guardianParser(Samples.MADE_2026_12_07);

  /**
   * The scenario's requests, in order, without their time: action, user, client, URL, category,
   * rule, summary.
   */
  static final List<String> SCENARIO =
      List.of(
          "allowed null 10.79.0.50 www.example.edu null | null | GET http://www.example.edu",
          "allowed student1 10.79.0.50 www.example.edu null | null | GET http://www.example.edu user student1",
          "blocked student1 10.79.0.50 games.example.com Games | Blocked site: games.example.com"
              + " | *DENIED* GET http://games.example.com/play user student1",
          "blocked student1 10.79.0.50 proxy.example.com Proxy Avoidance | Blocked site: proxy.example.com"
              + " | *DENIED* CONNECT https://proxy.example.com:443 user student1",
          "blocked student1 10.79.0.50 www.example.edu Staff Only | Blocked URL: www.example.edu/private"
              + " | *DENIED* GET http://www.example.edu/private/ user student1",
          "allowed student1 10.79.0.50 docs.example.edu null | null | *TRUSTED* GET http://docs.example.edu user student1",
          "blocked student1 10.79.0.50 www.example.edu Banned Words | Banned phrase found:  forbiddenword"
              + " | *DENIED* GET http://www.example.edu/phrase.html user student1",
          "blocked student1 10.79.0.50 www.example.edu null | Banned file extension: .exe"
              + " | *DENIED* GET http://www.example.edu/setup.exe user student1",
          "blocked student1 10.79.0.50 games.example.com Games | Blocked site: games.example.com"
              + " | *DENIED* POST http://games.example.com/score user student1");

  List<String> records(String file) throws MalformedException {
    List<FilterEvent> records = Samples.records(parser, "e2guardian", file);
    assertThat(records)
        .allSatisfy(
            e ->
                assertThat(e.method())
                    .isEqualTo(e.action() == Action.BLOCKED ? "proxy-deny" : null));
    return records.stream()
        .map(
            e ->
                e.action().id()
                    + " "
                    + e.user()
                    + " "
                    + e.clientIp().getHostAddress()
                    + " "
                    + e.domain()
                    + " "
                    + e.category()
                    + " | "
                    + e.rule()
                    + " | "
                    + e.summary())
        .toList();
  }

  @Test
  void aDeniedLineOfTheDefaultFormatIsAProxyDenyWithCategoryUserAndReason() throws Exception {
    String line = Samples.only("e2guardian", "e2guardian.log", "1796627362.080");
    assertThat(parser.parse(line))
        .isEqualTo(
            new FilterEvent(
                at("2026-12-07T07:09:22.080Z"),
                ip("10.79.0.50"),
                "student1",
                "http://games.example.com/play",
                "games.example.com",
                "Games",
                Action.BLOCKED,
                "e2guardian",
                "proxy-deny",
                "Blocked site: games.example.com",
                "*DENIED* GET http://games.example.com/play user student1",
                line));
  }

  @Test
  void aDansGuardianFormatLineIsReadInTheSourcesZone() throws Exception {
    String line =
        Samples.only("e2guardian", "e2guardian-format1.log", "https://proxy.example.com:443");
    assertThat(parser.parse(line))
        .isEqualTo(
            new FilterEvent(
                at("2026-12-07T07:08:35Z"),
                ip("10.79.0.50"),
                "student1",
                "https://proxy.example.com:443",
                "proxy.example.com",
                "Proxy Avoidance",
                Action.BLOCKED,
                "e2guardian",
                "proxy-deny",
                "Blocked site: proxy.example.com",
                "*DENIED* CONNECT https://proxy.example.com:443 user student1",
                line));
  }

  @Test
  void everyNativeFormatAndSyslogYieldTheSameRecords() throws Exception {
    for (String file :
        List.of(
            "e2guardian.log",
            "e2guardian-format1.log",
            "e2guardian-format2.log",
            "e2guardian-format4.log",
            "e2guardian-format5.log",
            "e2guardian-syslog.log")) {
      assertThat(records(file)).as(file).containsExactlyElementsOf(SCENARIO);
    }
  }

  @Test
  void theSquidFormatIsNamedForTheSquidVendorWhichReadsItsDenials() throws Exception {
    String line = Samples.only("e2guardian", "e2guardian-format3.log", "1796627336.178");
    assertThatThrownBy(() -> parser.parse(line)).hasMessage("e2guardian_format_3");
    FilterEvent e = new SquidNativeParser(Samples.MADE_2026_12_07).parse(line);
    assertThat(e.action()).isEqualTo(Action.BLOCKED);
    assertThat(e.user()).isEqualTo("student1");
    assertThat(e.domain()).isEqualTo("games.example.com");
  }

  @Test
  void translatedAndPostMarkersAreDenialsToo() throws Exception {
    String line = Samples.only("e2guardian", "e2guardian.log", "1796627362.080");
    assertThat(parser.parse(line.replace("*DENIED*", "*VERWEIGERT*")).action())
        .isEqualTo(Action.BLOCKED);
    assertThat(parser.parse(line.replace("*DENIED*", "*DENIED-POST*")).action())
        .isEqualTo(Action.BLOCKED);
    assertThat(parser.parse(line.replace("*DENIED*", "*NETERROR*")).action())
        .isEqualTo(Action.ALLOWED);
  }

  @Test
  void logTimestampsWinOverTheLocalTimeAndAnonymizedClientsAreUnknown() throws Exception {
    String line =
        Samples.only(
            "e2guardian", "e2guardian-format1.log", "http://games.example.com/play *DENIED*");
    FilterEvent stamped =
        parser.parse(line.replace("07:08:35 student1", "07:08:35 1796627315.250 student1"));
    assertThat(stamped.time()).isEqualTo(at("2026-12-07T07:08:35.250Z"));
    assertThat(stamped.user()).isEqualTo("student1");
    FilterEvent anonymous = parser.parse(line.replace("student1 10.79.0.50", "- 0.0.0.0"));
    assertThat(anonymous.clientIp()).isNull();
    assertThat(anonymous.action()).isEqualTo(Action.BLOCKED);
  }

  @Test
  void noticesThroughSyslogAreIgnoredAndUnknownLinesShortLinesAndBadValuesAreNamed()
      throws Exception {
    assertThat(
            parser.parse(
                Samples.only(
                    "e2guardian",
                    "e2guardian-syslog.log",
                    "07:09:31 e2guardian[10845]: Started successfully.")))
        .isNull();
    assertThatThrownBy(() -> parser.parse("hello")).hasMessage("e2guardian_unknown_format");
    assertThatThrownBy(() -> parser.parse("1796627362.080\t\tstudent1\t10.79.0.50"))
        .hasMessage("e2guardian_too_few_fields");
    assertThatThrownBy(
            () -> parser.parse("2026.12.07 07:08:35 student1 10.79.0.50 http://x/ *DENIED* GET"))
        .hasMessage("e2guardian_too_few_fields");
    String line = Samples.only("e2guardian", "e2guardian.log", "1796627362.080");
    assertThatThrownBy(
            () -> parser.parse(line.replace("10.79.0.50\t10.79.0.50", "10.79.0.500\t10.79.0.50")))
        .hasMessage("e2guardian_bad_client");
    String f1 =
        Samples.only(
            "e2guardian", "e2guardian-format1.log", "http://games.example.com/play *DENIED*");
    assertThatThrownBy(() -> parser.parse(f1.replace("2026.12.07", "2026.13.07")))
        .hasMessage("e2guardian_bad_time");
  }
}
