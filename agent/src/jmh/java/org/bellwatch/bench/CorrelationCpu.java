package org.bellwatch.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link CorrelationBenchmark}'s two workloads timed by the thread's CPU time rather than wall
 * time, for a shared machine where other processes take the cores (JMH's wall-clock score then
 * measures the neighbours). Runs 15 passes of each and prints the median in evidence per
 * CPU-second, and the bytes the thread allocated per evidence (a figure the neighbours do not
 * change: allocation drives the collector's work, which thread CPU time leaves out).
 *
 * <pre>
 * mvn -o -B -Pbenchmarks -DskipTests package
 * java -Xms4g -Xmx4g -cp agent/target/benchmarks.jar org.bellwatch.bench.CorrelationCpu
 * </pre>
 */
public final class CorrelationCpu {
  private CorrelationCpu() {}

  public static void main(String[] args) throws Exception {
    CorrelationBenchmark b = new CorrelationBenchmark();
    b.setUp();
    Blackhole bh =
        new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    for (String name : new String[] {"correlate", "attributeOnly"}) {
      double[] rates = new double[15];
      long allocated = 0;
      for (int pass = -5; pass < rates.length; pass++) { // five passes of warm-up
        long bytes = mx.getThreadAllocatedBytes(self);
        long cpu = mx.getCurrentThreadCpuTime();
        if (name.equals("correlate")) {
          b.correlate(bh);
        } else {
          b.attributeOnly(bh);
        }
        double secs = (mx.getCurrentThreadCpuTime() - cpu) / 1e9;
        if (pass >= 0) {
          rates[pass] = CorrelationBenchmark.EVIDENCE / secs;
          allocated += mx.getThreadAllocatedBytes(self) - bytes;
        }
      }
      double[] sorted = rates.clone();
      Arrays.sort(sorted);
      System.out.printf(
          Locale.ROOT,
          "%s: median %.0f evidence per CPU-second (min %.0f, max %.0f) over %d passes of %d;"
              + " %d bytes allocated per evidence%n",
          name,
          sorted[sorted.length / 2],
          sorted[0],
          sorted[sorted.length - 1],
          rates.length,
          CorrelationBenchmark.EVIDENCE,
          allocated / ((long) rates.length * CorrelationBenchmark.EVIDENCE));
      System.out.println(
          "  passes, sorted: "
              + Arrays.stream(sorted)
                  .mapToObj(r -> String.format(Locale.ROOT, "%.0fk", r / 1000))
                  .collect(java.util.stream.Collectors.joining(" ")));
    }
  }
}
