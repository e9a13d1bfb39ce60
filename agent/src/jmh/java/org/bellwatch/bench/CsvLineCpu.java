package org.bellwatch.bench;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.Function;
import org.bellwatch.agent.parse.Csv;

/**
 * {@link CsvLineBenchmark}'s comparison measured as this thread's CPU time and allocation per line,
 * which other processes on a shared machine do not disturb (JMH's wall-clock throughput does). Each
 * reader splits each sample line for {@code args[0]} seconds of CPU after one second of warm-up.
 *
 * <p>Run: {@code java -cp agent/target/benchmarks.jar org.bellwatch.bench.CsvLineCpu 5}
 */
public final class CsvLineCpu {
  private CsvLineCpu() {}

  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    System.out.printf("%-13s %-12s %12s %12s%n", "line", "reader", "ns/line", "bytes/line");
    for (String kind : List.of("panos", "umbrella_dns", "lightspeed")) {
      String text = CsvLineBenchmark.sample(kind);
      for (boolean warm : new boolean[] {false, true}) {
        measure(mx, warm, kind, "hand-written", Csv::split, text, warm ? seconds : 1);
        measure(mx, warm, kind, "commons-csv", CsvLineBenchmark::commons, text, warm ? seconds : 1);
      }
    }
  }

  private static void measure(
      ThreadMXBean mx,
      boolean print,
      String kind,
      String reader,
      Function<String, List<String>> split,
      String text,
      double seconds) {
    long thread = Thread.currentThread().getId();
    long budget = (long) (seconds * 1e9);
    long c0 = mx.getCurrentThreadCpuTime();
    long a0 = mx.getThreadAllocatedBytes(thread);
    long n = 0;
    int sink = 0;
    while (mx.getCurrentThreadCpuTime() - c0 < budget) {
      for (int i = 0; i < 1000; i++) {
        sink += split.apply(text).size();
      }
      n += 1000;
    }
    long cpu = mx.getCurrentThreadCpuTime() - c0;
    long bytes = mx.getThreadAllocatedBytes(thread) - a0;
    if (print || sink < 0) {
      System.out.printf("%-13s %-12s %12.0f %12d%n", kind, reader, (double) cpu / n, bytes / n);
    }
  }
}
