package org.bellwatch.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.bellwatch.agent.config.Auth;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.config.KafkaLink;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.export.Messages;
import org.bellwatch.agent.hub.BlockMessage;
import org.bellwatch.agent.hub.DistrictStore;
import org.bellwatch.agent.hub.Hub;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.store.EventStore.EventRef;
import org.bellwatch.agent.store.Outbox;
import org.bellwatch.agent.web.Passwords;

/**
 * The district's questions over a district's term: {@code schools} simulated schools × {@code days}
 * calendar days written into a hub store through its public write path ({@link
 * DistrictStore#apply}, the block messages as the sites' exporters write them, read by {@link
 * BlockMessage#read} as the hub's consumer reads them, 5,000 to a batch as one poll), then the hub
 * started on that store and its API asked over HTTP, with HTTP Basic sign-in as a client sends it,
 * {@code runs} times each (after 20 warm-up requests): the overview (blocks by school and the sites
 * that block instruction in the most schools) for district IT and for one school's coordinator, the
 * district's newest blocks, one school's drill-down (all and instructional blocks), the district
 * summary over the last week and the last 30 days (district IT, one school), the queue over 30
 * days, and the school list. Prints p50/p95/max per query and the process's CPU per request. Before
 * the hub starts, the same week and 30 days are read event by event in process ({@link
 * DistrictStore#forEachBlockBetween}), what the summary and queue did on every request before the
 * day tallies: the "before" of the ratio.
 *
 * <p>Volumes: each school has between {@code min-devices} and {@code max-devices} devices
 * (uniform), and {@code per-device} block events per device per school day: 0.94 is the simulated
 * 600-device term school's (docs/benchmarks.md, "Demo start": 10,704 block events in 19 school
 * days). Events of one school share the popularity of 400 blocked domains ({@link
 * StoreReportsBench}'s generator). Defaults: 200 schools, 90 days, 250 to 1,500 devices: about 10
 * million events.
 *
 * <p>Run: {@code scripts/bench-hub report [--schools 200] [--days 90] [--runs 200]}; by hand:
 * {@code java -Xmx2g -cp "agent/target/benchmarks.jar:$(cat agent/target/bench-classpath.txt)"
 * org.bellwatch.bench.DistrictReportBench --dir DIR}.
 */
public final class DistrictReportBench {
  private static final String PASSWORD = "district bench password";

  /**
   * The district's time zone, the simulated schools' own: the hub's days (and its day tallies) are
   * counted there.
   */
  static final java.time.ZoneId ZONE = StoreReportsBench.ZONE;

  private DistrictReportBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a =
        BenchArgs.parse(
            args,
            Map.of(
                "--schools",
                "200",
                "--days",
                "90",
                "--runs",
                "200",
                "--dir",
                "agent/target/bench/district",
                "--min-devices",
                "250",
                "--max-devices",
                "1500",
                "--per-device",
                "0.94"));
    int schools = Integer.parseInt(a.get("--schools"));
    int runs = Integer.parseInt(a.get("--runs"));
    int minDevices = Integer.parseInt(a.get("--min-devices"));
    int maxDevices = Integer.parseInt(a.get("--max-devices"));
    double perDevice = Double.parseDouble(a.get("--per-device"));
    Path dir = Path.of(a.get("--dir"));
    List<LocalDate> days =
        StoreReportsBench.schoolDays(
            LocalDate.parse("2026-08-24"), Integer.parseInt(a.get("--days")));
    StoreReportsBench.deleteTree(dir);
    Path store = dir.resolve("store");
    long written = write(store, schools, days, minDevices, maxDevices, perDevice);
    System.out.printf(
        "store on disk: %,d MB for %,d events%n", StoreReportsBench.size(store) >> 20, written);

    // The ranges the console asks for: the last week and the last 30 days of the term written.
    LocalDate last = days.get(days.size() - 1).plusDays(1);
    String week = range(last.minusDays(7), last);
    String month = range(last.minusDays(30), last);
    scan(store, last.minusDays(7), last, "a scan of the last week's events", 5);
    scan(store, last.minusDays(30), last, "a scan of the last 30 days' events", 3);

