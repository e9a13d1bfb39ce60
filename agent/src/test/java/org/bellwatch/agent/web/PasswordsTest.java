package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordsTest {
  @Test
  void aHashIsVersionedNamesItsCostAndVerifiesOnlyTheSamePassword() {
    String h = Passwords.hash("correct horse battery".toCharArray(), 1000);
    String[] parts = h.split("\\$");
    assertThat(parts).hasSize(5);
    assertThat(parts[0] + "$" + parts[1] + "$" + parts[2]).isEqualTo("pbkdf2-sha256$1$1000");
    assertThat(java.util.Base64.getDecoder().decode(parts[3])).hasSize(16);
    assertThat(java.util.Base64.getDecoder().decode(parts[4])).hasSize(32);
    assertThat(Passwords.verify("correct horse battery".toCharArray(), h)).isTrue();
    assertThat(Passwords.verify("correct horse batterY".toCharArray(), h)).isFalse();
  }

  @Test
  void theSamePasswordHashesDifferentlyEachTimeBecauseOfTheRandomSalt() {
    assertThat(Passwords.hash("correct horse battery".toCharArray(), 1000))
        .isNotEqualTo(Passwords.hash("correct horse battery".toCharArray(), 1000));
  }

  @Test
  void anUnknownSchemeVersionOrAMissingHashNeverVerifies() {
    String h = Passwords.hash("correct horse battery".toCharArray(), 1000);
    assertThat(Passwords.verify("correct horse battery".toCharArray(), h.replace("$1$", "$2$"))).isFalse();
    assertThat(Passwords.verify("correct horse battery".toCharArray(), h.replace("pbkdf2-sha256", "md5"))).isFalse();
    assertThat(Passwords.verify("correct horse battery".toCharArray(), null)).isFalse();
    assertThat(Passwords.verify("x".toCharArray(), "garbage")).isFalse();
  }

  @Test
  void theProductionDefaultCostIsOwasp2023ForPbkdf2Sha256() {
    assertThat(org.bellwatch.agent.config.BellwatchConfig.Auth.DEFAULTS.pbkdf2Iterations()).isEqualTo(600_000);
  }

  @Test
  void shortPasswordsAndOnesContainingTheUsernameAreRefusedWithTheReason() {
    assertThat(Passwords.weakness("elevenchars".toCharArray(), "ana")).isEqualTo("a password needs at least 12 characters");
    assertThat(Passwords.weakness("ana-password-2026".toCharArray(), "ana")).isEqualTo("a password cannot contain the username");
    assertThat(Passwords.weakness("aaaaaaaaaaaaaaaa".toCharArray(), "ana")).isEqualTo("a password needs at least 5 different characters");
    assertThat(Passwords.weakness(" correct horse battery".toCharArray(), "ana")).isEqualTo("a password cannot start or end with a space");
    assertThat(Passwords.weakness("correct horse battery".toCharArray(), "ana")).isNull();
  }
}
