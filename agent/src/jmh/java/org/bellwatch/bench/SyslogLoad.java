package org.bellwatch.bench;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;

/**
 * UDP syslog load generator: sends {@code count} messages of the {@link SyslogMix} at {@code rate}
 * messages per second, FortiGate messages to one port and Squid messages to another (a listener has one
 * vendor), paced in slices of about 0.2 ms (the sender sleeps between them). Prints {@code sent SECONDS} (the achieved send time) on stdout.
 *
 * <p>Run: {@code java -cp agent/target/benchmarks.jar org.bellwatch.bench.SyslogLoad HOST FORTI_PORT
 * SQUID_PORT RATE COUNT}
 */
public final class SyslogLoad {
  private SyslogLoad() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: SyslogLoad HOST FORTI_PORT SQUID_PORT RATE COUNT");
      System.exit(2);
    }
    InetSocketAddress forti = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
    InetSocketAddress squid = new InetSocketAddress(args[0], Integer.parseInt(args[2]));
    long rate = Long.parseLong(args[3]);
    long count = Long.parseLong(args[4]);
    List<byte[]> mix = SyslogMix.messages(20_000);
    ByteBuffer[] bufs = mix.stream().map(ByteBuffer::wrap).toArray(ByteBuffer[]::new);
    try (DatagramChannel ch = DatagramChannel.open()) {
      long t0 = System.nanoTime();
      long sent = 0;
      while (sent < count) {
        // Messages due by now at the target rate; the sender catches up in bursts of at most 1 ms of load.
        long due = Math.min(count, (System.nanoTime() - t0) * rate / 1_000_000_000L + 1);
        if (sent >= due) {
          // Sleep, not spin: on a small machine a spinning sender takes the receiver's core.
          java.util.concurrent.locks.LockSupport.parkNanos(200_000);
          continue;
        }
        while (sent < due) {
          int k = (int) (sent % bufs.length);
          ByteBuffer b = bufs[k];
          b.rewind();
          ch.send(b, SyslogMix.fortigate(k) ? forti : squid);
          sent++;
        }
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      System.out.printf("%d %.3f%n", sent, secs);
    }
  }
}
