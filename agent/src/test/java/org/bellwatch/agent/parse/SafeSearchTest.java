package org.bellwatch.agent.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeSearchTest {
  @Test
  void theNamesEachSearchEngineDocumentsForEnforcementAreRecognized() {
    for (String name :
        new String[] {
          "www.google.com",
          "www.google.de",
          "www.google.co.uk",
          "www.google.com.au",
          "www.youtube.com",
          "m.youtube.com",
          "youtubei.googleapis.com",
          "youtube.googleapis.com",
          "www.youtube-nocookie.com",
          "www.bing.com",
          "duckduckgo.com"
        }) {
      assertThat(SafeSearch.isEnforcedName(name)).as(name).isTrue();
    }
  }

  @Test
  void lookalikesAndOtherNamesOfTheSameCompaniesAreNot() {
    for (String name :
        new String[] {
          "www.google.evil.example",
          "www.google.co.evil",
          "www.google.",
          "google.com",
          "mail.google.com",
          "www.google.c0m",
          "youtube.com.example.net",
          "bing.com",
          "games.example.com",
          null
        }) {
      assertThat(SafeSearch.isEnforcedName(name)).as(String.valueOf(name)).isFalse();
    }
  }
}
