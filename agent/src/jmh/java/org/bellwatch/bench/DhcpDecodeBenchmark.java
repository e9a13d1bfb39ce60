package org.bellwatch.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.bellwatch.agent.decode.dhcp.DhcpDecoder;
import org.bellwatch.agent.event.MalformedException;
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
 * DHCP messages per second on one core: {@link DhcpDecoder#decode} over the DHCP payloads of the
 * {@link DecodeMix} corpus (the simulator's DISCOVER/OFFER/REQUEST/ACK exchanges and renewals,
 * options 12, 50, 51, 53, 54, 55, 61 and the rest), each into a full {@code DhcpMessage}.
 *
 * <p>Run: {@code mvn -q -B -Pbenchmarks -DskipTests package && java -jar
 * agent/target/benchmarks.jar DhcpDecodeBenchmark} (ops/s = messages/s: one operation is one
 * message).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class DhcpDecodeBenchmark {
  /** Messages per invocation; the corpus is walked round-robin, so every message gets its turn. */
  static final int BATCH = 4096;

  private ByteBuffer[] messages;
  private int next;

  @Setup
  public void setup() {
    messages = DecodeMix.dhcpPayloads();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void decodeDhcpMix(Blackhole bh) throws MalformedException {
    ByteBuffer[] ms = messages;
    int i = next;
    for (int n = 0; n < BATCH; n++) {
      bh.consume(DhcpDecoder.decode(ms[i]));
      if (++i == ms.length) {
        i = 0;
      }
    }
    next = i;
  }
}
