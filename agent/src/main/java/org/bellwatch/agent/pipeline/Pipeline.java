package org.bellwatch.agent.pipeline;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.correlate.AttemptSink;
import org.bellwatch.agent.correlate.Attributor;
import org.bellwatch.agent.correlate.BlockEvidence;
import org.bellwatch.agent.correlate.BlockPages;
import org.bellwatch.agent.correlate.Correlator;
import org.bellwatch.agent.correlate.DnsBlockDetector;
import org.bellwatch.agent.correlate.ProxyLookups;
import org.bellwatch.agent.correlate.StoredAttempts;
import org.bellwatch.agent.decode.IpPacket;
import org.bellwatch.agent.decode.Ports;
import org.bellwatch.agent.decode.UdpDatagram;
import org.bellwatch.agent.decode.dhcp.DhcpMessage;
import org.bellwatch.agent.decode.dhcp6.Dhcp6Message;
import org.bellwatch.agent.decode.dns.DnsMessage;
import org.bellwatch.agent.decode.dns.DnsTransactions;
import org.bellwatch.agent.decode.frame.FrameDecoder;
import org.bellwatch.agent.decode.nd.NdMessage;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.event.BlockMethod;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.LeaseObservation;
import org.bellwatch.agent.event.ParsedRecord;
import org.bellwatch.agent.event.RawFrame;
import org.bellwatch.agent.event.Times;
import org.bellwatch.agent.identity.Ipv6Bindings;
import org.bellwatch.agent.identity.LeaseTable;
import org.bellwatch.agent.identity.SiteDomains;
import org.bellwatch.agent.ingest.tail.LinePosition;
import org.bellwatch.agent.ingest.tail.Mark;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.metrics.CorrelateMetrics;
import org.bellwatch.agent.metrics.DecodeMetrics;
import org.bellwatch.agent.metrics.IdentityMetrics;

/**
 * The one pipeline that {@code run} and {@code replay} share: frames and filter-log events go in,
 * in time order; attributed {@link BlockEvent}s come out (and replace earlier ones when late
 * evidence joins them). Single-threaded by design (one owner of the lease table and the open
 * attempts); sources hand their input to it in order.
 *
 * <p>Design note (one class): the pipeline is the one owner of the state every input touches (the
 * lease table, IPv6 bindings, site domains, DNS transactions, the correlator, and the input time
 * that lease pruning and proxy lookups follow); each input kind is a few lines over that shared
 * bookkeeping, and keeping them together keeps the single-threaded ownership visible. What needs
 * none of it lives apart: counting what the correlator gives out ({@link CountedAttempts}), the
 * decoders, the correlator, the gauges (metrics binders).
 */
public final class Pipeline {
  /** RFC 2131 leaves a lease without option 51 undefined; an hour is what most servers hand out. */
  static final long DEFAULT_LEASE_SECS = 3600;

  /**
   * Lease records kept in memory: those that ended within this long. Late input within it (a
   * week-long outage's log files read back) still finds the devices; older records stay in the
   * store for evidence until retention deletes them.
   */
  static final Duration LEASE_MEMORY = Duration.ofDays(8);

  private final LeaseTable leases;
  private final Ipv6Bindings ipv6;
  private final DnsBlockDetector detector;
  private final SiteDomains siteDomains;
  private final Correlator correlator;
  private final BlockPages blockPages;
  private final ProxyLookups proxyLookups;
  private final OffsetLedger ledger;
  private final BellwatchMeters meters;

  /** Queries waiting for responses; 100k in flight is far above a school's peak. */
  static final int MAX_PENDING_QUERIES = 100_000;

  /** A resolver gives up well before this (RFC 1536 section 1: retransmit after a few seconds). */
  static final long QUERY_TIMEOUT_MICROS = 10_000_000L;

