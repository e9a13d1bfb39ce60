package org.bellwatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.report.EventIndex;
import org.bellwatch.agent.report.ReportFilter;
import org.bellwatch.agent.report.Reports;
import org.bellwatch.agent.store.EventStore;

/**
 * Store ingest and report latency at a district school's scale: 90 days of a simulated 2,000-device
 * site (60 rooms, 420 sections, 1,800 users, 400 blocked domains with a Zipf-like popularity),
 * written to a real RocksDB store with the WAL on, loaded into the report index, then every report
 * asked 200 times with random filters. Prints events/s, p50/p95/max per report and the store's size
 * per million events.
 *
 * <p>Run: {@code mvn -q -B -Pbenchmarks -DskipTests package && java -Xmx2g -cp
 * "agent/target/classes:agent/target/bellwatch/lib/*" org.bellwatch.bench.StoreReportsBench
 * [events] [dir] [ingest]} ({@code -Dbench.decodedLoad=true} loads the index the previous way,
 * through decoded events) (default 2,000,000 events in agent/target/bench/store; the folder is
 * deleted first; {@code ingest} stops after the ingest phase). Events of a day arrive in random
 * order, the worst case for the duplicate check; {@code -Dbench.inOrder=true} writes each day's
 * events in time order, as the live pipeline emits them. Either way each event is made just before
 * its batch is appended, as the correlator hands them over.
 */
public final class StoreReportsBench {
  static final ZoneId ZONE = ZoneId.of("America/Los_Angeles");
  static final int DEVICES = 2000;
  static final int ROOMS = 60;
  static final int PERIODS = 7;
  static final int USERS = 1800;
  static final int DOMAINS = 400;
  static final int BATCH = 512;

  private StoreReportsBench() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    Path dir = Path.of(args.length > 1 ? args[1] : "agent/target/bench/store");
    deleteTree(dir);
    List<LocalDate> days = schoolDays(LocalDate.parse("2026-08-24"), 90);
    SplittableRandom rnd = new SplittableRandom(42);
    String[] domains = new String[DOMAINS];
    double[] weights = new double[DOMAINS];
    double sum = 0;
    for (int i = 0; i < DOMAINS; i++) {
      domains[i] =
          "site"
              + i
              + (i % 3 == 0 ? ".games.example" : i % 3 == 1 ? ".video.example" : ".chat.example");
      sum += 1.0 / Math.pow(i + 1, 1.1);
      weights[i] = sum;
    }

