package org.bellwatch.agent.pipeline;

import org.bellwatch.agent.schedule.SiteModel;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bellwatch.agent.capture.CaptureException;
import org.bellwatch.agent.capture.LiveCapture;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.correlate.BlockEvent;
import org.bellwatch.agent.ingest.syslog.SyslogException;
import org.bellwatch.agent.ingest.syslog.SyslogServer;
import org.bellwatch.agent.ingest.syslog.SyslogSink;
import org.bellwatch.agent.parse.ParsedRecord;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.report.EventIndex;
import org.bellwatch.agent.report.Reports;
import org.bellwatch.agent.store.EventStore;
import org.bellwatch.agent.store.Retention;
import org.bellwatch.agent.store.StoreException;
import org.bellwatch.agent.web.WebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of {@code bellwatch run}: store, metrics, pipeline thread, syslog listeners and
 * web server. The pipeline thread first replays the configured files in time order, then serves the live
 * sources, moving event time forward with the clock when they are quiet.
 *
 * <p>Threading: {@link Pipeline} has exactly one thread. Live sources (capture threads, syslog event
 * loops) only offer {@link PipelineInput}s to one bounded {@link InputQueue}; the pipeline thread takes
 * them in arrival order. Syslog listeners bind at start (so a port in use fails {@code run} at once) and
 * their records wait in the queue while files are replayed: TCP senders are slowed, UDP overflow is
 * counted.
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
  private final Retention retention;
  private final ScheduledExecutorService housekeeping;
  private final Pipeline pipeline;
  private final StoreSink sink;
  private final EventIndex index;
  private final InputQueue inputs;
  private final WebServer web;
  private final Thread worker;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final SourceHealth sources = new SourceHealth();
  private final Supplier<Number> captureErrors;
  private double captureErrorsSeen;
  private volatile String state = "starting";
  private volatile boolean stopping;
  private volatile LiveCapture capture;
  private volatile SyslogServer syslog;
  private int port;

  private Agent(BellwatchConfig cfg, SiteModel site, Clock clock) throws StoreException {
    this.cfg = cfg;
    this.clock = clock;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BellwatchMeters.bindJvmAndProcess(registry);
    this.meters = new BellwatchMeters(registry);
    cfg.syslog().listeners().forEach(l -> meters.syslogListener(l.name(), l.protocol()));
    this.store = EventStore.open(cfg.store().dir(), cfg.site().timezone(), cfg.store().syncWrites());
    this.index = new EventIndex();
    List<BlockEvent> loading = new ArrayList<>();
    store.forEach(null, null, e -> {
      loading.add(e);
      if (loading.size() == 10_000) {
        index.addAll(loading);
        loading.clear();
      }
    });
    index.addAll(loading);
    this.sink = new StoreSink(store, index, meters);
    meters.bytesGauge(BellwatchMeters.STORE_DISK, "Store size on disk (SST files and memtables)", store::diskBytes);
    meters.gauge(BellwatchMeters.STORE_EVENTS, "Block events in the store (RocksDB estimate)",
        () -> store.eventsProperty("rocksdb.estimate-num-keys"));
    meters.bytesGauge(BellwatchMeters.STORE_PENDING_COMPACTION, "Bytes RocksDB estimates compaction must rewrite",
        () -> store.eventsProperty("rocksdb.estimate-pending-compaction-bytes"));
    meters.gauge(BellwatchMeters.STORE_RUNNING_COMPACTIONS, "RocksDB compactions running now",
        () -> store.eventsProperty("rocksdb.num-running-compactions"));
    meters.bytesGauge(BellwatchMeters.STORE_MEMTABLES, "Bytes held in RocksDB memtables (events family)",
        () -> store.eventsProperty("rocksdb.cur-size-all-mem-tables"));
    this.retention = new Retention(store, clock, cfg.site().timezone(), cfg.retention().eventsDays(),
        cfg.retention().rollupsDays(), cfg.retention().diskBudgetBytes());
    this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "retention");
      t.setDaemon(true);
      return t;
    });
    this.site = new SiteReloader(cfg.schedule().dir(), cfg.site().timezone(), site, meters);
    meters.gauge(BellwatchMeters.IDENTITY_DEVICES, "Devices listed in the schedule folder's devices.csv",
        () -> this.site.get().inventory().deviceCount());
    this.pipeline = Pipelines.create(cfg, this.site, meters, sink);
    this.inputs = new InputQueue(cfg.capture().queueCapacity());
    meters.gauge(BellwatchMeters.INPUT_QUEUE, "Inputs waiting for the pipeline thread", inputs::size);
    Instant now = clock.instant();
    if (!cfg.capture().pcapFiles().isEmpty() || !cfg.logs().files().isEmpty()) {
      sources.batch("files", "replaying", now);
    }
    for (String iface : cfg.capture().interfaces()) {
      sources.live("capture:" + iface, meters.total(BellwatchMeters.PCAP_RECEIVED, "interface", iface), now);
    }
    cfg.syslog().listeners().forEach(l -> sources.live("syslog:" + l.name(),
        meters.total(BellwatchMeters.SYSLOG_RECEIVED, "listener", l.name()), now));
    this.captureErrors = meters.total(BellwatchMeters.SOURCE_ERRORS, "source", "capture");
    this.web = new WebServer(cfg.site(), store, new Reports(index, cfg.site().timezone()), registry,
        () -> new WebServer.Health(state, state.equals("running") || state.equals("replaying files"),
            this.site.problem(), sources.views().stream().map(v -> new WebServer.Source(v.name(), v.state(),
                v.lastSeen(), v.silentSince(), v.error())).toList()), clock);
    this.worker = new Thread(this::work, "pipeline");
  }

  /** Starts everything; the web server and the syslog listeners are listening when this returns. */
  public static Agent start(BellwatchConfig cfg, SiteModel site, Clock clock) throws StoreException {
    Agent agent = new Agent(cfg, site, clock);
    try {
      agent.port = agent.web.start(cfg.web().bind(), cfg.web().port());
    } catch (RuntimeException e) {
      agent.store.close();
      throw e;
    }
    if (!cfg.syslog().listeners().isEmpty()) {
      try {
        agent.syslog = SyslogServer.start(cfg.syslog().listeners(), agent.syslogSink(), agent.meters, clock);
      } catch (SyslogException e) {
        agent.web.close();
        agent.store.close();
        throw e;
      }
    }
    agent.worker.start();
    long every = Retention.interval().toSeconds();
    agent.housekeeping.scheduleWithFixedDelay(agent::runRetention, 0, every, TimeUnit.SECONDS);
    log.info("console and API on http://{}:{}/", cfg.web().bind().getHostAddress(), agent.port);
    return agent;
  }

  private void runRetention() {
    try {
      Retention.Pass pass = retention.run();
      index.dropBefore(pass.eventsCutoff());
      pass.evictedDays().forEach(d -> index.dropBefore(d.plusDays(1).atStartOfDay(cfg.site().timezone()).toInstant()));
      meters.retentionRun("ok", pass.evictedDays().size());
      if (!pass.evictedDays().isEmpty()) {
        log.warn("store above its disk budget: evicted the events of {}", pass.evictedDays());
      }
    } catch (StoreException e) {
      meters.retentionRun("failed", 0);
      log.error("retention failed: {}", e.getMessage());
    } catch (RuntimeException e) {
      // A failed pass must not end the schedule: the next one tries again.
      meters.retentionRun("failed", 0);
      log.error("retention failed", e);
    }
  }

  /** The paths the web server answers, for the API contract test. */
  public List<String> routes() {
    return web.routes();
  }

  public int port() {
    return port;
  }

  /** The bound address of a syslog listener (its port when the configuration asked for 0), or null. */
  public java.net.InetSocketAddress syslogAddress(String listener) {
    SyslogServer s = syslog;
    return s == null ? null : s.address(listener);
  }

  private SyslogSink syslogSink() {
    return new SyslogSink() {
      @Override
      public boolean offer(ParsedRecord record) {
        return inputs.offer(PipelineInput.of(record));
      }

      @Override
      public void whenSpace(Runnable resume) {
        inputs.whenSpace(resume);
      }
    };
  }

  public String state() {
    return state;
  }

  private void work() {
    try {
      state = "replaying files";
      if (!cfg.capture().pcapFiles().isEmpty() || !cfg.logs().files().isEmpty()) {
        try {
          FileReplay.replay(cfg.capture().pcapFiles(), cfg.logs().files(), pipeline, meters);
          sources.state("files", "replayed", null);
        } catch (IOException e) {
          meters.sourceError("file");
          sources.state("files", "failing", e.getMessage());
          log.error("file input failed: {}", e.getMessage());
        }
        // Files hold past traffic: their open attempts cannot gain evidence from live traffic.
        pipeline.finish();
        sink.flush();
        log.info("configured files replayed");
      }
      if (!cfg.capture().interfaces().isEmpty()) {
        try {
          capture = LiveCapture.start(cfg.capture(), f -> inputs.offer(new PipelineInput.Frame(f, "live")), meters);
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
      stopped.countDown();
    }
  }

  private void live() {
    long nextTick = System.nanoTime();
    while (!stopping) {
      try {
        PipelineInput in = inputs.poll(TICK.toMillis(), TimeUnit.MILLISECONDS);
        if (in != null) {
          in.deliver(pipeline);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (System.nanoTime() - nextTick >= 0) {
        site.checkForChanges();
        sampleSources();
        pipeline.advanceTo(clock.instant());
        sink.flush();
        nextTick = System.nanoTime() + TICK.toNanos();
      }
    }
  }

  private void sampleSources() {
    double errors = captureErrors.get().doubleValue();
    if (errors > captureErrorsSeen) {
      captureErrorsSeen = errors;
      cfg.capture().interfaces().forEach(i -> sources.failed("capture:" + i, "capture stopped with an error (see the log)"));
    }
    sources.sample(clock.instant());
  }

  /** Blocks until the pipeline thread has stopped. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() {
    stopping = true;
    if (syslog != null) {
      syslog.close();
    }
    if (capture != null) {
      capture.close();
    }
    try {
      if (!stopped.await(10, TimeUnit.SECONDS)) {
        log.warn("pipeline did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    housekeeping.shutdownNow();
    try {
      housekeeping.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    web.close();
    store.close();
    registry.close();
  }
}
