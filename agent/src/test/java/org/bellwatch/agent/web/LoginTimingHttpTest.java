package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bellwatch.agent.access.Account;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.pipeline.Agent;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether login timing tells which accounts exist (issue 17, finding 2: an unknown account was
 * checked against a hash of 1,000 iterations, a real one against 600,000). Measured over HTTP as an
 * outsider sees it, at a cost of 20,000 iterations so that it runs in seconds.
 *
 * <p>The statistic: pairs of a wrong password for an existing account and for an unknown one, in
 * random order within each pair so that load on the machine falls on both alike. The test fails
 * when the two samples differ both significantly and materially: a two-sided Mann-Whitney U test
 * rejects "same distribution" at p &lt; 0.001 (|z| &gt; 3.29, normal approximation), and the
 * medians differ by more than 10%. Under the random interleaving a loaded machine cannot make equal
 * timings look different more than one run in a thousand, and a real difference too small to matter
 * does not fail a quiet machine. The old code (1,000 iterations for an unknown account) gave z =
 * -7.8 and a median ratio of 0.35 under load.
 */
class LoginTimingHttpTest {
  static final int ITERATIONS = 20_000;
  static final int PAIRS = 80;
  @TempDir Path dir;

  @Test
  void aWrongPasswordTakesAsLongForAnAccountThatDoesNotExistAsForOneThatDoes() throws Exception {
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        """
        site: {name: Test School, timezone: America/Los_Angeles}
        store: {dir: store}
        web: {port: 0}
        auth: {pbkdf2_iterations: %d, login_max_failures: 1000}
        """
            .formatted(ITERATIONS));
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    try (EventStore store = EventStore.open(cfg.store().dir(), cfg.site().timezone(), false)) {
      Instant t = Instant.parse("2026-01-01T00:00:00Z");
      store
          .console()
          .accounts()
          .put(
              new Account(
                  "it.lead",
                  "admin",
                  Passwords.hash(TestAccounts.PASSWORD.toCharArray(), ITERATIONS),
                  false,
                  t,
                  t));
    }
    Random random = new Random(17);
    try (Agent agent =
        Agent.start(cfg, SiteModel.load(null, cfg.site().timezone()), Clock.systemUTC())) {
      for (int i = 0; i < 10; i++) {
        timed(agent, "it.lead");
        timed(agent, "warm.up" + i);
      }
      double[] known = new double[PAIRS];
      double[] unknown = new double[PAIRS];
      for (int i = 0; i < PAIRS; i++) {
        if (random.nextBoolean()) {
          known[i] = timed(agent, "it.lead");
          unknown[i] = timed(agent, "no.such.user" + i);
        } else {
          unknown[i] = timed(agent, "no.such.user" + i);
          known[i] = timed(agent, "it.lead");
        }
      }
      double z = mannWhitneyZ(unknown, known);
      double ratio = median(unknown) / median(known);
      String figures =
          String.format(
              "median unknown %.1f ms, known %.1f ms (ratio %.3f), Mann-Whitney z %.2f",
              median(unknown) / 1e6, median(known) / 1e6, ratio, z);
      System.out.println("LoginTimingHttpTest: " + figures);
      boolean significant = Math.abs(z) > 3.29;
      boolean material = ratio < 0.9 || ratio > 1 / 0.9;
      assertThat(significant && material).as(figures).isFalse();
    }
  }

  @Test
  void aHashMadeAtALowerCostIsMadeAgainAtTheConfiguredCostAtTheNextLogin() throws Exception {
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        """
        site: {name: Test School, timezone: America/Los_Angeles}
        store: {dir: store}
        web: {port: 0}
        auth: {pbkdf2_iterations: 3000}
        """);
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    Account before =
        new Account(
            "it.lead",
            "admin",
            Passwords.hash(TestAccounts.PASSWORD.toCharArray(), 1000),
            false,
            t,
            t);
    try (EventStore store = EventStore.open(cfg.store().dir(), cfg.site().timezone(), false)) {
      store.console().accounts().put(before);
    }
    try (Agent agent =
        Agent.start(cfg, SiteModel.load(null, cfg.site().timezone()), Clock.systemUTC())) {
      assertThat(
              RawHttp.login("127.0.0.1", agent.port(), "it.lead", TestAccounts.PASSWORD, null)
                  .status())
          .isEqualTo(200);
    }
    try (EventStore store = EventStore.open(cfg.store().dir(), cfg.site().timezone(), false)) {
      Account after = store.console().accounts().get("it.lead").orElseThrow();
      assertThat(Passwords.iterations(after.passwordHash())).isEqualTo(3000);
      assertThat(Passwords.verify(TestAccounts.PASSWORD.toCharArray(), after.passwordHash()))
          .isTrue();
      // The same password: the account's other sessions go on.
      assertThat(after)
          .isEqualTo(new Account("it.lead", "admin", after.passwordHash(), false, t, t));
    }
  }

  /** Nanoseconds of one login with a wrong password, which must be refused with 401. */
  static double timed(Agent agent, String username) throws Exception {
    long start = System.nanoTime();
    RawHttp.Response r =
        RawHttp.login("127.0.0.1", agent.port(), username, "not the password at all", null);
    long took = System.nanoTime() - start;
    assertThat(r.status()).as(r.body()).isEqualTo(401);
    return took;
  }

  /**
   * The z score of the Mann-Whitney U statistic of {@code a} against {@code b} (normal
   * approximation, ties counted as half): negative when {@code a} tends to be smaller.
   */
  static double mannWhitneyZ(double[] a, double[] b) {
    double u = 0;
    for (double x : a) {
      for (double y : b) {
        u += x > y ? 1 : x == y ? 0.5 : 0;
      }
    }
    double n1 = a.length;
    double n2 = b.length;
    return (u - n1 * n2 / 2) / Math.sqrt(n1 * n2 * (n1 + n2 + 1) / 12);
  }

  static double median(double[] x) {
    List<Double> sorted = new ArrayList<>();
    for (double v : x) {
      sorted.add(v);
    }
    sorted.sort(null);
    int m = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2;
  }
}
