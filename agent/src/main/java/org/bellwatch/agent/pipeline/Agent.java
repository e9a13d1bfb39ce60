package org.bellwatch.agent.pipeline;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bellwatch.agent.access.AdminToken;
import org.bellwatch.agent.capture.CaptureException;
import org.bellwatch.agent.capture.LiveCapture;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.SyslogListener;
import org.bellwatch.agent.event.StorageException;
import org.bellwatch.agent.export.DecisionListener;
import org.bellwatch.agent.export.KafkaExporter;
import org.bellwatch.agent.identity.LeaseTable;
import org.bellwatch.agent.ingest.syslog.SyslogException;
import org.bellwatch.agent.ingest.syslog.SyslogServer;
import org.bellwatch.agent.ingest.syslog.SyslogSink;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.metrics.IntakeMetrics;
import org.bellwatch.agent.metrics.InventoryMetrics;
import org.bellwatch.agent.metrics.JournalMetrics;
import org.bellwatch.agent.metrics.ReportIndexMetrics;
import org.bellwatch.agent.metrics.StoreMetrics;
import org.bellwatch.agent.notify.ReviewNotifier;
import org.bellwatch.agent.report.EventIndex;
import org.bellwatch.agent.report.IndexedBlocks;
import org.bellwatch.agent.report.Reports;
import org.bellwatch.agent.review.WatchedReviews;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.store.ConsoleRecords;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.store.SpaceReserve;
import org.bellwatch.agent.store.StoreException;
import org.bellwatch.agent.web.ConsoleData;
import org.bellwatch.agent.web.WebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of {@code bellwatch run}: store, metrics, pipeline thread, syslog listeners
 * and web server. The pipeline thread first replays the configured files in time order, then serves
 * the live sources, moving event time forward when they are quiet ({@link IdleTime}: real time, not
 * wall-clock jumps).
 *
 * <p>Threading: {@link Pipeline} has exactly one thread. Live sources (capture threads, syslog
 * event loops) only offer {@link PipelineInput}s to one bounded {@link InputQueue}; the pipeline
 * thread takes them in arrival order. Syslog listeners bind at start (so a port in use fails {@code
 * run} at once) and their records wait in the queue while files are replayed: TCP senders are
 * slowed, UDP overflow is counted. Log files are followed by a {@link TailThread} (after the
 * capture files are replayed); its records carry their file positions, and {@link StoreSink} stores
 * each file's position with the events of the lines before it ({@link OffsetLedger}).
 *
 * <p>Design note (one class): the composition root. It wires the stages, starts them in an order
 * that fails fast (store, web server, syslog binding) and stops them in the order that loses
 * nothing ({@link #close}). What is not wiring runs apart: retention ({@link RetentionSchedule}),
 * the tailer's thread ({@link TailThread}), the gauges (per-subsystem binders in {@code metrics}),
 * source health ({@link SourceHealth}).
 */
public final class Agent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);
  static final Duration TICK = Duration.ofSeconds(1);

  private final BellwatchConfig cfg;
  private final Clock clock;
  private final EventStore store;
  private final PrometheusMeterRegistry registry;
  private final BellwatchMeters meters;
  private final SiteReloader site;
  private final RetentionSchedule retention;
  private final Pipeline pipeline;
  private final StoreSink sink;
  private final EventIndex index;
  private final InputQueue inputs;
  private final WebServer web;

  /** The Kafka export ({@code export.kafka}), or null. */
  private final KafkaExporter exporter;

  /** District decisions read from Kafka ({@code export.kafka}), or null. */
  private final DecisionListener decisions;

  /** E-mail about review steps ({@code notifications.email}), or null. */
  private final ReviewNotifier notifier;

  private final Thread worker;
  private final IdleTime idle;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final SourceHealth sources = new SourceHealth();
  private volatile String state = "starting";

  /** Set once every input has stopped: the pipeline thread drains the queue and finishes. */
  private volatile boolean stopping;

  private volatile int drained;

  /**
   * How long close waits for the pipeline to drain and write its last batch (systemd allows 60 s in
   * all).
   */
  static final Duration STOP_LIMIT = Duration.ofSeconds(20);

  private volatile LiveCapture capture;
  private volatile SyslogServer syslog;

  /** The log files followed, or null when none is configured. */
  private final TailThread tailer;

  private int port;

  /** The intake journals, or null with {@code journal.enabled: false}. */
  private final IntakeJournals journals;

  private Agent(BellwatchConfig cfg, SiteModel site, Clock clock) throws StorageException {
    this.cfg = cfg;
    this.clock = clock;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    if (cfg.export().kafka() != null) {
      BellwatchMeters.tagSite(registry, cfg.export().kafka().siteId());
    }
    BellwatchMeters.bindJvmAndProcess(registry);
    this.meters = new BellwatchMeters(registry, clock);
    cfg.syslog().listeners().forEach(l -> meters.syslogListener(l.name(), l.protocol()));
    this.store =
        EventStore.open(cfg.store().dir(), cfg.site().timezone(), cfg.store().syncWrites());
    long free = SpaceReserve.usableBytes(cfg.store().dir());
    if (free < SpaceReserve.MIN_FREE_BYTES) {
      log.error(
          "the disk under store {} is full ({} bytes free): the console and /health work, block events wait"
              + " in memory and tailed files are not marked read until space is freed",
          cfg.store().dir(),
          free);
    }
    WatchedReviews reviews = new WatchedReviews(store.console().reviews());
    if (cfg.export().kafka() != null) {
      store.recordOutbox();
      this.exporter =
          new KafkaExporter(
              cfg.export().kafka(),
              store.outbox(),
              reviews,
              meters,
              clock,
              () -> health().status());
      this.decisions = new DecisionListener(cfg.export().kafka(), reviews, meters, clock);
    } else {
      this.exporter = null;
      this.decisions = null;
    }
    this.index = new EventIndex();
    index.load(store);
    OffsetLedger ledger = new OffsetLedger();
    this.sink = new StoreSink(store, index, meters, ledger);
    this.retention = new RetentionSchedule(cfg, store, index, meters, clock);
    this.site = new SiteReloader(cfg.schedule().dir(), cfg.site().timezone(), site, meters);
    this.notifier =
        cfg.notifications().email() == null
            ? null
            : new ReviewNotifier(
                cfg.notifications().email(),
                cfg.site().name(),
                reviews,
                store.reviewProgress("notify:email"),
                store.marker("notify:digest"),
                this.site::get,
                new Reports(index, cfg.site().timezone()),
                meters,
                clock);
    if (notifier != null) {
      reviews.watch(notifier::wake);
    }
    LeaseTable leases = new LeaseTable(sink::leaseChanged);
    store.sources().forEachLease(clock.instant().minus(Pipeline.LEASE_MEMORY), leases::restore);
    if (leases.recordCount() > 0) {
      log.info(
          "lease history: {} records on {} addresses restored from the store",
          leases.recordCount(),
          leases.addressCount());
    }
    this.pipeline =
        Pipelines.create(
            cfg, this.site, meters, leases, ledger, sink, store.newestEventTime(), sink);
    this.inputs = new InputQueue(cfg.capture().queueCapacity());
    this.journals = cfg.store().journal().enabled() ? openJournals(cfg) : null;
    if (journals != null) {
      pipeline.journalCapture(journals.captureJournal());
    }
    bindMeters();
    watchSources();
    Reports reports = new Reports(index, cfg.site().timezone());
    ConsoleRecords console = store.console();
    ConsoleData data =
        new ConsoleData(
            new IndexedBlocks(reports, store::get),
            console.accounts(),
            console.sessions(),
            console.auditLog(),
            reviews,
            console.secrets(),
            store::checkpoint);
    this.web =
        new WebServer(
            cfg,
            data,
            reports,
            this.site::get,
            registry,
            meters,
            this::health,
            clock,
            adminToken(cfg));
    web.serveDeadLetters(meters.deadLetters());
    this.worker = new Thread(this::work, "pipeline");
    this.idle = new IdleTime(clock, System::nanoTime);
    this.tailer = TailThread.of(cfg.logs(), store, inputs, meters, clock);
  }

  /**
   * The gauges of the subsystems this root owns; the pipeline binds its own (decoder, correlator,
   * identity).
   */
  private void bindMeters() {
    meters.bind(
        new StoreMetrics(store::diskBytes, store::eventsProperty),
        new ReportIndexMetrics(index::memoryBytes, index::size),
        new InventoryMetrics(() -> site.get().inventory().deviceCount()),
        new IntakeMetrics(inputs::size));
    if (journals != null) {
      meters.bind(new JournalMetrics(journals::bytes));
    }
  }

  /**
   * The sources /health reports: the capture files while replayed, and each live source by the
   * counter that moves when it delivers (libpcap's received packets, a listener's messages, a
   * vendor's log lines).
   */
  private void watchSources() {
    Instant now = clock.instant();
    if (!cfg.capture().pcapFiles().isEmpty()) {
      sources.batch("files", "replaying", now);
    }
    for (String iface : cfg.capture().interfaces()) {
      sources.live(
          "capture:" + iface, meters.total(BellwatchMeters.PCAP_RECEIVED, "interface", iface), now);
    }
    cfg.syslog()
        .listeners()
        .forEach(
            l ->
                sources.live(
                    "syslog:" + l.name(),
                    meters.total(BellwatchMeters.SYSLOG_RECEIVED, "listener", l.name()),
                    now));
    // Tailed log files, per vendor: the lines counted are the vendor's, from files and syslog
    // alike.
    cfg.logs().files().stream()
        .map(BellwatchConfig.LogFile::vendor)
        .distinct()
        .forEach(
            v ->
                sources.live(
                    "logs:" + v, meters.total(BellwatchMeters.LOG_LINES, "vendor", v), now));
  }

  private IntakeJournals openJournals(BellwatchConfig cfg) throws StoreException {
    try {
      return IntakeJournals.open(
          cfg.store(), store.sources().offsets(IntakeJournals.PREFIX), meters);
    } catch (IOException e) {
      store.close();
      throw new StoreException(
          "intake journal "
              + cfg.store().journalDir()
              + " cannot be opened: "
              + e.getMessage()
              + " (check that the folder is the agent user's, or set journal.dir)",
          e);
    }
  }

  /** Starts everything; the web server and the syslog listeners are listening when this returns. */
  public static Agent start(BellwatchConfig cfg, SiteModel site, Clock clock)
      throws StorageException {
    Agent agent = new Agent(cfg, site, clock);
    try {
      agent.port = agent.web.start();
    } catch (RuntimeException e) {
      agent.closeJournals();
      agent.store.close();
      throw e;
    }
    if (!cfg.syslog().listeners().isEmpty()) {
      try {
        agent.syslog =
            SyslogServer.start(cfg.syslog().listeners(), agent::syslogSink, agent.meters, clock);
      } catch (SyslogException e) {
        agent.web.close();
        agent.closeJournals();
        agent.store.close();
        throw e;
      }
    }
    agent.worker.start();
    if (agent.exporter != null) {
      agent.exporter.start();
      agent.decisions.start();
    }
    if (agent.notifier != null) {
      agent.notifier.start();
    }
    agent.retention.start();
    log.info(
        "console and API on {}://{}:{}/",
        agent.web.scheme(),
        cfg.web().bind().getHostAddress(),
        agent.port);
    return agent;
  }

  private static AdminToken adminToken(BellwatchConfig cfg) {
    try {
      return AdminToken.create(cfg.store().dir());
    } catch (java.io.IOException e) {
      log.warn(
          "cannot write {} in {}: backups of the running agent are disabled ({})",
          AdminToken.FILE,
          cfg.store().dir(),
          e.getMessage());
      return null;
    }
  }

  /** The paths the web server answers, for the API contract test. */
  public List<String> routes() {
    return web.routes();
  }

  /** The web server's routes with the least role each needs, for the authorization matrix test. */
  public List<WebServer.Operation> operations() {
    return web.operations();
  }

  public int port() {
    return port;
  }

  /**
   * The bound address of a syslog listener (its port when the configuration asked for 0), or null.
   */
  public java.net.InetSocketAddress syslogAddress(String listener) {
    SyslogServer s = syslog;
    return s == null ? null : s.address(listener);
  }

  private void closeJournals() {
    if (journals != null) {
      journals.close();
    }
  }

  /** Each listener's sink: through the intake journal when it is on. */
  private SyslogSink syslogSink(SyslogListener listener) {
    if (journals != null) {
      return journals.syslogSink(listener.name(), inputs);
    }
    return new QueuedSyslog(inputs);
  }

  /** Deletes the journal segments whose records the store now holds. */
  private void releaseJournals() {
    if (journals != null) {
      journals.release(sink, store);
    }
  }

  /**
   * What /health says: the pipeline's state, the schedule's problem, each source, and the store
   * while its writes fail (disk full): the agent keeps serving and keeps the events for retry, but
   * is not healthy.
   */
  private WebServer.Health health() {
    List<WebServer.Source> list =
        new ArrayList<>(
            sources.views().stream()
                .map(
                    v ->
                        new WebServer.Source(
                            v.name(), v.state(), v.lastSeen(), v.silentSince(), v.error()))
                .toList());
    String storeFailure = sink.failure();
    if (storeFailure != null) {
      list.add(new WebServer.Source("store", "failing", null, null, storeFailure));
    }
    if (exporter != null) {
      KafkaExporter.Status export = exporter.status();
      list.add(new WebServer.Source("export:kafka", export.state(), null, null, export.error()));
    }
    if (notifier != null) {
      ReviewNotifier.Status told = notifier.status();
      list.add(new WebServer.Source("notify:email", told.state(), null, null, told.error()));
    }
    return new WebServer.Health(
        state,
        (state.equals("running") || state.equals("replaying files")) && storeFailure == null,
        site.problem(),
        List.copyOf(list));
  }

  public String state() {
    return state;
  }

  private void work() {
    try {
      state = "replaying files";
      if (!cfg.capture().pcapFiles().isEmpty()) {
        try {
          // Log files are followed by the tailer (below), from where the store says they were left.
          FileReplay.replay(cfg.capture().pcapFiles(), List.of(), pipeline, meters);
          sources.state("files", "replayed", null);
        } catch (IOException e) {
          meters.sourceError("file");
          sources.state("files", "failing", e.getMessage());
          log.error("capture.pcap_files: replay stopped: {}", e.getMessage());
        }
        // Files hold past traffic: their open attempts cannot gain evidence from live traffic.
        pipeline.finish();
        sink.flush();
        log.info("configured capture files replayed");
      }
      if (journals != null) {
        // Before live input: records accepted before the last stop come first, in their journals'
        // order.
        journals.replay(pipeline);
        sink.flush();
      }
      if (tailer != null) {
        tailer.start();
      }
      if (!cfg.capture().interfaces().isEmpty()) {
        try {
          BellwatchConfig.Capture c = cfg.capture();
          LiveCapture.Settings live =
              new LiveCapture.Settings(
                  c.interfaces(),
                  c.snaplenBytes(),
                  c.bufferBytes(),
                  c.promiscuous(),
                  c.immediateMode());
          capture =
              LiveCapture.start(
                  live,
                  f -> inputs.offer(new PipelineInput.Frame(f, "live")),
                  meters,
                  new LiveCapture.Listener() {
                    @Override
                    public void stopped(String iface, String reason) {
                      sources.failed(
                          "capture:" + iface, reason + " (opening it again until it works)");
                    }

                    @Override
                    public void resumed(String iface) {
                      sources.revived("capture:" + iface);
                    }
                  });
          log.info("capturing on {}", cfg.capture().interfaces());
        } catch (CaptureException e) {
          meters.sourceError("capture");
          cfg.capture().interfaces().forEach(i -> sources.failed("capture:" + i, e.getMessage()));
          log.error(e.getMessage());
        }
      }
      state = "running";
      live();
    } finally {
      pipeline.finish();
      sink.flush();
      releaseJournals();
      stopped.countDown();
    }
  }

  private void live() {
    long nextTick = System.nanoTime();
    while (!stopping) {
      try {
        if (sink.backlogged()) {
          // Writes have failed long enough to hold StoreSink.MAX_HELD events: take no more input
          // (the
          // sources' limits take the overflow) and retry the write each tick.
          TimeUnit.NANOSECONDS.sleep(Math.max(0, nextTick - System.nanoTime()));
        } else {
          PipelineInput in = inputs.poll(TICK.toMillis(), TimeUnit.MILLISECONDS);
          if (in != null) {
            in.deliver(pipeline);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (System.nanoTime() - nextTick >= 0) {
        site.checkForChanges();
        Instant wall = clock.instant();
        sources.sample(wall);
        pipeline.advanceTo(idle.now(pipeline.eventTime()));
        pipeline.forgetOldLeases(wall);
        sink.flush();
        releaseJournals();
        nextTick = System.nanoTime() + TICK.toNanos();
      }
    }
    drained = drain();
  }

  /**
   * At shutdown, after every input has stopped: what the sources had already handed over (syslog
   * records that TCP senders consider delivered) goes through the pipeline before its last batch is
   * written.
   */
  private int drain() {
    int n = 0;
    PipelineInput in;
    try {
      while ((in = inputs.poll(0, TimeUnit.MILLISECONDS)) != null) {
        in.deliver(pipeline);
        n++;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return n;
  }

  /** Blocks until the pipeline thread has stopped. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /**
   * The orderly stop (SIGTERM runs it from the shutdown hook). The order is what makes it lose
   * nothing: inputs stop first, so nothing new enters the queue; the pipeline thread then drains
   * the queue, emits every open attempt and writes the last batch with the file marks it completes;
   * only then are the retention pass, the web server and the store closed.
   */
  @Override
  public void close() {
    long began = System.nanoTime();
    if (syslog != null) {
      syslog.close();
    }
    if (capture != null) {
      capture.close();
    }
    if (tailer != null) {
      tailer.close();
    }
    stopping = true;
    boolean pipelineStopped = false;
    try {
      pipelineStopped = stopped.await(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!pipelineStopped) {
      log.warn("pipeline did not stop within {} s", STOP_LIMIT.toSeconds());
    }
    retention.close();
    if (exporter != null) {
      exporter.close();
      decisions.close();
    }
    if (notifier != null) {
      notifier.close();
    }
    web.close();
    closeJournals();
    store.close();
    registry.close();
    String unsaved = sink.failure();
    if (unsaved == null) {
      log.info(
          "stopped in {} ms: inputs closed, {} queued inputs drained, last batch and file offsets stored, "
              + "store closed",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began),
          drained);
    } else {
      // Tailed lines are read again after the restart (their offsets were not stored); syslog
      // records are lost.
      log.error(
          "stopped in {} ms, but the last batch could not be stored: {}",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began),
          unsaved);
    }
  }
}
