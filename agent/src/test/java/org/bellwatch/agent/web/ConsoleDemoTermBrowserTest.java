package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwatch.agent.web.ConsoleSite.show;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bellwatch.agent.decision.FilterPrograms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every page of the console as every role on the demo's term ({@link DemoTerm}: the simulated four
 * weeks of a 600-device school replayed into a store, with the demo's requests and decisions), in
 * real headless Chromium: each page shows its data with no visible null / undefined / NaN / Invalid
 * Date, says which range it shows, draws its charts with axes, fills its tables or says why one is
 * empty, logs no console error and no CSP violation, and has no serious or critical axe-core
 * violation; a role refused a page gets the refusal, and a visitor who is not logged in gets the
 * login on every page. A screenshot of each page is written to
 * target/screenshots/term-ROLE-PAGE.png, and the README's two from here.
 */
class ConsoleDemoTermBrowserTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static final String ZONE = "America/Los_Angeles";
  private static final String REFUSED =
      "Your role cannot open this page. Ask an admin if you need it.";
  @TempDir static Path dir;
  static DemoTerm term;
  static Chromium chromium;

  /** A section of the teacher's, with blocks of the site the teacher asked for. */
  static String ownSection;

  /** A section of another teacher's that a request names. */
  static String otherSection;

  @BeforeAll
  static void start() throws Exception {
    Chromium.assumeAvailable();
    term = DemoTerm.start(dir);
    chromium = Chromium.launch(Files.createTempDirectory(dir, "chromium"));
    JsonNode mine = term.site.client(term.teacher).getJson("/api/v1/auth/session").get("sections");
    List<String> own = new ArrayList<>();
    mine.forEach(s -> own.add(s.asText()));
    List<String> named = new ArrayList<>();
    for (String[] step : term.reviews) {
      M.readTree(step[2]).path("sections").forEach(s -> named.add(s.asText()));
    }
    ownSection = named.stream().filter(own::contains).findFirst().orElseThrow();
    otherSection = named.stream().filter(s -> !own.contains(s)).findFirst().orElseThrow();
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (term != null) {
      term.site.close();
    }
  }

  /**
   * A page by its hash, what shows it rendered the term's data, and whether it shows a time range.
   */
  record Console(String hash, String ready, boolean ranged) {
    String name() {
      return hash.substring(2).replaceAll("[^a-z0-9]+", "-").replaceAll("-+$", "");
    }
  }

  /** Every page a role may open, each with data in the demo term. */
  static List<Console> pagesOf(String role) {
    List<Console> pages = new ArrayList<>();
    pages.add(
        new Console(
            "#/overview",
            "document.querySelector('table.top-domains tbody tr') && document.querySelector('table.heatmap tbody tr')"
                + " && document.querySelector('figure.chart canvas')",
            true));
    pages.add(new Console("#/queue", "document.querySelector('table.queue tbody tr')", true));
    if (!role.equals("viewer")) {
      pages.add(new Console("#/blocks", "document.querySelector('#blocks tbody tr')", true));
    }
    // A site with a time-limited unblock (its filter changes for IT, its before / after), and one
    // that
    // the teacher asked for and IT has not answered yet.
    pages.add(
        new Console(
            "#/domain/www.youtube.com",
            "document.querySelector('figure.chart canvas') && document.getElementById('decision-summary')",
            true));
    pages.add(
        new Console(
            "#/domain/replit.com",
            "document.querySelector('figure.chart canvas') && document.querySelector('ol.history li')",
            true));
    pages.add(
        new Console(
            "#/section/" + ownSection,
            "document.querySelector('figure.chart canvas') && document.querySelector('.section-facts')",
            true));
    pages.add(new Console("#/review", "document.querySelector('table.reviews tbody tr')", false));
    pages.add(
        new Console(
            "#/report",
            "document.querySelector('figure.chart canvas') && document.querySelector('.stat-value')",
            true));
    pages.add(
        new Console("#/status", "document.querySelector('table.status-table tbody tr')", false));
    pages.add(
        new Console(
            "#/settings",
            role.equals("admin")
                ? "document.getElementById('add-account')"
                : "document.querySelector('main form')",
            false));
    return pages;
  }

  @BrowserTest
  void
      everyRoleOpensEveryPageOfTheDemoTermWithItsDataAndNoBrokenTextConsoleErrorOrSeriousAccessibilityViolation()
          throws Exception {
    List<String> opened = new ArrayList<>();
    for (String role : List.of("viewer", "teacher", "coordinator", "admin")) {
      String user = role.equals("teacher") ? term.teacher : role + "1";
      long t0 = System.nanoTime();
      Chromium.Page page = term.site.loggedIn(chromium, user);
      assertThat(page.text("document.getElementById('who-name').textContent"))
          .endsWith("(" + role + ")");
      for (Console p : pagesOf(role)) {
        show(page, p.hash(), p.ready());
        String shot = "term-" + role + "-" + p.name();
        if (p.ranged()) {
          assertThat(page.text("document.getElementById('range-label').textContent"))
              .as("range of %s", shot)
              .startsWith("Showing: ")
              .endsWith(", " + ZONE)
              // Regression: "Fall 2026 term (term)" repeated the session's type its title already
              // names.
              .doesNotContainPattern("(\\w+) \\(\\1\\)");
        }
        term.site.check(page, shot, true);
        if (role.equals("coordinator") && p.hash().startsWith("#/domain/www.youtube.com")) {
          // The README shows the top of the page: the decision and its before / after.
          page.screenshot(ConsoleSite.SHOTS.resolve(shot + "-top.png"), false);
        }
        if (p.hash().equals("#/settings") && !role.equals("admin")) {
          assertThat(page.eval("document.getElementById('add-account')").isNull())
              .as("accounts are the admin's")
              .isTrue();
          assertThat(page.eval("fetch('/api/v1/accounts').then((r) => r.status)").asInt())
              .isEqualTo(403);
        }
        opened.add(shot);
      }
      refusals(page, role);
      assertThat(page.dialogs()).isEmpty();
      System.out.printf(
          "demo term: %s's %d pages checked in %.1f s%n",
          role, pagesOf(role).size(), (System.nanoTime() - t0) / 1e9);
    }
    assertThat(opened).hasSize(4 * 10 - 1);
    ConsoleSite.publish("term-coordinator-overview", "overview.png");
    ConsoleSite.publish("term-coordinator-domain-www-youtube-com-top", "site-decision.png");
  }

  @BrowserTest
  void aTeacherSeesOtherTeachersClassesInARequestCountedNotByTheirIds() throws Exception {
    Chromium.Page page = term.site.loggedIn(chromium, term.teacher);
    JsonNode decided =
        term.site
            .client("admin1")
            .getJson("/api/v1/reviews/www.youtube.com")
            .get("decision")
            .get("sections");
    List<String> others = new ArrayList<>();
    decided.forEach(s -> others.add(s.asText()));
    JsonNode own = term.site.client(term.teacher).getJson("/api/v1/auth/session").get("sections");
    own.forEach(s -> others.remove(s.asText()));
    assertThat(others).isNotEmpty();
    for (String hash : List.of("#/domain/www.youtube.com", "#/report?span=term")) {
      show(page, hash, "document.querySelector('ol.history li, table.decisions tbody tr')");
      String text = page.text("document.getElementById('view').innerText");
      assertThat(others).allSatisfy(id -> assertThat(text).as(hash).doesNotContain(id));
      assertThat(text).as(hash).contains(others.size() + " classes of other teachers");
    }
  }

  /** What a role may not open says so, and shows none of its data. */
  static void refusals(Chromium.Page page, String role) throws Exception {
    Map<String, String> refused = new LinkedHashMap<>();
    if (role.equals("viewer")) {
      refused.put("#/blocks", "#blocks");
    }
    if (role.equals("teacher")) {
      refused.put("#/section/" + otherSection, ".section-facts");
    }
    for (Map.Entry<String, String> r : refused.entrySet()) {
      show(page, r.getKey(), "document.getElementById('status').textContent !== ''");
      assertThat(page.text("document.getElementById('status').textContent"))
          .as(role + " on " + r.getKey())
          .isEqualTo(REFUSED);
      assertThat(
              page.eval("document.querySelector(" + M.writeValueAsString(r.getValue()) + ")")
                  .isNull())
          .isTrue();
      assertThat(ConsoleSite.faults(page)).isEmpty();
    }
  }

  @BrowserTest
  void aVisitorWhoIsNotLoggedInGetsTheLoginOnEveryPageAndTheApiAnswers401() throws Exception {
    Chromium.Page page = chromium.open(1280, 900);
    boolean first = true;
    for (Console p : pagesOf("admin")) {
      page.go(term.site.base() + "/" + p.hash());
      page.waitFor("!document.getElementById('login').hidden");
      assertThat(page.text("document.getElementById('view').textContent")).as(p.hash()).isEmpty();
      assertThat(page.eval("document.getElementById('nav').hidden").asBoolean()).isTrue();
      assertThat(page.text("document.title")).isEqualTo("Log in · Bellwatch");
      // The login is the same form on every page: axe-core looks at it once.
      term.site.check(page, "term-anonymous-" + p.name(), first);
      first = false;
    }
    for (String api :
        List.of(
            "/api/v1/reports/trend",
            "/api/v1/queue",
            "/api/v1/blocks",
            "/api/v1/domains/www.youtube.com",
            "/api/v1/sections/" + ownSection,
            "/api/v1/reviews",
            "/api/v1/site",
            "/api/v1/accounts")) {
      assertThat(
              page.eval("fetch(" + M.writeValueAsString(api) + ").then((r) => r.status)").asInt())
          .as(api)
          .isEqualTo(401);
    }
  }

  /**
   * The demo's time-limited unblock of the video site for the classes that used it (their rooms'
   * networks, their bell periods on school days) as IT copies it from the site's page: Squid,
   * dnsmasq and Unbound accept their changes, and the RPZ zone that Unbound and BIND load passes
   * named-checkzone.
   */
  @BrowserTest
  void theDemoDecisionsFilterChangesCopiedFromThePageAreAcceptedByTheRealPrograms()
      throws Exception {
    Chromium.Page admin = term.site.loggedIn(chromium, "admin1");
    show(admin, "#/domain/www.youtube.com", "document.querySelector('.snippet pre')");
    Map<String, String> text = new LinkedHashMap<>();
    admin
        .eval(
            "[...document.querySelectorAll('.snippet')].map((s) => [s.dataset.id, s.querySelector('pre').textContent])")
        .forEach(n -> text.put(n.get(0).asText(), n.get(1).asText()));
    assertThat(text.keySet())
        .containsExactly("squid", "dnsmasq", "pihole", "unbound_rpz", "bind_rpz", "fortigate");
    Path work = Files.createTempDirectory(dir, "filters");

    assertThat(text.get("squid")).contains("acl ").contains(" time ").contains(" src ");
    FilterPrograms.Result squid =
        FilterPrograms.squidParse(work, text.get("squid"), "www.youtube.com");
    assertThat(squid.exit()).as(squid.output()).isZero();
    assertThat(squid.output()).doesNotContain("WARNING", "ERROR", "FATAL", "Bungled");
    FilterPrograms.Result dnsmasq = FilterPrograms.dnsmasqTest(work, text.get("dnsmasq"));
    assertThat(dnsmasq.exit()).as(dnsmasq.output()).isZero();
    assertThat(dnsmasq.output()).contains("syntax check OK");

    // Unbound's change is its unbound.conf lines, then (after a comment naming it) the zone file.
    String[] unbound = configAndZone(text.get("unbound_rpz"), "# ");
    Path zone = work.resolve("policy.rpz");
    Files.writeString(zone, unbound[1]);
    Path conf = work.resolve("unbound.conf");
    Files.writeString(
        conf,
        FilterPrograms.unboundServer(work)
            + unbound[0].replaceAll("zonefile: \"[^\"]*\"", "zonefile: \"" + zone + "\""));
    FilterPrograms.Result checkconf =
        FilterPrograms.run(work, FilterPrograms.require("unbound-checkconf"), conf.toString());
    assertThat(checkconf.exit()).as(checkconf.output()).isZero();
    String zoneName = unbound[0].replaceAll("(?s).*\n    name: (\\S+)\n.*", "$1");
    String[] bind = configAndZone(text.get("bind_rpz"), "// ");
    assertThat(bind[1]).isEqualTo(unbound[1]);
    FilterPrograms.Result checkzone =
        FilterPrograms.run(
            work,
            FilterPrograms.require("named-checkzone"),
            "-k",
            "fail",
            zoneName,
            zone.toString());
    assertThat(checkzone.exit()).as(checkzone.output()).isZero();
    assertThat(checkzone.output()).endsWith("OK\n");
  }

  /**
   * A DNS server's change as the page shows it: the configuration lines (comments left out) before
   * the comment that names the zone file, and the zone file after it.
   */
  static String[] configAndZone(String text, String comment) {
    List<String> lines = text.lines().toList();
    int named = 0;
    while (!lines.get(named).contains("The zone file ")) {
      named++;
    }
    int zone = named;
    while (lines.get(zone).startsWith(comment)) {
      zone++;
    }
    String config =
        String.join(
                "\n", lines.subList(0, named).stream().filter(l -> !l.startsWith(comment)).toList())
            + "\n";
    return new String[] {config, String.join("\n", lines.subList(zone, lines.size())) + "\n"};
  }

  @BrowserTest
  void theChecksSeeACspViolationAConsoleErrorAndANamelessButton() throws Exception {
    Chromium.Page page = term.site.loggedIn(chromium, "viewer1");
    show(page, "#/status", "document.querySelector('table.status-table tbody tr')");
    assertThat(ConsoleSite.faults(page)).isEmpty();
    // An inline style attribute is what style-src 'self' refuses; a test of the check, not of the
    // console.
    page.eval(
        "document.getElementById('page-title').setAttribute('style', 'color: red'); console.error('seen'); true");
    page.waitFor("window.cspViolations.length > 0");
    List<String> problems = page.problems();
    assertThat(problems)
        .anySatisfy(p -> assertThat(p).startsWith("CSP style-src-attr refused inline"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("console.error: [seen]"));
    // A button with no name is a critical violation for axe-core: the accessibility run sees the
    // term's pages.
    page.eval("document.getElementById('view').append(document.createElement('button')); true");
    assertThat(page.axeViolations(term.site.axe))
        .singleElement()
        .asString()
        .startsWith("critical button-name:");
  }
}
