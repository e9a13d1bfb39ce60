package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.testing.SteppedClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The login backoff against someone who guesses on purpose to lock the owner out (issue 17, finding
 * 8): clients are distinct loopback addresses (127.0.0.x), the clock stands still so no wait runs
 * out.
 */
class LockoutHttpTest {
  static final String OWNER = "127.0.0.1";
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

  RawHttp.Response login(String from, String password, String cookie) throws Exception {
    return RawHttp.login(from, web.port(), "admin1", password, cookie);
  }

  List<Integer> guesses(String from, String username, int n) throws Exception {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      statuses.add(
          RawHttp.login(from, web.port(), username, "wrong guess number " + i, null).status());
    }
    return statuses;
  }

  @Test
  void guessingAnAdminsPasswordElsewhereSlowsTheGuesserButNeverKeepsTheRightPasswordOut()
      throws Exception {
    RawHttp.Response first = login(OWNER, TestAccounts.PASSWORD, null);
    assertThat(first.status()).isEqualTo(200);
    String device = "bw_device=" + first.cookie("bw_device");
    assertThat(first.headers().get("set-cookie"))
        .anySatisfy(
            c ->
                assertThat(c)
                    .startsWith("bw_device=")
                    .endsWith("; Path=/; Max-Age=7776000; HttpOnly; SameSite=Strict"));

    // A stranger guesses: after five failures it waits, and so does every other stranger for this
    // account,
    // even one with the right password (a guesser spread over many addresses is slowed down all the
    // same).
    assertThat(guesses("127.0.0.2", "admin1", 8))
        .containsExactly(401, 401, 401, 401, 401, 429, 429, 429);
    RawHttp.Response stranger = login("127.0.0.3", TestAccounts.PASSWORD, null);
    assertThat(stranger.status()).isEqualTo(429);
    assertThat(stranger.header("retry-after")).isNotNull();

    // The owner is not held back: from the address that logged in before, and from a new address
    // with the
    // browser's device cookie.
    assertThat(login(OWNER, TestAccounts.PASSWORD, null).status()).isEqualTo(200);
    assertThat(login("127.0.0.4", TestAccounts.PASSWORD, device).status()).isEqualTo(200);

    // A guesser at the owner's own address (a shared NAT) delays that address, but not the owner's
    // browser.
    assertThat(guesses(OWNER, "admin1", 6)).containsExactly(401, 401, 401, 401, 401, 429);
    assertThat(login(OWNER, TestAccounts.PASSWORD, null).status()).isEqualTo(429);
    assertThat(login(OWNER, TestAccounts.PASSWORD, device).status()).isEqualTo(200);

    // A device cookie is trusted only as issued, and only for its own account.
    String forged =
        device.substring(0, device.length() - 2) + (device.endsWith("AA") ? "BB" : "AA");
    assertThat(login("127.0.0.5", TestAccounts.PASSWORD, forged).status()).isEqualTo(429);
    RawHttp.Response coordinator =
        RawHttp.login("127.0.0.6", web.port(), "coordinator1", TestAccounts.PASSWORD, null);
    assertThat(coordinator.status()).isEqualTo(200);
    String coordinators = "bw_device=" + coordinator.cookie("bw_device");
    assertThat(login("127.0.0.7", TestAccounts.PASSWORD, coordinators).status()).isEqualTo(429);

    // After the longest wait the account's strangers may try again.
    clock.step(Duration.ofMinutes(16));
    assertThat(login("127.0.0.8", TestAccounts.PASSWORD, null).status()).isEqualTo(200);
  }

  @Test
  void oneAddressSprayingGuessesOverManyAccountsIsSlowedDownButNotAtTheAccountThatLoggedInFromIt()
      throws Exception {
    assertThat(
            RawHttp.login("127.0.0.9", web.port(), "viewer1", TestAccounts.PASSWORD, null).status())
        .isEqualTo(200);
    List<Integer> statuses = new ArrayList<>();
    for (String account :
        List.of("admin1", "coordinator1", "ms.rivera", "nobody", "no.one", "admin1")) {
      statuses.addAll(guesses("127.0.0.9", account, 1));
    }
    assertThat(statuses).containsExactly(401, 401, 401, 401, 401, 429);
    // The address logged in to viewer1 before: its spraying does not keep viewer1 out from there.
    assertThat(
            RawHttp.login("127.0.0.9", web.port(), "viewer1", TestAccounts.PASSWORD, null).status())
        .isEqualTo(200);
    // Each account was guessed once or twice: strangers elsewhere are not held back.
    assertThat(
            RawHttp.login("127.0.0.10", web.port(), "coordinator1", TestAccounts.PASSWORD, null)
                .status())
        .isEqualTo(200);
  }
}
