package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.bellwatch.agent.hub.ThreeSchools.BAKER_COORD;
import static org.bellwatch.agent.hub.ThreeSchools.HOSTILE_DOMAIN;
import static org.bellwatch.agent.hub.ThreeSchools.IT;
import static org.bellwatch.agent.hub.ThreeSchools.PASSWORD;
import static org.bellwatch.agent.web.ConsoleSite.SHOTS;
import static org.bellwatch.agent.web.ConsoleSite.check;
import static org.bellwatch.agent.web.ConsoleSite.show;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bellwatch.agent.hub.ThreeSchools;
import org.bellwatch.agent.testing.KafkaBrokers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The district hub's console in real headless Chromium, on a hub fed through a real Kafka broker by
 * three small schools ({@link ThreeSchools}): every hub page as district IT (who also decides
 * across schools there) and as Baker Middle's coordinator, who must never see another school's name
 * or data. Each page is checked as the site console's pages are ({@link ConsoleSite#check};
 * axe-core on the overview and the queue's decision form, the other pages being made of the same
 * parts) and photographed to {@code target/screenshots/hub-*.png}.
 */
class HubConsoleBrowserTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static final String WEEK = "span=week&at=2026-09-14";
  private static final String MONTH = "span=month&at=2026-09-14";

  /** What Baker's coordinator must never see: the other schools, their ids and their own sites. */
  private static final List<String> OTHER_SCHOOLS =
      List.of(
          "Adams",
          "Carver",
          "adams-es",
          "carver-hs",
          "adams-reading.example",
          "carver-chem.example",
          "onerror");

  @TempDir static Path dir;
  static ThreeSchools district;
  static Chromium chromium;
  static String axe;

  @BeforeAll
  static void start() throws Exception {
    Chromium.assumeAvailable();
    district = ThreeSchools.start(dir.resolve("district"), "console-ui", KafkaBrokers.shared());
    chromium = Chromium.launch(Files.createTempDirectory(dir, "chromium"));
    axe = ConsoleSite.axe();
  }

  @AfterAll
  static void stop() throws Exception {
    if (chromium != null) {
      chromium.close();
    }
    if (district != null) {
      district.close();
    }
  }

  private static Chromium.Page login(String username) throws Exception {
    Chromium.Page page = chromium.open(1280, 900);
    page.go(district.base() + "/");
    page.waitFor("!document.getElementById('login').hidden");
    page.type("#username", username);
    page.type("#password", PASSWORD);
    page.click("#login-form button[type=submit]");
    page.waitFor(
        "!document.getElementById('who').hidden && !document.getElementById('view').hasAttribute('aria-busy')"
            + " && document.getElementById('page-title')");
    return page;
  }

  private static String cells(Chromium.Page page, String tableSelector) throws Exception {
    return page.text(
        "[...document.querySelectorAll("
            + M.writeValueAsString(tableSelector + " tbody tr")
            + ")]"
            + ".map((r) => [...r.cells].map((c) => c.textContent).join('|')).join('\\n')");
  }

  @BrowserTest
  void districtItSeesEverySchoolOpensOneDecidesAcrossSchoolsAndReadsTheMeetingReport()
      throws Exception {
    Chromium.Page page = chromium.open(1280, 900);
    page.go(district.base() + "/");
    page.waitFor("!document.getElementById('login').hidden");
    assertThat(page.text("document.getElementById('site').textContent"))
        .isEqualTo("Springfield Public Schools: log in to see blocked sites in the schools.");
    page.screenshot(SHOTS.resolve("hub-login.png"));
    page = login(IT);
    assertThat(page.text("location.hash")).isEqualTo("");
    assertThat(page.text("document.getElementById('site').textContent"))
        .isEqualTo("Springfield Public Schools · 3 schools · America/Chicago");
    assertThat(page.text("document.getElementById('who-name').textContent"))
        .isEqualTo("district.it (district IT)");
    assertThat(
            page.text(
                "[...document.querySelectorAll('#nav a')].map((a) => a.textContent).join('|')"))
        .isEqualTo("Overview|Decision queue|Meeting report");

    show(
        page,
        "#/district?" + WEEK,
        "document.querySelector('table.schools') && document.querySelector('figure.chart canvas')");
    assertThat(page.text("document.getElementById('range-label').textContent"))
        .isEqualTo("Showing: Week of Mon, Sep 14 – Fri, Sep 18, 2026, America/Chicago");
    assertThat(
            page.text(
                "[...document.querySelectorAll('.stat-value')].map((e) => e.textContent).join(' ')"))
        .isEqualTo("19 13 3 of 3 6 28");
    assertThat(cells(page, "table.schools"))
        .isEqualTo(
            """
        Adams Elementary|Reporting|7|4|3|3|10|video.example.org
        Baker Middle|Reporting|6|5|3|3|8|docs.example.com
        Carver High|Reporting|6|4|3|3|10|video.example.org""");
    assertThat(cells(page, "table.district-domains").lines().limit(2))
        .containsExactly(
            "video.example.org|Streaming Media|3|7|9|Adams Elementary, Baker Middle, Carver High",
            "docs.example.com|Education|2|3|4|Baker Middle, Carver High");
    // A domain name is whatever the network says: it is shown as text, never as markup.
    assertThat(
            page.eval(
                    "[...document.querySelectorAll('table.district-domains td')].some((c) => c.textContent === "
                        + M.writeValueAsString(HOSTILE_DOMAIN)
                        + ")")
                .asBoolean())
        .isTrue();
    assertThat(page.eval("document.querySelectorAll('#view img').length").asInt()).isZero();
    check(page, "hub-district-overview", axe);

    page.click("table.schools a[href^='#/school/adams-es']");
    page.waitFor(
        "document.getElementById('page-title')?.textContent === 'Adams Elementary' && document.querySelector('table.sections')"
            + " && !document.getElementById('view').hasAttribute('aria-busy')");
    assertThat(page.text("document.getElementById('range-label').textContent"))
        .contains("Week of Mon, Sep 14");
    assertThat(
            cells(page, "table.top-domains")
                .lines()
                .map(l -> l.substring(0, l.lastIndexOf('|')))
                .toList())
        .containsExactly(
            "video.example.org|Streaming Media|3|2|4|2",
            "adams-reading.example|Education|1|1|2|1",
            HOSTILE_DOMAIN + "|Education|0|0|1|0");
    assertThat(page.text("document.querySelector('figure.chart').dataset.axes"))
        .isEqualTo("Bell period (America/Chicago) | Blocked attempts");
    assertThat(cells(page, "figure.chart:first-of-type details table"))
        .isEqualTo("Period 1|3|3\nPeriod 2|2|2\nPeriod 3|2|2\nLunch|3|0");
    check(page, "hub-school", null);

    show(
        page,
        "#/district-queue?" + MONTH,
        "document.querySelectorAll('section.queue-item').length === 2");
    assertThat(
            page.text(
                "[...document.querySelectorAll('section.queue-item h3')].map((h) => h.textContent).join('|')"))
        .isEqualTo("video.example.org 2 waiting|docs.example.com 1 waiting");
    assertThat(cells(page, "section.queue-item table.requests").lines().findFirst().orElseThrow())
        .startsWith("Adams Elementary|")
        .contains("|teacher|Our reading lessons use its read-aloud videos|");
    assertThat(
            page.eval(
                    "[...document.querySelectorAll('section.queue-item')[0].querySelectorAll('input[type=checkbox]:checked')]"
                        + ".map((i) => i.value)")
                .toString())
        .as("the schools that asked, ticked")
        .isEqualTo("[\"adams-es\",\"carver-hs\"]");
    check(page, "hub-queue", axe);

    page.type(
        "section.queue-item textarea",
        "Read-aloud videos and lab recordings are part of the curriculum");
    page.click("section.queue-item form button[type=submit]");
    // Answered, it moves below the site still waiting.
    page.waitFor(
        "document.querySelectorAll('section.queue-item')[1]?.querySelector('h3').textContent === 'video.example.org Answered'");
    assertThat(
            page.text(
                "document.querySelectorAll('section.queue-item')[1].querySelector('.decision-line').textContent"))
        .startsWith(
            "Latest district decision: Unblocked for Adams Elementary, Carver High (district.it, ")
        .endsWith("Reason: Read-aloud videos and lab recordings are part of the curriculum");
    await("the decision applied at Carver")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> district.carver.store.console().reviews().get("video.example.org").isPresent());
    assertThat(district.baker.store.console().reviews().get("video.example.org"))
        .as("Baker was not named")
        .isEmpty();
    check(page, "hub-queue-decided", null);

    show(page, "#/district-report?" + MONTH, "document.querySelector('table.decisions')");
    assertThat(page.text("document.getElementById('page-title').textContent"))
        .isEqualTo("District meeting report: September 2026");
    assertThat(cells(page, "table.schools").lines().toList())
        .containsExactly(
            "Adams Elementary|7|4|3|3|10|video.example.org",
                "Baker Middle|6|5|3|3|8|docs.example.com",
            "Carver High|6|4|3|3|10|video.example.org", "District|19|13|9|6|28|video.example.org");
    assertThat(cells(page, "table.decisions"))
        .startsWith("video.example.org|Unblocked for Adams Elementary, Carver High|district.it|");
    check(page, "hub-report", null);
    page.printToPdf(SHOTS.resolve("hub-report.pdf"));
  }

  @BrowserTest
  void aSchoolCoordinatorSeesOnlyTheirSchoolOnEveryPageAndIsRefusedAnother() throws Exception {
    Chromium.Page page = login(BAKER_COORD);
    assertThat(page.text("location.hash")).isEqualTo("");
    page.waitFor("document.getElementById('page-title').textContent === 'Baker Middle'");
    assertThat(page.text("document.getElementById('site').textContent"))
        .isEqualTo("Baker Middle · Springfield Public Schools · America/Chicago");
    assertThat(
            page.text(
                "[...document.querySelectorAll('#nav a')].map((a) => a.textContent).join('|')"))
        .isEqualTo("Overview|My school|Decision queue|Meeting report");
    for (String[] visit :
        List.of(
            new String[] {"#/school/baker-ms?" + WEEK, "table.sections", "hub-coordinator-school"},
            new String[] {"#/district?" + WEEK, "table.schools", "hub-coordinator-overview"},
            new String[] {
              "#/district-queue?" + MONTH, "section.queue-item", "hub-coordinator-queue"
            },
            new String[] {
              "#/district-report?" + MONTH, "table.schools", "hub-coordinator-report"
            })) {
      show(page, visit[0], "document.querySelector(" + M.writeValueAsString(visit[1]) + ")");
      check(page, visit[2], null);
      String text = page.text("document.body.innerText");
      for (String other : OTHER_SCHOOLS) {
        assertThat(text).as("%s shows %s", visit[0], other).doesNotContain(other);
      }
    }
    assertThat(cells(page, "table.schools")).isEqualTo("Baker Middle|6|5|3|3|8|docs.example.com");

    show(page, "#/school/adams-es?" + WEEK, "document.getElementById('status').textContent");
    assertThat(page.text("document.getElementById('status').textContent"))
        .isEqualTo("Your account cannot open this page: it sees only your school.");
    assertThat(page.text("document.body.innerText")).doesNotContain("Adams Elementary");
    assertThat(page.eval("document.querySelectorAll('#view table').length").asInt()).isZero();
    assertThat(ConsoleSite.faults(page)).isEmpty();
  }
}
