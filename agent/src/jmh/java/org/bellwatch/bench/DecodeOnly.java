package org.bellwatch.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.bellwatch.agent.capture.PcapFileReader;
import org.bellwatch.agent.decode.LinkDecoder;
import org.bellwatch.agent.decode.Ports;
import org.bellwatch.agent.decode.UdpDatagram;
import org.bellwatch.agent.decode.dhcp.DhcpDecoder;
import org.bellwatch.agent.decode.dns.DnsDecoder;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.event.RawFrame;

/**
 * {@code bellwatch decode} without the JSON: reads a capture with {@link PcapFileReader} and
 * decodes every frame into our records ({@link LinkDecoder}, {@link DnsDecoder}, {@link
 * DhcpDecoder}), the same loop as the CLI, but counts instead of writing. {@code
 * scripts/bench-decode} times it beside the CLI to show what reading + decoding costs apart from
 * JSON output.
 *
 * <p>Run: {@code java -cp agent/target/benchmarks.jar org.bellwatch.bench.DecodeOnly FILE}
 */
public final class DecodeOnly {
  private DecodeOnly() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: DecodeOnly FILE");
      System.exit(2);
    }
    long frames = 0;
    long dns = 0;
    long dhcp = 0;
    long answers = 0;
    long malformed = 0;
    try (PcapFileReader r = PcapFileReader.open(Path.of(args[0]))) {
      RawFrame f;
      while ((f = r.next()) != null) {
        frames++;
        try {
          UdpDatagram d = LinkDecoder.decode(f);
          if (d == null) {
            continue;
          }
          if (Ports.isDns(d)) {
            answers += DnsDecoder.decode(d.payload().duplicate()).answers().size();
            dns++;
          } else if (Ports.isDhcp(d)) {
            if (DhcpDecoder.decode(d.payload().duplicate()).msgType() > 0) {
              dhcp++;
            }
          }
        } catch (MalformedException e) {
          malformed++;
        }
      }
    }
    System.err.println(
        "DecodeOnly: "
            + frames
            + " frames, "
            + dns
            + " DNS ("
            + answers
            + " answers), "
            + dhcp
            + " DHCP, "
            + malformed
            + " malformed");
  }
}
