package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionRulesTest {
  private static final Instant LOGIN = Instant.parse("2026-12-07T08:00:00Z");
  private final SessionRules rules =
      new SessionRules("bw_test", Duration.ofMinutes(30), Duration.ofHours(12));

  @Test
  void aSessionEndsAfterItsIdleTimeUnusedOrItsAbsoluteTimeWhicheverComesFirst() {
    assertThat(rules.expiresAt(LOGIN, LOGIN)).isEqualTo(LOGIN.plus(Duration.ofMinutes(30)));
    Instant lastSeen = LOGIN.plus(Duration.ofHours(11).plusMinutes(50));
    assertThat(rules.expiresAt(LOGIN, lastSeen)).isEqualTo(LOGIN.plus(Duration.ofHours(12)));

    Instant end = LOGIN.plus(Duration.ofMinutes(30));
    assertThat(rules.expired(LOGIN, LOGIN, end.minusMillis(1))).isFalse();
    assertThat(rules.expired(LOGIN, LOGIN, end)).isTrue();
  }

  @Test
  void everyLoginGetsANewIdAndCsrfTokenAndTheIdIsKeptOnlyAsItsHash() {
    SessionRules.Fresh a = SessionRules.fresh();
    SessionRules.Fresh b = SessionRules.fresh();
    assertThat(a.id()).hasSize(43).isNotEqualTo(b.id()).isNotEqualTo(a.csrfToken());
    assertThat(a.csrfToken()).isNotEqualTo(b.csrfToken());
    assertThat(a.idHash()).isEqualTo(SessionRules.idHash(a.id())).doesNotContain(a.id());
  }

  @Test
  void aCookieValueThatCannotBeAnIdIsNotLookedUp() {
    assertThat(SessionRules.idHash(null)).isNull();
    assertThat(SessionRules.idHash("x".repeat(101))).isNull();
    assertThat(SessionRules.idHash("x".repeat(100))).hasSize(64);
  }

  @Test
  void aCsrfTokenMustBeSentAndMatchExactly() {
    assertThat(SessionRules.csrfMatches("token", "token")).isTrue();
    assertThat(SessionRules.csrfMatches("token", null)).isFalse();
    assertThat(SessionRules.csrfMatches("token", "")).isFalse();
    assertThat(SessionRules.csrfMatches("token", "Token")).isFalse();
    assertThat(SessionRules.csrfMatches("token", "token ")).isFalse();
  }

  @Test
  void theCookieIsHttpOnlyStrictBoundByTheAbsoluteTimeAndOverHttpsSecureWithTheHostPrefix() {
    assertThat(rules.setCookie("abc", false))
        .isEqualTo("bw_test=abc; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict");
    assertThat(rules.setCookie("abc", true))
        .isEqualTo("__Host-bw_test=abc; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict; Secure");
    assertThat(rules.clearCookie(true))
        .isEqualTo("__Host-bw_test=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure");
  }
}
