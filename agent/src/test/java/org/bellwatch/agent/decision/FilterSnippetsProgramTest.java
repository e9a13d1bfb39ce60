package org.bellwatch.agent.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.bellwatch.agent.decision.FilterPrograms.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Loads every checked snippet into the real program's syntax check, for a plain site, a narrow and
 * hostile exemption (IDN site, URL prefix with query, IPv4 and IPv6 ranges, two windows, expiry, a
 * reason and reference full of line breaks and config syntax) and the longest site name accepted.
 * Nothing here starts a daemon or reads the machine's config: every file is in a temporary folder.
 */
class FilterSnippetsProgramTest {
  /** A reason that tries to end its comment and add a directive in each of the formats. */
  static final String HOSTILE =
      "Needed for the unit.\nhttp_access allow all\r\nserver=/#/\u2028};\n"
          + "zone \"x\" { type primary; };\u0085$TTL 1\u000b* CNAME rpz-passthru.\u202e // */ ; # \\\n"
          + "end\u0000next\\";

  @TempDir Path dir;

  static Stream<Arguments> exemptions() {
    List<TimeWindow> windows =
        List.of(
            new TimeWindow(
                EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                LocalTime.of(8, 0),
                LocalTime.of(8, 50)),
            new TimeWindow(
                EnumSet.of(DayOfWeek.TUESDAY, DayOfWeek.THURSDAY),
                LocalTime.of(13, 5),
                LocalTime.of(13, 55)));
    String longest =
        String.join(
                ".",
                "a".repeat(63),
                "b".repeat(63),
                "c".repeat(63),
                "d".repeat(HostName.MAX_LENGTH - 3 * 64 - ".org".length()))
            + ".org";
    return Stream.of(
        Arguments.of(
            "whole site for everyone",
            new Exemption(
                "example.com",
                null,
                List.of(),
                List.of(),
                null,
                "Science videos",
                "bellwatch review example.com 2026-09-15")),
        Arguments.of(
            "hostile, narrow and expiring",
            new Exemption(
                "Bücher.example",
                "https://WWW.bücher.example".replace("bücher", "xn--bcher-kva")
                    + "/kurs/a(1);b?x=$y&z=[1]",
                List.of("10.1.2.0/24", "2001:db8::/48"),
                windows,
                LocalDate.of(2026, 10, 1),
                HOSTILE,
                "bellwatch review bücher.example\n2026-09-15 ; \"x\"")),
        Arguments.of(
            "sections of the longest name",
            new Exemption(
                longest,
                null,
                List.of("10.9.0.0/16", "10.8.0.0/16"),
                windows,
                LocalDate.of(2027, 1, 31),
                "Coding club",
                "bellwatch review long 2026-09-15")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exemptions")
  void squidParsesTheWholeSnippetAboveTheDenyRuleAndEachOfItsDirectives(String name, Exemption e)
      throws Exception {
    String text = snippet(e, "squid").text();
    Result r = FilterPrograms.squidParse(dir, text, e.domain());

    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).doesNotContain("WARNING", "ERROR", "FATAL", "Bungled");
    List<String> directives = text.lines().filter(l -> !l.startsWith("#")).toList();
    assertThat(directives).isNotEmpty();
    for (String d : directives) {
      assertThat(r.output()).contains("| Processing: " + d + "\n");
    }
    // Squid read no http_access rule but ours and the two denies: nothing in a comment became a
    // rule.
    assertThat(r.output().lines().filter(l -> l.contains("| Processing: http_access"))).hasSize(3);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exemptions")
  void dnsmasqAcceptsTheWholeSnippetAsAConfigFile(String name, Exemption e) throws Exception {
    Result r = FilterPrograms.dnsmasqTest(dir, snippet(e, "dnsmasq").text());

    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("syntax check OK");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exemptions")
  void unboundCheckconfAcceptsTheRpzClauseAndLoadsItsZone(String name, Exemption e)
      throws Exception {
    String checkconf = FilterPrograms.require("unbound-checkconf");
    String text = snippet(e, "unbound_rpz").text();
    assertThat(text)
        .contains(UnboundRpzSnippet.config(e, RpzZone.path("/etc/unbound", e)), RpzZone.file(e));
    Path zone = dir.resolve("policy.rpz");
    Files.writeString(zone, RpzZone.file(e));
    Path conf = dir.resolve("unbound.conf");
    Files.writeString(conf, unboundServer() + UnboundRpzSnippet.config(e, zone.toString()));

    Result r = FilterPrograms.run(dir, checkconf, conf.toString());

    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("no errors in " + conf);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exemptions")
  void bindChecksAcceptTheConfigAndLoadTheZone(String name, Exemption e) throws Exception {
    String checkconf = FilterPrograms.require("named-checkconf");
    String checkzone = FilterPrograms.require("named-checkzone");
    String text = snippet(e, "bind_rpz").text();
    assertThat(text)
        .contains(
            BindRpzSnippet.options(e),
            BindRpzSnippet.namedConf(e, RpzZone.path("/etc/bind", e)),
            RpzZone.file(e));
    Path zone = dir.resolve("policy.rpz");
    Files.writeString(zone, RpzZone.file(e));
    Path conf = dir.resolve("named.conf");
    Files.writeString(
        conf,
        "options {\n    directory \""
            + dir
            + "\";\n"
            + BindRpzSnippet.options(e)
            + "};\n"
            + BindRpzSnippet.namedConf(e, zone.toString()));

    Result config = FilterPrograms.run(dir, checkconf, "-z", conf.toString());
    Result zoneCheck =
        FilterPrograms.run(dir, checkzone, "-k", "fail", Names.zone(e.domain()), zone.toString());

    assertThat(config.exit()).as(config.output()).isZero();
    assertThat(config.output())
        .contains("zone " + Names.zone(e.domain()) + "/IN")
        .contains("loaded serial 1");
    assertThat(zoneCheck.exit()).as(zoneCheck.output()).isZero();
    assertThat(zoneCheck.output()).contains("loaded serial 1").endsWith("OK\n");
  }

  @Test
  void theChecksRejectABrokenLineSoTheirPassMeansSomething() throws Exception {
    Exemption e = (Exemption) exemptions().findFirst().orElseThrow().get()[1];
    Path squidConf = dir.resolve("squid.conf");
    Files.writeString(
        squidConf,
        "pid_filename none\ncache_log stdio:/dev/stderr\n"
            + snippet(e, "squid").text()
            + "acl late time MTWHF 09:00-08:00\n");
    Path dnsmasqConf = dir.resolve("dnsmasq.conf");
    Files.writeString(dnsmasqConf, snippet(e, "dnsmasq").text() + "no-such-option\n");
    Path zone = dir.resolve("policy.rpz");
    Files.writeString(zone, RpzZone.file(e) + "broken NOTATYPE rpz-passthru.\n");
    Path unboundConf = dir.resolve("unbound.conf");
    Files.writeString(unboundConf, unboundServer() + UnboundRpzSnippet.config(e, zone.toString()));

    assertThat(
            FilterPrograms.run(
                    dir, FilterPrograms.require("squid"), "-k", "parse", "-f", squidConf.toString())
                .exit())
        .isNotZero();
    assertThat(
            FilterPrograms.run(
                    dir, FilterPrograms.require("dnsmasq"), "--test", "--conf-file=" + dnsmasqConf)
                .exit())
        .isNotZero();
    assertThat(
            FilterPrograms.run(
                    dir, FilterPrograms.require("unbound-checkconf"), unboundConf.toString())
                .exit())
        .isNotZero();
    assertThat(
            FilterPrograms.run(
                    dir,
                    FilterPrograms.require("named-checkzone"),
                    Names.zone(e.domain()),
                    zone.toString())
                .exit())
        .isNotZero();
  }

  private String unboundServer() {
    return FilterPrograms.unboundServer(dir);
  }

  static Snippet snippet(Exemption e, String id) {
    return FilterSnippets.all(e).stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }
}
