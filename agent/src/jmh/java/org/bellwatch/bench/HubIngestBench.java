package org.bellwatch.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.config.KafkaLink;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.export.KafkaProps;
import org.bellwatch.agent.export.Messages;
import org.bellwatch.agent.export.Topics;
import org.bellwatch.agent.hub.DistrictStore;
import org.bellwatch.agent.hub.HubConsumer;
import org.bellwatch.agent.hub.StoreCeiling;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.store.EventStore.EventRef;
import org.bellwatch.agent.store.Outbox;

/**
 * The hub's ingest rate from Kafka into its store, side by side with the ceiling: a plain consumer
 * loop over the same topics that deserialises nothing (keys and values as bytes, the loop of {@code
 * kafka-consumer-perf-test}). One run preloads {@code events} block messages across {@code sites}
 * schools (the exporter's message format, key and partition, sent in transactions of 2,000 by one
 * transactional producer per site, lz4, as {@link org.bellwatch.agent.export.KafkaExporter} sends
 * them), then alternates, {@code rounds} times: the raw loop as a new consumer group, then a {@link
 * HubConsumer} with a new, empty {@link DistrictStore} as another group. Each rate runs from the
 * first record read to the last: for the raw loop, the last record polled; for the hub, its group's
 * committed offsets reaching the end of every partition (the hub commits only after its store has
 * the data). The hub's store is then counted: every event once. Each round ends with the ceilings
 * below Kafka, with the broker idle ({@link StoreCeiling}): the same messages written by RocksDB
 * alone with the hub's store options, and through the hub's store path on one thread.
 *
 * <p>Run with a broker: {@code scripts/bench-hub ingest} (starts a local KRaft broker and passes
 * {@code --bootstrap}). By hand: {@code java -cp "$(cat agent/target/bench-classpath.txt)"
 * org.bellwatch.bench.HubIngestBench --bootstrap 127.0.0.1:9092 [--events 1000000] [--sites 40]
 * [--partitions 1] [--rounds 3] [--dir agent/target/bench/hub-ingest]}.
 */
