package org.bellwatch.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Every metric Bellwatch exports, named in this one class (Prometheus adds the {@code bellwatch_} prefix
 * from the dotted names and the {@code _total} suffix of counters). Tags are bounded: stage, protocol,
 * vendor, method, a decoder's named reason, true/false; never an address, user or domain.
 */
public final class BellwatchMeters {
  public static final String FRAMES = "bellwatch.capture.frames";
  public static final String FRAMES_DROPPED = "bellwatch.capture.dropped";
  public static final String PCAP_RECEIVED = "bellwatch.capture.pcap.received";
  public static final String PCAP_DROPPED = "bellwatch.capture.pcap.dropped";
  public static final String PCAP_IF_DROPPED = "bellwatch.capture.pcap.interface.dropped";
  public static final String MESSAGES = "bellwatch.decode.messages";
  public static final String IGNORED = "bellwatch.decode.ignored";
  public static final String MALFORMED = "bellwatch.decode.malformed";
  public static final String REASSEMBLY_DROPPED = "bellwatch.decode.reassembly.dropped";
  public static final String FRAGMENTS_PENDING = "bellwatch.decode.fragments.pending";
  public static final String TCP_FLOWS = "bellwatch.decode.tcp.flows";
  public static final String DNS_TRANSACTIONS = "bellwatch.dns.transactions";
  public static final String DNS_LATENCY = "bellwatch.dns.response.latency";
  public static final String DNS_PENDING = "bellwatch.dns.transactions.pending";
  public static final String LOG_LINES = "bellwatch.logs.lines";
  public static final String LOG_MALFORMED = "bellwatch.logs.malformed";
  public static final String EVIDENCE = "bellwatch.correlate.evidence";
  public static final String BLOCKS = "bellwatch.correlate.blocks";
  public static final String OPEN_ATTEMPTS = "bellwatch.correlate.open.attempts";
  public static final String LEASE_ADDRESSES = "bellwatch.identity.lease.addresses";
  public static final String STORE_WRITES = "bellwatch.store.events.written";
  public static final String STORE_ERRORS = "bellwatch.store.errors";
  public static final String STORE_DISK = "bellwatch.store.disk";
  public static final String STORE_EVENTS = "bellwatch.store.events.estimated";
  public static final String STORE_PENDING_COMPACTION = "bellwatch.store.compaction.pending";
  public static final String STORE_EVICTED_DAYS = "bellwatch.store.evicted.days";
  public static final String RETENTION_RUNS = "bellwatch.store.retention.runs";
  public static final String SOURCE_ERRORS = "bellwatch.source.errors";
  public static final String SCHEDULE_RELOADS = "bellwatch.schedule.reloads";
  public static final String INPUT_QUEUE = "bellwatch.pipeline.input.queued";
  public static final String SYSLOG_RECEIVED = "bellwatch.syslog.received";
  public static final String SYSLOG_REJECTED = "bellwatch.syslog.rejected";
  public static final String SYSLOG_OVERSIZE = "bellwatch.syslog.oversize";
  public static final String SYSLOG_REPAIRED = "bellwatch.syslog.repaired";
  public static final String SYSLOG_DROPPED = "bellwatch.syslog.dropped";
  public static final String SYSLOG_PAUSES = "bellwatch.syslog.pauses";
  public static final String SYSLOG_CONNECTIONS = "bellwatch.syslog.connections.open";
  public static final String WEB_LOGINS = "bellwatch.web.logins";

  private final MeterRegistry registry;
  private final Map<String, Counter> cache = new ConcurrentHashMap<>();

  private final Timer latency;

  private final DeadLetters deadLetters;

  public BellwatchMeters(MeterRegistry registry) {
    this(registry, java.time.Clock.systemUTC());
  }

  /** {@code clock} stamps the dead letters. */
  public BellwatchMeters(MeterRegistry registry, java.time.Clock clock) {
    this.registry = registry;
    this.deadLetters = new DeadLetters(clock);
    this.latency = Timer.builder(DNS_LATENCY).description("Time from a DNS query to its response, as captured")
        .publishPercentileHistogram().register(registry);
  }

  /** The last unparseable lines of each vendor. */
  public DeadLetters deadLetters() {
    return deadLetters;
  }

