package org.bellwatch.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Syslog load generator: sends {@code count} messages of the {@link SyslogMix} at {@code rate}
 * messages per second, FortiGate messages to one port and Squid messages to another (a listener has
 * one vendor), paced in slices of about 0.2 ms (the sender sleeps between them), after a second of
 * the same load to a socket of its own (see {@code warmUp}). Prints {@code sent SECONDS} (the
 * achieved send time, warm-up excluded) on stdout.
 *
 * <p>Options, after the five arguments: {@code --tcp} sends over two TCP connections with
 * octet-counting framing (RFC 6587 section 3.4.1) instead of UDP datagrams (RFC 5426); {@code
 * --current} rebuilds the mix with current times before each pass over it, so that a long run's
 * events are as new as a live filter's; {@code --progress FILE} replaces FILE once a second with
 * the number of messages sent so far, for a sampler that reads it during the run.
 *
 * <p>Run: {@code java -cp agent/target/benchmarks.jar org.bellwatch.bench.SyslogLoad HOST
 * FORTI_PORT SQUID_PORT RATE COUNT [--tcp] [--current] [--progress FILE]}
 */
public final class SyslogLoad {
  private static final int MIX_SIZE = 20_000;

  private SyslogLoad() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      usage();
    }
    InetSocketAddress forti = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
    InetSocketAddress squid = new InetSocketAddress(args[0], Integer.parseInt(args[2]));
    long rate = Long.parseLong(args[3]);
    long count = Long.parseLong(args[4]);
    boolean tcp = false;
    boolean current = false;
    Path progress = null;
    for (int i = 5; i < args.length; i++) {
      switch (args[i]) {
        case "--tcp" -> tcp = true;
        case "--current" -> current = true;
        case "--progress" -> progress = i + 1 < args.length ? Path.of(args[++i]) : usage();
        default -> usage();
      }
    }
    ByteBuffer[] mix = wrap(SyslogMix.messages(MIX_SIZE), tcp);
    if (!tcp) {
      warmUp(mix, rate);
    }
    try (Sender out = tcp ? Sender.tcp(forti, squid) : Sender.udp(forti, squid)) {
      long start = System.nanoTime();
      long sent = pace(out, mix, rate, count, current, tcp, progress);
      double secs = (System.nanoTime() - start) / 1e9;
      if (progress != null) {
        writeProgress(progress, sent);
      }
      System.out.printf("%d %.3f%n", sent, secs);
    }
  }

  /**
   * A second of the load, paced as the real one, to a socket of the sender's own that a thread of
   * its own drains: the JIT compiles the send path before the receiver sees a datagram. Without it,
   * the first second of a step comes from a sender that is still compiling, on the two cores it
   * shares with the receiver, and the receiver's losses in that second were the sender's start-up.
   * Drained, so that the machine's UDP RcvbufErrors, which scripts/bench-syslog reports, count the
   * receiver's drops only.
   */
  private static void warmUp(ByteBuffer[] mix, long rate) throws IOException, InterruptedException {
    try (DatagramChannel sink =
        DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      sink.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
      Thread drain =
          new Thread(
              () -> {
                ByteBuffer b = ByteBuffer.allocateDirect(65536);
                try {
                  while (true) {
                    b.clear();
                    sink.receive(b);
                  }
                } catch (IOException closed) {
                  // the warm-up is over
                }
              },
              "warm-up drain");
      drain.setDaemon(true);
      drain.start();
      try (Sender out =
          Sender.udp(
              (InetSocketAddress) sink.getLocalAddress(),
              (InetSocketAddress) sink.getLocalAddress())) {
        pace(out, mix, rate, rate, false, false, null);
      }
      // Let the drain catch up before the socket closes under it.
      Thread.sleep(200);
    }
  }

  /** Sends {@code count} messages at {@code rate}; returns how many were sent. */
  private static long pace(
      Sender out,
      ByteBuffer[] mix,
      long rate,
      long count,
      boolean current,
      boolean tcp,
      Path progress)
      throws IOException {
    ByteBuffer[] bufs = mix;
    // The most a sender that fell behind catches up at once: 10 ms of load (see below).
    long burst = Math.max(1, rate / 100);
    long t0 = System.nanoTime();
    long nextProgress = t0;
    long sent = 0;
    long pass = -1;
    while (sent < count) {
      if (current && sent / MIX_SIZE != pass) {
        // One message every 1/rate seconds from now: the pass's times run with the wall clock.
        pass = sent / MIX_SIZE;
        bufs =
            wrap(SyslogMix.messages(MIX_SIZE, System.currentTimeMillis(), 1_000_000 / rate), tcp);
      }
      long now = System.nanoTime();
      if (progress != null && now >= nextProgress) {
        writeProgress(progress, sent);
        nextProgress = now + 1_000_000_000L;
      }
      // Messages due by now at the target rate. A sender that fell behind catches up by at most 10
      // ms of
      // load (a descheduled time slice or two): a longer lag moves the schedule instead, so that no
      // receiver is offered a burst of hundreds of milliseconds of load at the sender's top speed;
      // the
      // achieved rate it prints shows the move.
      long due = Math.min(count, (now - t0) * rate / 1_000_000_000L + 1);
      if (due - sent > burst) {
        t0 += (due - sent - burst) * 1_000_000_000L / rate;
        due = sent + burst;
      }
      if (sent >= due) {
        // Sleep, not spin: on a small machine a spinning sender takes the receiver's core.
        LockSupport.parkNanos(200_000);
        continue;
      }
      while (sent < due) {
        int k = (int) (sent % MIX_SIZE);
        ByteBuffer b = bufs[k];
        b.rewind();
        out.send(b, SyslogMix.fortigate(k));
        sent++;
        if (current && sent % MIX_SIZE == 0) {
          break; // the next pass gets new times
        }
      }
    }
    return sent;
  }

  private static <T> T usage() {
    System.err.println(
        "usage: SyslogLoad HOST FORTI_PORT SQUID_PORT RATE COUNT [--tcp] [--current] [--progress FILE]");
    System.exit(2);
    return null;
  }

  /**
   * Each message as sent: a datagram as is, a TCP frame behind its length (RFC 6587 section 3.4.1).
   */
  private static ByteBuffer[] wrap(List<byte[]> mix, boolean tcp) {
    ByteBuffer[] out = new ByteBuffer[mix.size()];
    for (int i = 0; i < out.length; i++) {
      byte[] m = mix.get(i);
      if (tcp) {
        byte[] len = (m.length + " ").getBytes(StandardCharsets.US_ASCII);
        out[i] = ByteBuffer.allocate(len.length + m.length).put(len).put(m).flip();
      } else {
        out[i] = ByteBuffer.wrap(m);
      }
    }
    return out;
  }

  private static void writeProgress(Path file, long sent) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, sent + "\n");
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
