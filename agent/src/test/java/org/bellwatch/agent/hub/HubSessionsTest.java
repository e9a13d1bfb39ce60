package org.bellwatch.agent.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.testing.SteppedClock;
import org.bellwatch.agent.web.SessionRules;
import org.junit.jupiter.api.Test;

/** The hub's console sessions: each account holds a bounded share of the hub's table. */
class HubSessionsTest {
  final SteppedClock clock = new SteppedClock(Instant.parse("2026-09-15T19:01:00Z"));
  final HubSessions sessions = new HubSessions(clock);
  final HubApi.Caller it = new HubApi.Caller("district.it", "district_it", null);
  final HubApi.Caller baker = new HubApi.Caller("baker.coord", "school_coordinator", "baker-ms");

  String open(HubApi.Caller caller) {
    clock.step(Duration.ofMinutes(1));
    return sessions.open(caller, "127.0.0.1").id();
  }

  @Test
  void aLoginPastTheLimitEndsThatAccountsLeastRecentlyUsedSessionAndNoOneElses() {
    String coordinator = open(baker);
    List<String> mine = new ArrayList<>();
    for (int i = 0; i < SessionRules.MAX_PER_ACCOUNT; i++) {
      mine.add(open(it));
    }
    clock.step(Duration.ofMinutes(1));
    assertThat(sessions.find(mine.get(0))).isNotNull();

    String newest = open(it);

    assertThat(sessions.find(mine.get(1))).isNull();
    assertThat(sessions.find(mine.get(0))).isNotNull();
    assertThat(mine.subList(2, mine.size()))
        .allSatisfy(id -> assertThat(sessions.find(id)).isNotNull());
    assertThat(sessions.find(newest)).isNotNull();
    assertThat(sessions.find(coordinator)).isNotNull();
  }
}
