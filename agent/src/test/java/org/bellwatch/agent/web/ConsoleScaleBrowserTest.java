package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.pipeline.Agent;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.testing.SiteFolder;
import org.bellwatch.agent.testing.SteppedClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's scale goal: with 90 days of a simulated 2,000-device site in the store, every console
 * page is interactive within 1 second in headless Chromium. "Interactive" is measured in the page:
 * from setting the URL hash to the page's content being shown with no loading state ({@code
 * aria-busy} cleared), with {@code performance.now()}; each page is opened 5 times and the slowest
 * counts.
 *
 * <p>Slow to set up (it writes the events through the store), so it runs only when asked: {@code
 * mvn -B -o verify -Dbellwatch.scale.events=2000000 -Dtest=ConsoleScaleBrowserTest
 * -Dsurefire.failIfNoSpecifiedTests=false}. The synthetic site is StoreReportsBench's: 60 rooms, 7
 * periods, 1,800 users, 400 blocked domains with Zipf-like popularity, school days from 2026-08-24
 * for 90 days.
 */
@EnabledIfSystemProperty(named = "bellwatch.scale.events", matches = "[1-9][0-9]*")
class ConsoleScaleBrowserTest {
  static final ZoneId ZONE = ZoneId.of("America/Los_Angeles");
  static final int DEVICES = 2000;
  static final int ROOMS = 60;
  static final int PERIODS = 7;
  static final int USERS = 1800;
  static final int DOMAINS = 400;
  @TempDir Path dir;

