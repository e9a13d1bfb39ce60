package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bellwatch.agent.access.Account;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.pipeline.Agent;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.testing.ShiftedClock;
import org.bellwatch.agent.testing.SiteFolder;

/**
 * The school the console browser tests look at: SiteFolder's roster plus a second Biology section
 * of mr.chen's (the same course and teacher, another period and room: labels must tell them apart),
 * rooms' networks, a Squid log of five blocks in the week of 2026-09-14 and three blocks stored
 * directly (a hostile name, mr.chen blocked while teaching the second Biology section, a device in
 * no roster room). The agent's clock reads Monday 2026-09-21 08:00 in Los Angeles (the week after),
 * and tests may move it. Accounts: admin1, coordinator1, viewer1, and mr.chen with the teacher role
 * (linked to the roster's teacher of that name).
 */
final class ConsoleSite implements AutoCloseable {
  static final String HOSTILE_DOMAIN = "<img src=x onerror=alert(1)>.example";
  static final String HOSTILE_HOST = "<img src=x onerror=alert(2)>";

  /** A user name as a filter log reports it: whatever the student typed into a proxy login. */
  static final String HOSTILE_USER = "<svg onload=alert(4)>";

  static final Instant MONDAY_AFTER = Instant.parse("2026-09-21T15:00:00Z");
  static final int BLOCKS = 8;
  static final Path SHOTS = Path.of("target", "screenshots");

  /** The README's screenshots, written by the test run (see README "Using it"). */
  static final Path DOC_SHOTS = Path.of("..", "docs", "screenshots");

  private static final ObjectMapper M = new ObjectMapper();

  final Agent agent;
  final ShiftedClock clock;
  final String axe;

  private ConsoleSite(Agent agent, ShiftedClock clock, String axe) {
    this.agent = agent;
    this.clock = clock;
    this.axe = axe;
  }

