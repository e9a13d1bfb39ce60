package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.bellwatch.agent.testing.SteppedClock;
import org.junit.jupiter.api.Test;

class DeviceCookiesTest {
  final SteppedClock clock = new SteppedClock(Instant.parse("2026-09-15T15:00:00Z"));
  final DeviceCookies cookies = new DeviceCookies(new byte[32], clock);

  @Test
  void aDeviceCookieIsTrustedForItsOwnAccountForNinetyDaysAndNotWhenAnyPartIsChanged() {
    String cookie = cookies.issue("admin1");
    String nonce = cookies.trustedNonce(cookie, "admin1");
    assertThat(nonce).matches("[A-Za-z0-9_-]{22}");
    assertThat(cookies.issue("admin1")).isNotEqualTo(cookie);
    assertThat(cookies.trustedNonce(cookie, "coordinator1")).isNull();
    assertThat(new DeviceCookies(new byte[] {1}, clock).trustedNonce(cookie, "admin1")).isNull();
    String[] parts = cookie.split("\\.");
    String otherUser =
        java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("viewer1".getBytes());
    assertThat(
            cookies.trustedNonce(
                String.join(".", parts[0], otherUser, parts[2], parts[3], parts[4]), "viewer1"))
        .isNull();
    assertThat(
            cookies.trustedNonce(
                String.join(".", parts[0], parts[1], "9999999999", parts[3], parts[4]), "admin1"))
        .isNull();
    assertThat(cookies.trustedNonce(cookie + "x", "admin1")).isNull();
    assertThat(cookies.trustedNonce("v1.garbage", "admin1")).isNull();
    assertThat(cookies.trustedNonce(null, "admin1")).isNull();
    clock.step(Duration.ofDays(90).minusSeconds(1));
    assertThat(cookies.trustedNonce(cookie, "admin1")).isEqualTo(nonce);
    clock.step(Duration.ofSeconds(1));
    assertThat(cookies.trustedNonce(cookie, "admin1")).isNull();
  }
}
