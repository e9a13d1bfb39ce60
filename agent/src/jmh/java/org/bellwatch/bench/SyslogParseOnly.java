package org.bellwatch.bench;

import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.List;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.ingest.syslog.SyslogText;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.vendors.RecordParser;
import org.bellwatch.agent.parse.vendors.Vendor;

/**
 * Parsing throughput of one core: the work a UDP listener's event-loop thread does per datagram
 * (text repair with {@link SyslogText}, then the listener's vendor parser, FortiGate or Squid) over
 * the {@link SyslogMix}, on this one thread, for a fixed time after a warm-up. Prints messages per
 * second of the thread's CPU time (the per-core rate, whatever else the machine runs) and of wall
 * time, and the bytes the thread allocated per message, and fails if any message of the mix does
 * not parse.
 *
 * <p>Run: {@code java -cp agent/target/benchmarks.jar org.bellwatch.bench.SyslogParseOnly
 * [SECONDS]}
 */
public final class SyslogParseOnly {
  private SyslogParseOnly() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    List<byte[]> mix = SyslogMix.messages(20_000);
    ParseContext ctx =
        new ParseContext(
            ZoneId.of("America/Chicago"),
            InstantSource.fixed(Instant.parse("2026-09-20T00:00:00Z")));
    RecordParser forti = RecordParser.of(Vendor.FORTIGATE, ctx);
    RecordParser squid = RecordParser.of(Vendor.SQUID, ctx);
    int bad = 0;
    int nulls = 0;
    for (int i = 0; i < mix.size(); i++) {
      try {
        if ((SyslogMix.fortigate(i) ? forti : squid).parse(SyslogText.decode(mix.get(i)).text())
            == null) {
          nulls++;
        }
      } catch (MalformedException e) {
        if (bad++ < 5) {
          System.err.println(
              e.reason() + ": " + new String(mix.get(i), java.nio.charset.StandardCharsets.UTF_8));
        }
      }
    }
    if (bad > 0) {
      System.err.println(bad + " messages of the mix did not parse");
      System.exit(1);
    }
    run(mix, forti, squid, 3_000_000_000L); // warm-up
    // On a shared machine the thread is not on a core all the time: its CPU time is the per-core
    // figure.
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    long a0 = mx.getThreadAllocatedBytes(self);
    long c0 = mx.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    // scripts/bench-syslog asks for 0 seconds to print the mix's mean size: no message is then
    // timed.
    long n = run(mix, forti, squid, seconds * 1_000_000_000L);
    double secs = (System.nanoTime() - t0) / 1e9;
    double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
    long allocated = mx.getThreadAllocatedBytes(self) - a0;
    long bytes = mix.stream().mapToLong(b -> b.length).sum();
    System.out.printf(
        "parse-only: %d messages in %.2f s wall, %.2f s thread CPU: %.0f messages per CPU-second"
            + " (%.0f/s wall) (mix of %d, mean %d bytes, %d without a record); %d bytes allocated per message%n",
        n,
        secs,
        cpu,
        n / cpu,
        n / secs,
        mix.size(),
        bytes / mix.size(),
        nulls,
        allocated / Math.max(1, n));
  }

  static long sink;

  private static long run(List<byte[]> mix, RecordParser forti, RecordParser squid, long nanos)
      throws Exception {
    long end = System.nanoTime() + nanos;
    long n = 0;
    while (System.nanoTime() < end) {
      for (int i = 0; i < mix.size(); i++) {
        Object r =
            (SyslogMix.fortigate(i) ? forti : squid).parse(SyslogText.decode(mix.get(i)).text());
        sink += r == null ? 0 : 1;
        n++;
      }
    }
    return n;
  }
}