  static ConsoleSite start(Path dir) throws Exception {
    SiteFolder.write(dir);
    Path roster = dir.resolve("oneroster");
    Files.writeString(
        roster.resolve("classes.csv"),
        Files.readString(roster.resolve("classes.csv"))
            + "Biology - 2,cls-bio2,active,crs-bio,RM103,2,sy-2026,x\n");
    Files.writeString(
        roster.resolve("enrollments.csv"),
        Files.readString(roster.resolve("enrollments.csv"))
            + "e7,active,cls-bio2,t2,teacher,true\n");
    SiteFolder.write(
        dir.resolve("networks.csv"), "cidr,room\n10.0.2.0/24,RM102\n10.0.3.0/24,RM103\n");
    // Tuesday 2026-09-15 and Thursday 2026-09-17 in Los Angeles: periods 1 and 2, lunch.
    SiteFolder.write(
        dir.resolve("access.log"),
        """
        1789485000.250 5 10.0.1.20 TCP_DENIED/403 3900 CONNECT games.example.com:443 alice HIER_NONE/- text/html
        1789485300.000 5 10.0.1.30 TCP_DENIED/403 3900 CONNECT games.example.com:443 Bob HIER_NONE/- text/html
        1789488600.000 5 10.0.1.20 TCP_DENIED/403 3900 GET http://chat.example.net/ alice HIER_NONE/- text/html
        1789497600.000 5 10.0.1.21 TCP_DENIED/403 3900 GET http://chat.example.net/ - HIER_NONE/- text/html
        1789658400.000 5 10.0.1.30 TCP_DENIED/403 3900 GET http://video.example.org/ Bob HIER_NONE/- text/html
        """);
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        """
        site: {name: Test School, timezone: America/Los_Angeles}
        schedule: {dir: .}
        logs:
          files:
            - {vendor: squid, path: access.log}
        store: {dir: store}
        web: {port: 0}
        auth: {pbkdf2_iterations: 1000}
        """);
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    TestAccounts.write(cfg.store().dir(), cfg.site().timezone());
    try (EventStore store = EventStore.open(cfg.store().dir(), cfg.site().timezone(), false)) {
      Instant created = Instant.parse("2026-01-01T00:00:00Z");
      store
          .console()
          .accounts()
          .put(
              new Account(
                  "mr.chen",
                  "teacher",
                  Passwords.hash(TestAccounts.PASSWORD.toCharArray(), TestAccounts.ITERATIONS),
                  false,
                  created,
                  created));
      store.append(
          List.of(
              // A DNS name and a DHCP host name are whatever the network says: markup must stay
              // text.
              new BlockEvent(
                  Instant.parse("2026-09-15T15:30:00Z"),
                  "10.0.1.66",
                  "aa:bb:cc:dd:ee:ff",
                  HOSTILE_HOST,
                  HOSTILE_USER,
                  HOSTILE_DOMAIN,
                  null,
                  null,
                  "squid",
                  "proxy-deny",
                  "RM102",
                  "cls-bio",
                  "Biology",
                  "mr.chen",
                  "1",
                  true,
                  List.of("host name <script>alert(3)</script> from DHCP")),
              new BlockEvent(
                  Instant.parse("2026-09-16T15:10:00Z"),
                  "10.0.9.9",
                  null,
                  null,
                  null,
                  "puzzles.example.com",
                  null,
                  "games",
                  "dns",
                  "dns-sinkhole",
                  null,
                  null,
                  null,
                  null,
                  "1",
                  true,
                  List.of(
                      "dns: 10.0.9.9 asked puzzles.example.com, sinkholed",
                      "dhcp: no lease known for 10.0.9.9 at 2026-09-16T15:10:00Z",
                      "schedule: 2026-09-16 runs 'minimum', period 1 08:00-08:30 America/Los_Angeles",
                      "room unknown: the time is inside an instructional period")),
              // mr.chen's own laptop (devices.csv owner) while he teaches his second Biology
              // section.
              new BlockEvent(
                  Instant.parse("2026-09-17T16:00:00Z"),
                  "10.0.3.15",
                  "02:00:00:00:03:0f",
                  "RM103-CB04",
                  null,
                  "video.example.org",
                  "http://video.example.org/",
                  "video",
                  "squid",
                  "proxy-deny",
                  "RM103",
                  "cls-bio2",
                  "Biology",
                  "mr.chen",
                  "2",
                  true,
                  true,
                  List.of(
                      "room: networks.csv puts 10.0.3.15 in RM103",
                      "schedule: 2026-09-17 runs 'regular', period 2 08:55-09:45 America/Los_Angeles",
                      "owner: devices.csv assigns 02:00:00:00:03:0f to mr.chen",
                      "section: devices.csv owner mr.chen teaches cls-bio2 (Biology (Period 2, RM103)) in session"
                          + " 08:55-09:45; blocked while teaching"))));
    }
    ConsoleSite site = started(cfg, new ShiftedClock(MONDAY_AFTER));
    // The log is tailed after start: wait (bounded) until its five blocks are stored beside the
    // three others.
    ConsoleClient admin = site.client("admin1");
    await("the log's blocks stored")
        .atMost(Duration.ofSeconds(30))
        .until(() -> M.readTree(admin.get("/api/v1/blocks").body()).get("total").asInt() >= BLOCKS);
    return site;
  }

  /** Starts the agent of {@code cfg} at {@code clock}'s time and waits (bounded) until it runs. */
  static ConsoleSite started(BellwatchConfig cfg, ShiftedClock clock) throws Exception {
    Agent agent =
        Agent.start(cfg, SiteModel.load(cfg.schedule().dir(), cfg.site().timezone()), clock);
    await("the agent running")
        .atMost(Duration.ofSeconds(30))
        .until(() -> agent.state().equals("running"));
    return new ConsoleSite(agent, clock, axe());
  }

  /** axe-core, vendored in the test resources. */
  static String axe() throws IOException {
    try (InputStream in = ConsoleSite.class.getResourceAsStream("/axe-core/axe.min.js")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  String base() {
    return "http://127.0.0.1:" + agent.port();
  }

  ConsoleClient client(String username) throws Exception {
    return ConsoleClient.loggedIn(base(), username, TestAccounts.PASSWORD);
  }

  Chromium.Page loggedIn(Chromium chromium, String username) throws Exception {
    return loggedIn(chromium, username, 1280, 900);
  }

  Chromium.Page loggedIn(Chromium chromium, String username, int width, int height)
      throws Exception {
    Chromium.Page page = chromium.open(width, height);
    page.go(base() + "/");
    page.waitFor("!document.getElementById('login').hidden");
    page.type("#username", username);
    page.type("#password", TestAccounts.PASSWORD);
    page.click("#login-form button[type=submit]");
    page.waitFor(
        "!document.getElementById('who').hidden && !document.getElementById('view').hasAttribute('aria-busy')"
            + " && document.getElementById('page-title')");
    return page;
  }

  /**
   * Opens a page by its hash and waits until it has rendered (its own container replaced the last
   * one and nothing is loading), then until {@code ready} holds.
   */
  static void show(Chromium.Page page, String hash, String ready) throws Exception {
    page.eval(
        "window.lastView = document.getElementById('view').firstChild; location.hash = "
            + M.writeValueAsString(hash));
    page.waitFor(
        "document.getElementById('view').firstChild !== window.lastView"
            + " && !document.getElementById('view').hasAttribute('aria-busy')");
    page.waitFor(ready);
  }

  /**
   * Visible words that mean a value went missing on its way to the screen, or a count nobody says
   * (regression: a request filed today read "waiting 0 days" on the queue and the meeting report).
   */
  static final String BROKEN_TEXT = "/\\b(null|undefined|NaN|Invalid Date|0 days)\\b/";

  /**
   * What every page must be: no visible null / undefined / NaN / Invalid Date; every chart with
   * data, a canvas with both axes drawn and its table; every table with rows, every empty state
   * with words; no error in the status line; no console error or CSP violation; no serious or
   * critical axe-core violation; then a screenshot.
   */
  void check(Chromium.Page page, String shot) throws Exception {
    check(page, shot, true);
  }

  /** {@link #check(Chromium.Page, String)}, with or without the (slow) accessibility run. */
  void check(Chromium.Page page, String shot, boolean accessibility) throws Exception {
    check(page, shot, accessibility ? axe : null);
  }

  /**
   * {@link #check(Chromium.Page, String)} of any console (a site's or a hub's); axe-core runs when
   * given.
   */
  static void check(Chromium.Page page, String shot, String axe) throws Exception {
    assertThat(page.text("(document.body.innerText.match(" + BROKEN_TEXT + ") || [''])[0]"))
        .as("broken text on %s: %s", shot, page.text("document.body.innerText"))
        .isEmpty();
    JsonNode charts =
        page.eval(
            "[...document.querySelectorAll('figure.chart')].map((f) => ({total: Number(f.dataset.total),"
                + " canvas: !!f.querySelector('canvas'), rows: f.querySelectorAll('tbody tr').length, axes: f.dataset.axes,"
                + " inked: "
                + INKED_MARGINS
                + "(f.querySelector('canvas'))}))");
    charts.forEach(
        c -> {
          assertThat(
                  c.get("total").asInt() > 0
                      && c.get("canvas").asBoolean()
                      && c.get("rows").asInt() > 0)
              .as("a chart on %s has data, a canvas and a table: %s", shot, c)
              .isTrue();
          assertThat(c.get("axes").asText())
              .as("axis labels of a chart on %s", shot)
              .matches("\\S.* \\| \\S.*");
          assertThat(c.get("inked").toString())
              .as("a chart on %s has its y axis (left) and x axis (bottom) drawn", shot)
              .isEqualTo("[true,true]");
        });
    assertThat(
            page.text(
                "[...document.querySelectorAll('#view table')].filter((t) => !t.querySelector('tbody tr'))"
                    + ".map((t) => t.caption?.textContent || t.className).join(' | ')"))
        .as("tables without rows on %s", shot)
        .isEmpty();
    assertThat(
            page.eval(
                    "[...document.querySelectorAll('#view .empty')].every((e) => e.textContent.trim().length > 20)")
                .asBoolean())
        .as("every empty state on %s says why", shot)
        .isTrue();
    assertThat(page.text("document.getElementById('status').textContent"))
        .as("status line of %s", shot)
        .isEmpty();
    assertThat(faults(page)).as("console errors and CSP violations on %s", shot).isEmpty();
    if (axe != null) {
      assertThat(page.axeViolations(axe)).as("axe-core on %s", shot).isEmpty();
    }
    page.screenshot(SHOTS.resolve(shot + ".png"));
  }

  /**
   * The page's console errors and CSP violations since the last look, but for the API's refusals
   * ({@link #answered}).
   */
  static List<String> faults(Chromium.Page page) throws Exception {
    return page.problems().stream().filter(p -> !answered(p)).toList();
  }

  /**
   * Whether a console line is Chromium's note of an API request answered 401, 403 or 404: the API's
   * way of saying "log in", "not for your role" or "none" (no review yet), which the page shows in
   * words and the checks above see. Any other failed load, script error or CSP refusal is a fault.
   */
  static boolean answered(String problem) {
    return problem.matches(
        "network: Failed to load resource: the server responded with a status of 40[134] .* https?://[^/]+/api/v1/.*");
  }

  /**
   * Whether the canvas has ink along its left edge (the y axis' labels and ticks) and its bottom
   * edge (the x axis'): uPlot draws axes on the canvas, so the pixels are where to look.
   */
  private static final String INKED_MARGINS =
      """
      ((c) => { if (!c) return [false, false]; const g = c.getContext('2d'), w = c.width, h = c.height;
        const inked = (x, y, cw, ch) => g.getImageData(x, y, cw, ch).data.some((v, i) => i % 4 === 3 && v > 0);
        return [inked(0, 0, Math.min(60, w), h - 60), inked(60, h - 50, w - 60, 50)]; })""";

  /** Copies a screenshot the test run took to the README's folder. */
  static void publish(String shot, String name) throws IOException {
    Files.createDirectories(DOC_SHOTS);
    Files.copy(
        SHOTS.resolve(shot + ".png"),
        DOC_SHOTS.resolve(name),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    agent.close();
  }
}
