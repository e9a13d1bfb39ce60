package org.bellwatch.agent.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Validation of every value that reaches a snippet, and what becomes of text that tries to inject.
 */
class ExemptionTest {
  static final String REF = "bellwatch review example.com 2026-09-15";
  static final TimeWindow PERIOD_1 =
      new TimeWindow(
          EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
          LocalTime.of(8, 0),
          LocalTime.of(8, 50));

  static Exemption site(String domain) {
    return new Exemption(domain, null, List.of(), List.of(), null, "Reason", REF);
  }

  static Exemption prefix(String url) {
    return new Exemption("example.com", url, List.of(), List.of(), null, "Reason", REF);
  }

  static Exemption ranges(String... cidrs) {
    return new Exemption("example.com", null, Arrays.asList(cidrs), List.of(), null, "Reason", REF);
  }

  @Test
  void internationalizedNamesBecomeALabelsWithoutCaseOrTrailingDot() {
    assertThat(site("Bücher.Example.").domain()).isEqualTo("xn--bcher-kva.example");
    assertThat(site("bücher\u3002example").domain()).isEqualTo("xn--bcher-kva.example");
    assertThat(site("WWW.Example.COM").domain()).isEqualTo("www.example.com");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "example.com\nhttp_access allow all",
        "example.com;",
        "exa\"mple.com",
        "example.com#",
        "example.com/",
        "*.example.com",
        "exa_mple.com",
        "example..com",
        "-example.com",
        "example-.com",
        "com",
        "10.0.0.1",
        "exa mple.com",
        "example.com\u0000",
        "example.com}",
        "example.com\u2028server=/#/",
        "xn--.com",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
        "example.com'"
      })
  void namesThatAreNotHostNamesAreRefusedOnOneLine(String domain) {
    assertThatThrownBy(() -> site(domain))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("domain ")
        .message()
        .doesNotContain("\n", "\r", "\u2028");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {" ", "\t"})
  void aMissingNameIsRefused(String domain) {
    assertThatThrownBy(() -> site(domain))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("domain is required");
  }

  @Test
  void aNameTooLongForAnRpzTriggerIsRefusedWithTheLimit() {
    String tooLong =
        String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(7)) + ".org";

    assertThatThrownBy(() -> site(tooLong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("is longer than 202 characters, too long to write as an RPZ trigger");
  }

  @Test
  void errorMessagesShowTheInputEscaped() {
    assertThatThrownBy(() -> site("a\nb\u202e.com"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("domain \"a\\u000ab\\u202e.com\" contains a space or control character");
  }

  @Test
  void urlPrefixesAreWrittenInTheFormProxiesCompare() {
    assertThat(prefix("HTTPS://WWW.Example.com:443/Course/?q=1").urlPrefix())
        .isEqualTo("https://www.example.com/Course/?q=1");
    assertThat(prefix("http://example.com").urlPrefix()).isEqualTo("http://example.com/");
    assertThat(prefix("http://example.com:8080/a;b=(1)").urlPrefix())
        .isEqualTo("http://example.com:8080/a;b=(1)");
    assertThat(prefix("https://docs.example.com/%C3%BC").urlPrefix())
        .isEqualTo("https://docs.example.com/%C3%BC");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://evil.com/",
        "https://example.com.evil.com/",
        "https://notexample.com/",
        "javascript:alert(1)",
        "ftp://example.com/",
        "https://user@example.com/",
        "https://example.com/a b",
        "https://example.com/a\nhttp_access allow all",
        "https://example.com/\"x",
        "https://example.com/a\\b",
        "https://example.com/#top",
        "https://example.com/\u00fc",
        "//example.com/",
        "https://example.com:0/",
        "https://exa_mple.example.com/",
        "example.com/path",
        ""
      })
  void urlPrefixesOutsideTheSiteOrCarryingSyntaxAreRefused(String url) {
    assertThatThrownBy(() -> prefix(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("url_prefix")
        .message()
        .doesNotContain("\n");
  }

  @Test
  void sourceRangesAreCanonicalWithoutDuplicates() {
    assertThat(ranges("10.1.2.7/24", "10.1.2.0/24", "2001:DB8::/48").sourceCidrs())
        .containsExactly("10.1.2.0/24", "2001:db8:0:0:0:0:0:0/48");
    assertThat(new Exemption("example.com", null, null, null, null, "Reason", REF).sourceCidrs())
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.1.2.0/24\nhttp_access allow all",
        "10.1.2.0/33",
        "example.com",
        "10.1.2.0/24; 0.0.0.0/0",
        " 10.1.2.0/24",
        "10.0.0.300/8",
        "10.1.2.0/24 \"x\"",
        "fe80::1%eth0/64",
        ""
      })
  void sourceRangesThatAreNotAddressBlocksAreRefused(String cidr) {
    assertThatThrownBy(() -> ranges(cidr))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("source range ")
        .hasMessageEndingWith("is not an address block such as 10.1.2.0/24 or" + " 2001:db8::/48")
        .message()
        .doesNotContain("\n");
  }

  @Test
  void aNullSourceRangeIsRefused() {
    assertThatThrownBy(() -> ranges("10.0.0.0/8", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("source range null");
  }

  @Test
  void timeWindowsAreWholeMinutesWithinOneDay() {
    Set<DayOfWeek> mon = EnumSet.of(DayOfWeek.MONDAY);
    assertThatThrownBy(() -> new TimeWindow(mon, LocalTime.of(9, 0), LocalTime.of(8, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "time window 09:00-08:00 does not end after it starts (a window cannot cross midnight)");
    assertThatThrownBy(() -> new TimeWindow(mon, LocalTime.of(9, 0), LocalTime.of(9, 0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TimeWindow(mon, LocalTime.of(9, 0, 30), LocalTime.of(10, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("time window 09:00:30-10:00 is not in whole minutes");
    assertThatThrownBy(() -> new TimeWindow(Set.of(), LocalTime.of(9, 0), LocalTime.of(10, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a time window needs at least one day");
    List<DayOfWeek> withNull = new ArrayList<>(Arrays.asList(DayOfWeek.MONDAY, null));
    assertThatThrownBy(
            () ->
                new TimeWindow(
                    new java.util.HashSet<>(withNull), LocalTime.of(9, 0), LocalTime.of(10, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a time window's days must not contain null");
    assertThatThrownBy(
            () ->
                new Exemption(
                    "example.com",
                    null,
                    List.of(),
                    Arrays.asList(PERIOD_1, null),
                    null,
                    "Reason",
                    REF))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("time windows must not contain null");
  }

  @Test
  void aReasonAndAReferenceAreRequired() {
    assertThatThrownBy(
            () -> new Exemption("example.com", null, List.of(), List.of(), null, null, REF))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reason is required");
    assertThatThrownBy(
            () ->
                new Exemption(
                    "example.com", null, List.of(), List.of(), null, "\n\u0000\u202e ", REF))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reason is required");
    assertThatThrownBy(
            () -> new Exemption("example.com", null, List.of(), List.of(), null, "Reason", " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reference is required");
    assertThatThrownBy(
            () ->
                new Exemption(
                    "example.com", null, List.of(), List.of(), null, "r".repeat(4001), REF))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reason is longer than 4000 characters");
  }

  @Test
  void aHostileReasonChangesOnlyCommentLines() {
    Exemption plain =
        new Exemption(
            "example.com",
            "https://example.com/a",
            List.of("10.1.2.0/24"),
            List.of(PERIOD_1),
            LocalDate.of(2026, 10, 1),
            "Reason",
            REF);
    Exemption hostile =
        new Exemption(
            "example.com",
            "https://example.com/a",
            List.of("10.1.2.0/24"),
            List.of(PERIOD_1),
            LocalDate.of(2026, 10, 1),
            FilterSnippetsProgramTest.HOSTILE,
            REF);

    List<Snippet> plainSnippets = FilterSnippets.all(plain);
    List<Snippet> hostileSnippets = FilterSnippets.all(hostile);
    for (int i = 0; i < plainSnippets.size(); i++) {
      assertThat(directives(hostileSnippets.get(i).text()))
          .as(hostileSnippets.get(i).id())
          .isEqualTo(directives(plainSnippets.get(i).text()));
      assertSafeCharacters(hostileSnippets.get(i).text());
    }
    assertThat(hostileSnippets.get(0).text())
        .contains(
            "# Reason: Needed for the unit. http_access allow all server=/#/ }; zone \"x\" { type primary; }; $TTL\n"
                + "# 1 * CNAME rpz-passthru. // */ ; # \\ end next\\\n");
  }

  @Test
  void aHostileReferenceStaysInCommentsAndPiholeGetsOnlyTheCharactersItAccepts() {
    Exemption e =
        new Exemption(
            "example.com",
            null,
            List.of(),
            List.of(),
            null,
            "Reason",
            "ref 'x' $(reboot) `id` \"q\" ü\nhttp_access allow all\\");

    for (Snippet s : FilterSnippets.all(e)) {
      assertThat(directives(s.text()))
          .as(s.id())
          .noneMatch(l -> l.contains("reboot") && !l.startsWith("pihole"));
      assertSafeCharacters(s.text());
    }
    assertThat(PiholeSnippet.comment(e))
        .isEqualTo("ref x reboot id q http_access allow all")
        .matches("[a-zA-Z0-9_#:/.,\\- ]+");
  }

  @Test
  void longReasonsWrapIntoShortCommentLines() {
    Exemption e =
        new Exemption(
            "example.com",
            null,
            List.of(),
            List.of(),
            null,
            "word ".repeat(700) + "x".repeat(250),
            REF);

    for (Snippet s : FilterSnippets.all(e)) {
      assertThat(
              s.text()
                  .lines()
                  .filter(l -> l.startsWith("#") || l.startsWith("//") || l.startsWith(";")))
          .allMatch(l -> l.length() <= Text.WIDTH);
    }
  }

  @Test
  void longNamesGetShortDistinctObjectNames() {
    String a = "a".repeat(40) + ".example.com";
    String b = "a".repeat(40) + ".example.org";

    assertThat(Names.id(a))
        .isNotEqualTo(Names.id(b))
        .hasSizeLessThanOrEqualTo(Names.MAX_ID)
        .matches("a{23}\\.[0-9a-f]{8}");
    assertThat(Names.id("example.com")).isEqualTo("example.com");
  }

  /** The lines a program reads as configuration: everything but comment lines. */
  static List<String> directives(String text) {
    return text.lines()
        .filter(l -> !l.startsWith("#") && !l.startsWith("//") && !l.startsWith(";"))
        .toList();
  }

  static void assertSafeCharacters(String text) {
    assertThat(
            text.codePoints()
                .filter(
                    cp ->
                        cp != '\n'
                            && switch (Character.getType(cp)) {
                              case Character.CONTROL,
                                  Character.FORMAT,
                                  Character.LINE_SEPARATOR,
                                  Character.PARAGRAPH_SEPARATOR ->
                                  true;
                              default -> false;
                            }))
        .isEmpty();
  }
}