  private final FrameDecoder decoder = new FrameDecoder();
  private final DnsTransactions transactions =
      new DnsTransactions(MAX_PENDING_QUERIES, QUERY_TIMEOUT_MICROS);
  private final DnsTransactions.Listener outcomes;
  private final FrameDecoder.Sink sink =
      new FrameDecoder.Sink() {
        @Override
        public void dns(UdpDatagram d, DnsMessage m) {
          onDns(d, m);
        }

        @Override
        public void dns(UdpDatagram d, DnsMessage m, String etherSource) {
          if (!m.response() && d.dport() == Ports.DNS) {
            ipv6.query(Times.ofEpochMicros(d.epochMicros()), d.src(), etherSource);
          }
          onDns(d, m);
        }

        @Override
        public void dhcp(UdpDatagram d, DhcpMessage m) {
          onDhcp(d, m);
        }

        @Override
        public void dhcp(UdpDatagram d, DhcpMessage m, String etherSource) {
          if (m.op() == 2 && m.giaddr() != null) {
            ipv6.router(
                etherSource); // a relayed reply comes from the relay agent: the gateway (RFC 2131
            // section 4.1)
          }
          onDhcp(d, m);
        }

        @Override
        public void dhcp6(UdpDatagram d, Dhcp6Message m, String etherSource) {
          meters.message("dhcp6");
          onLink(d.epochMicros(), t -> ipv6.dhcp6(t, d.src(), m, etherSource));
        }

        @Override
        public void nd(IpPacket p, NdMessage m, String etherSource) {
          meters.message("nd");
          onLink(p.epochMicros(), t -> ipv6.nd(t, p.src(), m, etherSource));
        }

        @Override
        public void ignored(String reason) {
          meters.ignored(reason);
        }

        @Override
        public void malformed(String reason) {
          meters.malformed(reason);
        }

        @Override
        public void dropped(String reason) {
          meters.reassemblyDropped(reason);
        }
      };

  /**
   * A pipeline with nothing stored (tests): attempts given out live only in the correlator's
   * memory; the site's domains are only those its DHCP hands out.
   */
  public Pipeline(
      LeaseTable leases,
      DnsBlockDetector detector,
      Attributor attributor,
      BellwatchConfig.Correlate windows,
      BellwatchMeters meters,
      AttemptSink sink) {
    this(
        leases,
        detector,
        attributor,
        new SiteDomains(List.of()),
        windows,
        BellwatchConfig.Filter.DEFAULTS,
        meters,
        new OffsetLedger(),
        StoredAttempts.NONE,
        Instant.MIN,
        sink);
  }

  /**
   * {@code siteDomains}: the site's own domains (configured; the pipeline adds what DHCP hands
   * out). {@code ledger} learns which tailed lines each event came from (the sink asks it); {@code
   * stored} finds attempts given out before (late evidence joins them), the newest of which began
   * at {@code storedUpTo}. {@code filter} says which proxy redirects are blocks and which addresses
   * are the site's proxies.
   */
  Pipeline(
      LeaseTable leases,
      DnsBlockDetector detector,
      Attributor attributor,
      SiteDomains siteDomains,
      BellwatchConfig.Correlate windows,
      BellwatchConfig.Filter filter,
      BellwatchMeters meters,
      OffsetLedger ledger,
      StoredAttempts stored,
      Instant storedUpTo,
      AttemptSink sink) {
    this.siteDomains = siteDomains;
    this.ledger = ledger;
    this.leases = leases;
    this.detector = detector;
    this.meters = meters;
    this.outcomes = (o, latency) -> meters.dnsTransaction(o.id(), latency);
    this.correlator =
        new Correlator(
            attributor,
            new Correlator.Windows(
                windows.mergeWindow(), windows.reorderWindow(), windows.lateEvidence()),
            stored,
            storedUpTo,
            new CountedAttempts(ledger, meters, sink));
    this.blockPages = new BlockPages(filter.blockPageHosts(), filter.redirectsAreBlocks());
    this.proxyLookups =
        new ProxyLookups(
            filter.proxyAddresses(),
            filter.proxyLookupWindow(),
            windows.lateEvidence(),
            new ProxyLookups.Sink() {
              @Override
              public void evidence(BlockEvidence e) {
                meters.evidence(e.method());
                correlator.offer(e);
              }

              @Override
              public void ignored(String reason) {
                meters.ignored(reason);
              }
            });
    this.ipv6 =
        new Ipv6Bindings(
            leases,
            (ip, how) -> {
              meters.ipv6Binding(how.tag());
              correlator.identityChanged(ip);
            });
    meters.bind(
        new DecodeMetrics(
            decoder::pendingFragmentDatagrams, decoder::tcpFlows, transactions::pending),
        new CorrelateMetrics(correlator::openAttempts, correlator::rememberedAttempts),
        new IdentityMetrics(
            leases::addressCount, leases::recordCount, leases::hostnameCount, siteDomains::size));
  }

