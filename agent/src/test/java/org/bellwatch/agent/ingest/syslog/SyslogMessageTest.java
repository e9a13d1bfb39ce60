package org.bellwatch.agent.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import org.bellwatch.agent.decode.MalformedException;
import org.bellwatch.agent.ingest.syslog.SyslogMessage.Format;
import org.junit.jupiter.api.Test;

class SyslogMessageTest {
  private static final ZoneId LA = ZoneId.of("America/Los_Angeles");
  private static final Instant SEPT = Instant.parse("2026-09-15T16:00:00Z");

  private static SyslogMessage parse(String text, Instant now) throws MalformedException {
    return SyslogMessage.parse(text, LA, now);
  }

  @Test
  void anRfc3164LineWithoutYearTakesTheCurrentYearInTheListenersZone() throws Exception {
    SyslogMessage m = parse("<166>Sep 15 08:10:00 proxy1 squid[812]: 1789485000.250 5 10.0.1.20 TCP_DENIED/403", SEPT);

    assertThat(m).isEqualTo(new SyslogMessage(Format.RFC3164, 20, 6, Instant.parse("2026-09-15T15:10:00Z"), "proxy1",
        "squid", "812", null, null, "1789485000.250 5 10.0.1.20 TCP_DENIED/403"));
  }

  @Test
  void anRfc3164LineWithASpacePaddedDayAndAYearAfterTheDayUsesThatYear() throws Exception {
    SyslogMessage m = parse("<13>Jan  5 2025 23:59:59 fw01 %ASA-4-106023: Deny tcp", SEPT);

    assertThat(m).isEqualTo(new SyslogMessage(Format.RFC3164, 1, 5, Instant.parse("2025-01-06T07:59:59Z"), "fw01",
        "%ASA-4-106023", null, null, null, "Deny tcp"));
  }

  @Test
  void aDecemberLineReadInEarlyJanuaryBelongsToLastYear() throws Exception {
    Instant newYear = Instant.parse("2027-01-01T08:00:30Z"); // 00:00:30 on Jan 1st in Los Angeles
    SyslogMessage m = parse("<14>Dec 31 23:59:58 host app: late", newYear);

    assertThat(m.timestamp()).isEqualTo(Instant.parse("2027-01-01T07:59:58Z"));
    assertThat(m.timestamp().atZone(LA).getYear()).isEqualTo(2026);
  }

  @Test
  void aJanuaryLineFromASenderWhoseClockRunsAheadOnNewYearsEveBelongsToNextYear() throws Exception {
    Instant eve = Instant.parse("2027-01-01T07:59:00Z"); // 23:59 on Dec 31st 2026 in Los Angeles
    SyslogMessage m = parse("<14>Jan  1 00:00:05 host app: early", eve);

    assertThat(m.timestamp()).isEqualTo(Instant.parse("2027-01-01T08:00:05Z"));
  }

  @Test
  void february29thIsPlacedInTheNearestLeapYear() throws Exception {
    SyslogMessage m = parse("<14>Feb 29 10:00:00 host app: leap", Instant.parse("2027-01-10T00:00:00Z"));

    assertThat(m.timestamp()).isEqualTo(Instant.parse("2028-02-29T18:00:00Z"));
  }

  @Test
  void anRfc3164LineWithoutHostNameKeepsTheTag() throws Exception {
    SyslogMessage m = parse("<30>Sep 15 08:10:00 dnsmasq[123]: query[A] example.com from 10.0.0.5", SEPT);

    assertThat(m).isEqualTo(new SyslogMessage(Format.RFC3164, 3, 6, Instant.parse("2026-09-15T15:10:00Z"), null,
        "dnsmasq", "123", null, null, "query[A] example.com from 10.0.0.5"));
  }

  @Test
  void anRfc3164LineWithoutTimestampIsAllPayload() throws Exception {
    SyslogMessage m = parse("<189>date=2026-09-15 time=08:10:00 devname=\"FGT\" type=\"utm\"", SEPT);

    assertThat(m).isEqualTo(new SyslogMessage(Format.RFC3164, 23, 5, null, null, null, null, null, null,
        "date=2026-09-15 time=08:10:00 devname=\"FGT\" type=\"utm\""));
  }

  @Test
  void anRfc3339TimestampInALegacyHeaderKeepsItsOffsetOrTakesTheListenersZone() throws Exception {
    assertThat(parse("<14>2026-09-15T08:10:00.123456-07:00 host app: x", SEPT).timestamp())
        .isEqualTo(Instant.parse("2026-09-15T15:10:00.123456Z"));
    assertThat(parse("<14>2026-09-15T08:10:00 host app: x", SEPT).timestamp())
        .isEqualTo(Instant.parse("2026-09-15T15:10:00Z"));
  }

