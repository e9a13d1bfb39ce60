package org.bellwatch.agent.parse.unbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bellwatch.agent.parse.Samples.at;
import static org.bellwatch.agent.parse.Samples.ip;

import java.util.List;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.Samples;
import org.junit.jupiter.api.Test;

/**
 * Against the logs of a real unbound 1.17 (scripts/make-dns-filter-fixtures;
 * samples/unbound/README.md).
 */
class UnboundParserTest {
  final UnboundParser parser = new UnboundParser(Samples.MADE_2026_12_07);

  /**
   * Every block of the fixture's scenario, in order, without its time: client, name, category,
   * rule, summary.
   */
  static final List<String> SCENARIO_BLOCKS =
      List.of(
          "10.79.0.50 games.example.org school-policy | games.example.org. | rpz-nxdomain games.example.org. A IN",
          "fd79:0:0:0:0:0:0:50 games.example.org school-policy | games.example.org. | rpz-nxdomain games.example.org. AAAA IN",
          "10.79.0.50 poker.casino.example.org school-policy | *.casino.example.org. | rpz-nxdomain poker.casino.example.org. A IN",
          "10.79.0.50 chat.example.org school-policy | chat.example.org. | rpz-nodata chat.example.org. AAAA IN",
          "10.79.0.50 vpn.example.org school-policy | vpn.example.org. | rpz-drop vpn.example.org. A IN",
          "10.79.0.50 proxy.example.org school-policy | proxy.example.org. | rpz-local-data proxy.example.org. A IN",
          "10.79.0.50 social.example.org school-policy | social.example.org. | rpz-local-data social.example.org. A IN",
          "10.79.0.52 www.example.edu school-policy | clientip 10.79.0.52/32 | rpz-nxdomain www.example.edu. A IN",
          "10.79.0.50 bad.example.org school-policy | 198.51.100.0/24 | rpz-nxdomain bad.example.org. A IN",
          "10.79.0.50 ads.example.net null | ads.example.net. | rpz-nxdomain ads.example.net. A IN",
          "10.79.0.50 malware.example.net malware | malware.example.net. | rpz-cname-override malware.example.net. A IN",
          "10.79.0.50 ads.example.com null | local-zone ads.example.com. | always_nxdomain ads.example.com. A IN",
          "10.79.0.50 proxy.example.com null | local-zone proxy.example.com. | always_refuse proxy.example.com. A IN",
          "10.79.0.50 pixel.tracker.example.com null | local-zone tracker.example.com. | always_null pixel.tracker.example.com. A IN",
          "10.79.0.50 nodata.example.com null | local-zone nodata.example.com. | always_nodata nodata.example.com. A IN",
          "10.79.0.50 deny.example.com null | local-zone deny.example.com. | deny deny.example.com. A IN",
          "10.79.0.50 refuse.example.com null | local-zone refuse.example.com. | refuse refuse.example.com. A IN",
          "10.79.0.50 inform.example.net null | local-zone inform.example.net. | inform_deny inform.example.net. A IN",
          "10.79.0.50 games.example.net null | local-zone games.example.net. | redirect games.example.net. A IN");