  /**
   * Where evidence and DHCP facts from live capture are written ahead before they change anything
   * in memory (docs/design.md, "Intake journal"): gives the record's journal position, or null when
   * it was not journaled. Frames of capture files are not journaled: the file is read again at the
   * next start.
   */
  interface CaptureJournal {
    CaptureJournal NONE = record -> null;

    LinePosition append(Object record);
  }

  private CaptureJournal captureJournal = CaptureJournal.NONE;

  /** The frame being decoded came from a live interface. */
  private boolean liveFrame;

  void journalCapture(CaptureJournal journal) {
    this.captureJournal = journal;
  }

  /** One captured frame; {@code source} is a bounded label such as {@code file} or {@code live}. */
  public void onFrame(RawFrame frame, String source) {
    meters.frame(source);
    liveFrame = "live".equals(source);
    decoder.decode(frame, sink);
  }

  /**
   * True for a log record that can change what is stored (a block with a domain, or any DHCP lease
   * observation); other records only move event time forward, and losing one in a crash changes
   * nothing.
   */
  static boolean mayChangeEvents(ParsedRecord r) {
    return r instanceof LeaseObservation
        || r instanceof FilterEvent e && e.action() == Action.BLOCKED && e.domain() != null;
  }

  /**
   * A journaled capture record read back at start ({@link BlockEvidence} or {@link CapturedDhcp}).
   */
  void onJournaledCapture(Object record, LinePosition at) {
    if (record instanceof BlockEvidence e) {
      input(e.time().getEpochSecond());
      offerAt(e, at);
    } else {
      applyDhcp((CapturedDhcp) record);
    }
    ledger.delivered(at.source(), at.end());
  }

  /**
   * Evidence at its journal or file position ({@code null} when not journaled). A proxy's own
   * lookup is not held open in the ledger: it waits in {@link ProxyLookups}, in memory only
   * (docs/design.md).
   */
  private void offerAt(BlockEvidence evidence, LinePosition at) {
    if (at != null && !proxyLookups.isProxyLookup(evidence)) {
      ledger.opened(evidence, at);
    }
    offer(evidence);
  }

  /**
   * The latest time any input carried (packets, log records), in epoch seconds (a log line may
   * carry any year: seconds cannot overflow); unlike the event time, idle ticks do not move it.
   * Lease records are pruned relative to it (see {@link #forgetOldLeases}).
   */
  private long inputSeconds = Long.MIN_VALUE;

  private Instant nextLeasePrune = Instant.MIN;

  private void input(long epochSecond) {
    if (epochSecond > inputSeconds) {
      inputSeconds = epochSecond;
    }
  }

  private void onDns(UdpDatagram d, DnsMessage m) {
    meters.message("dns");
    input(Math.floorDiv(d.epochMicros(), 1_000_000L));
    transactions.observe(d, m, outcomes);
    BlockEvidence evidence = detector.detect(d, m);
    if (evidence != null && !siteLocal(evidence.method(), evidence.domain())) {
      LinePosition at = liveFrame ? captureJournal.append(evidence) : null;
      offerAt(evidence, at);
      if (at != null) {
        ledger.delivered(at.source(), at.end());
      }
    } else {
      advanceCorrelation(Times.ofEpochMicros(d.epochMicros()));
    }
  }

  /**
   * Evidence of a block, to the correlator; a DNS block of a proxy's own lookup instead waits for
   * the request it failed, which makes it a block of the proxy's client ({@link ProxyLookups}).
   */
  private void offer(BlockEvidence evidence) {
    if (proxyLookups.isProxyLookup(evidence)) {
      advanceCorrelation(evidence.time());
      proxyLookups.lookup(evidence);
      return;
    }
    meters.evidence(evidence.method());
    correlator.offer(evidence);
  }

  /** The latest time input carried, for the proxy lookups (idle ticks do not move it). */
  private Instant inputTime = Instant.MIN;

  /**
   * Event time moves for the correlator and for the proxy lookups it waits with. The lookups follow
   * input only: an agent catching up on files one after another goes idle between them, and an idle
   * tick (the wall clock) would let a failed request go before the DNS filter's file is read.
   */
  private void advanceCorrelation(Instant t) {
    correlator.advanceTo(t);
    if (t.isAfter(inputTime)) {
      inputTime = t;
    }
    proxyLookups.advanceTo(inputTime);
  }

  /**
   * True, and counted, for an answer that a name at or under the site's own domains does not exist:
   * the site's namespace answering, not a filter's policy (docs/design.md, "Site-local names").
   */
  private boolean siteLocal(String method, String domain) {
    if (BlockMethod.DNS_NXDOMAIN.equals(method) && siteDomains.covers(domain)) {
      meters.ignored("nxdomain_for_site_local_name");
      return true;
    }
    return false;
  }