    String hash = Passwords.hash(PASSWORD.toCharArray(), Auth.DEFAULTS.pbkdf2Iterations());
    KafkaLink nowhere =
        new KafkaLink(
            List.of("127.0.0.1:9"),
            "bench",
            "hub",
            "hub",
            "PLAINTEXT",
            null,
            null,
            null,
            null,
            Duration.ofSeconds(10),
            1_000);
    HubConfig cfg =
        new HubConfig(
            "bench",
            nowhere,
            "bench-hub",
            store,
            InetAddress.getLoopbackAddress(),
            0,
            List.of(
                new HubConfig.Account("district.it", "district_it", null, hash),
                new HubConfig.Account("coordinator", "school_coordinator", "school-7", hash)),
            ZONE,
            List.of(),
            null,
            null,
            // The longest retention there is: the hub's pass at start must leave the fixture's
            // days (from 2026-08-24) whole whatever day the benchmark runs.
            new HubConfig.Retention(3660, 0),
            true);
    long t0 = System.nanoTime();
    try (Hub hub = Hub.start(cfg, Clock.systemUTC())) {
      System.out.printf(
          "hub start on the store: %.1f s (the Kafka link points nowhere: only the API is asked)%n",
          (System.nanoTime() - t0) / 1e9);
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + hub.port();
      SplittableRandom q = new SplittableRandom(7);
      time(
          http,
          base,
          "district.it",
          "overview, district IT",
          runs,
          i -> "/api/v1/district/overview");
      time(
          http,
          base,
          "coordinator",
          "overview, one school's coordinator",
          runs,
          i -> "/api/v1/district/overview");
      time(
          http,
          base,
          "district.it",
          "newest 100 blocks, every school",
          runs,
          i -> "/api/v1/district/blocks?limit=100");
      time(
          http,
          base,
          "district.it",
          "drill-down: one school's newest 100",
          runs,
          i -> "/api/v1/district/blocks?limit=100&school=school-" + q.nextInt(schools));
      time(
          http,
          base,
          "district.it",
          "drill-down: one school's 100 instructional",
          runs,
          i ->
              "/api/v1/district/blocks?limit=100&instructional=true&school=school-"
                  + q.nextInt(schools));
      time(
          http,
          base,
          "district.it",
          "summary, last week, district IT",
          runs,
          i -> "/api/v1/district/summary?" + week);
      time(
          http,
          base,
          "district.it",
          "summary, last 30 days, district IT",
          runs,
          i -> "/api/v1/district/summary?" + month);
      time(
          http,
          base,
          "coordinator",
          "summary, last 30 days, one school",
          runs,
          i -> "/api/v1/district/summary?" + month);
      time(
          http,
          base,
          "district.it",
          "queue, last 30 days, district IT",
          runs,
          i -> "/api/v1/district/queue?" + month);
      time(
          http,
          base,
          "district.it",
          "schools and their health",
          runs,
          i -> "/api/v1/district/schools");
    }
  }

  /** A query's range: the days' midnights in the district's zone. */
  private static String range(LocalDate from, LocalDate to) {
    return "from="
        + from.atStartOfDay(ZONE).toInstant()
        + "&to="
        + to.atStartOfDay(ZONE).toInstant();
  }

  /**
   * Times reading every event of a range ({@link DistrictStore#forEachBlockBetween}, what the
   * district summary and the queue did on each request before the day tallies): the cost those
   * requests paid at least, beside which the summary's own figures below are read.
   */
  static void scan(Path store, LocalDate from, LocalDate to, String name, int runs)
      throws Exception {
    try (DistrictStore ds = DistrictStore.open(store, ZONE)) {
      long[] nanos = new long[runs];
      long events = 0;
      long cpu0 = processCpuNanos();
      for (int i = 0; i < runs; i++) {
        long[] n = {0};
        long t = System.nanoTime();
        ds.forEachBlockBetween(
            null,
            from.atStartOfDay(ZONE).toInstant(),
            to.atStartOfDay(ZONE).toInstant(),
            b -> n[0]++);
        nanos[i] = System.nanoTime() - t;
        events = n[0];
      }
      double cpuMs = (processCpuNanos() - cpu0) / 1e6 / runs;
      Arrays.sort(nanos);
      System.out.printf(
          "%-45s p50 %7.1f ms   max %7.1f ms   CPU %6.1f ms   (%,d events, %d runs, in process)%n",
          name, nanos[runs / 2] / 1e6, nanos[runs - 1] / 1e6, cpuMs, events, runs);
    }
  }

  /** Writes every school's term through the hub's write path; returns the events written. */
  static long write(
      Path store,
      int schools,
      List<LocalDate> days,
      int minDevices,
      int maxDevices,
      double perDevice)
      throws Exception {
    DomainMix mix = new DomainMix();
    SplittableRandom sizes = new SplittableRandom(2026);
    long written = 0;
    long applyNanos = 0;
    long t0 = System.nanoTime();
    try (DistrictStore ds = DistrictStore.open(store, ZONE)) {
      List<DistrictStore.Change> batch = new ArrayList<>(5_000);
      for (int s = 0; s < schools; s++) {
        String site = "school-" + s;
        String name = "School " + s;
        int devices = minDevices + sizes.nextInt(maxDevices - minDevices + 1);
        int perDay = (int) Math.round(devices * perDevice);
        SplittableRandom rnd = new SplittableRandom(s);
        batch.add(
            new DistrictStore.Change.Health(
                site,
                name,
                Messages.read(
                        Messages.health(site, name, Instant.parse("2026-12-04T20:00:00Z"), "ok", 0),
                        "health")
                    .message()));
        // Two review requests a school, for sites among the most blocked, on the last day: the
        // queue's answer then lists 400 requests with their impact, as a district's would.
        for (int q = 0; q < 2; q++) {
          String domain = mix.domains[rnd.nextInt(40)];
          Instant at = days.get(days.size() - 1).atTime(15, 30 + q).atZone(ZONE).toInstant();
          ObjectNode request =
              Messages.read(
                      Messages.request(
                          site,
                          name,
                          domain,
                          new Review.Entry(
                              at,
                              "teacher." + site,
                              "teacher",
                              Review.REQUESTED,
                              "needed for a lesson",
                              List.of("sec-" + q),
                              null,
                              null,
                              null,
                              null,
                              null,
                              null)),
                      "request")
                  .message();
          batch.add(
              new DistrictStore.Change.Request(
                  site, name, request.get("request_id").asText(), request));
        }
        long seq = 0;
        for (LocalDate day : days) {
          long[] instants = new long[perDay];
          for (int k = 0; k < perDay; k++) {
            instants[k] = rnd.nextInt(8 * 3600) * 1_000_000L + rnd.nextInt(1_000_000);
          }
          Arrays.sort(instants);
          for (long instant : instants) {
            BlockEvent e = mix.event(rnd, day, instant);
            BlockMessage.Read r =
                BlockMessage.read(
                    Messages.block(site, name, new Outbox.Entry(seq++, EventRef.of(e), null, e)));
            batch.add(new DistrictStore.Change.Block(r.message()));
            if (batch.size() >= 5_000) {
              long a = System.nanoTime();
              ds.apply(batch);
              applyNanos += System.nanoTime() - a;
              written += batch.size();
              batch.clear();
            }
          }
        }
      }
      long a = System.nanoTime();
      ds.apply(batch);
      applyNanos += System.nanoTime() - a;
      written += batch.size();
    }
    // Each school's health and two requests are in the batches too.
    written -= 3L * schools;
    System.out.printf(
        "write: %,d block events of %d schools in %.1f s (%.1f s in DistrictStore.apply: %,.0f"
            + " events/s)%n",
        written,
        schools,
        (System.nanoTime() - t0) / 1e9,
        applyNanos / 1e9,
        written / (applyNanos / 1e9));
    return written;
  }

  static void time(
      HttpClient http, String base, String user, String name, int runs, IntFunction<String> path)
      throws Exception {
    String auth =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    long bytes = 0;
    long[] nanos = new long[runs];
    long cpu0 = 0;
    for (int i = -20; i < runs; i++) {
      if (i == 0) {
        cpu0 = processCpuNanos();
      }
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(base + path.apply(i)))
              .header("Authorization", auth)
              .build();
      long t = System.nanoTime();
      HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
      long took = System.nanoTime() - t;
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            name + ": " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
      }
      if (i >= 0) {
        nanos[i] = took;
        bytes += r.body().length;
      }
    }
    double cpuMs = (processCpuNanos() - cpu0) / 1e6 / runs;
    Arrays.sort(nanos);
    System.out.printf(
        "%-45s p50 %7.1f ms   p95 %7.1f ms   max %7.1f ms   CPU %6.1f ms   (%,d bytes per answer)%n",
        name,
        nanos[runs / 2] / 1e6,
        nanos[(int) (runs * 0.95)] / 1e6,
        nanos[runs - 1] / 1e6,
        cpuMs,
        bytes / runs);
  }

  /**
   * The CPU time of this process (hub and client, every thread): per request, it does not grow with
   * the machine's load as the wall time does.
   */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
