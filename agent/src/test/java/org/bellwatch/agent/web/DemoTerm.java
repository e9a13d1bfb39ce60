package org.bellwatch.agent.web;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import org.bellwatch.agent.access.Account;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.pipeline.StoreReplay;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.sim.TermSimulator;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.testing.ShiftedClock;

/**
 * The demo's school for the console browser tests, made as {@code scripts/demo} makes it: the
 * four-week term of {@code bellwatch simulate --scale term} (TermSimulator), read into the store
 * through the pipeline ({@code bellwatch replay --store}), the agent started on that store at the
 * end of the term's last school day, and the requests and decisions of its {@code demo-reviews.tsv}
 * recorded through the API by an account of each step's role. Accounts (password {@link
 * TestAccounts#PASSWORD}): admin1, coordinator1, viewer1, and the roster teacher the reviews name,
 * with the teacher role.
 */
final class DemoTerm {
  /** A Friday: the term, 2026-10-19 to 2026-11-13, crosses the end of daylight saving time. */
  static final LocalDate END = LocalDate.of(2026, 11, 13);

  static final long SEED = 1;

  final ConsoleSite site;

  /** The teacher account's username (a roster teacher who files a request in demo-reviews.tsv). */
  final String teacher;

  /** The steps of demo-reviews.tsv: actor, API path, JSON body. */
  final List<String[]> reviews;

  private DemoTerm(ConsoleSite site, String teacher, List<String[]> reviews) {
    this.site = site;
    this.teacher = teacher;
    this.reviews = reviews;
  }

  static DemoTerm start(Path dir) throws Exception {
    long t0 = System.nanoTime();
    TermSimulator.simulate(SEED, END, dir);
    long t1 = System.nanoTime();
    BellwatchConfig replay = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    StoreReplay.replay(
        replay,
        SiteModel.load(replay.schedule().dir(), replay.site().timezone()),
        replay.capture().pcapFiles(),
        replay.logs().files(),
        new BellwatchMeters(new SimpleMeterRegistry()),
        e -> {});
    long t2 = System.nanoTime();
    System.out.printf(
        "demo term: simulated in %.1f s, replayed into the store in %.1f s%n",
        (t1 - t0) / 1e9, (t2 - t1) / 1e9);

    // scripts/demo's run.yaml: the agent on the term's store, no live inputs.
    Files.writeString(
        dir.resolve("run.yaml"),
        """
        site: {name: Bellwatch Middle School (simulated term), timezone: America/Los_Angeles}
        schedule: {dir: schedule}
        store: {dir: state}
        web: {port: 0}
        auth: {pbkdf2_iterations: 1000}
        """,
        StandardCharsets.UTF_8);
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("run.yaml"));
    List<String[]> steps =
        Files.readAllLines(dir.resolve("demo-reviews.tsv")).stream()
            .filter(l -> !l.isBlank())
            .map(l -> l.split("\t", 3))
            .toList();
    String teacher =
        steps.stream()
            .map(s -> s[0])
            .filter(a -> a.startsWith("teacher:"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("demo-reviews.tsv has no teacher's request"))
            .substring("teacher:".length());
    try (EventStore store = EventStore.open(cfg.store().dir(), cfg.site().timezone(), false)) {
      Instant created = Instant.parse("2026-01-01T00:00:00Z");
      for (String[] account :
          new String[][] {
            {"admin1", "admin"},
            {"coordinator1", "coordinator"},
            {"viewer1", "viewer"},
            {teacher, "teacher"}
          }) {
        store
            .console()
            .accounts()
            .put(
                new Account(
                    account[0],
                    account[1],
                    Passwords.hash(TestAccounts.PASSWORD.toCharArray(), TestAccounts.ITERATIONS),
                    false,
                    created,
                    created));
      }
    }
    // As the demo started once the last school day's classes are over.
    Instant evening = END.atTime(LocalTime.of(17, 0)).atZone(cfg.site().timezone()).toInstant();
    ConsoleSite site = ConsoleSite.started(cfg, new ShiftedClock(evening));
    for (String[] step : steps) {
      String user =
          switch (step[0]) {
            case "admin" -> "admin1";
            case "coordinator" -> "coordinator1";
            default -> {
              if (!step[0].startsWith("teacher:")) {
                throw new AssertionError("demo-reviews.tsv: no account for the actor " + step[0]);
              }
              yield step[0].substring("teacher:".length());
            }
          };
      site.client(user).postJson(step[1], step[2]);
    }
    return new DemoTerm(site, teacher, steps);
  }
}
