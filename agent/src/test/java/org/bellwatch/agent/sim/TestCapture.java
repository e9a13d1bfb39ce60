package org.bellwatch.agent.sim;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.event.Times;

/**
 * A capture file for tests, from the simulator's byte builders: DHCP acknowledgements from the
 * site's server (10.0.0.2) and DNS answers from its resolver (10.0.0.53) to clients, on one
 * Ethernet segment.
 */
public final class TestCapture {
  static final byte[] SERVER_MAC = {0x02, 0, 0, 0, 0, 0x02};
  static final byte[] RESOLVER_MAC = {0x02, 0, 0, 0, 0, 0x53};
  static final int DHCP_SERVER = Wire.ip("10.0.0.2");
  static final int RESOLVER = Wire.ip("10.0.0.53");
  private final List<Wire.Frame> frames = new ArrayList<>();
  private long seq;
  private int id = 1;

  /** A DHCP option for {@link #dhcpAck}: its code and value bytes. */
  public record Option(int code, byte[] value) {}

  /**
   * The server's DHCPACK to {@code mac} for {@code ip} (RFC 2131), with a host name and extra
   * options.
   */
  public TestCapture dhcpAck(
      Instant t, String mac, String ip, String hostname, long leaseSecs, Option... extra) {
    byte[] hw = mac(mac);
    byte[] chaddr = new byte[16];
    System.arraycopy(hw, 0, chaddr, 0, 6);
    List<Wire.Opt> opts =
        new ArrayList<>(
            List.of(
                Wire.Opt.u8(53, 5),
                Wire.Opt.ips(54, DHCP_SERVER),
                Wire.Opt.u32(51, leaseSecs),
                Wire.Opt.text(12, hostname)));
    for (Option o : extra) {
      opts.add(new Wire.Opt(o.code(), o.value()));
    }
    byte[] dhcp = Wire.dhcp(2, id++, 0, false, 0, Wire.ip(ip), DHCP_SERVER, chaddr, opts);
    frames.add(
        new Wire.Frame(
            Times.epochMicros(t),
            seq++,
            Wire.udpFrame(SERVER_MAC, hw, DHCP_SERVER, Wire.ip(ip), 67, 68, id, 64, dhcp)));
    return this;
  }

  /** The resolver's A answer {@code address} for {@code qname} to {@code client}. */
  public TestCapture answerA(
      Instant t, String client, String clientMac, String qname, String address) {
    return response(
        t,
        client,
        clientMac,
        Wire.dnsResponse(
            id++, qname, Wire.TYPE_A, List.of(new Wire.Rr(qname, Wire.TYPE_A, 60, address))));
  }

  /**
   * The resolver's NXDOMAIN answer (RCODE 3) to {@code client}'s question for {@code qname} of
   * {@code qtype}.
   */
  public TestCapture nxdomain(Instant t, String client, String clientMac, String qname, int qtype) {
    return response(t, client, clientMac, Wire.dnsResponse(id++, qname, qtype, 3, List.of()));
  }

  private TestCapture response(Instant t, String client, String clientMac, byte[] dns) {
    frames.add(
        new Wire.Frame(
            Times.epochMicros(t),
            seq++,
            Wire.udpFrame(
                RESOLVER_MAC,
                mac(clientMac),
                RESOLVER,
                Wire.ip(client),
                53,
                40000 + id,
                id,
                64,
                dns)));
    return this;
  }

  public Path write(Path file) throws IOException {
    Wire.writePcap(file, frames);
    return file;
  }

  private static byte[] mac(String text) {
    String[] p = text.split(":");
    byte[] b = new byte[6];
    for (int i = 0; i < 6; i++) {
      b[i] = (byte) Integer.parseInt(p[i], 16);
    }
    return b;
  }
}
