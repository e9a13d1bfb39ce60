package org.bellwatch.agent.correlate;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.bellwatch.agent.event.BlockMethod;
import org.bellwatch.agent.net.Cidr;

/**
 * Joins a request the proxy could not fetch with the DNS filter's block of the proxy's own lookup
 * of that name (docs/design.md, "Proxies behind a DNS filter"). The DNS filter sees only the proxy
 * asking; the proxy's log names the person. So a DNS block (on the wire or in a DNS filter's log)
 * whose client is one of the site's proxies ({@code filter.proxy_addresses}) is never a block of
 * the proxy: it is kept here, and each failed request of that name from the proxy's log within the
 * lookup window after it (the proxy caches the answer, so later requests fail without a new lookup)
 * becomes a {@code proxy-dns-block} of that request's client, with both lines as evidence. Both
 * records are given the failed request's time: that is when the person tried.
 *
 * <p>Input arrives in time order with the logs' own lag: the failed request may come before the DNS
 * filter's line (a filter log shipped late), and an agent started after a stop reads each file's
 * backlog in turn, so the proxy's whole day may come before the DNS filter's. Failed requests (and
 * lookups) therefore wait {@link #BACKLOG} of event time, or as long as late evidence may come
 * ({@code correlate.late_evidence_secs}) when that is longer; a join made late reaches the
 * correlator as late evidence, which stores it as its own event. A DNS filter that stamps whole
 * seconds, or whose clock runs a little ahead, may stamp the lookup up to {@link #SKEW} after the
 * request. Memory is bounded: {@link #MAX_HELD} lookups and as many failed requests, the oldest let
 * go first. Not thread-safe: owned by the pipeline thread.
 */
public final class ProxyLookups {
  /** How far after a failed request the DNS filter may stamp the lookup it made for it. */
  static final Duration SKEW = Duration.ofSeconds(2);

  /**
   * How long, in event time, either side waits for the other: a day's backlog of one file read
   * before another's.
   */
  static final Duration BACKLOG = Duration.ofHours(24);

  /**
   * Lookups, and failed requests, held at most: far above a school's proxy's refused names per
   * window.
   */
  static final int MAX_HELD = 10_000;

  /** What the join gives out. */
  public interface Sink {
    /** Evidence of a block of the proxy's client, for the correlator. */
    void evidence(BlockEvidence e);

    /** A record that left without a block, by bounded reason. */
    void ignored(String reason);
  }

  /** A proxy lookup the DNS filter refused; {@code claimed} once a failed request joined it. */
  private static final class Lookup {
    final BlockEvidence dns;
    boolean claimed;

    Lookup(BlockEvidence dns) {
      this.dns = dns;
    }
  }

  private final List<Cidr> proxies;
  private final Duration window;
  private final Duration hold;
  private final Sink sink;
  private final Map<String, List<Lookup>> lookupsByName = new HashMap<>();
  private final ArrayDeque<Lookup> lookups = new ArrayDeque<>();
  private final Map<String, List<BlockEvidence>> failedByName = new HashMap<>();
  private final ArrayDeque<BlockEvidence> failed = new ArrayDeque<>();

  /**
   * @param proxies the addresses the site's proxies look names up from (empty: no join, DNS blocks
   *     stay the asking host's)
   * @param window a failed request joins a lookup this long before it
   * @param hold how long late evidence may come ({@code correlate.late_evidence_secs}): records
   *     wait this long, or {@link #BACKLOG} when that is longer, for the other side
   */
  public ProxyLookups(List<Cidr> proxies, Duration window, Duration hold, Sink sink) {
    this.proxies = List.copyOf(proxies);
    this.window = window;
    this.hold = hold.compareTo(BACKLOG) > 0 ? hold : BACKLOG;
    this.sink = sink;
  }

  /**
   * True for DNS evidence (a sinkhole or NXDOMAIN answer, a DNS filter's block) of a proxy's own
   * lookup.
   */
  public boolean isProxyLookup(BlockEvidence e) {
    return e.clientIp() != null && isDnsMethod(e.method()) && isProxy(e.clientIp());
  }

