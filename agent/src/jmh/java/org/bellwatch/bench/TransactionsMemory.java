package org.bellwatch.bench;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.bellwatch.agent.decode.UdpDatagram;
import org.bellwatch.agent.decode.dns.DnsMessage;
import org.bellwatch.agent.decode.dns.DnsQuestion;
import org.bellwatch.agent.decode.dns.DnsTransactions;

/**
 * Memory of DNS transactions in flight: {@code n} queries from distinct clients and ports with no
 * answer yet, held by {@link DnsTransactions} as the pipeline holds them (its cap is 100,000).
 * Prints the heap used per pending query. Goal (issue 3): 100k in flight within a 256 MB heap.
 *
 * <p>Run: {@code mvn -q -B -Pbenchmarks -DskipTests package && java -Xmx256m -cp
 * "agent/target/classes:agent/target/bellwatch/lib/*" org.bellwatch.bench.TransactionsMemory
 * 100000}
 */
public final class TransactionsMemory {
  private TransactionsMemory() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    DnsTransactions t = new DnsTransactions(n, 10_000_000L);
    DnsTransactions.Listener ignore = (outcome, latency) -> {};
    long before = used();
    InetAddress resolver = InetAddress.getByName("10.10.0.53");
    for (int i = 0; i < n; i++) {
      InetAddress client =
          InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
      UdpDatagram q =
          new UdpDatagram(
              1_789_485_000_000_000L + i,
              client,
              resolver,
              1024 + i % 60000,
              53,
              "udp",
              ByteBuffer.allocate(0));
      DnsMessage m =
          new DnsMessage(
              i & 0xffff,
              false,
              0,
              0,
              List.of(new DnsQuestion("site" + (i % 5000) + ".example.com", 1, 1)),
              List.of(),
              List.of(),
              List.of());
      t.observe(q, m, ignore);
    }
    long after = used();
    System.out.printf(
        "%,d queries in flight (pending %,d): %,d MB of heap, %,d bytes each (max heap %,d MB)%n",
        n,
        t.pending(),
        (after - before) >> 20,
        (after - before) / Math.max(1, t.pending()),
        Runtime.getRuntime().maxMemory() >> 20);
  }

  private static long used() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
