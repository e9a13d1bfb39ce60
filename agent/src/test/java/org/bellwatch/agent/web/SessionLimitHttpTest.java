package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bellwatch.agent.access.AuditEntry;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.testing.SteppedClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One account's logins hold at most {@link SessionRules#MAX_PER_ACCOUNT} sessions: each login past
 * it ends that account's least recently used session, never another account's.
 */
class SessionLimitHttpTest {
  @TempDir Path dir;
  WebLayer web;
  final SteppedClock clock = new SteppedClock(Instant.parse("2026-09-15T19:01:00Z"));

  @BeforeEach
  void start() throws Exception {
    BellwatchConfig cfg = WebLayer.testSchool(dir);
    web = WebLayer.start(cfg, SiteModel.load(null, cfg.site().timezone()), clock);
  }

  @AfterEach
  void stop() {
    web.close();
  }

  /** A login's session cookie ({@code name=value}). */
  String login(String username) throws Exception {
    clock.step(Duration.ofMinutes(1));
    RawHttp.Response r =
        RawHttp.login("127.0.0.1", web.port(), username, TestAccounts.PASSWORD, null);
    assertThat(r.status()).isEqualTo(200);
    return "bw_session=" + r.cookie("bw_session");
  }

  int sessionStatus(String cookie) throws Exception {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Host", "127.0.0.1:" + web.port());
    h.put("Cookie", cookie);
    return RawHttp.send("127.0.0.1", web.port(), "GET", "/api/v1/auth/session", h, null).status();
  }

  @Test
  void aLoginPastTheLimitEndsThatAccountsLeastRecentlyUsedSessionAndNoOneElses() throws Exception {
    String coordinator = login("coordinator1");
    List<String> admin = new ArrayList<>();
    for (int i = 0; i < SessionRules.MAX_PER_ACCOUNT; i++) {
      admin.add(login("admin1"));
    }
    // The first admin session is used again, so the second is now the least recently used.
    clock.step(Duration.ofMinutes(1));
    assertThat(sessionStatus(admin.get(0))).isEqualTo(200);

    String newest = login("admin1");

    assertThat(sessionStatus(admin.get(1))).isEqualTo(401);
    assertThat(sessionStatus(admin.get(0))).isEqualTo(200);
    for (String c : admin.subList(2, admin.size())) {
      assertThat(sessionStatus(c)).isEqualTo(200);
    }
    assertThat(sessionStatus(newest)).isEqualTo(200);
    assertThat(sessionStatus(coordinator)).isEqualTo(200);
    assertThat(web.sessions.list()).hasSize(SessionRules.MAX_PER_ACCOUNT + 1);
    assertThat(web.audit.newest(100))
        .filteredOn(e -> e.action().equals("session_ended"))
        .containsExactly(
            new AuditEntry(
                clock.instant(),
                "admin1",
                "session_ended",
                null,
                "127.0.0.1",
                "over 20 sessions: least recently used"));
  }
}