public final class HubIngestBench {
  /** This process's CPU time, all threads: the consumers', the hub's writer's and RocksDB's own. */
  private static final com.sun.management.OperatingSystemMXBean CPU =
      (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  private HubIngestBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a =
        BenchArgs.parse(
            args,
            Map.of(
                "--bootstrap",
                "",
                "--events",
                "1000000",
                "--sites",
                "40",
                "--partitions",
                "1",
                "--rounds",
                "3",
                "--dir",
                "agent/target/bench/hub-ingest"));
    String bootstrap = a.get("--bootstrap");
    int events = Integer.parseInt(a.get("--events"));
    int sites = Integer.parseInt(a.get("--sites"));
    int partitions = Integer.parseInt(a.get("--partitions"));
    int rounds = Integer.parseInt(a.get("--rounds"));
    Path dir = Path.of(a.get("--dir"));
    String prefix = "bench" + System.currentTimeMillis();
    Topics topics = new Topics(prefix);
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(
              blocksTopics(topics, sites).stream()
                  .map(t -> new NewTopic(t, partitions, (short) 1))
                  .toList())
          .all()
          .get();
      long t0 = System.nanoTime();
      List<byte[]> values = new ArrayList<>(events);
      long bytes = preload(bootstrap, prefix, events, sites, values);
      System.out.printf(
          "preload: %,d block messages of %d sites, %d partition(s) each, %,d bytes of values (%.0f per"
              + " message), %.1f s%n",
          events,
          sites,
          partitions,
          bytes,
          (double) bytes / events,
          (System.nanoTime() - t0) / 1e9);
      Map<TopicPartition, Long> ends = new HashMap<>();
      for (String topic : blocksTopics(topics, sites)) {
        ends.putAll(endOffsets(admin, topic, partitions));
      }
      List<double[]> results = new ArrayList<>();
      List<double[]> ceilings = new ArrayList<>();
      for (int r = 1; r <= rounds; r++) {
        long cpu = CPU.getProcessCpuTime();
        double raw = raw(bootstrap, blocksTopics(topics, sites), prefix + "-raw" + r, events);
        double rawCpu = (CPU.getProcessCpuTime() - cpu) / 1e9;
        Path store = dir.resolve("round" + r);
        StoreReportsBench.deleteTree(store);
        cpu = CPU.getProcessCpuTime();
        double hub = hub(admin, bootstrap, prefix, prefix + "-hub" + r, store, ends, events);
        double hubCpu = (CPU.getProcessCpuTime() - cpu) / 1e9;
        results.add(new double[] {raw, hub});
        System.out.printf(
            "round %d: raw consumer %,.0f events/s, hub into its store %,.0f events/s: %.2f of raw;"
                + " per CPU-second of this process (the broker is another): raw %,.0f, hub %,.0f events%n",
            r, raw, hub, hub / raw, events / rawCpu, events / hubCpu);
        StoreReportsBench.deleteTree(store);
        // The ceilings below Kafka, with the broker idle: the same messages into a new store.
        double rocks = StoreCeiling.rocksAlone(store, values);
        StoreReportsBench.deleteTree(store);
        double path = StoreCeiling.storePath(store, values);
        StoreReportsBench.deleteTree(store);
        System.out.printf(
            "  without Kafka: RocksDB alone (the hub's store options, its keys, the messages as"
                + " values) %,.0f events/s; the hub's store path (read, count, write, one thread)"
                + " %,.0f events/s; hub/RocksDB alone %.2f%n",
            rocks, path, hub / rocks);
        ceilings.add(new double[] {rocks, path});
      }
      double[] ratios = results.stream().mapToDouble(x -> x[1] / x[0]).sorted().toArray();
      double[] hubs = results.stream().mapToDouble(x -> x[1]).sorted().toArray();
      double[] raws = results.stream().mapToDouble(x -> x[0]).sorted().toArray();
      System.out.printf(
          "median of %d rounds: raw %,.0f events/s, hub %,.0f events/s, hub/raw %.2f%n",
          rounds, raws[rounds / 2], hubs[rounds / 2], ratios[rounds / 2]);
      double[] rocks = ceilings.stream().mapToDouble(x -> x[0]).sorted().toArray();
      double[] paths = ceilings.stream().mapToDouble(x -> x[1]).sorted().toArray();
      System.out.printf(
          "median without Kafka: RocksDB alone %,.0f events/s, the hub's store path %,.0f"
              + " events/s%n",
          rocks[rounds / 2], paths[rounds / 2]);
    }
  }

  /** Each school's blocks topic: {@code school-0} to {@code school-(sites-1)}. */
  static List<String> blocksTopics(Topics topics, int sites) {
    List<String> out = new ArrayList<>();
    for (int s = 0; s < sites; s++) {
      out.add(topics.blocks("school-" + s));
    }
    return out;
  }

  /**
   * Sends the block messages as the sites' exporters would, keeping each in {@code values}; returns
   * the bytes of the values.
   */
  static long preload(String bootstrap, String prefix, int events, int sites, List<byte[]> values)
      throws Exception {
    DomainMix mix = new DomainMix();
    List<LocalDate> days = StoreReportsBench.schoolDays(LocalDate.parse("2026-08-24"), 90);
    Topics topics = new Topics(prefix);
    long bytes = 0;
    for (int s = 0; s < sites; s++) {
      String site = "school-" + s;
      KafkaLink link = link(bootstrap, prefix, site);
      SplittableRandom rnd = new SplittableRandom(s);
      int count = events / sites + (s < events % sites ? 1 : 0);
      try (KafkaProducer<String, byte[]> p =
          new KafkaProducer<>(
              KafkaProps.producer(link, "bench-" + site, "bench-" + prefix + "-" + site))) {
        p.initTransactions();
        String topic = topics.blocks(site);
        int partition = Topics.partition(site, p.partitionsFor(topic).size());
        for (int i = 0; i < count; i += 2_000) {
          p.beginTransaction();
          for (int k = i; k < Math.min(count, i + 2_000); k++) {
            LocalDate day = days.get(k * days.size() / count);
            BlockEvent e = mix.event(rnd, day, rnd.nextInt(8 * 3600) * 1_000_000L);
            EventRef ref = EventRef.of(e);
            byte[] v = Messages.block(site, "School " + s, new Outbox.Entry(k, ref, null, e));
            bytes += v.length;
            values.add(v);
            p.send(
                new ProducerRecord<>(topic, partition, Messages.blockKey(site, Outbox.id(ref)), v));
          }
          p.commitTransaction();
        }
      }
    }
    return bytes;
  }

  static KafkaLink link(String bootstrap, String prefix, String site) {
    return new KafkaLink(
        List.of(bootstrap),
        prefix,
        site,
        site,
        "PLAINTEXT",
        null,
        null,
        null,
        null,
        Duration.ofSeconds(60),
        1_000);
  }

  /** The plain loop: records polled as bytes and counted, from the first record to the last. */
  static double raw(String bootstrap, List<String> topics, String group, int events)
      throws Exception {
    Map<String, Object> p = KafkaProps.consumer(link(bootstrap, "x", "x"), group, group);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    long seen = 0;
    long first = 0;
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      c.subscribe(topics);
      while (seen < events) {
        ConsumerRecords<byte[], byte[]> rs = c.poll(Duration.ofMillis(500));
        if (first == 0 && !rs.isEmpty()) {
          first = System.nanoTime();
        }
        seen += rs.count();
      }
    }
    return seen / ((System.nanoTime() - first) / 1e9);
  }

  /**
   * The hub: a consumer into a new store; done when its committed offsets reach every partition's
   * end.
   */
  static double hub(
      Admin admin,
      String bootstrap,
      String prefix,
      String group,
      Path store,
      Map<TopicPartition, Long> ends,
      int events)
      throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    HubConfig cfg =
        new HubConfig(
            "bench",
            link(bootstrap, prefix, "hub"),
            group,
            store,
            InetAddress.getLoopbackAddress(),
            0,
            List.of());
    long first;
    long done;
    Map<String, Long> threadsBefore = threadCpu();
    try (DistrictStore ds = DistrictStore.open(store, java.time.ZoneOffset.UTC);
        HubConsumer consumer = new HubConsumer(cfg, ds, new BellwatchMeters(registry))) {
      consumer.start();
      while (read(registry) == 0) { // the first record read
        Thread.sleep(2);
      }
      first = System.nanoTime();
      while (!caughtUp(admin, group, ends)) {
        Thread.sleep(20);
      }
      done = System.nanoTime();
      Map<String, Long> threads = threadCpu();
      threads.replaceAll((name, ticks) -> ticks - threadsBefore.getOrDefault(name, 0L));
      System.out.println(
          "  hub round CPU by thread (clock ticks of 10 ms): "
              + threads.entrySet().stream()
                  .filter(e -> e.getValue() > 0)
                  .sorted(Map.Entry.comparingByValue(java.util.Comparator.reverseOrder()))
                  .map(e -> e.getKey() + " " + e.getValue())
                  .toList());
      AtomicLong stored = new AtomicLong();
      ds.forEachBlock(null, b -> stored.incrementAndGet());
      if (stored.get() != events) {
        throw new IllegalStateException("the hub stored " + stored.get() + " events of " + events);
      }
    }
    return events / ((done - first) / 1e9);
  }

  /**
   * CPU time (user + system, clock ticks) of this process's threads by name
   * (/proc/self/task/TID/stat), RocksDB's native flush and compaction threads included, which no
   * Java profiler sees.
   */
  static Map<String, Long> threadCpu() throws java.io.IOException {
    Map<String, Long> out = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : tasks.toList()) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String name =
              stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                  .replaceAll("[0-9]+$", "");
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          out.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
        } catch (java.nio.file.NoSuchFileException gone) {
          // The thread ended between the listing and the read.
        }
      }
    }
    return out;
  }

  private static double read(SimpleMeterRegistry registry) {
    Counter c = registry.find(BellwatchMeters.HUB_MESSAGES).counter();
    return c == null ? 0 : c.count();
  }

  private static boolean caughtUp(Admin admin, String group, Map<TopicPartition, Long> ends)
      throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      // Each partition ends with a transaction's commit marker, which no consumer is handed: the
      // offset
      // after the last record read is the end offset less one.
      OffsetAndMetadata o = committed.get(e.getKey());
      if (e.getValue() > 0 && (o == null || o.offset() < e.getValue() - 1)) {
        return false;
      }
    }
    return true;
  }

  static Map<TopicPartition, Long> endOffsets(Admin admin, String topic, int partitions)
      throws Exception {
    Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
    for (int i = 0; i < partitions; i++) {
      ask.put(new TopicPartition(topic, i), OffsetSpec.latest());
    }
    Map<TopicPartition, Long> out = new HashMap<>();
    for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e :
        admin.listOffsets(ask).all().get().entrySet()) {
      out.put(e.getKey(), e.getValue().offset());
    }
    return out;
  }
}
