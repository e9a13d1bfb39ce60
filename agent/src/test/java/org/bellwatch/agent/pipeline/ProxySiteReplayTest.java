package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.event.Times;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.parse.SyslogHeader;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.testing.BlockLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Blocks that a proxy's redirector and the DNS filter behind the proxy make, from the logs of the
 * real programs ({@link ProxySite}: squid, squidGuard and dnsmasq on loopback, driven with curl),
 * replayed through the pipeline as {@code bellwatch replay} does. The site runs once for all the
 * tests: alice (client 21) asks for two listed sites over http and one through CONNECT (squidGuard
 * redirects each to the block page with a 302), a rewritten page (a 302 elsewhere: no block), a
 * sinkholed name (squid cannot connect to 0.0.0.0: 503), a name the DNS filter answers NXDOMAIN
 * (squid 5 logs 502) and a name whose server is down (503: no block); bob (client 22) then asks for
 * the sinkholed name again, which squid answers from its DNS cache without a new lookup.
 */
class ProxySiteReplayTest {
  static ProxySite site;
  static String alice;
  static String bob;
  static final List<ProxySite.Request> requests = new ArrayList<>();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeAll
  static void runTheSite() throws Exception {
    site = ProxySite.start();
    alice = site.client(21);
    bob = site.client(22);
    try {
      for (String url :
          List.of(
              "http://blocked.test/page?q=1",
              "http://www.games.test/play",
              "https://games.test/",
              "http://old.test/x",
              "http://sinkholed.test/x",
              "http://nx.test/a",
              "http://allowed.test/")) {
        requests.add(site.get(alice, "alice", url));
      }
      requests.add(site.get(bob, "bob", "http://sinkholed.test/again"));
    } finally {
      site.stop();
    }
  }