    boolean ingestOnly = args.length > 2 && args[2].equals("ingest");
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long written = 0;
    long appendNanos = 0;
    long appendCpu = 0;
    long appendThreadCpu = 0;
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long t0 = System.nanoTime();
    try (EventStore store = EventStore.open(dir, ZONE, false)) {
      List<BlockEvent> batch = new ArrayList<>(BATCH);
      int perDay = events / days.size() + 1;
      boolean inOrder = Boolean.getBoolean("bench.inOrder");
      for (LocalDate day : days) {
        int count = (int) Math.min(perDay, events - written - batch.size());
        // A day's instants (microseconds after 07:30), drawn first; in time order when asked. Each
        // event is
        // then made just before its batch is appended: in the pipeline, the store gets events that
        // the
        // correlator has just made, in time order, not a day of them sorted after the fact.
        long[] instants = new long[Math.max(count, 0)];
        for (int k = 0; k < instants.length; k++) {
          instants[k] = rnd.nextInt(8 * 3600) * 1_000_000L + rnd.nextInt(1_000_000);
        }
        if (inOrder) {
          Arrays.sort(instants);
        }
        for (long instant : instants) {
          batch.add(event(rnd, day, instant, domains, weights, sum));
          if (batch.size() == BATCH) {
            // The process CPU probe (tens of microseconds: it sums every thread) stays outside the
            // wall clock.
            long c = os.getProcessCpuTime();
            long tc = threads.getCurrentThreadCpuTime();
            long a = System.nanoTime();
            written += store.append(batch).size();
            appendNanos += System.nanoTime() - a;
            appendThreadCpu += threads.getCurrentThreadCpuTime() - tc;
            appendCpu += os.getProcessCpuTime() - c;
            batch.clear();
          }
        }
      }
      written += store.append(batch).size();
      long ingestNanos = System.nanoTime() - t0;
      // Generating the synthetic events costs time too; the store's own rate counts only append().
      System.out.printf(
          "ingest: %,d events, store.append %.1f s = %,.0f events/s (WAL on, batches of %d);"
              + " with generation %.1f s%n",
          written, appendNanos / 1e9, written / (appendNanos / 1e9), BATCH, ingestNanos / 1e9);
      // On a shared machine wall time follows the neighbours; CPU time (all of the process's
      // threads,
      // RocksDB's flushes and compactions included) is the steadier measure of the store's own
      // cost.
      System.out.printf(
          "ingest CPU: %.1f s of process CPU during append = %,.0f events per CPU-second"
              + " (the appending thread: %.1f s)%n",
          appendCpu / 1e9, written / (appendCpu / 1e9), appendThreadCpu / 1e9);
      if (ingestOnly) {
        System.out.printf("store on disk after ingest: %,d MB%n", size(dir) >> 20);
        return;
      }

      long t1 = System.nanoTime();
      EventIndex index = new EventIndex();
      if (Boolean.getBoolean("bench.decodedLoad")) {
        // The previous way (and the only one before EventIndex.load): decode every event, then add
        // it.
        List<BlockEvent> loading = new ArrayList<>();
        store.forEach(
            null,
            null,
            false,
            e -> {
              loading.add(e);
              if (loading.size() == 10_000) {
                index.addAll(loading);
                loading.clear();
              }
            });
        index.addAll(loading);
      } else {
        index.load(store);
      }
      System.out.printf(
          "index load at start: %,d events in %.1f s%n",
          index.size(), (System.nanoTime() - t1) / 1e9);
      Runtime rt = Runtime.getRuntime();
      System.gc();
      System.out.printf("heap after load: %,d MB%n", (rt.totalMemory() - rt.freeMemory()) >> 20);

      Reports reports = new Reports(index, ZONE);
      Instant from = days.get(0).atStartOfDay(ZONE).toInstant();
      Instant to = days.get(days.size() - 1).plusDays(1).atStartOfDay(ZONE).toInstant();
      SplittableRandom q = new SplittableRandom(7);
      time(
          "top domains, 90 days, instructional",
          200,
          () ->
              reports.topDomains(
                  new ReportFilter(from, to, null, null, null, null, null, null, null, true),
                  0,
                  50));
      time(
          "top domains, random month and room",
          200,
          () -> {
            Instant start = from.plusSeconds(86_400L * q.nextInt(60));
            return reports.topDomains(
                new ReportFilter(
                    start,
                    start.plusSeconds(86_400L * 30),
                    null,
                    "RM" + (100 + q.nextInt(ROOMS)),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null),
                0,
                50);
          });
      time("heatmap, 90 days", 200, () -> reports.heatmap(ReportFilter.between(from, to)));
      time(
          "trend, last 30 days vs previous 30",
          200,
          () -> reports.trend(ReportFilter.between(to.minusSeconds(86_400L * 30), to)));
      time(
          "breakdown by teacher, 90 days",
          200,
          () ->
              reports.breakdown(ReportFilter.between(from, to), Reports.Dimension.TEACHER, 0, 50));
      time(
          "domain detail, 90 days",
          200,
          () -> reports.domain(domains[q.nextInt(20)], ReportFilter.between(from, to)));
      time(
          "section detail, 90 days",
          200,
          () ->
              reports.section("cls-" + q.nextInt(ROOMS * PERIODS), ReportFilter.between(from, to)));
      time(
          "blocks page (index + store), domain filter",
          200,
          () -> {
            try {
              return store.get(
                  reports
                      .blocks(
                          ReportFilter.between(from, to).withDomain(domains[q.nextInt(50)]), 0, 100)
                      .items());
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      // The decision queue (GET /api/v1/queue): its default four weeks, and the whole 90 days.
      time(
          "decision queue, last 28 days",
          200,
          () -> reports.queue(ReportFilter.between(to.minusSeconds(86_400L * 28), to)));
      time("decision queue, 90 days", 200, () -> reports.queue(ReportFilter.between(from, to)));
      // The console's pages (console/src/main/resources/console/pages.js): Overview asks
      // top-domains over
      // everything (limit 1000) to find the latest week, then trend, top 10 and heatmap of that
      // week during
      // instruction; the meeting report asks trend and top 15 of one month. Report time only (no
      // HTTP, no JSON).
      Instant week = to.minusSeconds(86_400L * 7);
      ReportFilter weekInstr =
          new ReportFilter(week, to, null, null, null, null, null, null, null, true);
      time(
          "console Overview page (4 report calls)",
          200,
          () -> {
            reports.topDomains(ReportFilter.between(null, null), 0, 1000);
            reports.trend(weekInstr);
            reports.topDomains(weekInstr, 0, 10);
            return reports.heatmap(weekInstr);
          });
      Instant month = to.minusSeconds(86_400L * 30);
      ReportFilter monthInstr =
          new ReportFilter(month, to, null, null, null, null, null, null, null, true);
      time(
          "console meeting report page (2 report calls)",
          200,
          () -> {
            reports.trend(monthInstr);
            return reports.topDomains(monthInstr, 0, 15);
          });
      time(
          "console Domains page (top-domains, all, 1000)",
          200,
          () -> reports.topDomains(ReportFilter.between(null, null), 0, 1000));
      store.checkpoint(dir.resolveSibling("store-compact-probe"));
    }
    long bytes = size(dir);
    deleteTree(dir.resolveSibling("store-compact-probe"));
    System.out.printf(
        "store on disk: %,d MB for %,d events = %.0f MB per million events%n",
        bytes >> 20, written, bytes / 1048576.0 / (written / 1e6));
  }

  /** An event {@code micros} after 07:30 (school time) on {@code day}. */
  static BlockEvent event(
      SplittableRandom rnd,
      LocalDate day,
      long micros,
      String[] domains,
      double[] weights,
      double sum) {
    int device = rnd.nextInt(DEVICES);
    int room = device % ROOMS;
    LocalTime t = LocalTime.of(7, 30).plusSeconds(micros / 1_000_000);
    int minutes = (t.getHour() - 8) * 60 + t.getMinute();
    String period =
        minutes < 0
            ? null
            : minutes < 7 * 55
                ? Integer.toString(minutes / 55 + 1)
                : minutes < 7 * 55 + 30 ? "Lunch" : null;
    boolean inClass = period != null && !period.equals("Lunch") && rnd.nextInt(10) != 0;
    String section = inClass ? "cls-" + (room * PERIODS + Integer.parseInt(period) - 1) : null;
    String user = rnd.nextInt(3) == 0 ? null : "s" + rnd.nextInt(USERS);
    double pick = rnd.nextDouble() * sum;
    int d = Arrays.binarySearch(weights, pick);
    String domain = domains[d < 0 ? Math.min(-d - 1, domains.length - 1) : d];
    Instant time = day.atTime(t).atZone(ZONE).toInstant().plusNanos(micros % 1_000_000 * 1000L);
    String mac =
        String.format("02:00:00:%02x:%02x:%02x", device >> 16, (device >> 8) & 0xff, device & 0xff);
    String ip = "10.10." + (device >> 8) + "." + (device & 0xff);
    String host = "RM" + (100 + room) + "-CB" + (device % 40);
    return new BlockEvent(
        time,
        ip,
        mac,
        host,
        user,
        domain,
        user == null ? null : "https://" + domain + "/",
        "Games",
        user == null ? "dns" : "squid",
        user == null ? "dns-sinkhole" : "proxy-deny",
        "RM" + (100 + room),
        section,
        section == null ? null : "Course " + section,
        section == null ? null : "t" + room,
        period,
        inClass,
        List.of(
            "dns: 10.10.0.53 answered " + ip + " " + domain + " A 0.0.0.0 (sinkhole) at " + time,
            "dhcp: "
                + ip
                + " leased to "
                + mac
                + " ("
                + host
                + ") from 2026-09-15T14:30:13.112Z until "
                + "2026-09-15T15:30:13.112Z; DHCP ACK from 10.10.0.2",
            "room: host name " + host + " names room RM" + (100 + room),
            "schedule: " + day + " runs 'regular', period " + period + " America/Los_Angeles",
            section == null
                ? "no section in session"
                : "section: room RM" + (100 + room) + " has " + section));
  }

  static List<LocalDate> schoolDays(LocalDate first, int calendarDays) {
    List<LocalDate> out = new ArrayList<>();
    for (int i = 0; i < calendarDays; i++) {
      LocalDate d = first.plusDays(i);
      if (d.getDayOfWeek().getValue() <= 5) {
        out.add(d);
      }
    }
    return out;
  }

  static void time(String name, int runs, Supplier<?> report) {
    for (int i = 0; i < 20; i++) {
      report.get();
    }
    long[] nanos = new long[runs];
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      report.get();
      nanos[i] = System.nanoTime() - t;
    }
    Arrays.sort(nanos);
    System.out.printf(
        "%-45s p50 %7.1f ms   p95 %7.1f ms   max %7.1f ms%n",
        name, nanos[runs / 2] / 1e6, nanos[(int) (runs * 0.95)] / 1e6, nanos[runs - 1] / 1e6);
  }

  static long size(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }
}
