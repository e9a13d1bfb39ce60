package org.bellwatch.agent.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bellwatch.agent.capture.PcapFileReader;
import org.bellwatch.agent.capture.RawFrame;
import org.bellwatch.agent.decode.DecodedJson;
import org.bellwatch.agent.decode.LinkDecoder;
import org.bellwatch.agent.decode.MalformedException;
import org.bellwatch.agent.decode.Ports;
import org.bellwatch.agent.decode.UdpDatagram;
import org.bellwatch.agent.decode.dhcp.DhcpDecoder;
import org.bellwatch.agent.decode.dns.DnsDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bellwatch decode}: one JSON line per DNS or DHCP message, in capture order.
 *
 * <p>Why batches: decoding and JSON writing cost far more than reading the file (docs/benchmarks.md), and
 * the decoders are pure functions, so the main thread reads frames into batches, worker threads (one per
 * core) decode a batch each into UTF-8 JSON lines, and the main thread writes the batches in the order it
 * read them. The output is byte for byte what a single thread would write.
 */
@Command(name = "decode", mixinStandardHelpOptions = true,
    description = "Decode the DNS and DHCP messages of a capture file into JSON lines, one per message.")
final class DecodeCommand implements Callable<Integer> {
  /** Frames per batch: large enough to amortise hand-offs, small enough to keep memory flat. */
  private static final int BATCH = 4096;

  @Option(names = "--pcap", paramLabel = "FILE", required = true, description = "Capture file (pcap or pcapng).")
  Path pcap;

  @Option(names = "--out", paramLabel = "FILE", required = true, description = "Output JSON lines ('-': stdout).")
  String out;

  /** What one batch turned into: its JSON lines and its counts. */
  private record Decoded(byte[] json, long messages, Map<String, Long> malformed) {
  }

  @Override
  public Integer call() {
    if (!Files.isReadable(pcap)) {
      return Errors.fail(BellwatchCli.EXIT_CONFIG, pcap + ": capture file not found or not readable");
    }
    // One generator per batch flushes once at its end, not after every message.
    ObjectMapper mapper = new ObjectMapper().disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    Map<String, Long> malformed = new TreeMap<>();
    long messages = 0;
    int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "decode-worker");
      t.setDaemon(true);
      return t;
    });
    // Bounded look-ahead: at most two batches per worker are read but not yet written.
    ArrayDeque<Future<Decoded>> inFlight = new ArrayDeque<>();
    try (PcapFileReader reader = PcapFileReader.open(pcap); OutputStream w = open(out)) {
      List<RawFrame> batch = new ArrayList<>(BATCH);
      RawFrame f;
      while ((f = reader.next()) != null) {
        batch.add(f);
        if (batch.size() == BATCH) {
          List<RawFrame> full = batch;
          inFlight.add(pool.submit(() -> decodeBatch(mapper, full)));
          batch = new ArrayList<>(BATCH);
          if (inFlight.size() >= 2 * workers) {
            messages += write(inFlight.poll(), w, malformed);
          }
        }
      }
      if (!batch.isEmpty()) {
        List<RawFrame> last = batch;
        inFlight.add(pool.submit(() -> decodeBatch(mapper, last)));
      }
      while (!inFlight.isEmpty()) {
        messages += write(inFlight.poll(), w, malformed);
      }
      w.flush();
      System.err.println("bellwatch: decoded " + messages + " messages" + (malformed.isEmpty() ? ""
          : ", malformed " + malformed) + (reader.truncatedRecords() > 0
          ? ", " + reader.truncatedRecords() + " truncated records" : ""));
      return 0;
    } catch (IOException e) {
      return Errors.fail(BellwatchCli.EXIT_FAILURE, e.getMessage());
    } finally {
      inFlight.forEach(x -> x.cancel(true));
      pool.shutdownNow();
    }
  }

  private static OutputStream open(String out) throws IOException {
    if (out.equals("-")) {
      return new BufferedOutputStream(System.out, 1 << 16) {
        @Override
        public void close() throws IOException {
          flush(); // never close stdout
        }
      };
    }
    return new BufferedOutputStream(Files.newOutputStream(Path.of(out)), 1 << 16);
  }

  /** Waits for one batch, writes its lines, merges its counts; returns its message count. */
  private static long write(Future<Decoded> next, OutputStream w, Map<String, Long> malformed)
      throws IOException {
    Decoded d;
    try {
      d = next.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while decoding", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      if (c instanceof RuntimeException r) {
        throw r; // a decoder bug: same behaviour as when it ran on this thread
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(c);
    }
    w.write(d.json());
    d.malformed().forEach((k, v) -> malformed.merge(k, v, Long::sum));
    return d.messages();
  }

  private static Decoded decodeBatch(ObjectMapper mapper, List<RawFrame> frames) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(frames.size() * 256);
    Map<String, Long> malformed = new TreeMap<>();
    long messages = 0;
    try (JsonGenerator g = mapper.getFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
      g.setRootValueSeparator(null); // lines are separated by the '\n' written below
      for (RawFrame f : frames) {
        try {
          UdpDatagram d = LinkDecoder.decode(f);
          ObjectNode json = d == null ? null : decode(mapper, d);
          if (json != null) {
            mapper.writeTree(g, json);
            g.writeRaw('\n');
            messages++;
          }
        } catch (MalformedException e) {
          malformed.merge(e.reason(), 1L, Long::sum);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory: does not happen
    }
    return new Decoded(bytes.toByteArray(), messages, malformed);
  }

  private static ObjectNode decode(ObjectMapper mapper, UdpDatagram d) throws MalformedException {
    if (Ports.isDns(d)) {
      return DecodedJson.dns(mapper, d, DnsDecoder.decode(d.payload().duplicate()));
    }
    if (Ports.isDhcp(d)) {
      return DecodedJson.dhcp(mapper, d, DhcpDecoder.decode(d.payload().duplicate()));
    }
    return null;
  }
}
