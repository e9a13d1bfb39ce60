package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwatch.agent.web.ConsoleSite.HOSTILE_DOMAIN;
import static org.bellwatch.agent.web.ConsoleSite.HOSTILE_HOST;
import static org.bellwatch.agent.web.ConsoleSite.HOSTILE_USER;
import static org.bellwatch.agent.web.ConsoleSite.SHOTS;
import static org.bellwatch.agent.web.ConsoleSite.show;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in real headless Chromium (DevTools protocol) on a small test school whose every
 * block is known: time navigation, people and sections by name, the filters and CSV, hostile names
 * shown as text, and one regression test per bug of issue 15. Every page as every role on the
 * demo's term is ConsoleDemoTermBrowserTest; the unblock loop and the meeting report's PDF are in
 * ConsoleUnblockLoopBrowserTest.
 */
class ConsoleBrowserTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static final String WEEK = "Week of Mon, Sep 14 – Fri, Sep 18, 2026, America/Los_Angeles";
  @TempDir static Path dir;
  static ConsoleSite site;
  static Chromium chromium;

  @BeforeAll
  static void start() throws Exception {
    Chromium.assumeAvailable();
    site = ConsoleSite.start(dir);
    chromium = Chromium.launch(Files.createTempDirectory(dir, "chromium"));
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (site != null) {
      site.close();
    }
  }

  static Chromium.Page loggedIn(String username) throws Exception {
    return site.loggedIn(chromium, username);
  }

  static String cells(Chromium.Page page, String tableSelector) throws Exception {
    return page.text(
        "[...document.querySelectorAll("
            + M.writeValueAsString(tableSelector + " tbody tr")
            + ")]"
            + ".map((r) => [...r.cells].map((c) => c.textContent).join('|')).join('\\n')");
  }

  @BrowserTest
  void anAdminLogsInLandsOnTheDecisionQueueAndAfterLogoutTheApiRefusesTheOldSession()
      throws Exception {
    Chromium.Page page = chromium.open(1280, 900);
    page.go(site.base() + "/");
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
    page.waitFor("document.querySelector('table.queue')");
    assertThat(page.text("document.querySelector('#nav a[aria-current=page]').textContent"))
        .isEqualTo("Decision queue");
    assertThat(page.text("document.getElementById('site').textContent"))
        .isEqualTo("Test School · America/Los_Angeles");
    assertThat(page.eval("document.cookie").asText())
        .as("the session cookie is HttpOnly")
        .isEmpty();

    page.click("#logout");
    page.waitFor("!document.getElementById('login').hidden");
    assertThat(page.text("document.getElementById('login-status').textContent"))
        .isEqualTo("You are logged out.");
    assertThat(page.eval("fetch('/api/v1/auth/session').then(r => r.status)").asInt())
        .isEqualTo(401);
    assertThat(page.text("document.getElementById('view').textContent")).isEmpty();
  }

  @BrowserTest
  void theOverviewOpensOnTheLatestWeekWithDataSaysWhichWeekAndStepsToOthers() throws Exception {
    Chromium.Page page = loggedIn("coordinator1");
    show(page, "#/overview", "document.querySelector('table.top-domains')");
    assertThat(page.text("document.getElementById('range-label').textContent"))
        .isEqualTo("Showing: " + WEEK);
    assertThat(page.text("document.querySelector('.cards').textContent"))
        .doesNotContain("this week");
    assertThat(
            page.text(
                "[...document.querySelectorAll('.stat-value')].map((e) => e.textContent).join(' ')"))
        .isEqualTo("7 5 4 8");
    assertThat(
            page.text(
                "[...document.querySelectorAll('table.top-domains tbody tr')].map(r => r.cells[0].querySelector('a').textContent).join('|')"))
        .isEqualTo(
            "games.example.com|video.example.org|"
                + HOSTILE_DOMAIN
                + "|chat.example.net|puzzles.example.com");
    assertThat(
            page.text(
                "[...document.querySelectorAll('table.heatmap thead th')].map(t => t.textContent).join(' ')"))
        .isEqualTo("Period Mon Tue Wed Thu Fri");
    assertThat(
            page.text(
                "[...document.querySelectorAll('table.heatmap tbody tr')].map(r => [...r.cells]"
                    + ".map(c => c.textContent).join(' ')).join(' | ')"))
        .isEqualTo("1 0 3 1 1 0 | 2 0 1 0 1 0");
    site.check(page, "overview");

    page.click("a[rel=prev]");
    page.waitFor(
        "document.getElementById('range-label')?.textContent === 'Showing: Week of Mon, Sep 7 – Fri, Sep 11, 2026, America/Los_Angeles'"
            + " && !document.getElementById('view').hasAttribute('aria-busy')");
    assertThat(page.text("document.querySelector('.stat-value').textContent")).isEqualTo("0");
    assertThat(page.eval("document.querySelector('figure.chart')").isNull())
        .as("no chart without data")
        .isTrue();
    page.click("#range-latest");
    page.waitFor(
        "document.getElementById('range-label')?.textContent === 'Showing: "
            + WEEK
            + "'"
            + " && !document.getElementById('view').hasAttribute('aria-busy') && document.querySelector('table.top-domains')");
    page.click(".spans a[href*='span=month']");
    page.waitFor(
        "document.getElementById('range-label')?.textContent === 'Showing: September 2026, America/Los_Angeles'");
    page.click(".spans a[href*='span=term']");
    page.waitFor(
        "document.getElementById('range-label')?.textContent === 'Showing: 2026-27 (school year), Aug 17, 2026 – Jun 11, 2027, America/Los_Angeles'");
    assertThat(page.text("location.hash")).contains("span=term");
  }

  @BrowserTest
  void theStatusPageListsEachInputWithItsStateAndProblem() throws Exception {
    Chromium.Page page = loggedIn("admin1");
    show(page, "#/status", "document.querySelector('table.sources-table tbody tr')");
    assertThat(
            page.text(
                "[...document.querySelectorAll('table.sources-table tbody tr')].map((r) =>"
                    + " [r.cells[0], r.cells[1], r.cells[3]].map((c) => c.textContent).join('|'))"
                    + ".join('\\n')"))
        .isEqualTo("logs:squid|receiving|none");
    assertThat(page.text("document.querySelector('table.sources-table caption').textContent"))
        .isEqualTo("Inputs and outputs");
    site.check(page, "status");
  }

  @BrowserTest
  void theOverviewTrendsAllColumnCountsBlocksOutsideClassToo() throws Exception {
    Chromium.Page page = loggedIn("viewer1");
    show(page, "#/overview?span=week&at=2026-09-15", "document.querySelector('figure.chart')");
    // Tuesday: four blocks during class and one at lunch.
    assertThat(cells(page, "figure.chart details table"))
        .isEqualTo(
            """
        Mon, Sep 14|0|0
        Tue, Sep 15|5|4
        Wed, Sep 16|1|1
        Thu, Sep 17|2|2
        Fri, Sep 18|0|0""");
  }

  @BrowserTest
  void chartsHaveLabelledAxesAndASingleDayIsChartedByBellPeriod() throws Exception {
    Chromium.Page page = loggedIn("admin1");
    show(
        page,
        "#/overview?span=week&at=2026-09-15",
        "document.querySelector('figure.chart canvas')");
    // uPlot draws the axes on the canvas: the figure carries the labels it was given.
    assertThat(page.text("document.querySelector('figure.chart').dataset.axes"))
        .isEqualTo("Day (America/Los_Angeles) | Blocked attempts");
    assertThat(page.text("document.querySelector('figure.chart').dataset.bars")).isEqualTo("5");
    show(
        page, "#/overview?span=day&at=2026-09-15", "document.querySelector('figure.chart canvas')");
    assertThat(page.text("document.getElementById('range-label').textContent"))
        .isEqualTo("Showing: Tuesday, September 15, 2026, America/Los_Angeles");
    assertThat(page.text("document.querySelector('figure.chart').dataset.axes"))
        .isEqualTo("Bell period (America/Los_Angeles) | Blocked attempts");
    assertThat(cells(page, "figure.chart details table"))
        .isEqualTo("Period 1|3|3\nPeriod 2|1|1\nLunch|1|0");
    assertThat(page.text("document.querySelector('figure.chart').dataset.bars")).isEqualTo("3");
    site.check(page, "overview-day");

    // A site blocked on one day of the week: one bar among five days, not a box across the plot.
    show(
        page,
        "#/domain/puzzles.example.com?span=week&at=2026-09-16",
        "document.querySelector('figure.chart canvas')");
    assertThat(page.text("document.querySelector('figure.chart').dataset.bars")).isEqualTo("5");
    double widest =
        page.eval(
                """
        (() => { const c = document.querySelector('figure.chart canvas'), g = c.getContext('2d');
          const px = g.getImageData(0, 0, c.width, c.height).data; let widest = 0;
          for (let y = 0; y < c.height; y++) { let n = 0;
            for (let x = 0; x < c.width; x++) { const i = (y * c.width + x) * 4;
              if (Math.abs(px[i] - 11) < 8 && Math.abs(px[i + 1] - 92) < 8 && Math.abs(px[i + 2] - 173) < 8) n++; }
            widest = Math.max(widest, n / c.width); }
          return widest; })()""")
            .asDouble();
    assertThat(widest)
        .as("share of the plot's width one day's bar covers")
        .isGreaterThan(0)
        .isLessThan(0.1);
  }

  @BrowserTest
  void theMeetingReportOpensOnTheMonthWithData() throws Exception {
    Chromium.Page page = loggedIn("viewer1");
    show(page, "#/report", "document.querySelector('.stat-value')");
    assertThat(page.text("document.getElementById('page-title').textContent"))
        .isEqualTo("Meeting report: September 2026");
    assertThat(page.text("document.querySelector('.stat-value').textContent")).isEqualTo("7");
  }

  @BrowserTest
  void aSiteBlockedDuringClassWithNoSectionOrRoomSaysWhy() throws Exception {
    Chromium.Page admin = loggedIn("admin1");
    show(admin, "#/overview", "document.querySelector('table.top-domains .why')");
    assertThat(
            admin.text(
                "[...document.querySelectorAll('table.top-domains tbody tr')].find((r) => r.textContent.includes('puzzles'))"
                    + ".querySelector('.why').textContent"))
        .isEqualTo(
            "Why no class or room: room unknown (the device is in no roster room and no user"
                + " was logged); it counts as during class because it fell in a class period.Evidence: dhcp: no lease known for 10.0.9.9 at"
                + " 2026-09-16T15:10:00Z");
    assertThat(admin.eval("document.querySelectorAll('table.top-domains .why').length").asInt())
        .as("only that site")
        .isEqualTo(1);
    Chromium.Page viewer = loggedIn("viewer1");
    show(
        viewer,
        "#/domain/puzzles.example.com?span=week&at=2026-09-16",
        "document.querySelector('.why')");
    assertThat(viewer.text("document.querySelector('.why').textContent"))
        .startsWith("Why no class or room: room unknown")
        .doesNotContain("Evidence");
  }

  @BrowserTest
  void theSectionAndSettingsPagesShowNoNullUnderTheirTitle() throws Exception {
    Chromium.Page page = loggedIn("admin1");
    for (String hash : List.of("#/section/cls-bio", "#/settings")) {
      show(page, hash, "document.querySelector('main form, main table')");
      assertThat(page.text("document.getElementById('view').firstChild.textContent"))
          .doesNotContain("null");
      assertThat(page.text("document.getElementById('page-title').nextSibling.textContent"))
          .isNotEqualTo("null");
    }
  }

  @BrowserTest
  void peopleAndSectionsAreShownByNameWithTheirIdsInTooltipsAndExports() throws Exception {
    Chromium.Page page = loggedIn("admin1");
    show(
        page,
        "#/blocks?span=week&at=2026-09-15&instructional=all&domain=games.example.com",
        "document.querySelector('#blocks tbody tr')");
    JsonNode alice =
        page.eval(
            "(() => { const r = [...document.querySelectorAll('#blocks tbody tr')].find((x) => x.cells[3].textContent"
                + " === 'Alice A'); const u = r.cells[3].firstChild, c = r.cells[5].querySelector('a'), t = r.cells[5].querySelector('.sub');"
                + " return [u.title, c.textContent, c.title, t.textContent, t.title]; })()");
    assertThat(alice.toString())
        .isEqualTo(
            "[\"alice\",\"Algebra I, Part A (Period 1, RM101)\",\"cls-alg\",\"Ana Rivera\",\"ms.rivera\"]");
    String csv = page.text("fetch(document.querySelector('a[download]').href).then(r => r.text())");
    assertThat(csv).contains(",alice,").contains(",cls-alg,");
    show(page, "#/section/cls-bio", "document.querySelector('.section-facts')");
    assertThat(page.text("document.getElementById('page-title').textContent"))
        .isEqualTo("Biology (Period 1, 2, RM102)");
    assertThat(page.text("document.querySelector('.section-facts').textContent"))
        .startsWith("Taught by Li Chen");
  }

  @BrowserTest
  void theRequestFormTellsTwoSectionsOfTheSameCourseAndTeacherApart() throws Exception {
    Chromium.Page page = loggedIn("coordinator1");
    show(page, "#/domain/video.example.org", "document.getElementById('request-form')");
    assertThat(
            page.text(
                "[...document.querySelectorAll('#request-form label.check')].map((l) => l.textContent.trim()).join(' | ')"))
        .isEqualTo("Biology (Period 1, 2, RM102) | Biology (Period 2, RM103)");
  }

  @BrowserTest
  void aViewerSeesAggregatesButNoBlocksPage() throws Exception {
    Chromium.Page page = loggedIn("viewer1");
    show(page, "#/overview", "document.querySelector('table.top-domains')");
    assertThat(
            page.eval("document.querySelector('#nav li[data-role=coordinator]').hidden")
                .asBoolean())
        .isTrue();
    show(page, "#/blocks", "document.getElementById('status').textContent.includes('role')");
    assertThat(page.text("document.getElementById('status').textContent"))
        .isEqualTo("Your role cannot open this page. Ask an admin if you need it.");
  }

  @BrowserTest
  void aFilterNarrowsTheTableAndTheCsvExportHasTheSameRows() throws Exception {
    Chromium.Page page = loggedIn("coordinator1");
    show(page, "#/blocks?instructional=all", "document.querySelector('#blocks tbody tr')");
    assertThat(page.eval("document.querySelectorAll('#blocks tbody tr').length").asInt())
        .isEqualTo(ConsoleSite.BLOCKS);
    page.type("#f-domain", "chat.example.net");
    page.click("form.filters button[type=submit]");
    page.waitFor("document.querySelectorAll('#blocks tbody tr').length === 2");
    assertThat(
            page.text(
                "[...document.querySelectorAll('#blocks tbody tr')].map(r => r.cells[1].textContent).join(' ')"))
        .isEqualTo("chat.example.net chat.example.net");
    assertThat(page.text("document.getElementById('blocks-count').textContent"))
        .isEqualTo("2 of 2 blocked attempts");
    assertThat(page.text("location.hash"))
        .as("the range stays")
        .contains("span=week")
        .contains("at=");
    // Coordinators do not see student names (privacy.usernames_visible_to defaults to admin).
    assertThat(
            page.text(
                "[...document.querySelectorAll('#blocks tbody tr')].map(r => r.cells[3].textContent).join(' ')"))
        .isEqualTo("— —");
    String csv = page.text("fetch(document.querySelector('a[download]').href).then(r => r.text())");
    List<String> lines = List.of(csv.split("\r\n"));
    assertThat(lines).hasSize(3);
    assertThat(lines.subList(1, 3)).allSatisfy(l -> assertThat(l).contains(",chat.example.net,"));

    page.click("#blocks thead th:nth-child(1) button");
    page.waitFor(
        "document.querySelector('#blocks thead th').getAttribute('aria-sort') === 'ascending'");
    page.screenshot(SHOTS.resolve("blocks-filtered.png"));
  }

  @BrowserTest
  void theShowMoreButtonIsNotDrawnWhenEveryRowAlreadyShows() throws Exception {
    // Regression: the buttons' display rule beat the hidden attribute, so a short table ended in
    // "Show -192 more (200 of 8 shown)".
    Chromium.Page page = loggedIn("coordinator1");
    show(page, "#/blocks?instructional=all", "document.querySelector('#blocks tbody tr')");
    assertThat(ConsoleSite.BLOCKS).isLessThan(200);
    assertThat(page.text("getComputedStyle(document.getElementById('blocks-more')).display"))
        .isEqualTo("none");
  }

  @BrowserTest
  void blockedWhileTeachingIsItsOwnColumnAndFilterOnEveryPageThatListsBlocks() throws Exception {
    Chromium.Page page = loggedIn("coordinator1");
    show(
        page,
        "#/blocks?span=week&at=2026-09-15&instructional=all",
        "document.querySelector('#blocks tbody tr')");
    assertThat(page.text("document.querySelector('#blocks thead th:nth-child(9)').textContent"))
        .isEqualTo("While teaching");
    assertThat(
            page.text(
                "[...document.querySelectorAll('#blocks tbody tr')].filter(r => r.cells[8].textContent === 'Yes')"
                    + ".map(r => r.cells[1].textContent + ' ' + r.cells[5].textContent).join()"))
        .isEqualTo("video.example.org Biology (Period 2, RM103)Li Chen");
    page.eval("document.getElementById('f-while-teaching').value = 'true'");
    page.click("form.filters button[type=submit]");
    page.waitFor("document.querySelectorAll('#blocks tbody tr').length === 1");
    assertThat(page.text("location.hash")).contains("while_teaching=true");
    assertThat(page.text("document.getElementById('blocks-count').textContent"))
        .isEqualTo("1 of 1 blocked attempts");
    String csv = page.text("fetch(document.querySelector('a[download]').href).then(r => r.text())");
    assertThat(csv.lines().toList()).hasSize(2);
    assertThat(csv.lines().findFirst().orElseThrow())
        .contains(",instructional,while_teaching,evidence");
    assertThat(csv.lines().skip(1).findFirst().orElseThrow())
        .contains(",video.example.org,")
        .contains(",true,true,");
    page.screenshot(SHOTS.resolve("blocks-while-teaching.png"));

    // The site page: a card, the column and the same filter over its attempts.
    show(
        page,
        "#/domain/video.example.org?span=week&at=2026-09-15",
        "document.getElementById('site-while-teaching')");
    assertThat(
            page.text(
                "[...document.querySelectorAll('.card.stat')].find(c => c.textContent.startsWith('Blocked while"
                    + " teaching')).querySelector('.stat-value').textContent"))
        .isEqualTo("1");
    assertThat(page.eval("document.querySelectorAll('table.blocks tbody tr').length").asInt())
        .isEqualTo(2);
    show(
        page,
        "#/domain/video.example.org?span=week&at=2026-09-15&while_teaching=true",
        "document.getElementById('site-while-teaching').value === 'true'");
    assertThat(cells(page, "table.blocks").split("\n"))
        .hasSize(1)
        .allSatisfy(r -> assertThat(r.split("\\|")[8]).isEqualTo("Yes"));

    // The section page: the count, a link to those attempts and a column per site.
    show(
        page,
        "#/section/cls-bio2?span=week&at=2026-09-15",
        "document.querySelector('.section-facts')");
    assertThat(cells(page, "main table:not(figure table)")).isEqualTo("video.example.org|1|1|1|0");
    assertThat(
            page.eval(
                    "document.querySelector('a[href*=\"while_teaching=true\"]').getAttribute('href')")
                .asText())
        .contains("section=cls-bio2");

    // The queue: lessons blocked while teaching are a column and a filter, and rank the site first.
    show(page, "#/queue?span=week&at=2026-09-15", "document.querySelector('table.queue')");
    assertThat(page.text("document.querySelector('table.queue thead th:nth-child(6)').textContent"))
        .isEqualTo("While teaching");
    assertThat(cells(page, "table.queue")).startsWith("1|video.example.org|video|2|new|1 lesson|");
    page.click("#queue-while-teaching");
    page.waitFor(
        "location.hash.includes('while_teaching=true') && document.querySelectorAll('table.queue tbody tr').length === 1");
    assertThat(
            page.text(
                "document.getElementById('queue-while-teaching').getAttribute('aria-current')"))
        .isEqualTo("true");
    page.screenshot(SHOTS.resolve("queue-while-teaching.png"));
  }

  @BrowserTest
  void aHostileDomainHostNameUserAndEvidenceAreShownAsTextAndRunNoScript() throws Exception {
    Chromium.Page page = loggedIn("admin1");
    show(page, "#/blocks?instructional=true", "document.querySelector('#blocks tbody tr')");
    List<String> cells = new ArrayList<>();
    JsonNode rows =
        page.eval(
            "[...document.querySelectorAll('#blocks tbody tr')].filter(r => r.cells[1].textContent.startsWith('<'))"
                + ".map(r => [r.cells[1].textContent, r.cells[2].textContent, r.cells[3].textContent, r.cells[10].textContent])");
    rows.get(0).forEach(n -> cells.add(n.asText()));
    assertThat(cells)
        .containsExactly(
            HOSTILE_DOMAIN,
            HOSTILE_HOST,
            HOSTILE_USER,
            "1 stepshost name <script>alert(3)</script> from DHCP");
    assertThat(
            page.eval(
                    "document.querySelectorAll('img, script:not([src]), [onload], [onerror]').length")
                .asInt())
        .isZero();
    page.screenshot(SHOTS.resolve("hostile-blocks.png"));

    page.click("#blocks tbody tr td:nth-child(2) a[href*='img']");
    page.waitFor(
        "document.getElementById('page-title')?.textContent === "
            + M.writeValueAsString(HOSTILE_DOMAIN));
    page.waitFor("document.querySelector('table.blocks tbody tr')");
    assertThat(
            page.eval(
                    "document.querySelectorAll('img, script:not([src]), [onload], [onerror]').length")
                .asInt())
        .isZero();
    page.screenshot(SHOTS.resolve("hostile-domain.png"));
    assertThat(page.dialogs()).isEmpty();
  }

  /**
   * The page, once it has finished rendering, is no wider than the tablet. Under load the check
   * used to run while the page was still being filled and failed now and then; the wait ends when
   * the page is done.
   */
  private static void fitsTablet(Chromium.Page page) throws Exception {
    page.waitFor(
        "!document.getElementById('view').hasAttribute('aria-busy')"
            + " && document.documentElement.scrollWidth <= 768");
  }

  @BrowserTest
  void atTabletWidthTheBlocksPageFitsWithoutSidewaysScrolling() throws Exception {
    Chromium.Page page = site.loggedIn(chromium, "admin1", 768, 1024);
    show(page, "#/blocks?instructional=all", "document.querySelector('#blocks tbody tr')");
    fitsTablet(page);
    page.screenshot(SHOTS.resolve("blocks-tablet.png"));
    show(
        page,
        "#/overview",
        "document.querySelector('table.heatmap') && document.querySelector('figure.chart canvas')");
    fitsTablet(page);
    page.screenshot(SHOTS.resolve("overview-tablet.png"));
    show(page, "#/queue", "document.querySelector('table.queue')");
    fitsTablet(page);
    page.screenshot(SHOTS.resolve("queue-tablet.png"));
  }
}
