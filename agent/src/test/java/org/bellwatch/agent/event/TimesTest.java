package org.bellwatch.agent.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimesTest {
  static final DateTimeFormatter REFERENCE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @Test
  void theHandWrittenIsoFormatWritesWhatTheJdkFormatterWritesForAnyInstant() {
    SplittableRandom rnd = new SplittableRandom(3);
    for (int i = 0; i < 20_000; i++) {
      Instant t =
          Instant.ofEpochSecond(
              rnd.nextLong(-62_167_219_200L, 253_402_300_800L), rnd.nextInt(1_000_000_000));
      assertThat(Times.iso(t)).isEqualTo(REFERENCE.format(t));
    }
    assertThat(Times.iso(Instant.parse("2026-11-02T16:05:09.007Z")))
        .isEqualTo("2026-11-02T16:05:09.007Z");
    assertThat(Times.iso(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000Z");
    for (String leap :
        new String[] {
          "2000-02-29T23:59:59.999Z",
          "2000-03-01T00:00:00.000Z",
          "1900-02-28T12:00:00.000Z",
          "1900-03-01T00:00:00.000Z",
          "2024-02-29T00:00:00.000Z",
          "0000-02-29T00:00:00.000Z",
          "9999-12-31T23:59:59.999Z",
          "1969-12-31T23:59:59.999Z"
        }) {
      assertThat(Times.iso(Instant.parse(leap))).isEqualTo(leap);
    }
    assertThat(Times.iso(Instant.parse("+12026-01-01T00:00:00Z")))
        .isEqualTo(REFERENCE.format(Instant.parse("+12026-01-01T00:00:00Z")));
  }

  @Test
  void hoursAndMinutesAreTwoDigitsEach() {
    assertThat(Times.hhmm(LocalTime.of(8, 5))).isEqualTo("08:05");
    assertThat(Times.hhmm(LocalTime.of(23, 59, 59))).isEqualTo("23:59");
  }
}