  @Test
  void everyPageIsInteractiveWithinOneSecondWithNinetyDaysOfATwoThousandDeviceSite()
      throws Exception {
    int events = Integer.getInteger("bellwatch.scale.events");
    SiteFolder.write(dir);
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        """
        site: {name: Scale School, timezone: America/Los_Angeles}
        schedule: {dir: .}
        store: {dir: store}
        web: {port: 0}
        auth: {pbkdf2_iterations: 1000}
        """);
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    TestAccounts.write(cfg.store().dir(), ZONE);
    long t0 = System.nanoTime();
    fill(cfg.store().dir(), events);
    System.out.printf(
        "scale: wrote %,d events in %.1f s%n", events, (System.nanoTime() - t0) / 1e9);
    // The last school day of the 90: "this week" on the Overview has data.
    SteppedClock clock = new SteppedClock(Instant.parse("2026-11-20T20:00:00Z"));
    long t1 = System.nanoTime();
    try (Agent agent = Agent.start(cfg, SiteModel.load(cfg.schedule().dir(), ZONE), clock);
        Chromium chromium = Chromium.launch(Files.createTempDirectory(dir, "chromium"))) {
      System.out.printf(
          "scale: agent started (index loaded) in %.1f s%n", (System.nanoTime() - t1) / 1e9);
      Chromium.Page page = chromium.open(1280, 900);
      page.go("http://127.0.0.1:" + agent.port() + "/");
      page.waitFor("!document.getElementById('login').hidden");
      page.type("#username", "admin1");
      page.type("#password", TestAccounts.PASSWORD);
      page.click("#login-form button[type=submit]");
      page.waitFor("document.getElementById('who-name').textContent.endsWith('(admin)')");

      Map<String, String> pages = new LinkedHashMap<>();
      pages.put(
          "#/overview",
          "document.querySelector('table.heatmap') && document.querySelector('figure.chart')");
      pages.put(
          "#/overview?span=term",
          "document.querySelector('table.heatmap') && document.querySelector('figure.chart')");
      pages.put("#/queue", "document.querySelector('table.queue')");
      pages.put("#/queue?span=term&status=no_request", "document.querySelector('table.queue')");
      pages.put("#/blocks?instructional=all", "document.querySelector('#blocks tbody tr')");
      pages.put(
          "#/blocks?instructional=true&domain=site1.video.example",
          "document.querySelector('#blocks tbody tr')");
      pages.put("#/domain/site0.games.example", "document.querySelector('table.blocks tbody tr')");
      pages.put(
          "#/domain/site0.games.example?span=day&at=2026-11-20",
          "document.querySelector('figure.chart')");
      pages.put("#/section/cls-7", "document.querySelector('main table tbody tr')");
      pages.put("#/report?span=month&at=2026-10-01", "document.querySelector('.stat-value')");
      pages.put("#/report?span=term", "document.querySelector('.stat-value')");
      pages.put("#/review", "document.querySelector('main .empty, table.reviews')");
      pages.put("#/status", "document.querySelector('table.status-table')");
      pages.put("#/settings", "document.getElementById('add-account')");
      List<String> slow = new ArrayList<>();
      for (Map.Entry<String, String> p : pages.entrySet()) {
        double worst = 0;
        String api = "";
        for (int i = 0; i < 5; i++) {
          double ms = interactiveMillis(page, p.getKey(), p.getValue());
          if (worst >= 0 && (ms < 0 || ms > worst)) {
            worst = ms;
            // How much of the slowest load was the API (request sent to last byte), by path.
            api =
                page.text(
                    "JSON.stringify(Object.entries(performance.getEntriesByType('resource')"
                        + ".filter((e) => e.name.includes('/api/v1/')).reduce((m, e) => { const k = new URL(e.name).pathname;"
                        + " m[k] = Math.max(m[k] || 0, Math.round(e.responseEnd - e.requestStart)); return m; }, {})))");
          }
        }
        System.out.printf(
            "scale: %-60s slowest of 5: %6.0f ms; its API ms %s%n", p.getKey(), worst, api);
        if (worst < 0 || worst > 1000) {
          slow.add(p.getKey() + " " + Math.round(worst) + " ms");
        }
      }
      page.screenshot(ConsoleSite.SHOTS.resolve("scale-settings.png"));
      assertThat(slow).as("pages not interactive within 1 s").isEmpty();
    }
  }

  /**
   * Milliseconds from setting the hash to the page's content shown with nothing loading; -1 after
   * 20 s.
   */
  static double interactiveMillis(Chromium.Page page, String hash, String ready) throws Exception {
    // Start from a cheap page, fully loaded, so that no other page's requests compete with the
    // measured one.
    boolean settings = hash.equals("#/settings");
    page.eval("location.hash = '" + (settings ? "#/review" : "#/settings") + "'");
    page.waitFor(
        "!document.getElementById('view').hasAttribute('aria-busy') && document.querySelector("
            + (settings ? "'main .empty, table.reviews'" : "'#add-account'")
            + ")");
    page.eval("performance.clearResourceTimings()");
    return page.eval(
            """
        new Promise((resolve) => {
          const view = document.getElementById('view');
          view.replaceChildren();
          const t0 = performance.now();
          location.hash = %s;
          const tick = () => {
            if (view.childNodes.length && !view.hasAttribute('aria-busy') && (%s)) resolve(performance.now() - t0);
            else if (performance.now() - t0 > 20000) resolve(-1);
            else setTimeout(tick, 2);
          };
          tick();
        })"""
                .formatted(
                    new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(hash),
                    ready))
        .asDouble();
  }

  static void fill(Path storeDir, int events) throws Exception {
    List<LocalDate> days = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      LocalDate d = LocalDate.parse("2026-08-24").plusDays(i);
      if (d.getDayOfWeek().getValue() <= 5) {
        days.add(d);
      }
    }
    String[] domains = new String[DOMAINS];
    double[] weights = new double[DOMAINS];
    double sum = 0;
    for (int i = 0; i < DOMAINS; i++) {
      domains[i] =
          "site"
              + i
              + (i % 3 == 0 ? ".games.example" : i % 3 == 1 ? ".video.example" : ".chat.example");
      sum += 1.0 / Math.pow(i + 1, 1.1);
      weights[i] = sum;
    }
    SplittableRandom rnd = new SplittableRandom(42);
    try (EventStore store = EventStore.open(storeDir, ZONE, false)) {
      List<BlockEvent> batch = new ArrayList<>(512);
      int perDay = events / days.size() + 1;
      int written = 0;
      for (LocalDate day : days) {
        for (int k = 0; k < perDay && written < events; k++, written++) {
          batch.add(event(rnd, day, domains, weights, sum));
          if (batch.size() == 512) {
            store.append(batch);
            batch.clear();
          }
        }
      }
      store.append(batch);
    }
  }

  static BlockEvent event(
      SplittableRandom rnd, LocalDate day, String[] domains, double[] weights, double sum) {
    int device = rnd.nextInt(DEVICES);
    int room = device % ROOMS;
    LocalTime t = LocalTime.of(7, 30).plusSeconds(rnd.nextInt(8 * 3600));
    int minutes = (t.getHour() - 8) * 60 + t.getMinute();
    String period =
        minutes < 0
            ? null
            : minutes < PERIODS * 55
                ? Integer.toString(minutes / 55 + 1)
                : minutes < PERIODS * 55 + 30 ? "Lunch" : null;
    boolean inClass = period != null && !period.equals("Lunch") && rnd.nextInt(10) != 0;
    String section = inClass ? "cls-" + (room * PERIODS + Integer.parseInt(period) - 1) : null;
    String user = rnd.nextInt(3) == 0 ? null : "s" + rnd.nextInt(USERS);
    int d = Arrays.binarySearch(weights, rnd.nextDouble() * sum);
    String domain = domains[d < 0 ? Math.min(-d - 1, domains.length - 1) : d];
    Instant time = day.atTime(t).atZone(ZONE).toInstant().plusNanos(rnd.nextInt(1_000_000) * 1000L);
    String mac =
        String.format("02:00:00:%02x:%02x:%02x", device >> 16, (device >> 8) & 0xff, device & 0xff);
    String ip = "10.10." + (device >> 8) + "." + (device & 0xff);
    String host = "RM" + (100 + room) + "-CB" + (device % 40);
    String roomName = "RM" + (100 + room);
    return new BlockEvent(
        time,
        ip,
        mac,
        host,
        user,
        domain,
        user == null ? null : "https://" + domain + "/",
        "Games",
        user == null ? "dns" : "squid",
        user == null ? "dns-sinkhole" : "proxy-deny",
        roomName,
        section,
        section == null ? null : "Course " + section,
        section == null ? null : "t" + room,
        period,
        inClass,
        List.of(
            "dns: " + ip + " asked " + domain + ", sinkholed",
            "dhcp: " + ip + " leased to " + mac + " (" + host + ")",
            "room: host name " + host + " names room " + roomName,
            section == null
                ? "no section in session"
                : "section: room " + roomName + " has " + section));
  }
}
