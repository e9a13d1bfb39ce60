package org.bellwatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the decode benchmark's capture: the {@link DecodeMix} corpus repeated until {@code
 * PACKETS} frames, one every 200 microseconds (5000 packets/s, a busy school's peak many times
 * over), as a classic pcap. Deterministic: the same bytes on every run.
 *
 * <p>Run: {@code java -cp agent/target/benchmarks.jar org.bellwatch.bench.PcapGen 1000000 FILE}
 * ({@code scripts/bench-decode} does this into {@code agent/target/bench/}).
 */
public final class PcapGen {
  private PcapGen() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: PcapGen PACKETS FILE");
      System.exit(2);
    }
    long packets = Long.parseLong(args[0]);
    Path file = Path.of(args[1]);
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    List<DecodeMix.Frame> mix = DecodeMix.frames();
    long t = mix.get(0).epochMicros();
    try (Frames.PcapWriter w = new Frames.PcapWriter(file)) {
      for (long i = 0; i < packets; i++) {
        w.write(t + i * 200, mix.get((int) (i % mix.size())).bytes());
      }
    }
    System.err.println(
        "PcapGen: wrote " + packets + " packets (corpus of " + mix.size() + " frames) to " + file);
  }
}
