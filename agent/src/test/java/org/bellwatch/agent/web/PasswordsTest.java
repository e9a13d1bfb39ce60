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
    assertThat(Passwords.verify("correct horse battery".toCharArray(), h.replace("$1$", "$2$")))
        .isFalse();
    assertThat(
            Passwords.verify(
                "correct horse battery".toCharArray(), h.replace("pbkdf2-sha256", "md5")))
        .isFalse();
    assertThat(Passwords.verify("correct horse battery".toCharArray(), null)).isFalse();
    assertThat(Passwords.verify("x".toCharArray(), "garbage")).isFalse();
  }

  @Test
  void theProductionDefaultCostIsOwasp2023ForPbkdf2Sha256() {
    assertThat(org.bellwatch.agent.config.Auth.DEFAULTS.pbkdf2Iterations()).isEqualTo(600_000);
  }

  @Test
  void shortPasswordsAndOnesContainingTheUsernameAreRefusedWithTheReason() {
    assertThat(Passwords.weakness("elevenchars".toCharArray(), "ana"))
        .isEqualTo("a password needs at least 12 characters");
    assertThat(Passwords.weakness("ana-password-2026".toCharArray(), "ana"))
        .isEqualTo("a password cannot contain the username");
    assertThat(Passwords.weakness("aaaaaaaaaaaaaaaa".toCharArray(), "ana"))
        .isEqualTo("a password needs at least 5 different characters");
    assertThat(Passwords.weakness(" correct horse battery".toCharArray(), "ana"))
        .isEqualTo("a password cannot start or end with a space");
    assertThat(Passwords.weakness("correct horse battery".toCharArray(), "ana")).isNull();
  }

  @Test
  void commonAndGuessablePasswordsAreRefusedWithAdviceFromTheStrengthEstimate() {
    assertThat(Passwords.weakness("password1234".toCharArray(), "ana"))
        .isEqualTo(
            "this password is too easy to guess:"
                + " This is a top-10 common password. Add another word or two. Uncommon words are better. (about 4 bits;"
                + " at least 35 are needed: a few uncommon words make a strong password)");
    assertThat(Passwords.weakness("qwertyuiop123".toCharArray(), "ana"))
        .startsWith("this password is too easy to guess:");
    assertThat(Passwords.weakness("Summer2026!!".toCharArray(), "ana"))
        .startsWith("this password is too easy to guess:");
    // A part of the account's own name, or the product's, is a context word: the first thing a
    // guesser tries.
    assertThat(Passwords.weakness("tangerine walrus 7".toCharArray(), "ana")).isNull();
    assertThat(Passwords.weakness("tangerine walrus 7".toCharArray(), "t.walrus"))
        .isEqualTo(
            "this password is too"
                + " easy to guess: It is built on the username or the word bellwatch, which guessers try first. Add another"
                + " word or two. Uncommon words are better. (about 26 bits; at least 35 are needed: a few uncommon words make"
                + " a strong password)");
    assertThat(Passwords.weakness("bellwatch walrus 7".toCharArray(), "ana"))
        .startsWith("this password is too easy");
    assertThat(Passwords.weakness("plenty of long secrets".toCharArray(), "ana")).isNull();
  }

  @Test
  void anUnmatchableHashCostsTheGivenIterationsAndNoPasswordMatchesIt() {
    String h = Passwords.unmatchable(600_000);
    assertThat(Passwords.iterations(h)).isEqualTo(600_000);
    assertThat(h).startsWith("pbkdf2-sha256$1$600000$");
    assertThat(Passwords.verify("".toCharArray(), Passwords.unmatchable(1000))).isFalse();
    assertThat(Passwords.verify("correct horse battery".toCharArray(), Passwords.unmatchable(1000)))
        .isFalse();
  }
}