  @AfterAll
  static void removeTheSite() throws Exception {
    if (site != null) {
      try (var files = Files.walk(site.dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void curlSawTheAnswersOfTheRealPrograms() {
    assertThat(requests)
        .extracting(ProxySite.Request::url, ProxySite.Request::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("http://blocked.test/page?q=1", 302),
            org.assertj.core.groups.Tuple.tuple("http://www.games.test/play", 302),
            org.assertj.core.groups.Tuple.tuple("https://games.test/", 302),
            org.assertj.core.groups.Tuple.tuple("http://old.test/x", 302),
            org.assertj.core.groups.Tuple.tuple("http://sinkholed.test/x", 503),
            org.assertj.core.groups.Tuple.tuple("http://nx.test/a", 502),
            org.assertj.core.groups.Tuple.tuple("http://allowed.test/", 503),
            org.assertj.core.groups.Tuple.tuple("http://sinkholed.test/again", 503));
  }

  @Test
  void everyRedirectToTheBlockPageIsOneBlockWithSquidsLineAndSquidGuardsLine() throws Exception {
    List<BlockEvent> blocks =
        replay(
            "filter: {block_page_hosts: [" + ProxySite.BLOCK_PAGE + "]}",
            "[{vendor: squid, path: '"
                + site.squidLocationLog()
                + "'}, {vendor: squidguard, path: '"
                + site.squidGuardLog()
                + "'}]");

    assertThat(blocks)
        .containsExactlyInAnyOrder(
            redirect(
                "blocked.test",
                "http://blocked.test/page?q=1",
                "adult",
                "GET",
                "http://blocked.test/page?",
                "http://"
                    + ProxySite.BLOCK_PAGE
                    + "/denied?client="
                    + alice
                    + "&cat=adult&url=http://blocked.test/page?q=1"),
            redirect(
                "www.games.test",
                "http://www.games.test/play",
                "games",
                "GET",
                "http://www.games.test/play",
                "http://"
                    + ProxySite.BLOCK_PAGE
                    + "/blocked?cat=games&url=http://www.games.test/play"),
            redirect(
                "games.test",
                "games.test:443",
                "games",
                "CONNECT",
                "games.test:443",
                "http://" + ProxySite.BLOCK_PAGE + "/blocked?cat=games&url=games.test:443"));
    assertThat(ignored("redirect_not_to_block_page")).as("old.test to new.test").isEqualTo(1);
  }

  @Test
  void withSquidsNativeLogSquidGuardsOwnLogGivesEachRedirectBlockOnce() throws Exception {
    List<BlockEvent> blocks =
        replay(
            "filter: {block_page_hosts: [" + ProxySite.BLOCK_PAGE + "]}",
            "[{vendor: squid, path: '"
                + site.squidLog()
                + "'}, {vendor: squidguard, path: '"
                + site.squidGuardLog()
                + "'}]");

    assertThat(blocks)
        .extracting(
            b ->
                b.domain()
                    + " "
                    + b.method()
                    + " "
                    + b.category()
                    + " "
                    + b.user()
                    + " "
                    + b.evidence().get(0).substring(0, b.evidence().get(0).indexOf(':'))
                    + " "
                    + b.evidence().get(1).substring(0, b.evidence().get(1).indexOf(':')))
        .containsExactlyInAnyOrder(
            "blocked.test proxy-redirect adult alice squidguard dhcp",
            "www.games.test proxy-redirect games alice squidguard dhcp",
            "games.test proxy-redirect games alice squidguard dhcp");
    assertThat(ignored("redirect_target_not_logged"))
        .as("squid's four redirects, old.test's too")
        .isEqualTo(4);
  }

  @Test
  void aRequestWhoseNameTheDnsFilterRefusedTheProxyIsOneBlockOfTheProxysClientWithBothLines()
      throws Exception {
    List<BlockEvent> blocks =
        replay(
            "filter: {proxy_addresses: ['" + site.proxyAddress + "']}",
            "[{vendor: squid, path: '"
                + site.squidLog()
                + "'}, {vendor: dnsmasq, path: '"
                + site.dnsmasqLog()
                + "'}]");

    assertThat(blocks)
        .containsExactlyInAnyOrder(
            dnsBlock(
                alice,
                "alice",
                "sinkholed.test",
                "http://sinkholed.test/x",
                "TCP_MISS/503",
                "0.0.0.0"),
            dnsBlock(alice, "alice", "nx.test", "http://nx.test/a", "TCP_MISS/502", "NXDOMAIN"),
            dnsBlock(
                bob,
                "bob",
                "sinkholed.test",
                "http://sinkholed.test/again",
                "TCP_MISS/503",
                "0.0.0.0"));
    assertThat(ignored("proxy_failure_without_dns_block"))
        .as("allowed.test's server is down")
        .isEqualTo(1);
  }

  @Test
  void withoutTheProxysAddressItsLookupsAreItsOwnBlocksAndItsFailuresNone() throws Exception {
    List<BlockEvent> blocks =
        replay(
            "",
            "[{vendor: squid, path: '"
                + site.squidLog()
                + "'}, {vendor: dnsmasq, path: '"
                + site.dnsmasqLog()
                + "'}]");

    assertThat(blocks).extracting(BlockEvent::clientIp).containsOnly(site.proxyAddress);
    assertThat(blocks)
        .extracting(BlockEvent::domain)
        .containsExactlyInAnyOrder("sinkholed.test", "nx.test");
  }

  private List<BlockEvent> replay(String filter, String logs) throws Exception {
    Path dir = Files.createTempDirectory(site.dir, "replay");
    Path config = dir.resolve("bellwatch.yaml");
    Files.writeString(
        config, "site: {timezone: UTC}\n" + filter + "\nlogs:\n  files: " + logs + "\n");
    BellwatchConfig cfg = ConfigLoader.load(config);
    BellwatchMeters meters = new BellwatchMeters(registry);
    BlockLog log = new BlockLog();
    SiteModel none = SiteModel.load(null, cfg.site().timezone());
    Pipeline pipeline = Pipelines.create(cfg, () -> none, meters, log);
    FileReplay.replay(List.of(), cfg.logs().files(), pipeline, meters);
    pipeline.finish();
    return log.events();
  }

  private double ignored(String reason) {
    return registry.counter("bellwatch.decode.ignored", "reason", reason).count();
  }

  /**
   * alice's redirect block: squidGuard's line (whole seconds, written as it redirected, so first)
   * and squid's line of the same request, which names the block page.
   */
  private static BlockEvent redirect(
      String domain,
      String loggedUrl,
      String category,
      String method,
      String squidUrl,
      String location)
      throws Exception {
    String guard = line(site.squidGuardLog(), " " + loggedUrl + " ");
    Instant guardTime =
        java.time.LocalDateTime.parse(guard.substring(0, 19).replace(' ', 'T'))
            .toInstant(java.time.ZoneOffset.UTC);
    String squid = line(site.squidLocationLog(), " " + method + " " + squidUrl + " ");
    Instant squidTime = SyslogHeader.epoch(squid.substring(0, squid.indexOf(' ')));
    return new BlockEvent(
        guardTime,
        alice,
        null,
        null,
        "alice",
        domain,
        loggedUrl,
        category,
        "squidguard",
        "proxy-redirect",
        null,
        null,
        null,
        null,
        null,
        false,
        List.of(
            "squidguard: "
                + alice
                + " redirected "
                + method
                + " "
                + loggedUrl
                + " ("
                + category
                + ") user alice rule default at "
                + Times.iso(guardTime),
            "squid: "
                + alice
                + " TCP_REDIRECT/302 "
                + method
                + " "
                + squidUrl
                + " user alice to "
                + location
                + " at "
                + Times.iso(squidTime),
            "dhcp: no lease known for " + alice + " at " + Times.iso(guardTime),
            "user: alice is not in the roster",
            "schedule: no bell period at " + Times.iso(guardTime),
            "room unknown: the time is outside instructional periods"));
  }

  /**
   * A block of the proxy's client: squid's failed request and dnsmasq's refusal of the proxy's
   * lookup.
   */
  private static BlockEvent dnsBlock(
      String client, String user, String domain, String url, String result, String answer)
      throws Exception {
    String squid = line(site.squidLog(), " " + client + " " + result + " ", " GET " + url + " ");
    Instant t = SyslogHeader.epoch(squid.substring(0, squid.indexOf(' ')));
    List<String> refusals =
        ProxySite.lines(site.dnsmasqLog()).stream()
            .filter(l -> l.contains("config " + domain + " is " + answer))
            .toList();
    String dns = refusals.get(refusals.size() - 1);
    Instant dnsTime =
        java.time.LocalDateTime.parse(
                Instant.now().atZone(java.time.ZoneOffset.UTC).getYear()
                    + " "
                    + dns.substring(0, 15),
                java.time.format.DateTimeFormatter.ofPattern(
                    "yyyy MMM ppd HH:mm:ss", java.util.Locale.ROOT))
            .toInstant(java.time.ZoneOffset.UTC);
    return new BlockEvent(
        t,
        client,
        null,
        null,
        user,
        domain,
        url,
        null,
        "squid",
        "proxy-dns-block",
        null,
        null,
        null,
        null,
        null,
        false,
        List.of(
            "squid: "
                + client
                + " "
                + result
                + " GET "
                + url
                + " user "
                + user
                + " at "
                + Times.iso(t),
            "dnsmasq: "
                + site.proxyAddress
                + " config "
                + domain
                + " is "
                + answer
                + " rule config at "
                + Times.iso(dnsTime)
                + ", the proxy's own lookup",
            "dhcp: no lease known for " + client + " at " + Times.iso(t),
            "user: " + user + " is not in the roster",
            "schedule: no bell period at " + Times.iso(t),
            "room unknown: the time is outside instructional periods"));
  }

  private static String line(Path log, String... parts) throws Exception {
    List<String> found =
        ProxySite.lines(log).stream()
            .filter(l -> java.util.Arrays.stream(parts).allMatch(l::contains))
            .toList();
    assertThat(found).as("%s in %s", List.of(parts), log).hasSize(1);
    return found.get(0);
  }
}