  @Test
  void anRfc5424MessageWithStructuredDataAndABomGivesEveryField() throws Exception {
    String text = "<165>1 2026-09-15T15:10:00.003Z proxy1.example.org squid 812 ID47 "
        + "[exampleSDID@32473 iut=\"3\" eventSource=\"App \\\"x\\\" [1\\]\"][meta seq=\"9\"] \uFEFFhello world";
    SyslogMessage m = parse(text, SEPT);

    assertThat(m).isEqualTo(new SyslogMessage(Format.RFC5424, 20, 5, Instant.parse("2026-09-15T15:10:00.003Z"),
        "proxy1.example.org", "squid", "812", "ID47",
        "[exampleSDID@32473 iut=\"3\" eventSource=\"App \\\"x\\\" [1\\]\"][meta seq=\"9\"]", "hello world"));
  }

  @Test
  void anRfc5424MessageWithNilValuesAndNoMessage() throws Exception {
    assertThat(parse("<14>1 - - - - - -", SEPT))
        .isEqualTo(new SyslogMessage(Format.RFC5424, 1, 6, null, null, null, null, null, null, ""));
  }

  @Test
  void aLineWithoutPriIsAllPayload() throws Exception {
    assertThat(parse("1789485000.250 5 10.0.1.20 TCP_DENIED/403 x", SEPT))
        .isEqualTo(new SyslogMessage(Format.NONE, -1, -1, null, null, null, null, null, null,
            "1789485000.250 5 10.0.1.20 TCP_DENIED/403 x"));
  }

  @Test
  void brokenHeadersAreNamedFailures() {
    assertThatThrownBy(() -> parse("<192>Sep 15 08:10:00 h a: x", SEPT)).hasMessage("syslog_bad_pri");
    assertThatThrownBy(() -> parse("<1a>x", SEPT)).hasMessage("syslog_bad_pri");
    assertThatThrownBy(() -> parse("<>x", SEPT)).hasMessage("syslog_bad_pri");
    assertThatThrownBy(() -> parse("<14", SEPT)).hasMessage("syslog_bad_pri");
    assertThatThrownBy(() -> parse("<14>2 2026-09-15T15:10:00Z h a p m - x", SEPT))
        .hasMessage("syslog_unsupported_version");
    assertThatThrownBy(() -> parse("<14>1 2026-09-15T15:10:00 h a p m - x", SEPT)).hasMessage("syslog_bad_timestamp");
    assertThatThrownBy(() -> parse("<14>1 - h a", SEPT)).hasMessage("syslog_truncated_header");
    assertThatThrownBy(() -> parse("<14>1 - h a p m [x y=\"1\"", SEPT)).hasMessage("syslog_bad_structured_data");
    assertThatThrownBy(() -> parse("<14>1 - h a p m nosd", SEPT)).hasMessage("syslog_bad_structured_data");
    assertThatThrownBy(() -> parse("<14>Sep 31 08:10:00 h a: x", SEPT)).hasMessage("syslog_bad_timestamp");
    assertThatThrownBy(() -> parse("<14>Sep 15 25:10:00 h a: x", SEPT)).hasMessage("syslog_bad_timestamp");
  }

  @Test
  void textRepairRemovesNulsAndEscapesReplacesBadUtf8AndFlattensInjectedLines() {
    byte[] bytes = "a\u0000b \u001b[31mred\u001b[0m \u001b]0;title\u0007c\r\nforged line\tok\r\n"
        .getBytes(StandardCharsets.UTF_8);
    byte[] withBadByte = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, withBadByte, 0, 1);
    withBadByte[1] = (byte) 0xff;
    System.arraycopy(bytes, 1, withBadByte, 2, bytes.length - 1);

    assertThat(SyslogText.decode(withBadByte)).isEqualTo(new SyslogText.Clean(
        "a\uFFFDb red c  forged line\tok",
        SyslogText.INVALID_UTF8 | SyslogText.NUL | SyslogText.ANSI_ESCAPE | SyslogText.CONTROL));
    assertThat(SyslogText.decode("plain text\n".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new SyslogText.Clean("plain text", 0));
    assertThat(SyslogText.decode("trailing escape \u001b".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new SyslogText.Clean("trailing escape ", SyslogText.ANSI_ESCAPE));
  }
}
