package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.correlate.BlockEvent;
import org.bellwatch.agent.pipeline.Agent;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in real headless Chromium (DevTools protocol): login and logout, every page with data, a
 * filter that narrows the table and the CSV that matches it, the review flow across two roles, and hostile
 * names shown as text. Screenshots of each page go to agent/target/screenshots.
 */
class ConsoleBrowserTest {
  static final String HOSTILE_DOMAIN = "<img src=x onerror=alert(1)>.example";
  static final String HOSTILE_HOST = "<img src=x onerror=alert(2)>";
  /** A user name as a filter log reports it: whatever the student typed into a proxy login. */
  static final String HOSTILE_USER = "<svg onload=alert(4)>";
  static final Path SHOTS = Path.of("target", "screenshots");
  @TempDir
  static Path dir;
  static Agent agent;
  static Chromium chromium;

  @BeforeAll
  static void start() throws Exception {
    boolean required = Boolean.getBoolean("bellwatch.browser.required");
    Assumptions.assumeTrue(required || Files.isExecutable(Chromium.executable()),
        "Chromium not installed (scripts/test installs it and makes this test required)");
    SiteFolder.write(dir);
    // Tuesday 2026-09-15 and Thursday 2026-09-17 in Los Angeles: periods 1 and 2, lunch.
    SiteFolder.write(dir.resolve("access.log"), """
        1789485000.250 5 10.0.1.20 TCP_DENIED/403 3900 CONNECT games.example.com:443 alice HIER_NONE/- text/html
        1789485300.000 5 10.0.1.30 TCP_DENIED/403 3900 CONNECT games.example.com:443 Bob HIER_NONE/- text/html
        1789488600.000 5 10.0.1.20 TCP_DENIED/403 3900 GET http://chat.example.net/ alice HIER_NONE/- text/html
        1789497600.000 5 10.0.1.21 TCP_DENIED/403 3900 GET http://chat.example.net/ - HIER_NONE/- text/html
        1789658400.000 5 10.0.1.30 TCP_DENIED/403 3900 GET http://video.example.org/ Bob HIER_NONE/- text/html
        """);
    SiteFolder.write(dir.resolve("bellwatch.yaml"), """
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
    // A DNS name and a DHCP host name are whatever the network says: markup must stay text.
    try (EventStore store = EventStore.open(cfg.store().dir(), cfg.site().timezone(), false)) {
      store.append(List.of(new BlockEvent(Instant.parse("2026-09-15T15:30:00Z"), "10.0.1.66", "aa:bb:cc:dd:ee:ff",
          HOSTILE_HOST, HOSTILE_USER, HOSTILE_DOMAIN, null, null, "squid", "proxy-deny", "RM102", "cls-bio", "Biology",
          "mr.chen", "1", true, List.of("host name <script>alert(3)</script> from DHCP"))));
    }
    agent = Agent.start(cfg, SiteModel.load(cfg.schedule().dir(), cfg.site().timezone()), Clock.systemUTC());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!agent.state().equals("running") && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    // The log is tailed after start: wait (bounded) until its five blocks are stored beside the hostile one.
    ConsoleClient admin = ConsoleClient.loggedIn("http://127.0.0.1:" + agent.port(), "admin1", TestAccounts.PASSWORD);
    while (System.nanoTime() < deadline
        && new com.fasterxml.jackson.databind.ObjectMapper().readTree(admin.get("/api/v1/blocks").body())
            .get("total").asInt() < 6) {
      Thread.sleep(20);
    }
    chromium = Chromium.launch(Files.createTempDirectory(dir, "chromium"));
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (agent != null) {
      agent.close();
    }
  }

  static String base() {
    return "http://127.0.0.1:" + agent.port();
  }

  static Chromium.Page loggedIn(String username) throws Exception {
    return loggedIn(username, 1280, 900);
  }

  static Chromium.Page loggedIn(String username, int width, int height) throws Exception {
    Chromium.Page page = chromium.open(width, height);
    page.go(base() + "/");
    page.waitFor("!document.getElementById('login').hidden");
    page.type("#username", username);
    page.type("#password", TestAccounts.PASSWORD);
    page.click("#login-form button[type=submit]");
    page.waitFor("document.getElementById('who-name').textContent === '" + username + " (" + username.replace("1", "") + ")'");
    return page;
  }

  static void show(Chromium.Page page, String hash, String ready) throws Exception {
    page.eval("location.hash = '" + hash + "'");
    page.waitFor(ready);
  }

  @Test
  void anAdminLogsInSeesTheOverviewAndAfterLogoutTheApiRefusesTheOldSession() throws Exception {
    Chromium.Page page = chromium.open(1280, 900);
    page.go(base() + "/");
    page.waitFor("!document.getElementById('login').hidden");
    page.screenshot(SHOTS.resolve("login.png"));
    page.type("#username", "admin1");
    page.type("#password", "not the password");
    page.click("#login-form button[type=submit]");
    page.waitFor("document.getElementById('login-status').textContent.startsWith('Wrong')");
    assertThat(page.text("document.getElementById('login-status').textContent"))
        .isEqualTo("Wrong username or password, or the account is disabled.");
    page.type("#password", TestAccounts.PASSWORD);
    page.click("#login-form button[type=submit]");
    page.waitFor("document.querySelector('table.top-domains')");
    assertThat(page.text("document.getElementById('site').textContent")).isEqualTo("Test School · America/Los_Angeles");
    assertThat(page.eval("document.cookie").asText()).as("the session cookie is HttpOnly").isEmpty();

    page.click("#logout");
    page.waitFor("!document.getElementById('login').hidden");
    assertThat(page.text("document.getElementById('login-status').textContent")).isEqualTo("You are logged out.");
    assertThat(page.eval("fetch('/api/v1/auth/session').then(r => r.status)").asInt()).isEqualTo(401);
    assertThat(page.text("document.getElementById('view').textContent")).isEmpty();
  }

  @Test
  void everyPageRendersWithDataAndIsScreenshotted() throws Exception {
    Chromium.Page page = loggedIn("admin1");
    page.waitFor("document.querySelector('table.top-domains')");
    // Today is after the sample week: the overview says so and shows the latest week with data.
    assertThat(page.text("document.querySelector('.note').textContent")).isEqualTo("No blocks this week yet: showing the week of Mon, Sep 14, 2026, the latest with data.");
    assertThat(page.text("[...document.querySelectorAll('table.top-domains tbody tr')].map(r => r.cells[0].textContent).join('|')"))
        .isEqualTo("games.example.com|" + HOSTILE_DOMAIN + "|chat.example.net|video.example.org");
    assertThat(page.text("[...document.querySelectorAll('table.heatmap thead th')].map(t => t.textContent).join(' ')"))
        .isEqualTo("Period Mon Tue Wed Thu Fri");
    assertThat(page.text("[...document.querySelectorAll('table.heatmap tbody tr')].map(r => [...r.cells]"
        + ".map(c => c.textContent).join(' ')).join(' | ')")).isEqualTo("1 0 3 0 1 0 | 2 0 1 0 0 0");
    page.screenshot(SHOTS.resolve("overview.png"));

    show(page, "#/blocks?instructional=all", "document.querySelector('#blocks tbody tr')");
    assertThat(page.eval("document.querySelectorAll('#view h2').length").asInt()).as("one page at a time").isEqualTo(1);
    page.screenshot(SHOTS.resolve("blocks.png"));
    show(page, "#/domain/games.example.com", "document.querySelector('table.blocks tbody tr')");
    assertThat(page.text("document.getElementById('page-title').textContent")).isEqualTo("games.example.com");
    page.screenshot(SHOTS.resolve("domain.png"));
    show(page, "#/section/cls-alg", "document.querySelector('main table tbody tr')");
    assertThat(page.text("document.querySelector('main table tbody tr').cells[0].textContent")).isEqualTo("games.example.com");
    page.screenshot(SHOTS.resolve("section.png"));
    show(page, "#/report?month=2026-09", "document.querySelectorAll('main table').length >= 1 && document.querySelector('.stat-value')");
    assertThat(page.text("document.querySelector('.stat-value').textContent")).isEqualTo("5");
    page.screenshot(SHOTS.resolve("report.png"));
    show(page, "#/status", "document.querySelector('table.status-table')");
    assertThat(page.text("document.querySelector('table.status-table tbody tr').textContent"))
        .isEqualTo("Filter log lines read5bellwatch_logs_lines_total");
    page.screenshot(SHOTS.resolve("status.png"));
    show(page, "#/settings", "document.getElementById('add-account')");
    assertThat(page.text("[...document.querySelectorAll('main table')[0].tBodies[0].rows].map(r => r.cells[0].textContent).join(' ')"))
        .isEqualTo("admin1 coordinator1 ms.rivera viewer1");
    page.screenshot(SHOTS.resolve("settings.png"));
    show(page, "#/review", "document.querySelector('main .empty, table.reviews')");
    page.screenshot(SHOTS.resolve("review-list.png"));
    assertThat(page.dialogs()).isEmpty();
  }

  @Test
  void aViewerSeesAggregatesButNoBlocksPage() throws Exception {
    Chromium.Page page = loggedIn("viewer1");
    page.waitFor("document.querySelector('table.top-domains')");
    assertThat(page.eval("document.querySelector('#nav li[data-role=coordinator]').hidden").asBoolean()).isTrue();
    show(page, "#/blocks", "document.getElementById('status').textContent.includes('role')");
    assertThat(page.text("document.getElementById('status').textContent"))
        .isEqualTo("Your role cannot open this page. Ask an admin if you need it.");
  }

  @Test
  void aFilterNarrowsTheTableAndTheCsvExportHasTheSameRows() throws Exception {
    Chromium.Page page = loggedIn("coordinator1");
    show(page, "#/blocks?instructional=all", "document.querySelector('#blocks tbody tr')");
    assertThat(page.eval("document.querySelectorAll('#blocks tbody tr').length").asInt()).isEqualTo(6);
    page.type("#f-domain", "chat.example.net");
    page.click("form.filters button[type=submit]");
    page.waitFor("document.querySelectorAll('#blocks tbody tr').length === 2");
    assertThat(page.text("[...document.querySelectorAll('#blocks tbody tr')].map(r => r.cells[1].textContent).join(' ')"))
        .isEqualTo("chat.example.net chat.example.net");
    assertThat(page.text("document.getElementById('blocks-count').textContent")).isEqualTo("2 of 2 blocked attempts");
    // Coordinators do not see student usernames (privacy.usernames_visible_to defaults to admin).
    assertThat(page.text("[...document.querySelectorAll('#blocks tbody tr')].map(r => r.cells[3].textContent).join(' ')"))
        .isEqualTo("— —");
    String csv = page.text("fetch(document.querySelector('a[download]').href).then(r => r.text())");
    List<String> lines = List.of(csv.split("\r\n"));
    assertThat(lines).hasSize(3);
    assertThat(lines.subList(1, 3)).allSatisfy(l -> assertThat(l).contains(",chat.example.net,"));

    page.click("#blocks thead th:nth-child(1) button");
    page.waitFor("document.querySelector('#blocks thead th').getAttribute('aria-sort') === 'ascending'");
    page.screenshot(SHOTS.resolve("blocks-filtered.png"));
  }

  @Test
  void aCoordinatorAsksForASiteAndTheAdminsAnswerShowsOnBothSides() throws Exception {
    Chromium.Page coordinator = loggedIn("coordinator1");
    show(coordinator, "#/domain/video.example.org", "document.getElementById('request-form')");
    assertThat(coordinator.eval("document.getElementById('decision-form')").isNull()).isTrue();
    coordinator.type("#req-note", "Biology watches the cell division video in period 1");
    coordinator.click("#request-form input[name=sections]");
    coordinator.click("#request-form button[type=submit]");
    coordinator.waitFor("document.querySelector('ol.history li')");
    assertThat(coordinator.text("document.querySelector('ol.history li').textContent"))
        .startsWith("Requested by coordinator1 (coordinator), ")
        .endsWith("Biology watches the cell division video in period 1Sections: cls-bio");

    Chromium.Page admin = loggedIn("admin1");
    show(admin, "#/review?status=requested", "document.querySelector('table.reviews tbody tr')");
    assertThat(admin.text("document.querySelector('table.reviews tbody tr').cells[0].textContent")).isEqualTo("video.example.org");
    admin.click("table.reviews tbody tr a");
    admin.waitFor("document.getElementById('decision-form')");
    admin.eval("document.getElementById('dec-decision').value = 'kept_blocked'");
    admin.type("#dec-note", "Streams unfiltered comments; use the copy on the LMS");
    admin.click("#decision-form button[type=submit]");
    admin.waitFor("document.querySelectorAll('ol.history li').length === 2");
    admin.screenshot(SHOTS.resolve("review.png"));

    show(coordinator, "#/review", "document.querySelector('table.reviews tbody tr')");
    assertThat(coordinator.text("document.querySelector('table.reviews tbody tr').cells[1].textContent")).isEqualTo("Kept blocked");
    show(coordinator, "#/domain/video.example.org", "document.querySelectorAll('ol.history li').length === 2");
    assertThat(coordinator.text("document.querySelectorAll('ol.history li')[1].textContent"))
        .startsWith("Kept blocked by admin1 (admin), ").endsWith("Streams unfiltered comments; use the copy on the LMS");
  }

  @Test
  void aHostileDomainHostNameUserAndEvidenceAreShownAsTextAndRunNoScript() throws Exception {
    Chromium.Page page = loggedIn("admin1");
    show(page, "#/blocks?instructional=true", "document.querySelector('#blocks tbody tr')");
    List<String> cells = new ArrayList<>();
    JsonNode rows = page.eval("[...document.querySelectorAll('#blocks tbody tr')].filter(r => r.cells[1].textContent.startsWith('<'))"
        + ".map(r => [r.cells[1].textContent, r.cells[2].textContent, r.cells[3].textContent, r.cells[9].textContent])");
    rows.get(0).forEach(n -> cells.add(n.asText()));
    assertThat(cells).containsExactly(HOSTILE_DOMAIN, HOSTILE_HOST, HOSTILE_USER, "1 stepshost name <script>alert(3)</script> from DHCP");
    assertThat(page.eval("document.querySelectorAll('img, script:not([src]), [onload], [onerror]').length").asInt()).isZero();
    page.screenshot(SHOTS.resolve("hostile-blocks.png"));

    page.click("#blocks tbody tr td:nth-child(2) a[href*='img']");
    page.waitFor("document.getElementById('page-title')?.textContent === " + new com.fasterxml.jackson.databind.ObjectMapper()
        .writeValueAsString(HOSTILE_DOMAIN));
    page.waitFor("document.querySelector('table.blocks tbody tr')");
    assertThat(page.eval("document.querySelectorAll('img, script:not([src]), [onload], [onerror]').length").asInt()).isZero();
    page.screenshot(SHOTS.resolve("hostile-domain.png"));
    assertThat(page.dialogs()).isEmpty();
  }

  @Test
  void atTabletWidthTheBlocksPageFitsWithoutSidewaysScrolling() throws Exception {
    Chromium.Page page = loggedIn("admin1", 768, 1024);
    show(page, "#/blocks?instructional=all", "document.querySelector('#blocks tbody tr')");
    assertThat(page.eval("document.documentElement.scrollWidth <= 768").asBoolean()).isTrue();
    page.screenshot(SHOTS.resolve("blocks-tablet.png"));
    show(page, "#/overview", "document.querySelector('table.heatmap')");
    assertThat(page.eval("document.documentElement.scrollWidth <= 768").asBoolean()).isTrue();
    page.screenshot(SHOTS.resolve("overview-tablet.png"));
  }
}