  List<String> blocks(String file) throws MalformedException {
    List<FilterEvent> records = Samples.records(parser, "unbound", file);
    assertThat(records)
        .allSatisfy(e -> assertThat(e.action() + " " + e.method()).isEqualTo("BLOCKED dns-block"));
    return records.stream()
        .map(
            e ->
                e.clientIp().getHostAddress()
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

  static FilterEvent block(
      String time,
      String client,
      String domain,
      String category,
      String rule,
      String summary,
      String line) {
    return new FilterEvent(
        at(time),
        ip(client),
        null,
        null,
        domain,
        category,
        Action.BLOCKED,
        "unbound",
        "dns-block",
        rule,
        summary,
        line);
  }

  @Test
  void anRpzNxdomainThroughSyslogIsADnsBlockWithTheLogNameAsCategoryAndTheTriggerAsRule()
      throws Exception {
    String line = Samples.only("unbound", "unbound.log", "@60475");
    assertThat(parser.parse(line))
        .isEqualTo(
            block(
                "2026-12-07T07:08:01Z",
                "10.79.0.50",
                "games.example.org",
                "school-policy",
                "games.example.org.",
                "rpz-nxdomain games.example.org. A IN",
                line));
  }

  @Test
  void aLogfileLineCarriesItsEpochTimeAndAnAsciiTimeLineItsLocalTime() throws Exception {
    String epoch = Samples.only("unbound", "unbound-logfile.log", "@46632");
    assertThat(parser.parse(epoch))
        .isEqualTo(
            block(
                "2026-12-07T07:08:16Z",
                "10.79.0.50",
                "ads.example.com",
                null,
                "local-zone ads.example.com.",
                "always_nxdomain ads.example.com. A IN",
                epoch));
    String ascii = Samples.only("unbound", "unbound-ascii.log", "fd79::50@55943");
    assertThat(parser.parse(ascii))
        .isEqualTo(
            block(
                "2026-12-07T07:08:24Z",
                "fd79::50",
                "games.example.org",
                "school-policy",
                "games.example.org.",
                "rpz-nxdomain games.example.org. AAAA IN",
                ascii));
  }

  @Test
  void everyRefusingOrRedirectingActionOfTheScenarioIsABlockInEachLogDestination()
      throws Exception {
    assertThat(blocks("unbound.log")).containsExactlyElementsOf(SCENARIO_BLOCKS);
    assertThat(blocks("unbound-logfile.log")).containsExactlyElementsOf(SCENARIO_BLOCKS);
    assertThat(blocks("unbound-ascii.log")).containsExactlyElementsOf(SCENARIO_BLOCKS);
  }

  @Test
  void queriesRepliesPassthroughAndTheSitesOwnZonesAreIgnoredNotMalformed() throws Exception {
    // A notice and the start; the query, the static zone of the site's own printer, the reply;
    // tcp-only and
    // passthru; static again; transparent; the default static reverse zone; statistics.
    for (String fragment :
        List.of(
            "notice: init module 0: respip",
            "info: start of service",
            "07:08:00 unbound: [1170:0] info: 10.79.0.50 printer.school.lan. A IN\n",
            "@54746",
            "07:08:00 unbound: [1170:0] info: 10.79.0.50 printer.school.lan. A IN NOERROR",
            "@46016",
            "@42743",
            "@43068",
            "@32797",
            "@53796",
            "@52295",
            "info:    0.032768    0.065536 1")) {
      assertThat(parser.parse(Samples.only("unbound", "unbound.log", fragment)))
          .as(fragment)
          .isNull();
    }
  }

  @Test
  void aSafeSearchRedirectIsNotABlockButRefusingTheSameNameIs() throws Exception {
    String redirect = Samples.only("unbound", "unbound.log", "www.google.com. redirect");
    assertThat(parser.parse(redirect)).isNull();
    FilterEvent refused = parser.parse(redirect.replace(" redirect ", " always_nxdomain "));
    assertThat(refused.domain()).isEqualTo("www.google.com");
    assertThat(refused.summary()).isEqualTo("always_nxdomain www.google.com. A IN");
  }

  @Test
  void anOpnsenseRfc5424HeaderWithStructuredDataIsReadLikeSyslog() throws Exception {
    // The payload is line 42 of the fixture; the header is the one OPNsense's syslog-ng writes.
    String full = Samples.only("unbound", "unbound.log", "@35226");
    String payload = full.substring(full.indexOf("[1170:0]"));
    FilterEvent e =
        parser.parse(
            "<30>1 2026-12-07T08:08:05.123+01:00 opnsense.school.lan unbound 1170 - "
                + "[meta sequenceId=\"17\"] "
                + payload);
    assertThat(e.time()).isEqualTo(at("2026-12-07T07:08:05.123Z"));
    assertThat(e.clientIp()).isEqualTo(ip("10.79.0.50"));
    assertThat(e.rule()).isEqualTo("198.51.100.0/24");
  }

  @Test
  void anIsoTimeAsUnboundsLogTimeIsoWritesItIsRead() throws Exception {
    // log-time-iso (Unbound 1.19+, newer than Debian 12's): "%Y-%m-%dT%H:%M:%S.mmm+hh:mm
    // ident[pid:thread]".
    FilterEvent e =
        parser.parse(
            "2026-12-07T09:08:01.250+02:00 unbound[1170:0] info: rpz: applied "
                + "[school-policy] games.example.org. rpz-nxdomain 10.79.0.50@60475 games.example.org. A IN");
    assertThat(e.time()).isEqualTo(at("2026-12-07T07:08:01.250Z"));
  }

  @Test
  void aRewriteNotForAClientHasAnUnknownClient() throws Exception {
    // Unbound leaves address and port out (two spaces) when no client waits for the answer.
    FilterEvent e =
        parser.parse(
            "[1796627293] unbound[2074:0] info: rpz: applied [school-policy] games.example.org. "
                + "rpz-nxdomain  games.example.org. A IN");
    assertThat(e.clientIp()).isNull();
    assertThat(e.domain()).isEqualTo("games.example.org");
  }

  @Test
  void badClientsGarbledRpzLinesAndMissingTimesAreNamed() {
    assertThatThrownBy(
            () ->
                parser.parse(
                    "[1796627296] unbound[2074:0] info: ads.example.com. always_nxdomain "
                        + "10.79.0.300@46632 ads.example.com. A IN"))
        .hasMessage("unbound_bad_client");
    assertThatThrownBy(
            () ->
                parser.parse(
                    "[1796627296] unbound[2074:0] info: rpz: applied [school-policy "
                        + "games.example.org."))
        .hasMessage("unbound_bad_rpz");
    assertThatThrownBy(() -> parser.parse("[1796627296] unbound[2074:0] info: rpz: applied x A IN"))
        .hasMessage("unbound_bad_rpz");
    assertThatThrownBy(
            () ->
                parser.parse(
                    "[1170:0] info: ads.example.com. always_nxdomain 10.79.0.50@46632 "
                        + "ads.example.com. A IN"))
        .hasMessage("unbound_no_time");
    assertThatThrownBy(
            () ->
                parser.parse(
                    "2026-13-07T09:08:01+02:00 unbound[1170:0] info: ads.example.com. deny "
                        + "10.79.0.50@46632 ads.example.com. A IN"))
        .hasMessage("unbound_bad_time");
  }
}
