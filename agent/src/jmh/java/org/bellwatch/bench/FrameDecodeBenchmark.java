package org.bellwatch.bench;

import java.util.concurrent.TimeUnit;
import org.bellwatch.agent.decode.LinkDecoder;
import org.bellwatch.agent.decode.Ports;
import org.bellwatch.agent.decode.UdpDatagram;
import org.bellwatch.agent.decode.dhcp.DhcpDecoder;
import org.bellwatch.agent.decode.dns.DnsDecoder;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.event.RawFrame;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Frames per second on one core, from captured Ethernet bytes to our records: {@link
 * LinkDecoder#decode} (Ethernet, IPv4/IPv6, UDP) and then {@link DnsDecoder#decode} or {@link
 * DhcpDecoder#decode} by port, the same dispatch as {@code bellwatch decode}, over every frame of
 * the {@link DecodeMix} corpus (DNS and DHCP, about 15% of the hand-built DNS over IPv6).
 *
 * <p>Run: {@code mvn -q -B -Pbenchmarks -DskipTests package && java -jar
 * agent/target/benchmarks.jar FrameDecodeBenchmark} (ops/s = frames/s: one operation is one frame).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class FrameDecodeBenchmark {
  /** Frames per invocation; the corpus is walked round-robin, so every frame gets its turn. */
  static final int BATCH = 4096;

  private RawFrame[] frames;
  private int next;

  @Setup
  public void setup() {
    frames = DecodeMix.rawFrames().toArray(RawFrame[]::new);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void decodeFrames(Blackhole bh) throws MalformedException {
    RawFrame[] fs = frames;
    int i = next;
    for (int n = 0; n < BATCH; n++) {
      UdpDatagram d = LinkDecoder.decode(fs[i]);
      if (Ports.isDns(d)) {
        bh.consume(DnsDecoder.decode(d.payload()));
      } else if (Ports.isDhcp(d)) {
        bh.consume(DhcpDecoder.decode(d.payload()));
      }
      if (++i == fs.length) {
        i = 0;
      }
    }
    next = i;
  }
}
