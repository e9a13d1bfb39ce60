package org.bellwatch.agent.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ZonesTest {
  @Test
  void offsetsOfFourDigitsReadAsTheLongerFormsDo() {
    assertThat(Zones.parse("-0500")).isEqualTo(ZoneOffset.ofHours(-5));
    assertThat(Zones.parse("+0530")).isEqualTo(ZoneOffset.ofHoursMinutes(5, 30));
    assertThat(Zones.parse("UTC-0330")).isEqualTo(ZoneOffset.ofHoursMinutes(-3, -30));
    assertThat(Zones.parse("-05:00")).isEqualTo(ZoneOffset.ofHours(-5));
    assertThat(Zones.parse("UTC-5:00")).isEqualTo(ZoneOffset.ofHours(-5));
    assertThat(Zones.parse("+02")).isEqualTo(ZoneOffset.ofHours(2));
    assertThat(Zones.parse("GMT")).isEqualTo(ZoneOffset.UTC);
    assertThat(Zones.parse("America/Chicago")).isEqualTo(ZoneId.of("America/Chicago"));
  }

  @Test
  void offsetsOutOfRangeAndTextNotUnderstoodAreNull() {
    assertThat(Zones.parse("-2500")).isNull();
    assertThat(Zones.parse("+0599")).isNull();
    assertThat(Zones.parse("-05x0")).isNull();
    assertThat(Zones.parse("Mars/Olympus")).isNull();
    assertThat(Zones.parse(" ")).isNull();
  }
}
