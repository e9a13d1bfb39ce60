package org.bellwatch.bench;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import org.bellwatch.agent.identity.LeaseTable;

/**
 * Heap held by the identity state (the {@link LeaseTable}) of {@link CorrelationBenchmark}: 10,000
 * devices and 1,000,000 lease records, built the way the pipeline builds it (new strings per
 * observation). Measured as the used heap after full collections, with the table reachable minus
 * without it; the address objects are counted (the table holds them as keys).
 *
 * <pre>
 * mvn -o -B -Pbenchmarks -DskipTests package
 * java -Xmx4g -cp agent/target/benchmarks.jar org.bellwatch.bench.IdentityMemory
 * </pre>
 */
public final class IdentityMemory {
  private IdentityMemory() {}

  public static void main(String[] args) throws Exception {
    List<String> macs = CorrelationBenchmark.macs();
    List<String> names = CorrelationBenchmark.hostnames();
    long before = used();
    List<InetAddress> addresses = CorrelationBenchmark.addresses(CorrelationBenchmark.DEVICES * 2);
    LeaseTable table = CorrelationBenchmark.history(addresses, macs, names);
    long after = used();
    long bytes = after - before;
    long leases = (long) CorrelationBenchmark.DEVICES * CorrelationBenchmark.DAYS;
    System.out.printf(
        Locale.ROOT,
        "identity state: %d devices, %d lease records, %d addresses: %.1f MB;"
            + " %.0f bytes per lease record, %.0f bytes per device (all its records)%n",
        CorrelationBenchmark.DEVICES,
        leases,
        table.addressCount(),
        bytes / 1e6,
        (double) bytes / leases,
        (double) bytes / CorrelationBenchmark.DEVICES);
    System.out.println(table.addressCount() + addresses.size() > 0 ? "" : "-");
  }

  private static long used() throws InterruptedException {
    Runtime r = Runtime.getRuntime();
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return r.totalMemory() - r.freeMemory();
  }
}