  /**
   * The site's domains the server handed out (options 15 and 119), from a captured or logged
   * acknowledgement.
   */
  private void learnSiteDomains(String domainName, List<String> searchList) {
    if (domainName != null) {
      learnSiteDomain(domainName);
    }
    if (searchList != null) {
      searchList.forEach(this::learnSiteDomain);
    }
  }

  private void learnSiteDomain(String domain) {
    if (!siteDomains.learn(domain)) {
      meters.ignored("dhcp_domain_not_a_site_domain");
    }
  }

  /** A neighbor discovery or DHCPv6 message at {@code epochMicros}: it may bind an IPv6 address. */
  private void onLink(long epochMicros, java.util.function.Consumer<Instant> learn) {
    input(Math.floorDiv(epochMicros, 1_000_000L));
    Instant t = Times.ofEpochMicros(epochMicros);
    learn.accept(t);
    advanceCorrelation(t);
  }

  private void onDhcp(UdpDatagram d, DhcpMessage m) {
    meters.message("dhcp");
    CapturedDhcp c = CapturedDhcp.of(d, m);
    LinePosition at = liveFrame ? captureJournal.append(c) : null;
    applyDhcp(c);
    if (at != null) {
      ledger.delivered(at.source(), at.end());
    }
  }

  private void applyDhcp(CapturedDhcp m) {
    Instant t = m.time();
    input(t.getEpochSecond());
    leases.observeHostname(m.chaddr(), m.hostname());
    leases.observeCircuit(m.chaddr(), m.relayCircuitId());
    switch (m.msgType()) {
      case DhcpMessage.ACK -> {
        if (m.yiaddr() != null && m.chaddr() != null) {
          long secs = m.leaseSecs() == null ? DEFAULT_LEASE_SECS : m.leaseSecs();
          String evidence =
              "DHCP ACK from " + AddressText.address(m.server()) + " at " + Times.iso(t);
          leases.acknowledge(m.yiaddr(), m.chaddr(), m.hostname(), t, secs, evidence);
          correlator.identityChanged(m.yiaddr());
        }
        learnSiteDomains(m.domainName(), m.domainSearch());
      }
      case DhcpMessage.RELEASE -> release(m.ciaddr(), m.chaddr(), t);
      case DhcpMessage.DECLINE -> release(m.requestedIp(), m.chaddr(), t);
      default -> {}
    }
    advanceCorrelation(t);
  }

  private void release(InetAddress ip, String mac, Instant t) {
    if (ip != null && mac != null) {
      leases.end(ip, mac, t);
      correlator.identityChanged(ip);
    }
  }

  /**
   * One parsed filter-log record; blocks with a host name and a client address or a user become
   * evidence. A block with a user but no client address (a browser-extension filter such as
   * GoGuardian logs none) has no device, but the user's enrollment can still place it in a section.
   * A block with neither cannot be tied to anyone: it is counted as ignored ({@code
   * block_without_client_ip_or_user}), not guessed.
   */
  public void onFilterEvent(FilterEvent e) {
    onFilterEvent(e, null);
  }

  /**
   * One record of a tailed file, at {@code at}: processed like any other, then the ledger learns
   * that the pipeline is done with its line (its evidence, if any, is in the correlator).
   */
  void onTailed(ParsedRecord record, LinePosition at) {
    onRecord(record, at);
    ledger.delivered(at.source(), at.end());
  }

  /** One parsed log record that came without a file position (syslog). */
  void onRecord(ParsedRecord record) {
    onRecord(record, null);
  }

  private void onRecord(ParsedRecord record, LinePosition at) {
    // ParsedRecord is sealed to these two (Java 17 has no pattern switch).
    if (record instanceof FilterEvent e) {
      onFilterEvent(e, at);
    } else {
      onLeaseObservation((LeaseObservation) record);
    }
  }

  /** Every line of a tailed file before {@code end} has been handed on. */
  void onTailProgress(String source, Mark end) {
    ledger.delivered(source, end);
  }

