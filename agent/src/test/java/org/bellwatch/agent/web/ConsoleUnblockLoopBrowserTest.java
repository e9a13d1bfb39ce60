package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwatch.agent.web.ConsoleSite.SHOTS;
import static org.bellwatch.agent.web.ConsoleSite.show;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unblock loop in real Chromium, across roles: a coordinator's request, the admin's
 * time-limited decision for that class, the filter changes to copy, and a week later the before /
 * after on the site's page; a teacher's request made with the keyboard alone; and the meeting
 * report printed to PDF by Chromium, whose text (read by poppler's pdftotext) holds the figures the
 * page shows.
 */
class ConsoleUnblockLoopBrowserTest {
  private static final ObjectMapper M = new ObjectMapper();
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

  @BrowserTest
  void
      aCoordinatorsRequestAndTheAdminsTimeLimitedDecisionGiveFilterChangesAndAWeekLaterTheBeforeAndAfter()
          throws Exception {
    site.clock.set(ConsoleSite.MONDAY_AFTER);
    Chromium.Page coordinator = site.loggedIn(chromium, "coordinator1");
    show(coordinator, "#/domain/video.example.org", "document.getElementById('request-form')");
    assertThat(coordinator.eval("document.getElementById('decision-form')").isNull()).isTrue();
    coordinator.type("#req-reason", "Biology watches the cell division video in period 2");
    coordinator.type("#req-prefix", "https://video.example.org/watch/cells");
    coordinator.click("#request-form input[value=cls-bio2]");
    coordinator.eval(
        "document.getElementById('req-from').value = '2026-09-21'; document.getElementById('req-until').value = '2026-10-02'");
    coordinator.click("#request-form button[type=submit]");
    coordinator.waitFor("document.querySelector('ol.history li')");
    assertThat(
            coordinator.text(
                "document.querySelector('ol.history li').innerText.replace(/\\s+/g, ' ')"))
        .startsWith("Requested by coordinator1 (coordinator), ")
        .endsWith(
            "Biology watches the cell division video in period 2 Address: https://video.example.org/watch/cells"
                + " For: Biology (Period 2, RM103) Needed from Mon, Sep 21 until Fri, Oct 2");

    Chromium.Page admin = site.loggedIn(chromium, "admin1");
    show(
        admin,
        "#/queue?status=awaiting_it",
        "document.querySelector('table.queue tbody tr, main .empty')");
    assertThat(ConsoleBrowserTest.cells(admin, "table.queue"))
        .startsWith("1|video.example.org|")
        .contains("Awaiting IT");
    admin.click("table.queue tbody tr a");
    admin.waitFor("document.getElementById('decision-form')");
    admin.eval(
        "const d = document.getElementById('dec-decision'); d.value = 'time_limited'; d.dispatchEvent(new Event('change'))");
    assertThat(
            admin
                .eval(
                    "document.getElementById('dec-scope-sections').checked && document.querySelector('#decision-form input[value=cls-bio2]').checked")
                .asBoolean())
        .as("the requested class is preselected")
        .isTrue();
    admin.type("#dec-reason", "Needed for the lab; comments are off on that channel");
    admin.eval("document.getElementById('dec-until').value = '2026-10-02'");
    admin.click("#decision-form button[type=submit]");
    admin.waitFor(
        "document.querySelectorAll('ol.history li').length === 2 && document.querySelector('.snippet pre')");
    JsonNode snippets =
        admin.eval("[...document.querySelectorAll('.snippet')].map((s) => s.dataset.id)");
    assertThat(snippets.toString())
        .isEqualTo("[\"squid\",\"dnsmasq\",\"pihole\",\"unbound_rpz\",\"bind_rpz\",\"fortigate\"]");
    assertThat(admin.text("document.getElementById('snippet-squid').textContent"))
        .contains("video.example.org")
        .contains("10.0.3.0/24");
    admin.click(".snippet[data-id=squid] button.copy");
    admin.waitFor("document.querySelector('.snippet[data-id=squid] .copied').textContent !== ''");
    assertThat(
            admin.text(
                "document.getElementById('decision-summary').innerText.replace(/\\s+/g, ' ')"))
        .contains("Unblocked for Biology (Period 2, RM103) until Fri, Oct 2")
        .contains("Reason: Needed for the lab; comments are off on that channel");
    site.check(admin, "site-decided-admin");

    // A week later (no blocks during class since): sessions have ended; the coordinator logs in
    // again.
    site.clock.set(Instant.parse("2026-09-28T15:00:00Z"));
    Chromium.Page later = site.loggedIn(chromium, "coordinator1");
    show(
        later,
        "#/domain/video.example.org?span=month&at=2026-09-15",
        "document.querySelector('.impact .verdict')");
    assertThat(later.text("document.querySelector('.impact .verdict').textContent"))
        .matches(
            "No blocks during class in the \\d+ school days since the decision \\(\\d+ in the \\d+ before\\)\\.");
    assertThat(later.eval("document.querySelector('.snippet')").isNull())
        .as("filter changes are IT's")
        .isTrue();
    site.check(later, "site-decided");

    show(later, "#/review", "document.querySelector('table.reviews')");
    String csv =
        later.text("fetch(document.getElementById('reviews-csv').href).then(r => r.text())");
    assertThat(csv.lines().filter(l -> l.startsWith("video.example.org,"))).hasSize(2);
  }

  @BrowserTest
  void aTeacherAsksForTheirOwnClassUsingOnlyTheKeyboard() throws Exception {
    Chromium.Page teacher = site.loggedIn(chromium, "mr.chen");
    show(
        teacher,
        "#/domain/games.example.com?span=week&at=2026-09-15",
        "document.getElementById('request-form')");
    teacher.eval("document.getElementById('page-title').focus()");
    tabTo(teacher, "#req-reason", 80);
    teacher.insertText("We use the fractions game in Biology on Fridays");
    tabTo(teacher, "#request-form input[name=sections]", 5);
    assertThat(teacher.text("document.activeElement.value")).isEqualTo("cls-bio");
    teacher.press("Space");
    assertThat(teacher.eval("document.activeElement.checked").asBoolean()).isTrue();
    tabTo(teacher, "#request-form button[type=submit]", 16);
    teacher.press("Enter");
    teacher.waitFor("document.querySelector('ol.history li')");
    JsonNode review = site.client("admin1").getJson("/api/v1/reviews/games.example.com");
    JsonNode request = review.get("request");
    assertThat(request.get("actor").asText()).isEqualTo("mr.chen");
    assertThat(request.get("role").asText()).isEqualTo("teacher");
    assertThat(request.get("reason").asText())
        .isEqualTo("We use the fractions game in Biology on Fridays");
    assertThat(request.get("sections").toString()).isEqualTo("[\"cls-bio\"]");
    teacher.screenshot(SHOTS.resolve("teacher-request.png"));
  }

  /**
   * Presses Tab until the element matching {@code selector} has the focus; fails after {@code max}
   * presses.
   */
  static void tabTo(Chromium.Page page, String selector, int max) throws Exception {
    String test =
        "document.activeElement && document.activeElement.matches("
            + M.writeValueAsString(selector)
            + ")";
    for (int i = 0; i < max; i++) {
      if (page.eval(test).asBoolean()) {
        return;
      }
      page.press("Tab");
    }
    assertThat(page.eval(test).asBoolean())
        .as(
            "%s reached with Tab within %d presses (focus is on %s)",
            selector, max, page.text("document.activeElement.outerHTML.slice(0, 120)"))
        .isTrue();
  }

  @BrowserTest
  void theMeetingReportPrintsToAPdfWhoseTextHoldsTheFiguresOnThePage() throws Exception {
    ConsoleClient coordinator = site.client("coordinator1");
    ConsoleClient admin = site.client("admin1");
    assertThat(
            coordinator
                .post(
                    "/api/v1/reviews/chat.example.net/request",
                    "{\"reason\":\"Art class critiques in the chat\",\"sections\":[\"cls-art\"]}")
                .statusCode())
        .isEqualTo(200);
    assertThat(
            admin
                .post(
                    "/api/v1/reviews/chat.example.net/decision",
                    "{\"decision\":\"kept_blocked\",\"reason\":\"Unmoderated; use the LMS discussion board\"}")
                .statusCode())
        .isEqualTo(200);
    assertThat(
            coordinator
                .post(
                    "/api/v1/reviews/puzzles.example.com/request",
                    "{\"reason\":\"Logic puzzles for the math club\"}")
                .statusCode())
        .isEqualTo(200);

    Chromium.Page page = site.loggedIn(chromium, "admin1");
    show(
        page,
        "#/report?span=month&at=2026-09-01",
        "document.querySelector('figure.chart canvas') && document.querySelector('table.decisions')");
    site.check(page, "report");
    List<String> figures = new ArrayList<>();
    page.eval(
            "[...document.querySelectorAll('.stat-value, table.decisions td, table.open-requests td, table.to-discuss td,"
                + " table.top-domains td')].map((e) => e.innerText.trim()).filter((t) => t)")
        .forEach(n -> figures.add(n.asText()));
    assertThat(figures)
        .contains("Unmoderated; use the LMS discussion board", "Logic puzzles for the math club");
    Path pdf = SHOTS.resolve("report.pdf");
    page.printToPdf(pdf);
    String text = run("pdftotext", pdf.toString(), "-").replaceAll("\\s+", " ");
    assertThat(text).contains("Meeting report: September 2026");
    for (String f : figures) {
      assertThat(text).as("the PDF shows %s", f).contains(f.replaceAll("\\s+", " "));
    }
    assertThat(run("pdfimages", "-list", pdf.toString()).lines().skip(2).count())
        .as("the chart is in the PDF")
        .isGreaterThanOrEqualTo(1);
    assertThat(text).doesNotContain("Latest with data").doesNotContain("Save as PDF");
  }

  static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }
}
