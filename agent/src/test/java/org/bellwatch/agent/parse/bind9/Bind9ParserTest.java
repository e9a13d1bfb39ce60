package org.bellwatch.agent.parse.bind9;

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
 * Against the logs of a real BIND 9.18 (scripts/make-dns-filter-fixtures; samples/bind9/README.md).
 */
class Bind9ParserTest {
  final Bind9Parser parser = new Bind9Parser(Samples.MADE_2026_12_07);

  /**
   * Every block of the fixture's scenario, in order, without its time: client, name, rule, summary.
   */
  static final List<String> SCENARIO_BLOCKS =
      List.of(
          "10.79.0.50 games.example.com | games.example.com.rpz.district | rpz QNAME NXDOMAIN rewrite games.example.com/A/IN",
          "fd79:0:0:0:0:0:0:50 games.example.com | games.example.com.rpz.district"
              + " | rpz QNAME NXDOMAIN rewrite games.example.com/AAAA/IN",
          "10.79.0.50 live.games.example.com | live.games.example.com.rpz.district"
              + " | rpz QNAME NXDOMAIN rewrite live.games.example.com/A/IN",
          "10.79.0.50 chat.example.com | chat.example.com.rpz.district | rpz QNAME NODATA rewrite chat.example.com/AAAA/IN",
          "10.79.0.50 vpn.example.com | vpn.example.com.rpz.district | rpz QNAME DROP rewrite vpn.example.com/A/IN",
          "10.79.0.50 proxy.example.com | proxy.example.com.rpz.district"
              + " | rpz QNAME Local-Data rewrite proxy.example.com/A/IN",
          "10.79.0.50 social.example.net | social.example.net.rpz.district"
              + " | rpz QNAME Local-Data rewrite social.example.net/A/IN",
          "10.79.0.52 www.example.edu | 32.52.0.79.10.rpz-client-ip.rpz.district"
              + " | rpz CLIENT-IP NXDOMAIN rewrite www.example.edu/A/IN",
          "10.79.0.50 bad.example.net | 24.0.113.0.203.rpz-ip.rpz.district | rpz IP NXDOMAIN rewrite bad.example.net/A/IN");

  List<String> blocks(String file) throws MalformedException {
    List<FilterEvent> records = Samples.records(parser, "bind9", file);
    assertThat(records)
        .allSatisfy(
            e ->
                assertThat(e.action() + " " + e.method() + " " + e.category())
                    .isEqualTo("BLOCKED dns-block null"));
    return records.stream()
        .map(
            e ->
                e.clientIp().getHostAddress()
                    + " "
                    + e.domain()
                    + " | "
                    + e.rule()
                    + " | "
                    + e.summary())
        .toList();
  }

  /** A games.example.com rewrite of the fixture's scenario, at {@code time} from {@code client}. */
  static FilterEvent gamesBlock(String time, String client, String qtype, String line) {
    return new FilterEvent(
        at(time),
        ip(client),
        null,
        null,
        "games.example.com",
        null,
        Action.BLOCKED,
        "bind9",
        "dns-block",
        "games.example.com.rpz.district",
        "rpz QNAME NXDOMAIN rewrite games.example.com/" + qtype + "/IN",
        line);
  }

  @Test
  void anRpzRewriteWithEveryPrefixIsADnsBlockWithItsTriggerAsRule() throws Exception {
    String line =
        Samples.only("bind9", "bind9.log", "#37591 (games.example.com): rpz QNAME NXDOMAIN");
    assertThat(parser.parse(line))
        .isEqualTo(gamesBlock("2026-12-07T07:07:47.427Z", "10.79.0.50", "A", line));
  }

  @Test
  void isoUtcAndSyslogTimesAreReadToo() throws Exception {
    String iso =
        Samples.only("bind9", "bind9-iso.log", "fd79::50#38825 (games.example.com): rpz QNAME");
    assertThat(parser.parse(iso))
        .isEqualTo(gamesBlock("2026-12-07T07:07:47.863Z", "fd79::50", "AAAA", iso));
    String syslog =
        Samples.only("bind9", "bind9-syslog.log", "#37591 (games.example.com): rpz QNAME NXDOMAIN");
    assertThat(parser.parse(syslog))
        .isEqualTo(gamesBlock("2026-12-07T07:07:47Z", "10.79.0.50", "A", syslog));
  }

