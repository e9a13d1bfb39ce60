package org.bellwatch.agent.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SyslogHeaderTest {
  static final Instant SEPT = Instant.parse("2026-09-20T12:00:00Z");

  @Test
  void anRfc3164HeaderTakesItsYearFromTheReferenceAndItsZoneFromTheCaller() throws Exception {
    SyslogHeader h = SyslogHeader.parse("<190>Sep 15 08:10:00 fw1 dhcpd[64305]: DHCPACK on 10.0.0.5 to aa:bb:cc:dd:ee:ff",
        ZoneId.of("America/Chicago"), SEPT);
    assertThat(h).isEqualTo(new SyslogHeader(190, "Sep 15 08:10:00", Instant.parse("2026-09-15T13:10:00Z"), "fw1",
        "dhcpd", "DHCPACK on 10.0.0.5 to aa:bb:cc:dd:ee:ff"));
  }

  @Test
  void aDecemberLineReadInJanuaryBelongsToThePreviousYear() throws Exception {
    SyslogHeader h = SyslogHeader.parse("Dec 31 23:59:59 host app: x", ZoneOffset.UTC, Instant.parse("2027-01-01T00:05:00Z"));
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
    SyslogHeader h = SyslogHeader.parse("<134>1 1647479503.348215340 MX84 urls src=10.0.1.29:60336", ZoneOffset.UTC, SEPT);
    assertThat(h).isEqualTo(new SyslogHeader(134, "1647479503.348215340", Instant.parse("2022-03-17T01:11:43.348215340Z"),
        "MX84", "urls", "src=10.0.1.29:60336"));
  }

  @Test
  void anRfc5424HeaderWithStructuredDataKeepsItInThePayload() throws Exception {
    SyslogHeader h = SyslogHeader.parse("<134>1 2026-09-15T08:00:00-05:00 gw app 12 - [a:\"b\"]", ZoneOffset.UTC, SEPT);
    assertThat(h.time()).isEqualTo(Instant.parse("2026-09-15T13:00:00Z"));
    assertThat(h.payload()).isEqualTo("[a:\"b\"]");
  }

  @Test
  void aLineWithoutHeaderIsAllPayload() throws Exception {
    assertThat(SyslogHeader.parse("<188>date=2020-04-23 time=12:17:48 a=b", ZoneOffset.UTC, SEPT))
        .isEqualTo(new SyslogHeader(188, null, null, null, null, "date=2020-04-23 time=12:17:48 a=b"));
    assertThat(SyslogHeader.parse("plain", ZoneOffset.UTC, SEPT).payload()).isEqualTo("plain");
  }

  @Test
  void malformedHeadersHaveNamedReasons() {
    assertThatThrownBy(() -> SyslogHeader.parse("<999>x", ZoneOffset.UTC, SEPT)).hasMessage("syslog_bad_pri");
    assertThatThrownBy(() -> SyslogHeader.parse("<1>1 2026-13-99T00:00:00Z h a p m -", ZoneOffset.UTC, SEPT))
        .hasMessage("syslog_bad_timestamp");
    assertThatThrownBy(() -> SyslogHeader.parse("<1>1 short", ZoneOffset.UTC, SEPT)).hasMessage("syslog_short_rfc5424");
  }
}
