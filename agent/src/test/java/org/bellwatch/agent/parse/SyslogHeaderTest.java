package org.bellwatch.agent.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SyslogHeaderTest {
  static final Instant SEPT = Instant.parse("2026-09-20T12:00:00Z");

  @Test
  void anRfc3164HeaderTakesItsYearFromTheReferenceAndItsZoneFromTheCaller() throws Exception {
    SyslogHeader h =
        SyslogHeader.parse(
            "<190>Sep 15 08:10:00 fw1 dhcpd[64305]: DHCPACK on 10.0.0.5 to aa:bb:cc:dd:ee:ff",
            ZoneId.of("America/Chicago"),
            SEPT);
    assertThat(h)
        .isEqualTo(
            new SyslogHeader(
                190,
                "Sep 15 08:10:00",
                Instant.parse("2026-09-15T13:10:00Z"),
                "fw1",
                "dhcpd",
                "DHCPACK on 10.0.0.5 to aa:bb:cc:dd:ee:ff"));
  }

  @Test
  void aDecemberLineReadInJanuaryBelongsToThePreviousYear() throws Exception {
    SyslogHeader h =
        SyslogHeader.parse(
            "Dec 31 23:59:59 host app: x", ZoneOffset.UTC, Instant.parse("2027-01-01T00:05:00Z"));
    assertThat(h.time()).isEqualTo(Instant.parse("2026-12-31T23:59:59Z"));
  }

  @Test
  void aTagWithoutHostAndAnUnpaddedDayAreRead() throws Exception {
    SyslogHeader h = SyslogHeader.parse("<30>Mar 7 08:32:59 dhcpd[1]: hello", ZoneOffset.UTC, SEPT);
    assertThat(h.host()).isNull();
    assertThat(h.tag()).isEqualTo("dhcpd");
    assertThat(h.time()).isEqualTo(Instant.parse("2026-03-07T08:32:59Z"));
  }

  @Test
  void anRfc5424HeaderWithEpochSecondsAsMerakiWritesItIsRead() throws Exception {
    SyslogHeader h =
        SyslogHeader.parse(
            "<134>1 1647479503.348215340 MX84 urls src=10.0.1.29:60336", ZoneOffset.UTC, SEPT);
    assertThat(h)
        .isEqualTo(
            new SyslogHeader(
                134,
                "1647479503.348215340",
                Instant.parse("2022-03-17T01:11:43.348215340Z"),
                "MX84",
                "urls",
                "src=10.0.1.29:60336"));
  }

  @Test
  void anRfc5424HeaderWithStructuredDataKeepsItInThePayload() throws Exception {
    SyslogHeader h =
        SyslogHeader.parse(
            "<134>1 2026-09-15T08:00:00-05:00 gw app 12 - [a:\"b\"]", ZoneOffset.UTC, SEPT);
    assertThat(h.time()).isEqualTo(Instant.parse("2026-09-15T13:00:00Z"));
    assertThat(h.payload()).isEqualTo("[a:\"b\"]");
  }

  /**
   * Regression: util-linux logger's default RFC 5424 message kept its timeQuality element in the
   * payload.
   */
  @Test
  void loggersDefaultTimeQualityElementIsNotLeftInThePayload() throws Exception {
    String squid =
        "1789485000.250 5 10.0.1.20 TCP_DENIED/403 3900 GET http://x.example/ - HIER_NONE/- text/html";
    SyslogHeader h =
        SyslogHeader.parse(
            "<13>1 2026-09-15T06:43:52.591334+00:00 vm squid - - [timeQuality tzKnown=\"1\""
                + " isSynced=\"0\"] "
                + squid,
            ZoneOffset.UTC,
            SEPT);
    assertThat(h)
        .isEqualTo(
            new SyslogHeader(
                13,
                "2026-09-15T06:43:52.591334+00:00",
                Instant.parse("2026-09-15T06:43:52.591334Z"),
                "vm",
                "squid",
                squid));
  }

  @Test
  void structuredDataOfSeveralElementsWithEscapedQuotesBackslashesAndBracketsIsSkippedWhole()
      throws Exception {
    String sd =
        "[timeQuality tzKnown=\"1\"][bw@32473 note=\"a \\\"q\\\" \\\\ \\] v\" id=\"x]y\"][meta sequenceId=\"1\"]";
    assertThat(
            SyslogHeader.parse(
                "<13>1 2026-09-15T08:00:00Z h app 42 ID47 " + sd + " the message",
                ZoneOffset.UTC,
                SEPT))
        .isEqualTo(
            new SyslogHeader(
                13,
                "2026-09-15T08:00:00Z",
                Instant.parse("2026-09-15T08:00:00Z"),
                "h",
                "app",
                "the message"));
  }

  @Test
  void aByteOrderMarkStartingAnRfc5424MessageIsPartOfTheHeader() throws Exception {
    assertThat(
            SyslogHeader.parse(
                    "<13>1 2026-09-15T08:00:00Z h app - - - \uFEFFzoë's message",
                    ZoneOffset.UTC,
                    SEPT)
                .payload())
        .isEqualTo("zoë's message");
    assertThat(
            SyslogHeader.parse(
                    "<13>1 2026-09-15T08:00:00Z h app - - [a b=\"c\"] \uFEFFmsg",
                    ZoneOffset.UTC,
                    SEPT)
                .payload())
        .isEqualTo("msg");
  }

  @Test
  void nilvaluesForEveryRfc5424FieldLeaveTheMessageAndNullFields() throws Exception {
    assertThat(SyslogHeader.parse("<13>1 - - - - - - the message", ZoneOffset.UTC, SEPT))
        .isEqualTo(new SyslogHeader(13, "-", null, null, null, "the message"));
    assertThat(SyslogHeader.parse("<13>1 - - - - - -", ZoneOffset.UTC, SEPT))
        .isEqualTo(new SyslogHeader(13, "-", null, null, null, ""));
    assertThat(SyslogHeader.parse("<13>1 - h a - - [x y=\"z\"]", ZoneOffset.UTC, SEPT))
        .isEqualTo(new SyslogHeader(13, "-", null, "h", "a", ""));
  }

  @Test
  void textInTheStructuredDataSlotThatBreaksItsGrammarStaysInThePayload() throws Exception {
    for (String notSd :
        new String[] {
          "[a b=c] msg", "[a b=\"c] msg", "[] msg", "[a  b=\"c\"] msg", "[a b=\"c\"x] msg"
        }) {
      assertThat(
              SyslogHeader.parse(
                      "<13>1 2026-09-15T08:00:00Z h app - - " + notSd, ZoneOffset.UTC, SEPT)
                  .payload())
          .as(notSd)
          .isEqualTo(notSd);
    }
  }

  @Test
  void rsyslogsForwardFormatWithAnRfc3339TimeInAnRfc3164HeaderIsRead() throws Exception {
    assertThat(
            SyslogHeader.parse(
                "<13>2026-09-15T06:43:59.124705+02:00 vm squid: 1789485000.250 5",
                ZoneOffset.UTC,
                SEPT))
        .isEqualTo(
            new SyslogHeader(
                13,
                "2026-09-15T06:43:59.124705+02:00",
                Instant.parse("2026-09-15T04:43:59.124705Z"),
                "vm",
                "squid",
                "1789485000.250 5"));
    assertThat(
            SyslogHeader.parse("2026-09-15T06:43:59Z proxy1 squid[812]: x", ZoneOffset.UTC, SEPT))
        .isEqualTo(
            new SyslogHeader(
                -1,
                "2026-09-15T06:43:59Z",
                Instant.parse("2026-09-15T06:43:59Z"),
                "proxy1",
                "squid",
                "x"));
    assertThatThrownBy(
            () -> SyslogHeader.parse("<13>2026-13-15T06:43:59Z vm squid: x", ZoneOffset.UTC, SEPT))
        .hasMessage("syslog_bad_timestamp");
    for (String notIso :
        new String[] {
          "2026-09-15 06:43:59 x",
          "2026-09-15T06:43:59 x",
          "2026-09-15T06:43:59.Z x",
          "2026-09-15T06:43:59+0200 x",
          "2026-09-15T06:43:59Zx"
        }) {
      assertThat(SyslogHeader.rfc3339TimeEnd(notIso, 0)).as(notIso).isEqualTo(-1);
    }
  }

  @Test
  void aLineWithoutHeaderIsAllPayload() throws Exception {
    assertThat(SyslogHeader.parse("<188>date=2020-04-23 time=12:17:48 a=b", ZoneOffset.UTC, SEPT))
        .isEqualTo(
            new SyslogHeader(188, null, null, null, null, "date=2020-04-23 time=12:17:48 a=b"));
    assertThat(SyslogHeader.parse("plain", ZoneOffset.UTC, SEPT).payload()).isEqualTo("plain");
  }

  @Test
  void malformedHeadersHaveNamedReasons() {
    assertThatThrownBy(() -> SyslogHeader.parse("<999>x", ZoneOffset.UTC, SEPT))
        .hasMessage("syslog_bad_pri");
    assertThatThrownBy(
            () -> SyslogHeader.parse("<1>1 2026-13-99T00:00:00Z h a p m -", ZoneOffset.UTC, SEPT))
        .hasMessage("syslog_bad_timestamp");
    assertThatThrownBy(() -> SyslogHeader.parse("<1>1 short", ZoneOffset.UTC, SEPT))
        .hasMessage("syslog_short_rfc5424");
  }

  @Test
  void anRfc3164HeaderEndingInALineTerminatorKeepsItsTimeAndAnEmptyPayload() throws Exception {
    assertThat(SyslogHeader.parse("<13>Sep 15 08:10:00\u0085", ZoneOffset.UTC, SEPT))
        .isEqualTo(
            new SyslogHeader(
                13, "Sep 15 08:10:00", Instant.parse("2026-09-15T08:10:00Z"), null, null, ""));
  }

  @Test
  void anInfobloxAddressAfterTheHostIsSkippedAndAnEmptyHostTokenIsKeptAsBefore() throws Exception {
    assertThat(
            SyslogHeader.parse(
                "Sep 15 08:10:00 ib 10.0.0.1 dhcpd[7]: DHCPACK", ZoneOffset.UTC, SEPT))
        .isEqualTo(
            new SyslogHeader(
                -1,
                "Sep 15 08:10:00",
                Instant.parse("2026-09-15T08:10:00Z"),
                "ib",
                "dhcpd",
                "DHCPACK"));
    assertThat(SyslogHeader.parse("Sep 15 08:10:00  app: x", ZoneOffset.UTC, SEPT))
        .isEqualTo(
            new SyslogHeader(
                -1, "Sep 15 08:10:00", Instant.parse("2026-09-15T08:10:00Z"), "", "app", "x"));
  }

  /**
   * The expressions the hand-written scanners replaced: the grammar they must accept, no more, no
   * less.
   */
  private static final Pattern RFC3164_TIME =
      Pattern.compile(
          "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\\d{1,2}) (\\d{2}):(\\d{2}):(\\d{2})(?= |$)");

  private static final Pattern UTM_TIME =
      Pattern.compile("(\\d{4}):(\\d{2}):(\\d{2})-(\\d{2}):(\\d{2}):(\\d{2})(?= )");

  /** RFC 3339 section 5.6 with RFC 5424's upper-case T and Z, followed by a space or the end. */
  private static final Pattern RFC3339_TIME =
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:Z|[+-]\\d{2}:\\d{2})(?= |\\z)");

  @Test
  void theTimestampScannersAcceptExactlyWhatTheirExpressionsMatchOnMutatedHeaders() {
    String[] seeds = {
      "<13>Sep 15 08:10:00 host app[1]: x",
      "Mar  7 08:32:59",
      "Dec 31 23:59:59\r\n",
      "2023:03:08-15:00:00 utm httpproxy[1]: x",
      "<30>2023:03:08-15:00:00 ",
      "<13>2026-09-15T06:43:59.124705+00:00 vm squid: x",
      "2026-09-15T06:43:59Z h a: x",
      "2026-09-15T06:43:59.1Z"
    };
    String alphabet = " 0123456789:-JanSepMrDc<>\t\n\r\u0085\u2028\u2029x+.TZz";
    Random r = new Random(4);
    for (int n = 0; n < 200_000; n++) {
      String line = Mutations.of(seeds[r.nextInt(seeds.length)], alphabet, 3, r);
      for (int i = 0; i <= Math.min(4, line.length()); i++) {
        assertThat(SyslogHeader.rfc3164TimeEnd(line, i))
            .as("RFC 3164 time in [%s] at %d", line, i)
            .isEqualTo(end(RFC3164_TIME, line, i));
        assertThat(SyslogHeader.utmTimeEnd(line, i))
            .as("UTM time in [%s] at %d", line, i)
            .isEqualTo(end(UTM_TIME, line, i));
        assertThat(SyslogHeader.rfc3339TimeEnd(line, i))
            .as("RFC 3339 time in [%s] at %d", line, i)
            .isEqualTo(end(RFC3339_TIME, line, i));
      }
    }
  }

  private static int end(Pattern p, String line, int i) {
    Matcher m = p.matcher(line);
    m.region(i, line.length());
    return m.lookingAt() ? m.end() : -1;
  }
}