  private void onFilterEvent(FilterEvent e, LinePosition at) {
    meters.logLine(e.vendor(), e.action().id());
    input(e.time().getEpochSecond());
    if (e.action() == Action.REDIRECTED) {
      BlockPages.Verdict v = blockPages.judge(e);
      if (!v.block()) {
        meters.ignored(v.reason());
        advanceCorrelation(e.time());
        return;
      }
      e = e.judged(Action.BLOCKED, BlockMethod.PROXY_REDIRECT);
    }
    if (e.action() == Action.FAILED && e.domain() != null && e.clientIp() != null) {
      advanceCorrelation(e.time());
      proxyLookups.failed(evidenceOf(e.judged(Action.BLOCKED, BlockMethod.PROXY_DNS_BLOCK)));
      return;
    }
    if (e.action() != Action.BLOCKED || e.domain() == null) {
      advanceCorrelation(e.time());
      return;
    }
    if (e.clientIp() == null && e.user() == null) {
      meters.ignored("block_without_client_ip_or_user");
      advanceCorrelation(e.time());
      return;
    }
    if (siteLocal(e.method(), e.domain())) {
      advanceCorrelation(e.time());
      return;
    }
    offerAt(evidenceOf(e), at);
  }

  private static BlockEvidence evidenceOf(FilterEvent e) {
    String client =
        e.clientIp() == null ? "(no client address)" : AddressText.address(e.clientIp());
    return new BlockEvidence(
        e.time(),
        e.clientIp(),
        e.domain(),
        e.url(),
        e.user(),
        e.category(),
        e.vendor(),
        e.method(),
        e.vendor()
            + ": "
            + client
            + " "
            + e.summary()
            + (e.rule() == null ? "" : " rule " + e.rule())
            + " at "
            + Times.iso(e.time()));
  }

  /**
   * One DHCP server log record: an ACK binds the address to the client in the lease table as a
   * captured DHCPACK would; a RELEASE, EXPIRE or DECLINE ends that binding; other kinds only teach
   * the client's host name.
   */
  public void onLeaseObservation(LeaseObservation o) {
    meters.logLine(o.vendor(), "lease_" + o.kind().name().toLowerCase(java.util.Locale.ROOT));
    input(o.time().getEpochSecond());
    if (o.mac() != null) {
      leases.observeHostname(o.mac(), o.hostname());
    }
    switch (o.kind()) {
      case ACK -> {
        if (o.ip() != null && o.mac() != null) {
          long secs = o.leaseSecs() == null ? DEFAULT_LEASE_SECS : o.leaseSecs();
          leases.acknowledge(
              o.ip(),
              o.mac(),
              o.hostname(),
              o.time(),
              secs,
              o.vendor()
                  + " log: "
                  + AddressText.address(o.ip())
                  + " to "
                  + o.mac()
                  + " at "
                  + Times.iso(o.time()));
          correlator.identityChanged(o.ip());
        }
      }
      case RELEASE, EXPIRE, DECLINE -> release(o.ip(), o.mac(), o.time());
      case DOMAIN -> learnSiteDomains(null, o.domains());
      default -> {}
    }
    advanceCorrelation(o.time());
  }

  /** Moves event time forward when input is idle (live sources), closing finished attempts. */
  public void advanceTo(Instant t) {
    decoder.advanceTo(Times.epochMicros(t), sink);
    transactions.advanceTo(Times.epochMicros(t), outcomes);
    correlator.advanceTo(t);
  }

  /**
   * At most hourly, forgets lease records that ended more than {@link #LEASE_MEMORY} before the
   * earlier of {@code wall} and the latest time an input carried (not the event time, which idle
   * ticks move to the wall clock): logs of past days read back, or a capture replayed, keep their
   * leases, and a clock set ahead or a log line stamped in the future alone cannot make the agent
   * forget devices. The store keeps the records (see LeaseTable#prune).
   */
  void forgetOldLeases(Instant wall) {
    if (inputSeconds == Long.MIN_VALUE) {
      return;
    }
    Instant input = Instant.ofEpochSecond(inputSeconds);
    Instant now = wall.isBefore(input) ? wall : input;
    if (now.isAfter(Instant.EPOCH) && !now.isBefore(nextLeasePrune)) {
      leases.prune(now.minus(LEASE_MEMORY));
      nextLeasePrune = now.plus(Duration.ofHours(1));
    }
  }

  /** How far event time has moved, by input or {@link #advanceTo}. */
  Instant eventTime() {
    return correlator.watermark();
  }

  /** Emits every open attempt: end of input or shutdown. */
  public void finish() {
    transactions.finish(outcomes);
    proxyLookups.finish();
    correlator.flush();
  }
}
