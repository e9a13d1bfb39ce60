package org.bellwatch.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
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

@Command(name = "decode", mixinStandardHelpOptions = true,
    description = "Decode the DNS and DHCP messages of a capture file into JSON lines, one per message.")
final class DecodeCommand implements Callable<Integer> {
  @Option(names = "--pcap", paramLabel = "FILE", required = true, description = "Capture file (pcap or pcapng).")
  Path pcap;

  @Option(names = "--out", paramLabel = "FILE", required = true, description = "Output JSON lines ('-': stdout).")
  String out;

  @Override
  public Integer call() {
    if (!Files.isReadable(pcap)) {
      return Errors.fail(BellwatchCli.EXIT_CONFIG, pcap + ": capture file not found or not readable");
    }
    ObjectMapper mapper = new ObjectMapper();
    Map<String, Long> malformed = new TreeMap<>();
    long messages = 0;
    try (PcapFileReader reader = PcapFileReader.open(pcap); Writer w = ReplayCommand.open(out)) {
      RawFrame f;
      while ((f = reader.next()) != null) {
        try {
          UdpDatagram d = LinkDecoder.decode(f);
          ObjectNode json = d == null ? null : decode(mapper, d);
          if (json != null) {
            w.write(mapper.writeValueAsString(json));
            w.write('\n');
            messages++;
          }
        } catch (MalformedException e) {
          malformed.merge(e.reason(), 1L, Long::sum);
        }
      }
      System.err.println("bellwatch: decoded " + messages + " messages" + (malformed.isEmpty() ? ""
          : ", malformed " + malformed) + (reader.truncatedRecords() > 0
          ? ", " + reader.truncatedRecords() + " truncated records" : ""));
      return 0;
    } catch (IOException e) {
      return Errors.fail(BellwatchCli.EXIT_FAILURE, e.getMessage());
    }
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