  private boolean isProxy(InetAddress a) {
    for (int i = 0; i < proxies.size(); i++) {
      if (proxies.get(i).contains(a)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isDnsMethod(String method) {
    return "dns-sinkhole".equals(method)
        || BlockMethod.DNS_BLOCK.equals(method)
        || BlockMethod.DNS_NXDOMAIN.equals(method);
  }

  /**
   * The DNS filter refused a proxy's lookup: failed requests of the name waiting for it become
   * blocks.
   */
  public void lookup(BlockEvidence dns) {
    Lookup l = new Lookup(dns);
    List<BlockEvidence> waiting = failedByName.get(dns.domain());
    if (waiting != null) {
      for (Iterator<BlockEvidence> it = waiting.iterator(); it.hasNext(); ) {
        BlockEvidence f = it.next();
        if (joins(dns, f)) {
          it.remove();
          failed.remove(f);
          join(f, l);
        }
      }
      if (waiting.isEmpty()) {
        failedByName.remove(dns.domain());
      }
    }
    lookupsByName.computeIfAbsent(dns.domain(), k -> new ArrayList<>(2)).add(l);
    lookups.addLast(l);
    if (lookups.size() > MAX_HELD) {
      dropLookup(lookups.pollFirst());
    }
  }

  /**
   * The proxy could not fetch a request ({@code f}: its evidence, method {@code proxy-dns-block}):
   * a block of its client when the DNS filter refused the proxy's lookup of the name; else it waits
   * for that lookup.
   */
  public void failed(BlockEvidence f) {
    Lookup best = null;
    List<Lookup> ls = lookupsByName.get(f.domain());
    if (ls != null) {
      for (Lookup l : ls) {
        if (joins(l.dns, f) && (best == null || l.dns.time().isAfter(best.dns.time()))) {
          best = l;
        }
      }
    }
    if (best != null) {
      join(f, best);
      return;
    }
    failedByName.computeIfAbsent(f.domain(), k -> new ArrayList<>(1)).add(f);
    failed.addLast(f);
    if (failed.size() > MAX_HELD) {
      dropFailed(failed.pollFirst());
    }
  }

  /**
   * The lookup lies within the window before the failed request (or up to {@link #SKEW} after it).
   */
  private boolean joins(BlockEvidence dns, BlockEvidence f) {
    return !dns.time().isBefore(f.time().minus(window)) && !dns.time().isAfter(f.time().plus(SKEW));
  }

  private void join(BlockEvidence f, Lookup l) {
    l.claimed = true;
    BlockEvidence dns = l.dns;
    sink.evidence(f);
    sink.evidence(
        new BlockEvidence(
            f.time(),
            f.clientIp(),
            f.domain(),
            null,
            null,
            dns.category(),
            dns.source(),
            BlockMethod.PROXY_DNS_BLOCK,
            dns.evidence() + ", the proxy's own lookup"));
  }

  /**
   * Lets go of lookups no failed request can join any more, and failed requests no lookup will come
   * for.
   */
  public void advanceTo(Instant t) {
    Instant lookupCut = t.minus(window).minus(hold);
    while (!lookups.isEmpty() && lookups.peekFirst().dns.time().isBefore(lookupCut)) {
      dropLookup(lookups.pollFirst());
    }
    Instant failedCut = t.minus(hold);
    while (!failed.isEmpty() && failed.peekFirst().time().isBefore(failedCut)) {
      dropFailed(failed.pollFirst());
    }
  }

  private void dropLookup(Lookup l) {
    List<Lookup> ls = lookupsByName.get(l.dns.domain());
    if (ls != null) {
      ls.remove(l);
      if (ls.isEmpty()) {
        lookupsByName.remove(l.dns.domain());
      }
    }
    if (!l.claimed) {
      sink.ignored("proxy_lookup_without_failed_request");
    }
  }

  private void dropFailed(BlockEvidence f) {
    List<BlockEvidence> fs = failedByName.get(f.domain());
    if (fs != null) {
      fs.remove(f);
      if (fs.isEmpty()) {
        failedByName.remove(f.domain());
      }
    }
    sink.ignored("proxy_failure_without_dns_block");
  }

  /** End of input: lets go of everything held. */
  public void finish() {
    advanceTo(Instant.MAX);
  }

  /** Lookups and failed requests held. */
  public int held() {
    return lookups.size() + failed.size();
  }
}
