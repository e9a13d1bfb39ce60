package org.bellwatch.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Every metric Bellwatch exports, named in this one class (Prometheus adds the {@code bellwatch_}
 * prefix from the dotted names and the {@code _total} suffix of counters). Tags are bounded: stage,
 * protocol, vendor, method, a decoder's named reason, true/false; never an address, user or domain.
 * The two tags whose values come from outside the code (a block's filter category and its bell
 * period) pass through a {@link TagLimit}: the first {@value #MAX_CATEGORIES} categories and
 * {@value #MAX_PERIODS} periods seen keep their name, later ones count as {@code other}.
 *
 * <p>{@code promtool check metrics} runs on the output in the tests: counters end in {@code
 * _total}, units are base units ({@code _seconds}, {@code _bytes}) and every metric has help text.
 *
 * <p>Most counters are found through one map keyed by name and tag list. The ones counted per
 * syslog message or per block (log lines, evidence, blocks, attribution outcomes) are kept where a
 * lookup or two on their tag strings finds them, or in fields: a tag list built, hashed and
 * compared on every call was a tenth of the pipeline thread's time at syslog rates
 * (docs/benchmarks.md, "Syslog ingest", third round).
 *
 * <p>Design note (one class): this is the one home of metric names (DESIGN.md, habit 5; the
 * ArchitectureTest rule {@code metersAreMadeOnlyInMetrics}), so its length follows what the agent
 * counts: the counters are here because a name, its help and its bounded tags are read together.
 * Gauges over one subsystem's state are that subsystem's binder in this package ({@link
 * StoreMetrics}, {@link DecodeMetrics}, {@link CorrelateMetrics}, ...), registered through {@link
 * #bind} and named from here.
 */
public final class BellwatchMeters {
  public static final String FRAMES = "bellwatch.capture.frames";
  public static final String FRAMES_DROPPED = "bellwatch.capture.dropped";
  public static final String PCAP_RECEIVED = "bellwatch.capture.pcap.received";
  public static final String PCAP_DROPPED = "bellwatch.capture.pcap.dropped";
  public static final String PCAP_IF_DROPPED = "bellwatch.capture.pcap.interface.dropped";
  public static final String CAPTURE_FILE_SKIPPED = "bellwatch.capture.file.skipped";
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
  public static final String LOG_TRUNCATIONS = "bellwatch.logs.truncations";
  public static final String EVIDENCE = "bellwatch.correlate.evidence";
  public static final String BLOCKS = "bellwatch.correlate.blocks";
  public static final String OPEN_ATTEMPTS = "bellwatch.correlate.open.attempts";
  public static final String REMEMBERED_ATTEMPTS = "bellwatch.correlate.remembered.attempts";
  public static final String LATE_EVIDENCE = "bellwatch.correlate.late.evidence";
  public static final String LEASE_ADDRESSES = "bellwatch.identity.lease.addresses";
  public static final String SITE_DOMAINS = "bellwatch.identity.site.domains";
  public static final String LEASE_RECORDS = "bellwatch.identity.lease.records";
  public static final String IPV6_BINDINGS = "bellwatch.identity.ipv6.bindings";
  public static final String REPORT_INDEX_BYTES = "bellwatch.report.index.memory";
  public static final String REPORT_INDEX_ROWS = "bellwatch.report.index.rows";
  public static final String IDENTITY_HOSTNAMES = "bellwatch.identity.hostnames";
  public static final String IDENTITY_DEVICES = "bellwatch.identity.inventory.devices";

  /** One count per attributed block and per step that stayed unknown; see {@link #attributed}. */
  public static final String ATTRIBUTIONS = "bellwatch.correlate.attributions";

  public static final String INSTRUCTIONAL_BLOCKS = "bellwatch.correlate.instructional.blocks";
  public static final String STORE_WRITES = "bellwatch.store.events.written";
  public static final String STORE_ERRORS = "bellwatch.store.errors";
  public static final String STORE_DISK = "bellwatch.store.disk";
  public static final String STORE_EVENTS = "bellwatch.store.events.estimated";
  public static final String STORE_PENDING_COMPACTION = "bellwatch.store.compaction.pending";

  /**
   * Whole days evicted: a count of evictions, not a duration (promtool reads {@code _days} as a
   * unit).
   */
  public static final String STORE_EVICTIONS = "bellwatch.store.evictions";

  public static final String STORE_RUNNING_COMPACTIONS = "bellwatch.store.compactions.running";
  public static final String STORE_MEMTABLES = "bellwatch.store.memtables";
  public static final String RETENTION_RUNS = "bellwatch.store.retention.runs";
  public static final String SOURCE_ERRORS = "bellwatch.source.errors";
  public static final String SCHEDULE_RELOADS = "bellwatch.schedule.reloads";
  public static final String INPUT_QUEUE = "bellwatch.pipeline.input.queued";
  public static final String SYSLOG_RECEIVED = "bellwatch.syslog.received";
  public static final String SYSLOG_REJECTED = "bellwatch.syslog.rejected";
  public static final String SYSLOG_OVERSIZE = "bellwatch.syslog.oversize";
  public static final String SYSLOG_REPAIRED = "bellwatch.syslog.repaired";
  public static final String SYSLOG_DROPPED = "bellwatch.syslog.dropped";
  public static final String SYSLOG_KERNEL_DROPS = "bellwatch.syslog.kernel.drops";
  public static final String SYSLOG_PAUSES = "bellwatch.syslog.pauses";
  public static final String SYSLOG_CONNECTIONS = "bellwatch.syslog.connections.open";
  public static final String SYSLOG_CONNECTIONS_CLOSED = "bellwatch.syslog.connections.closed";
  public static final String SYSLOG_SENDERS = "bellwatch.syslog.senders";
  public static final String JOURNAL_SIZE = "bellwatch.journal.size";
  public static final String JOURNAL_RECORDS = "bellwatch.journal.records";
  public static final String JOURNAL_REPLAYED = "bellwatch.journal.replayed";
  public static final String JOURNAL_DROPPED = "bellwatch.journal.dropped";
  public static final String JOURNAL_DAMAGED = "bellwatch.journal.damaged";
  public static final String JOURNAL_FSYNC = "bellwatch.journal.fsync";
  public static final String WEB_LOGINS = "bellwatch.web.logins";
  public static final String HTTP_REQUESTS = "bellwatch.http.server.requests";
  public static final String EXPORT_PENDING = "bellwatch.export.pending";
  public static final String EXPORT_LAG_SECONDS = "bellwatch.export.lag.seconds";
  public static final String EXPORT_SENT = "bellwatch.export.sent";
  public static final String EXPORT_BACKFILLED = "bellwatch.export.backfilled";
  public static final String EXPORT_ERRORS = "bellwatch.export.errors";
  public static final String DECISIONS_RECEIVED = "bellwatch.export.decisions.received";
  public static final String NOTIFY_EMAILS = "bellwatch.notify.emails";
  public static final String HUB_MESSAGES = "bellwatch.hub.messages";
  public static final String HUB_REJECTED = "bellwatch.hub.rejected";
  public static final String HUB_EVENTS = "bellwatch.hub.events";
  public static final String HUB_SCHOOLS = "bellwatch.hub.schools";
  public static final String HUB_SCHOOL_BLOCKS = "bellwatch.hub.school.blocks";
  public static final String HUB_SCHOOL_INSTRUCTIONAL = "bellwatch.hub.school.instructional.blocks";
  public static final String HUB_RETENTION_RUNS = "bellwatch.hub.retention.runs";

  /** Block events the hub's retention deleted, by reason ({@code age}, {@code disk_budget}). */
  public static final String HUB_RETENTION_DELETED = "bellwatch.hub.retention.deleted";

  /** Records in the hub's partitions not yet in its store (Prometheus: {@code _records}). */
  public static final String HUB_STORE_LAG = "bellwatch.hub.store.lag";

  /**
   * The hub's syncs of its store's log to disk, by result, and their time (Prometheus: {@code
   * _seconds}); offsets are committed only after one.
   */
  public static final String HUB_STORE_SYNC = "bellwatch.hub.store.sync";

  /**
   * Messages the hub stored from the shared topics of before the per-school topics, by school
   * (docs/kafka.md, "Upgrading from shared topics").
   */
  public static final String HUB_SHARED_TOPIC_MESSAGES = "bellwatch.hub.shared.topic.messages";

  /** The {@code school} tag of a site the hub's configuration does not list. */
  public static final String UNLISTED_SCHOOL = "unlisted";

  /** Process CPU time in seconds (Micrometer's own {@code process.cpu.time} is in nanoseconds). */
  public static final String PROCESS_CPU = "process.cpu";

  public static final String SYSTEM_CPUS = "system.cpus";

  /** Outcomes of {@link #ATTRIBUTIONS}: they overlap (a block can lack both room and user). */
  public static final Set<String> OUTCOMES =
      Set.of("attributed", "section_found", "device_unknown", "room_unknown", "user_unknown");

  static final int MAX_CATEGORIES = 20;
  static final int MAX_PERIODS = 16;

  private final MeterRegistry registry;
  private final Map<String, Map<java.util.List<String>, Counter>> counters =
      new ConcurrentHashMap<>();

  /** {@link #LOG_LINES} by vendor, then result. */
  private final Map<String, Map<String, Counter>> logLines = new ConcurrentHashMap<>();

  /**
   * {@link #EVIDENCE} by method, {@link #ATTRIBUTIONS} by outcome, {@link #BLOCKS} by
   * instructional: per block.
   */
  private final Map<String, Counter> evidenceByMethod = new ConcurrentHashMap<>();

  private final Map<String, Counter> attributions;
  private final Counter instructionalBlocks;
  private final Counter otherBlocks;

  private final Timer latency;
  private final TagLimit categories = new TagLimit(MAX_CATEGORIES);
  private final TagLimit periods = new TagLimit(MAX_PERIODS);

  private final DeadLetters deadLetters;

  /**
   * The hub's listed schools ({@code hub.schools}): the only {@code school} tag values besides
   * unlisted.
   */
  private volatile Set<String> hubSchools = Set.of();

  public BellwatchMeters(MeterRegistry registry) {
    this(registry, java.time.Clock.systemUTC());
  }

  /** {@code clock} stamps the dead letters. */
  public BellwatchMeters(MeterRegistry registry, java.time.Clock clock) {
    this.registry = registry;
    this.deadLetters = new DeadLetters(clock);
    this.latency =
        Timer.builder(DNS_LATENCY)
            .description("Time from a DNS query to its response, as captured")
            .publishPercentileHistogram()
            .register(registry);
    // Counters that a dashboard graphs exist from the start at zero, so that a quiet agent reads as
    // "0 per second", not as "no data".
    Map<String, Counter> byOutcome = new java.util.HashMap<>();
    for (String outcome : OUTCOMES) {
      byOutcome.put(
          outcome,
          counter(
              ATTRIBUTIONS,
              "Blocked attempts attributed (outcome attributed) and the steps "
                  + "that stayed unknown or succeeded; outcomes overlap",
              "outcome",
              outcome));
    }
    this.attributions = Map.copyOf(byOutcome);
    this.instructionalBlocks = blockCounter(true);
    this.otherBlocks = blockCounter(false);
    counter(STORE_WRITES, "Block events written to the store");
    counter(STORE_ERRORS, "Failed store writes");
    counter(STORE_EVICTIONS, "Whole days of events evicted to stay within the disk budget");
    counter(FRAMES_DROPPED, "Frames lost between capture and decoding", "reason", "queue_full");
    sourceErrorCounter("file");
    sourceErrorCounter("capture");
  }

  /**
   * Tags every meter registered after this with {@code site}, the school's id in the district
   * ({@code export.kafka.site_id}): one value per agent, so the tag stays bounded, and a district's
   * Prometheus can tell its schools' series apart by it (the dashboard's {@code site} variable).
   * Call it before any meter is registered.
   */
  public static void tagSite(MeterRegistry registry, String siteId) {
    registry.config().commonTags("site", siteId);
  }

  /**
   * JVM and process binders, registered once on the agent's registry. Two Micrometer names that
   * {@code promtool} rejects are replaced: {@code process.cpu.time} (nanoseconds) by {@link
   * #PROCESS_CPU} in seconds, and {@code system.cpu.count} (a gauge that looks like a histogram's
   * count) by {@link #SYSTEM_CPUS}.
   */
  public static void bindJvmAndProcess(MeterRegistry registry) {
    registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public io.micrometer.core.instrument.Meter.Id map(
                  io.micrometer.core.instrument.Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName(SYSTEM_CPUS) : id;
              }
            });
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      FunctionCounter.builder(PROCESS_CPU, os, o -> o.getProcessCpuTime() / 1e9)
          .baseUnit("seconds")
          .description("CPU time used by the agent's process")
          .register(registry);
    }
  }

  /**
   * One HTTP request: {@code route} is the route template ({@code /api/v1/domains/{domain}}) or a
   * fixed word ({@code static}, {@code unmatched}), never the raw path, so the tag stays bounded.
   */
  public static void httpRequest(
      MeterRegistry registry, String method, String route, int status, long nanos) {
    Timer.builder(HTTP_REQUESTS)
        .description("HTTP requests served, by route template and status")
        .tags("method", method, "route", route, "status", Integer.toString(status))
        .serviceLevelObjectives(
            Duration.ofMillis(5),
            Duration.ofMillis(25),
            Duration.ofMillis(100),
            Duration.ofMillis(500),
            Duration.ofMillis(2500))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
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
    counter(FRAMES_DROPPED, "Frames lost between capture and decoding", "reason", reason)
        .increment();
  }

  /**
   * Damaged stretches of a capture file read past, by reason ({@code bad_record_header}, {@code
   * bad_block_length}, {@code bad_block}: see {@code capture.PcapFileReader}).
   */
  public void captureFileSkipped(String reason, long stretches) {
    counter(
            CAPTURE_FILE_SKIPPED,
            "Damaged stretches of capture files read past, by reason",
            "reason",
            reason)
        .increment(stretches);
  }

  public void message(String proto) {
    counter(MESSAGES, "DNS and DHCP messages decoded", "proto", proto).increment();
  }

  /**
   * An IPv6 address bound to a device, or its binding extended or ended; {@code by} is a bounded
   * method tag.
   */
  public void ipv6Binding(String by) {
    counter(
            IPV6_BINDINGS,
            "IPv6 address bindings learned from the link, by how they were seen",
            "by",
            by)
        .increment();
  }

  public void ignored(String reason) {
    counter(IGNORED, "Frames that carry nothing Bellwatch decodes", "reason", reason).increment();
  }

  public void malformed(String reason) {
    counter(
            MALFORMED,
            "Frames or messages that failed to decode, by named reason",
            "reason",
            reason)
        .increment();
  }

  public void reassemblyDropped(String reason) {
    counter(
            REASSEMBLY_DROPPED,
            "IP fragment and DNS-over-TCP reassembly state given up, by named reason",
            "reason",
            reason)
        .increment();
  }

  /**
   * One DNS transaction outcome ({@code answered}, {@code unanswered}, {@code evicted}, {@code
   * duplicate_query}, {@code unmatched_response}); answered ones also record their latency.
   */
  public void dnsTransaction(String outcome, long latencyMicros) {
    counter(DNS_TRANSACTIONS, "DNS queries and responses by pairing outcome", "outcome", outcome)
        .increment();
    if (outcome.equals("answered")) {
      latency.record(Duration.ofNanos(latencyMicros * 1000L));
    }
  }

  /**
   * Counted for every log line and syslog message, on the pipeline thread and the listeners', so
   * its counters are found by two map lookups on the tag strings rather than through {@link
   * #counter}'s tag list (a list built, hashed and compared per call).
   */
  public void logLine(String vendor, String result) {
    logLines
        .computeIfAbsent(vendor, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(
            result,
            k ->
                counter(
                    LOG_LINES,
                    "Filter log lines read, by outcome",
                    "vendor",
                    vendor,
                    "result",
                    result))
        .increment();
  }

  public void logMalformed(String vendor, String reason) {
    counter(
            LOG_MALFORMED,
            "Filter log lines that failed to parse, by named reason",
            "vendor",
            vendor,
            "reason",
            reason)
        .increment();
  }

  /**
   * A tailed file whose content was replaced under the same inode (copytruncate, rewritten in
   * place).
   */
  public void logTruncated(String vendor) {
    counter(
            LOG_TRUNCATIONS,
            "Tailed log files found truncated or rewritten, read again from their start",
            "vendor",
            vendor)
        .increment();
  }

  /** A console login attempt: {@code ok}, {@code failed} or {@code throttled} (backing off). */
  public void login(String result) {
    counter(WEB_LOGINS, "Console login attempts by result", "result", result).increment();
  }

  public void evidence(String method) {
    evidenceByMethod
        .computeIfAbsent(
            method,
            k ->
                counter(
                    EVIDENCE,
                    "Block evidence seen (filter denies and DNS policy answers)",
                    "method",
                    method))
        .increment();
  }

  /**
   * Evidence that came after its attempt was attributed, by outcome: {@code merged} (the stored
   * event gained it and was attributed again), {@code repeated} (the event already held it: input
   * read again, a message sent twice) or {@code unmatched} (older than {@code
   * correlate.late_evidence_secs} and no attempt found: stored as a block of its own). A merge does
   * not count as another block.
   */
  public void lateEvidence(String outcome) {
    counter(
            LATE_EVIDENCE,
            "Block evidence that arrived after its attempt was attributed, by outcome",
            "outcome",
            outcome)
        .increment();
  }

  /**
   * Messages Kafka acknowledged, by kind ({@code block}, {@code health}, {@code request}, {@code
   * rollup}).
   */
  public void exportSent(String kind, int n) {
    counter(EXPORT_SENT, "Messages sent to Kafka and acknowledged, by kind", "kind", kind)
        .increment(n);
  }

  /**
   * E-mails about review steps, by kind ({@code request} to IT, {@code decision} to the teachers
   * who asked, {@code digest}: the weekly summary) and outcome: {@code sent} (the relay took it),
   * {@code refused} (the relay refused the message or every recipient for good: not sent again),
   * {@code no_address} (a teacher to tell has no address in the roster), {@code retried} (the relay
   * could not be reached or deferred: the step is tried again).
   */
  public void notifyEmail(String kind, String outcome) {
    counter(
            NOTIFY_EMAILS,
            "E-mails about unblock requests and decisions, by kind and outcome",
            "kind",
            kind,
            "outcome",
            outcome)
        .increment();
  }

  /** Events stored before the export was first enabled, queued for Kafka (each once). */
  public void exportBackfilled(int n) {
    counter(
            EXPORT_BACKFILLED,
            "Block events stored before the export was enabled and queued to be sent")
        .increment(n);
  }

  /**
   * Failed export rounds, by reason: {@code timeout}, {@code refused}, {@code broker}, {@code
   * config}, {@code store}.
   */
  public void exportError(String reason) {
    counter(
            EXPORT_ERRORS,
            "Export rounds that failed and will be sent again, by reason",
            "reason",
            reason)
        .increment();
  }

  /**
   * District decisions read from Kafka, by outcome: {@code applied}, {@code repeated}, {@code
   * other_school}, {@code invalid}.
   */
  public void decisionReceived(String outcome) {
    counter(
            DECISIONS_RECEIVED,
            "District decisions read from Kafka, by outcome",
            "outcome",
            outcome)
        .increment();
  }

  /** Hub: messages read and stored, by type ({@code block}, {@code health}, {@code request}). */
  public void hubMessages(String type, int n) {
    counter(HUB_MESSAGES, "Messages the hub read from Kafka and stored, by type", "type", type)
        .increment(n);
  }

  /**
   * Hub: messages refused, by reason ({@code not_json}, {@code unknown_version}, {@code bad_field},
   * ...).
   */
  public void hubRejected(String reason) {
    counter(
            HUB_REJECTED,
            "Messages the hub read from Kafka and could not use, by reason",
            "reason",
            reason)
        .increment();
  }

  /**
   * Hub: the schools of the district (its configuration's site ids). Each gets its own {@code
   * school} series, from zero; any other site counts as {@value #UNLISTED_SCHOOL}, so the tag is
   * bounded by the configuration whatever site ids arrive from Kafka. Also registers {@link
   * #HUB_SCHOOLS} and {@link #HUB_STORE_LAG}.
   */
  public void hubSchools(List<String> listed, Supplier<Number> heardFrom, Supplier<Number> lag) {
    hubSchools = Set.copyOf(listed);
    for (String school : listed) {
      hubSchoolCounters(school);
      sharedTopicCounter(school);
    }
    hubSchoolCounters(UNLISTED_SCHOOL);
    sharedTopicCounter(UNLISTED_SCHOOL);
    gauge(HUB_SCHOOLS, "Schools the hub has heard from", heardFrom);
    Gauge.builder(HUB_STORE_LAG, lag)
        .description("Records in the hub's partitions that are not yet in its store")
        .baseUnit("records")
        .register(registry);
  }

  private Counter[] hubSchoolCounters(String school) {
    return new Counter[] {
      counter(
          HUB_SCHOOL_BLOCKS,
          "Block messages the hub stored, by school (a late update counts again)",
          "school",
          school),
      counter(
          HUB_SCHOOL_INSTRUCTIONAL,
          "Block messages the hub stored whose block was during instruction, by" + " school",
          "school",
          school)
    };
  }

  /**
   * Hub: {@code blocks} block messages of a site stored, {@code instructional} of them during
   * instruction.
   */
  public void hubSchoolBlocks(String site, long blocks, long instructional) {
    Counter[] c = hubSchoolCounters(hubSchools.contains(site) ? site : UNLISTED_SCHOOL);
    c[0].increment(blocks);
    c[1].increment(instructional);
  }

  private Counter sharedTopicCounter(String school) {
    return counter(
        HUB_SHARED_TOPIC_MESSAGES,
        "Messages the hub stored from the shared topics used before the per-school ones, by"
            + " school",
        "school",
        school);
  }

  /**
   * Hub: {@code n} messages of a site read from a shared topic of before (the per-school topics'
   * upgrade is complete when none arrive).
   */
  public void hubSharedTopicMessages(String site, int n) {
    sharedTopicCounter(hubSchools.contains(site) ? site : UNLISTED_SCHOOL).increment(n);
  }

  public void block(boolean instructional) {
    (instructional ? instructionalBlocks : otherBlocks).increment();
  }

  private Counter blockCounter(boolean instructional) {
    return counter(
        BLOCKS, "Blocked attempts attributed", "instructional", Boolean.toString(instructional));
  }

  /**
   * The outcome of one attribution, counted where the correlator emits the event: {@code
   * attributed} once per block, then one count for each of {@code section_found}, {@code
   * device_unknown} (no DHCP lease), {@code room_unknown} and {@code user_unknown} (no user in the
   * evidence) that applies. The outcomes overlap, so each is read as a share of {@code attributed}:
   * identity coverage.
   */
  public void attributed(
      boolean deviceKnown, boolean roomKnown, boolean userKnown, boolean sectionFound) {
    attributions.get("attributed").increment();
    if (sectionFound) {
      attributions.get("section_found").increment();
    }
    if (!deviceKnown) {
      attributions.get("device_unknown").increment();
    }
    if (!roomKnown) {
      attributions.get("room_unknown").increment();
    }
    if (!userKnown) {
      attributions.get("user_unknown").increment();
    }
  }

  /**
   * A block during instruction, by the filter's category and the bell period; both are capped
   * ({@link TagLimit}); a missing one is {@code none}.
   */
  public void instructionalBlock(String category, String period) {
    counter(
            INSTRUCTIONAL_BLOCKS,
            "Blocked attempts during instruction, by filter category and bell period",
            "category",
            categories.tag(category),
            "period",
            periods.tag(period))
        .increment();
  }

  public void storeWritten(int n) {
    counter(STORE_WRITES, "Block events written to the store").increment(n);
  }

  public void storeError() {
    counter(STORE_ERRORS, "Failed store writes").increment();
  }

  public void sourceError(String source) {
    sourceErrorCounter(source).increment();
  }

  private Counter sourceErrorCounter(String source) {
    return counter(
        SOURCE_ERRORS,
        "Input sources that failed (unreadable file, capture error)",
        "source",
        source);
  }

  public void retentionRun(String result, int evictedDays) {
    counter(RETENTION_RUNS, "Retention passes, by result", "result", result).increment();
    counter(STORE_EVICTIONS, "Whole days of events evicted to stay within the disk budget")
        .increment(evictedDays);
  }

  /** Hub: one sync of the store's log, by result ({@code ok}, {@code failed}), and its time. */
  public void hubStoreSync(String result, Duration took) {
    Timer.builder(HUB_STORE_SYNC)
        .description("The hub's syncs of its store's log to disk, by result")
        .tag("result", result)
        .register(registry)
        .record(took);
  }

  /**
   * Hub: one retention pass, by result, with the block events it deleted for their age and for the
   * disk budget.
   */
  public void hubRetentionRun(String result, long deletedForAge, long deletedForBudget) {
    counter(HUB_RETENTION_RUNS, "The hub's retention passes, by result", "result", result)
        .increment();
    String help = "Block events the hub's retention deleted, by reason";
    counter(HUB_RETENTION_DELETED, help, "reason", "age").increment(deletedForAge);
    counter(HUB_RETENTION_DELETED, help, "reason", "disk_budget").increment(deletedForBudget);
  }

  public void scheduleReload(String result) {
    counter(SCHEDULE_RELOADS, "Schedule folder reloads after a change, by result", "result", result)
        .increment();
  }

  // Syslog: the listener tag is a configured listener name, so it stays bounded.

  /**
   * Registers a configured listener's counters at zero, so that its panels read 0 before its first
   * message.
   */
  public void syslogListener(String listener, String protocol) {
    counter(
        SYSLOG_RECEIVED,
        "Syslog messages framed from allowed senders",
        "listener",
        listener,
        "protocol",
        protocol);
    counter(
        SYSLOG_REJECTED,
        "Syslog datagrams and connections from senders outside the allowlist",
        "listener",
        listener,
        "protocol",
        protocol);
    counter(
        SYSLOG_OVERSIZE,
        "Syslog messages longer than max_frame_bytes, skipped",
        "listener",
        listener,
        "protocol",
        protocol);
    for (String reason : List.of("queue_full", "sender_rate")) {
      counter(
          SYSLOG_DROPPED,
          "Syslog records lost before the pipeline, by reason",
          "listener",
          listener,
          "protocol",
          protocol,
          "reason",
          reason);
    }
  }

  /**
   * The received counter of one listener, for its receivers to keep (it is touched for every
   * message).
   */
  public Counter syslogReceivedCounter(String listener, String protocol) {
    return counter(
        SYSLOG_RECEIVED,
        "Syslog messages framed from allowed senders",
        "listener",
        listener,
        "protocol",
        protocol);
  }

  public void syslogRejected(String listener, String protocol) {
    counter(
            SYSLOG_REJECTED,
            "Syslog datagrams and connections from senders outside the allowlist",
            "listener",
            listener,
            "protocol",
            protocol)
        .increment();
  }

  public void syslogOversize(String listener, String protocol) {
    counter(
            SYSLOG_OVERSIZE,
            "Syslog messages longer than max_frame_bytes, skipped",
            "listener",
            listener,
            "protocol",
            protocol)
        .increment();
  }

  public void syslogRepaired(String listener, String protocol, String reason) {
    counter(
            SYSLOG_REPAIRED,
            "Syslog messages whose text was repaired (invalid_utf8, nul, ansi_escape, "
                + "control_char)",
            "listener",
            listener,
            "protocol",
            protocol,
            "reason",
            reason)
        .increment();
  }

  public void syslogDropped(String listener, String protocol, String reason, int records) {
    syslogDroppedCounter(listener, protocol, reason).increment(records);
  }

  /**
   * The counter of {@link #syslogDropped}, for a handler that counts the same reason per datagram.
   */
  public Counter syslogDroppedCounter(String listener, String protocol, String reason) {
    return counter(
        SYSLOG_DROPPED,
        "Syslog records lost before the pipeline, by reason",
        "listener",
        listener,
        "protocol",
        protocol,
        "reason",
        reason);
  }

  /**
   * Datagrams the kernel dropped at a UDP listener's sockets before they were read (a full receive
   * buffer), read from the kernel's own count when scraped. Micrometer holds {@code state} weakly:
   * the caller keeps it.
   */
  public <T> void syslogKernelDrops(
      String listener, T state, java.util.function.ToDoubleFunction<T> drops) {
    FunctionCounter.builder(SYSLOG_KERNEL_DROPS, state, drops)
        .description(
            "Syslog datagrams the kernel dropped at the listener's sockets (receive buffer full)")
        .tags("listener", listener, "protocol", "udp")
        .register(registry);
  }

  /**
   * A TCP/TLS connection stopped reading for a while: {@code queue_full} (the pipeline queue) or
   * {@code sender_rate} (its sender is over sender_rate_per_sec).
   */
  public void syslogPaused(String listener, String protocol, String reason) {
    counter(
            SYSLOG_PAUSES,
            "Times a TCP/TLS syslog connection stopped reading, by reason",
            "listener",
            listener,
            "protocol",
            protocol,
            "reason",
            reason)
        .increment();
  }

  /**
   * A TCP or TLS connection the agent closed itself: {@code over_limit} (max_connections), {@code
   * sender_limit} (max_connections_per_sender), {@code evicted} (its slot went to a sender holding
   * fewer), {@code slow_frame} (a frame not complete within frame_timeout_secs) or {@code idle}.
   */
  public void syslogConnectionClosed(String listener, String protocol, String reason) {
    counter(
            SYSLOG_CONNECTIONS_CLOSED,
            "Syslog connections closed by the agent, by reason",
            "listener",
            listener,
            "protocol",
            protocol,
            "reason",
            reason)
        .increment();
  }

  /** Open TCP/TLS connections of one listener. */
  public void syslogConnections(String listener, String protocol, Supplier<Number> value) {
    Gauge.builder(SYSLOG_CONNECTIONS, value)
        .description("Open syslog connections")
        .tags("listener", listener, "protocol", protocol)
        .register(registry);
  }

  /**
   * Sender addresses a listener's rate limiter keeps a bucket for (bounded; never the addresses
   * themselves).
   */
  public void syslogSenders(String listener, String protocol, Supplier<Number> value) {
    Gauge.builder(SYSLOG_SENDERS, value)
        .description("Sender addresses tracked by the per-sender rate limit")
        .tags("listener", listener, "protocol", protocol)
        .register(registry);
  }

  /**
   * The sum of every meter named {@code name} with tag {@code key=value} (counters, function
   * counters and gauges alike), read when called; 0 while none is registered. For health, which
   * follows the counters.
   */
  public Supplier<Number> total(String name, String key, String value) {
    return () -> {
      double sum = 0;
      for (io.micrometer.core.instrument.Meter m : registry.find(name).tag(key, value).meters()) {
        for (io.micrometer.core.instrument.Measurement x : m.measure()) {
          sum += x.getValue();
          break;
        }
      }
      return sum;
    };
  }

  /**
   * Registers each subsystem's gauges ({@link StoreMetrics}, {@link DecodeMetrics}, ...): the
   * composition root hands over what each reads, the binder names and describes it.
   */
  public void bind(MeterBinder... binders) {
    for (MeterBinder b : binders) {
      b.bindTo(registry);
    }
  }

  public void gauge(String name, String description, Supplier<Number> value) {
    Gauges.count(registry, name, description, value);
  }

  /**
   * Caps the distinct values of one tag: the first {@code max} values seen keep their (normalized)
   * name, later ones become {@code other}; null or blank is {@code none}. First seen, not top N: a
   * counter must keep its labels for its whole life, and the categories a school sees on its first
   * day are its common ones. Values are lower-cased, cut to 40 characters and restricted to {@code
   * [a-z0-9_.-]} (others become {@code _}), since a filter log can put anything in a category
   * field.
   */
  static final class TagLimit {
    static final int MAX_LENGTH = 40;
    private final int max;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();

    TagLimit(int max) {
      this.max = max;
    }

    String tag(String value) {
      if (value == null || value.isBlank()) {
        return "none";
      }
      String v = value.strip().toLowerCase(Locale.ROOT);
      if (v.length() > MAX_LENGTH) {
        v = v.substring(0, MAX_LENGTH);
      }
      v = v.replaceAll("[^a-z0-9_.-]", "_");
      if (v.equals("other") || v.equals("none")) {
        return v;
      }
      if (admitted.contains(v)) {
        return v;
      }
      synchronized (admitted) {
        if (admitted.size() < max) {
          admitted.add(v);
          return v;
        }
      }
      return admitted.contains(v) ? v : "other";
    }
  }

  /**
   * Records written to the intake journal, per source ({@code syslog:<listener>} or {@code
   * capture}: bounded by the configuration): what the agent has accepted (docs/design.md, "Intake
   * journal").
   */
  public Counter journalRecordsCounter(String source) {
    return counter(
        JOURNAL_RECORDS,
        "Records written ahead to the intake journal (accepted)",
        "source",
        source);
  }

  /** Records read back from the journal at start, per journal ({@code syslog}, {@code capture}). */
  public void journalReplayed(String journal, long n) {
    counter(
            JOURNAL_REPLAYED,
            "Journal records replayed into the pipeline at start",
            "journal",
            journal)
        .increment(n);
  }

  /**
   * Records handed to the pipeline without being journaled: {@code max_bytes} (the journal is at
   * its bound) or {@code write_error}. They are processed, but a crash before they are stored loses
   * them.
   */
  public void journalDropped(String reason, long n) {
    counter(
            JOURNAL_DROPPED,
            "Records not written to the intake journal, by reason",
            "reason",
            reason)
        .increment(n);
  }

  /**
   * Damage found in the journal: {@code torn_tail}, {@code bad_record}, {@code sync_error}, {@code
   * unreadable}.
   */
  public void journalDamaged(String reason) {
    counter(
            JOURNAL_DAMAGED,
            "Damaged journal records skipped (torn tail after a crash, bad CRC), by reason",
            "reason",
            reason)
        .increment();
  }

  /** The journal's fsync latency. */
  public Timer journalFsyncTimer() {
    return Timer.builder(JOURNAL_FSYNC)
        .description("Time one fsync of the intake journal took")
        .publishPercentileHistogram()
        .register(registry);
  }

  /**
   * The counter of {@code name} with {@code tags}. Called per packet on the hot path: the lookup
   * builds no string (a list view of the tag values is the key), so counting costs two hash
   * lookups.
   */
  private Counter counter(String name, String description, String... tags) {
    Map<java.util.List<String>, Counter> byTags =
        counters.computeIfAbsent(name, k -> new ConcurrentHashMap<>());
    Counter c = byTags.get(java.util.Arrays.asList(tags));
    if (c == null) {
      c =
          byTags.computeIfAbsent(
              java.util.List.of(tags),
              k -> Counter.builder(name).description(description).tags(tags).register(registry));
    }
    return c;
  }
}