  /**
   * A log line its parser could not read: counted as a malformed line, by reason, and kept in the
   * dead letters.
   *
   * @param source {@code syslog:<listener>} or {@code file:<path>}
   */
  public void malformedLine(String vendor, String source, String reason, String line) {
    logLine(vendor, "malformed");
    logMalformed(vendor, reason);
    deadLetters.add(vendor, source, reason, line);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void frame(String source) {
    counter(FRAMES, "Link-layer frames read", "source", source).increment();
  }

  public void frameDropped(String reason) {
    counter(FRAMES_DROPPED, "Frames lost between capture and decoding", "reason", reason).increment();
  }

  public void message(String proto) {
    counter(MESSAGES, "DNS and DHCP messages decoded", "proto", proto).increment();
  }

  public void ignored(String reason) {
    counter(IGNORED, "Frames that carry nothing Bellwatch decodes", "reason", reason).increment();
  }

  public void malformed(String reason) {
    counter(MALFORMED, "Frames or messages that failed to decode, by named reason", "reason", reason).increment();
  }

  public void reassemblyDropped(String reason) {
    counter(REASSEMBLY_DROPPED, "IP fragment and DNS-over-TCP reassembly state given up, by named reason",
        "reason", reason).increment();
  }

  /**
   * One DNS transaction outcome ({@code answered}, {@code unanswered}, {@code evicted},
   * {@code duplicate_query}, {@code unmatched_response}); answered ones also record their latency.
   */
  public void dnsTransaction(String outcome, long latencyMicros) {
    counter(DNS_TRANSACTIONS, "DNS queries and responses by pairing outcome", "outcome", outcome).increment();
    if (outcome.equals("answered")) {
      latency.record(Duration.ofNanos(latencyMicros * 1000L));
    }
  }

  public void logLine(String vendor, String result) {
    counter(LOG_LINES, "Filter log lines read, by outcome", "vendor", vendor, "result", result).increment();
  }

  public void logMalformed(String vendor, String reason) {
    counter(LOG_MALFORMED, "Filter log lines that failed to parse, by named reason", "vendor", vendor,
        "reason", reason).increment();
  }

  /** A console login attempt: {@code ok}, {@code failed} or {@code throttled} (backing off). */
  public void login(String result) {
    counter(WEB_LOGINS, "Console login attempts by result", "result", result).increment();
  }

  public void evidence(String method) {
    counter(EVIDENCE, "Block evidence seen (filter denies and DNS policy answers)", "method", method).increment();
  }

  public void block(boolean instructional) {
    counter(BLOCKS, "Blocked attempts attributed", "instructional", Boolean.toString(instructional)).increment();
  }

  public void storeWritten(int n) {
    counter(STORE_WRITES, "Block events written to the store").increment(n);
  }

  public void storeError() {
    counter(STORE_ERRORS, "Failed store writes").increment();
  }

  public void sourceError(String source) {
    counter(SOURCE_ERRORS, "Input sources that failed (unreadable file, capture error)", "source", source).increment();
  }

  public void retentionRun(String result, int evictedDays) {
    counter(RETENTION_RUNS, "Retention passes, by result", "result", result).increment();
    counter(STORE_EVICTED_DAYS, "Whole days of events evicted to stay within the disk budget").increment(evictedDays);
  }

  public void scheduleReload(String result) {
    counter(SCHEDULE_RELOADS, "Schedule folder reloads after a change, by result", "result", result).increment();
  }

  // Syslog: the listener tag is a configured listener name, so it stays bounded.

  public void syslogReceived(String listener, String protocol) {
    counter(SYSLOG_RECEIVED, "Syslog messages framed from allowed senders", "listener", listener,
        "protocol", protocol).increment();
  }

  public void syslogRejected(String listener, String protocol) {
    counter(SYSLOG_REJECTED, "Syslog datagrams and connections from senders outside the allowlist", "listener",
        listener, "protocol", protocol).increment();
  }

  public void syslogOversize(String listener, String protocol) {
    counter(SYSLOG_OVERSIZE, "Syslog messages longer than max_frame_bytes, skipped", "listener", listener,
        "protocol", protocol).increment();
  }

  public void syslogRepaired(String listener, String protocol, String reason) {
    counter(SYSLOG_REPAIRED, "Syslog messages whose text was repaired (invalid_utf8, nul, ansi_escape, "
        + "control_char)", "listener", listener, "protocol", protocol, "reason", reason).increment();
  }

  public void syslogDropped(String listener, String protocol, String reason) {
    counter(SYSLOG_DROPPED, "Syslog records lost before the pipeline, by reason", "listener", listener,
        "protocol", protocol, "reason", reason).increment();
  }

  public void syslogPaused(String listener, String protocol) {
    counter(SYSLOG_PAUSES, "Times a TCP/TLS syslog connection stopped reading because the pipeline queue was full",
        "listener", listener, "protocol", protocol).increment();
  }

  /** Open TCP/TLS connections of one listener. */
  public void syslogConnections(String listener, String protocol, Supplier<Number> value) {
    Gauge.builder(SYSLOG_CONNECTIONS, value).description("Open syslog connections")
        .tags("listener", listener, "protocol", protocol).register(registry);
  }

  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  /** A gauge measured in bytes (Prometheus adds the {@code _bytes} suffix). */
  public void bytesGauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).baseUnit("bytes").register(registry);
  }

  /** A gauge per configured capture interface (names come from config, so the tag stays bounded). */
  public void gauge(String name, String description, String iface, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).tag("interface", iface).register(registry);
  }

  private Counter counter(String name, String description, String... tags) {
    String key = name + String.join("\u0000", tags);
    return cache.computeIfAbsent(key, k -> Counter.builder(name).description(description).tags(tags)
        .register(registry));
  }
}
