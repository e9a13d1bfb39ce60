package org.bellwatch.agent.hub;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VerifiedCredentialsTest {
  static final HubApi.Caller COORD =
      new HubApi.Caller("adams.coord", "school_coordinator", "adams-es");

  @Test
  void onlyTheExactHeaderThatWasVerifiedIsRemembered() {
    VerifiedCredentials v = new VerifiedCredentials();
    v.remember("Basic YWRhbXMuY29vcmQ6cmlnaHQ=", COORD);
    assertThat(v.get("Basic YWRhbXMuY29vcmQ6cmlnaHQ=")).isEqualTo(COORD);
    assertThat(v.get("Basic YWRhbXMuY29vcmQ6d3Jvbmc=")).isNull();
    assertThat(v.get("basic YWRhbXMuY29vcmQ6cmlnaHQ=")).isNull();
  }

  @Test
  void aFullCacheForgetsEverythingRatherThanGrowing() {
    VerifiedCredentials v = new VerifiedCredentials();
    for (int i = 0; i < VerifiedCredentials.MAX; i++) {
      v.remember("Basic " + i, COORD);
    }
    v.remember("Basic last", COORD);
    assertThat(v.get("Basic 0")).isNull();
    assertThat(v.get("Basic last")).isEqualTo(COORD);
  }
}
