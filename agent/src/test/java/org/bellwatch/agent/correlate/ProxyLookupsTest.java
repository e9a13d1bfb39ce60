package org.bellwatch.agent.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.event.Times;
import org.bellwatch.agent.net.Cidr;
import org.junit.jupiter.api.Test;

class ProxyLookupsTest {
  static final Instant T = Instant.parse("2026-09-15T16:00:00Z");
  final List<BlockEvidence> out = new ArrayList<>();
  final List<String> ignored = new ArrayList<>();
  final ProxyLookups lookups =
      new ProxyLookups(
          List.of(Cidr.parse("10.0.0.8/32")),
          Duration.ofSeconds(60),
          Duration.ofSeconds(900),
          new ProxyLookups.Sink() {
            @Override
            public void evidence(BlockEvidence e) {
              out.add(e);
            }

            @Override
            public void ignored(String reason) {
              ignored.add(reason);
            }
          });

  static BlockEvidence dns(Instant t, String client, String domain) throws Exception {
    return new BlockEvidence(
        t,
        InetAddress.getByName(client),
        domain,
        null,
        null,
        "ads",
        "dnsmasq",
        "dns-block",
        "dnsmasq: " + client + " config " + domain + " is 0.0.0.0 rule config at " + Times.iso(t));
  }

  static BlockEvidence failed(Instant t, String client, String domain) throws Exception {
    return new BlockEvidence(
        t,
        InetAddress.getByName(client),
        domain,
        "http://" + domain + "/",
        "alice",
        null,
        "squid",
        "proxy-dns-block",
        "squid: " + client + " TCP_MISS/503 GET http://" + domain + "/ at " + Times.iso(t));
  }

  @Test
  void onlyDnsBlocksOfTheProxysAddressAreProxyLookups() throws Exception {
    assertThat(lookups.isProxyLookup(dns(T, "10.0.0.8", "x.test"))).isTrue();
    assertThat(lookups.isProxyLookup(dns(T, "10.0.0.9", "x.test"))).isFalse();
    assertThat(lookups.isProxyLookup(failed(T, "10.0.0.8", "x.test")))
        .as("the proxy's own request")
        .isFalse();
  }

  @Test
  void aFailedRequestAfterTheLookupIsABlockOfItsClientWithBothRecordsAtTheRequestsTime()
      throws Exception {
    BlockEvidence dns = dns(T, "10.0.0.8", "x.test");
    BlockEvidence f = failed(T.plusMillis(300), "10.0.1.5", "x.test");
    lookups.lookup(dns);
    lookups.failed(f);

    assertThat(out)
        .containsExactly(
            f,
            new BlockEvidence(
                f.time(),
                f.clientIp(),
                "x.test",
                null,
                null,
                "ads",
                "dnsmasq",
                "proxy-dns-block",
                dns.evidence() + ", the proxy's own lookup"));
  }

  @Test
  void everyRequestTheProxyAnswersFromItsCacheWithinTheWindowJoinsTheOneLookup() throws Exception {
    lookups.lookup(dns(T, "10.0.0.8", "x.test"));
    lookups.failed(failed(T.plusSeconds(1), "10.0.1.5", "x.test"));
    lookups.failed(failed(T.plusSeconds(59), "10.0.1.6", "x.test"));
    lookups.failed(failed(T.plusSeconds(61), "10.0.1.7", "x.test"));
    lookups.finish();

    assertThat(out)
        .extracting(e -> e.clientIp().getHostAddress() + " " + e.source())
        .containsExactly(
            "10.0.1.5 squid", "10.0.1.5 dnsmasq", "10.0.1.6 squid", "10.0.1.6 dnsmasq");
    assertThat(ignored).containsExactly("proxy_failure_without_dns_block");
  }

  @Test
  void aFailedRequestWaitsForTheDnsFiltersLineThatComesLate() throws Exception {
    BlockEvidence f = failed(T, "10.0.1.5", "x.test");
    lookups.failed(f);
    lookups.advanceTo(T.plusSeconds(300));
    assertThat(out).isEmpty();

    lookups.lookup(dns(T.minusMillis(400), "10.0.0.8", "x.test"));
    assertThat(out).extracting(BlockEvidence::source).containsExactly("squid", "dnsmasq");
  }

  @Test
  void aFailedRequestWaitsWhileTheProxysWholeDayIsReadBeforeTheDnsFiltersFile() throws Exception {
    // Regression: an agent started after a stop read the squid log to its end (two hours past the
    // failure)
    // before the DNS filter's log, and the failure had already gone: the sample site lost its two
    // blocks.
    lookups.failed(failed(T, "10.0.1.5", "x.test"));
    lookups.advanceTo(T.plus(Duration.ofHours(2)));
    lookups.lookup(dns(T.minusSeconds(1), "10.0.0.8", "x.test"));
    assertThat(out)
        .extracting(e -> e.clientIp().getHostAddress() + " " + e.source())
        .containsExactly("10.0.1.5 squid", "10.0.1.5 dnsmasq");
  }

  @Test
  void aLookupStampedAfterTheRequestJoinsOnlyWithinTheSkew() throws Exception {
    lookups.failed(failed(T, "10.0.1.5", "x.test"));
    lookups.lookup(dns(T.plusSeconds(5), "10.0.0.8", "x.test"));
    assertThat(out).isEmpty();
    lookups.lookup(dns(T.plusSeconds(2), "10.0.0.8", "x.test"));
    assertThat(out).hasSize(2);
  }

  @Test
  void aLookupOfAnotherNameOrAFailureNoLookupExplainsIsNoBlock() throws Exception {
    lookups.lookup(dns(T, "10.0.0.8", "x.test"));
    lookups.failed(failed(T.plusSeconds(1), "10.0.1.5", "y.test"));
    lookups.advanceTo(T.plus(ProxyLookups.BACKLOG).plusSeconds(3600));

    assertThat(out).isEmpty();
    assertThat(ignored)
        .containsExactlyInAnyOrder(
            "proxy_lookup_without_failed_request", "proxy_failure_without_dns_block");
    assertThat(lookups.held()).isZero();
  }
}