  @Test
  void everyRefusingOrRewritingPolicyOfTheScenarioIsABlockInEachChannelAndInANamedView()
      throws Exception {
    assertThat(blocks("bind9.log")).containsExactlyElementsOf(SCENARIO_BLOCKS);
    assertThat(blocks("bind9-iso.log")).containsExactlyElementsOf(SCENARIO_BLOCKS);
    assertThat(blocks("bind9-syslog.log")).containsExactlyElementsOf(SCENARIO_BLOCKS);
    assertThat(blocks("bind9-view.log")).containsExactlyElementsOf(SCENARIO_BLOCKS);
  }

  @Test
  void queriesPassthruSafeSearchAndServerMessagesAreIgnoredNotMalformed() throws Exception {
    List<String> lines = Samples.lines("bind9", "bind9.log");
    // A zone loaded; a query; PASSTHRU (an exception); the SafeSearch CNAME rewrite of
    // www.google.com.
    for (String fragment :
        List.of(
            "managed-keys-zone: loaded serial 0",
            "#37591 (games.example.com): query:",
            "#38158 (ok.games.example.com): rpz QNAME PASSTHRU")) {
      assertThat(parser.parse(Samples.only("bind9", "bind9.log", fragment))).as(fragment).isNull();
    }
    String safeSearch =
        lines.stream()
            .filter(l -> l.contains("via www.google.com.rpz.safe"))
            .findFirst()
            .orElseThrow();
    assertThat(parser.parse(safeSearch)).isNull();
    assertThat(parser.parse(safeSearch.replace("Local-Data", "NXDOMAIN")).domain())
        .isEqualTo("www.google.com");
  }

  @Test
  void aDisabledPolicyZoneIsLoggedButNotABlock() throws Exception {
    // "disabled rpz ..." is what BIND logs for a zone with "policy disabled": it would have
    // applied, but did not.
    String line =
        Samples.only("bind9", "bind9.log", "#37591 (games.example.com): rpz QNAME NXDOMAIN")
            .replace("): rpz QNAME", "): disabled rpz QNAME");
    assertThat(parser.parse(line)).isNull();
  }

  @Test
  void olderBindWithoutTheClientObjectAndTypeIsStillRead() throws Exception {
    // BIND 9.9 (still in some appliances): no "@0x..." and no "/type/class" after the name.
    FilterEvent e =
        parser.parse(
            "<30>Dec  7 07:07:47 ns1 named[812]: client 10.79.0.50#37591 (games.example.com): "
                + "rpz QNAME NXDOMAIN rewrite games.example.com via games.example.com.rpz.district");
    assertThat(e.domain()).isEqualTo("games.example.com");
    assertThat(e.clientIp()).isEqualTo(ip("10.79.0.50"));
    assertThat(e.time()).isEqualTo(at("2026-12-07T07:07:47Z"));
  }

  @Test
  void aChannelWithoutPrintTimeBadClientsAndGarbledRewritesAreNamed() {
    String bare =
        "client @0x7f0b7e348098 10.79.0.50#37591 (games.example.com): rpz QNAME NXDOMAIN rewrite "
            + "games.example.com/A/IN via games.example.com.rpz.district";
    assertThatThrownBy(() -> parser.parse(bare)).hasMessage("bind9_no_time");
    assertThatThrownBy(
            () ->
                parser.parse(
                    "07-Dec-2026 07:07:47.427 rpz: info: "
                        + bare.replace("10.79.0.50#", "10.79.0.500#")))
        .hasMessage("bind9_bad_client");
    assertThatThrownBy(
            () -> parser.parse("07-Dec-2026 07:07:47.427 " + bare.replace(" via ", " by ")))
        .hasMessage("bind9_bad_rpz");
    assertThatThrownBy(() -> parser.parse("07-Foo-2026 07:07:47.427 " + bare))
        .hasMessage("bind9_bad_time");
  }
}
