package org.bellwatch.agent.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.bellwatch.agent.capture.CaptureFileException;
import org.bellwatch.agent.capture.PcapFileReader;
import org.bellwatch.agent.decode.UdpDatagram;
import org.bellwatch.agent.decode.dhcp.DhcpMessage;
import org.bellwatch.agent.decode.dns.DnsMessage;
import org.bellwatch.agent.decode.frame.FrameDecoder;
import org.bellwatch.agent.event.RawFrame;
import org.bellwatch.agent.util.JsonOut;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "decode",
    mixinStandardHelpOptions = true,
    description =
        "Decode the DNS and DHCP messages of a capture file into JSON lines, one per message.")
final class DecodeCommand implements Callable<Integer> {
  private static final int OUTPUT_BUFFER_BYTES = 1 << 16;

  @Option(
      names = "--pcap",
      paramLabel = "FILE",
      required = true,
      description = "Capture file (pcap or pcapng).")
  Path pcap;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      required = true,
      description = "Output JSON lines ('-': stdout).")
  String out;

  @Override
  public Integer call() {
    try (PcapFileReader reader = PcapFileReader.open(pcap);
        OutputStream os = open(out)) {
      JsonOut json = new JsonOut(os, OUTPUT_BUFFER_BYTES);
      JsonSink sink = new JsonSink(json);
      FrameDecoder decoder = new FrameDecoder();
      RawFrame f;
      while ((f = reader.next()) != null) {
        decoder.decode(f, sink);
        if (sink.failure != null) {
          throw sink.failure;
        }
      }
      json.flush();
      System.err.println(
          "bellwatch: decoded "
              + sink.messages
              + " messages"
              + (sink.malformed.isEmpty() ? "" : ", malformed " + sink.malformed)
              + (sink.dropped.isEmpty() ? "" : ", reassembly dropped " + sink.dropped)
              + (reader.truncatedRecords() > 0
                  ? ", " + reader.truncatedRecords() + " truncated records"
                  : "")
              + (reader.skipped().isEmpty()
                  ? ""
                  : ", read past damage "
                      + reader.skipped()
                      + " ("
                      + reader.skippedBytes()
                      + " bytes skipped)"));
      return 0;
    } catch (CaptureFileException e) {
      // README: input errors exit 2; a capture that is missing, not a capture, or corrupt is one.
      return Errors.fail(BellwatchCli.EXIT_CONFIG, e.getMessage());
    } catch (IOException e) {
      return Errors.fail(BellwatchCli.EXIT_FAILURE, e.getMessage());
    }
  }

  /** Writes each message as one JSON line and counts the named failures. */
  private static final class JsonSink implements FrameDecoder.Sink {
    private final JsonOut g;
    final Map<String, Long> malformed = new TreeMap<>();
    final Map<String, Long> dropped = new TreeMap<>();
    long messages;
    IOException failure;

    JsonSink(JsonOut g) {
      this.g = g;
    }

    @Override
    public void dns(UdpDatagram d, DnsMessage m) {
      if (failure == null) {
        try {
          DecodedJson.dns(g, d, m);
          endLine();
        } catch (IOException e) {
          failure = e;
        }
      }
    }

    @Override
    public void dhcp(UdpDatagram d, DhcpMessage m) {
      if (failure == null) {
        try {
          DecodedJson.dhcp(g, d, m);
          endLine();
        } catch (IOException e) {
          failure = e;
        }
      }
    }

    private void endLine() throws IOException {
      g.raw('\n');
      messages++;
    }

    @Override
    public void ignored(String reason) {}

    @Override
    public void malformed(String reason) {
      malformed.merge(reason, 1L, Long::sum);
    }

    @Override
    public void dropped(String reason) {
      dropped.merge(reason, 1L, Long::sum);
    }
  }

  /** The file, or standard output for "-" (left open); {@link JsonOut} does the buffering. */
  private static OutputStream open(String out) throws IOException {
    if (out.equals("-")) {
      return new FilterOutputStream(System.out) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len); // FilterOutputStream would write byte by byte
        }

        @Override
        public void close() throws IOException {
          flush();
        }
      };
    }
    return Files.newOutputStream(Path.of(out));
  }
}
