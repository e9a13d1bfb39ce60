package org.bellwatch.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.bellwatch.agent.config.KafkaLink;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.export.KafkaExporter;
import org.bellwatch.agent.export.Topics;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.store.EventStore;

/**
 * A site's export at a sustained rate: block events stored in a real site store with its outbox on,
 * at {@code rate} events per second in tenths of a second (as the pipeline's store batches arrive),
 * for {@code minutes}, while the {@link KafkaExporter} sends them to the broker as {@code bellwatch
 * run} does. Every 100 ms the export's pending count (events stored and not yet acknowledged by
 * Kafka) is sampled: printed as p50/p99/max in events and in seconds of input at the rate, per
 * minute and over the run, so a lag that grows shows as a rising per-minute maximum. Then the
 * writer stops, the time to send what is left is measured, and the topic is read back: every event
 * once.
 *
 * <p>The rate: a school's peak (docs/benchmarks.md, "Soak") is 500 filter log messages/s; counting
 * every one as a block is an upper bound on its block events (the 10× soak stored 469 blocks/s).
 * Ten times it, 5,000 events/s, is the default.
 *
 * <p>Run with a broker: {@code scripts/bench-hub export [--rate 5000] [--minutes 3]}.
 */
public final class ExportLagBench {
  private ExportLagBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a =
        BenchArgs.parse(
            args,
            Map.of(
                "--bootstrap",
                "",
                "--rate",
                "5000",
                "--minutes",
                "3",
                "--dir",
                "agent/target/bench/export"));
    String bootstrap = a.get("--bootstrap");
    int rate = Integer.parseInt(a.get("--rate"));
    int minutes = Integer.parseInt(a.get("--minutes"));
    Path dir = Path.of(a.get("--dir"));
    StoreReportsBench.deleteTree(dir);
    String prefix = "bench" + System.currentTimeMillis();
    Topics topics = new Topics(prefix);
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(
              java.util.stream.Stream.concat(
                      topics.ofSite("school-1").stream(),
                      java.util.stream.Stream.of(topics.decisions()))
                  .map(t -> new NewTopic(t, 1, (short) 1))
                  .toList())
          .all()
          .get();
    }
    KafkaLink link = HubIngestBench.link(bootstrap, prefix, "school-1");
    DomainMix mix = new DomainMix();
    long stored = 0;
    List<long[]> samples = new ArrayList<>();
    long drainNanos;
    long writeNanos;
    Map<String, Long> cpu;
    try (EventStore store = EventStore.open(dir, StoreReportsBench.ZONE, false)) {
      store.recordOutbox();
      KafkaExporter exporter =
          new KafkaExporter(
              link,
              store.outbox(),
              store.console().reviews(),
              new BellwatchMeters(new SimpleMeterRegistry()),
              Clock.systemUTC(),
              () -> "ok");
      exporter.start();
      try {
        SplittableRandom rnd = new SplittableRandom(1);
        long start = System.nanoTime();
        long end = start + minutes * 60_000_000_000L;
        // The samples come from a thread of their own, every 100 ms whatever the writer is doing.
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(
            () -> {
              synchronized (samples) {
                samples.add(new long[] {System.nanoTime() - start, exporter.pending()});
              }
            },
            100,
            100,
            TimeUnit.MILLISECONDS);
        long micros = 0;
        LocalDate day = LocalDate.now(ZoneOffset.UTC);
        long next = start;
        while (System.nanoTime() < end) {
          // The events due since the start, in batches of at most 512 (the pipeline's
          // StoreSink.BATCH): a
          // writer that falls behind catches up, and the shortfall is printed.
          long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
          while (stored < due) {
            List<BlockEvent> batch = new ArrayList<>();
            while (batch.size() < Math.min(512, due - stored)) {
              micros += 1_000_000L / Math.max(1, rate / 10) + 1;
              batch.add(mix.event(rnd, day, micros % (8 * 3600 * 1_000_000L)));
            }
            stored += batch.size();
            store.append(batch);
            exporter.nudge();
          }
          next += 100_000_000L;
          long wait = next - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
        writeNanos = System.nanoTime() - start;
        sampler.shutdownNow();
        sampler.awaitTermination(5, TimeUnit.SECONDS);
        long t = System.nanoTime();
        while (exporter.pending() > 0) {
          Thread.sleep(10);
        }
        drainNanos = System.nanoTime() - t;
        cpu = threadCpu();
      } finally {
        exporter.close();
      }
    }
    System.out.printf(
        "stored %,d events at %,d/s for %d min (%,.0f/s achieved)%n",
        stored, rate, minutes, stored / (writeNanos / 1e9));
    for (int m = 0; m < minutes; m++) {
      int minute = m;
      print(
          "minute " + (m + 1),
          samples.stream()
              .filter(s -> s[0] / 60_000_000_000L == minute)
              .mapToLong(s -> s[1])
              .toArray(),
          rate);
    }
    print("whole run", samples.stream().mapToLong(s -> s[1]).toArray(), rate);
    System.out.printf("after the writer stopped: the rest sent in %.2f s%n", drainNanos / 1e9);
    long total = cpu.values().stream().mapToLong(Long::longValue).sum();
    for (Map.Entry<String, Long> e : cpu.entrySet()) {
      if (e.getValue() > total / 50) {
        System.out.printf(
            "CPU of thread %-45s %7.2f s  %6.2f us an event%n",
            e.getKey(), e.getValue() / 1e9, e.getValue() / 1e3 / stored);
      }
    }
    double read =
        HubIngestBench.raw(
            bootstrap, List.of(topics.blocks("school-1")), prefix + "-check", (int) stored);
    System.out.printf("read back: the topic holds all %,d (read at %,.0f/s)%n", stored, read);
  }

  /**
   * CPU time by thread name (numbered threads of a pool summed under the pool's name), of the
   * threads alive now: the exporter's and the producer's, before they are closed.
   */
  static Map<String, Long> threadCpu() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    Map<String, Long> out = new java.util.TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      long ns = mx.getThreadCpuTime(t.getId());
      if (ns > 0) {
        out.merge(t.getName().replaceAll("-\\d+$", "-N"), ns, Long::sum);
      }
    }
    return out;
  }

  private static void print(String name, long[] pending, int rate) {
    if (pending.length == 0) {
      return;
    }
    long[] s = pending.clone();
    Arrays.sort(s);
    long p50 = s[s.length / 2];
    long p99 = s[Math.min(s.length - 1, (int) (s.length * 0.99))];
    long max = s[s.length - 1];
    System.out.printf(
        "%-10s export pending: p50 %,6d  p99 %,6d  max %,6d events (%.2f / %.2f / %.2f s of input)"
            + "  over %d samples%n",
        name,
        p50,
        p99,
        max,
        p50 / (double) rate,
        p99 / (double) rate,
        max / (double) rate,
        s.length);
  }
}
