package org.bellwatch.agent.decode.frame;

import java.util.List;
import org.bellwatch.agent.decode.DnsTcpReassembler;
import org.bellwatch.agent.decode.IpDecoder;
import org.bellwatch.agent.decode.IpPacket;
import org.bellwatch.agent.decode.IpReassembler;
import org.bellwatch.agent.decode.LinkDecoder;
import org.bellwatch.agent.decode.Ports;
import org.bellwatch.agent.decode.TcpSegment;
import org.bellwatch.agent.decode.UdpDatagram;
import org.bellwatch.agent.decode.dhcp.DhcpDecoder;
import org.bellwatch.agent.decode.dhcp.DhcpMessage;
import org.bellwatch.agent.decode.dhcp6.Dhcp6Decoder;
import org.bellwatch.agent.decode.dhcp6.Dhcp6Message;
import org.bellwatch.agent.decode.dns.DnsDecoder;
import org.bellwatch.agent.decode.dns.DnsMessage;
import org.bellwatch.agent.decode.nd.NdDecoder;
import org.bellwatch.agent.decode.nd.NdMessage;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.event.RawFrame;

/**
 * Frames in, DNS, DHCP, DHCPv6 and IPv6 neighbor discovery messages out: the one stateful decoder
 * that the pipeline and {@code bellwatch decode} share, so both decode identically. It holds the IP
 * fragment reassembler and the DNS-over-TCP stream reassembler; everything else is the pure
 * decoders. Single-threaded; time moves only through the frames' timestamps (and {@link
 * #advanceTo}).
 *
 * <p>Every frame ends in exactly one of: messages delivered to the {@link Sink}, one {@code
 * ignored} reason (not ours), one {@code malformed} reason, or nothing yet (a fragment or TCP
 * segment held for reassembly). State given up later (timeouts, evictions, partial streams) is
 * reported as {@code dropped} with a named reason.
 */
public final class FrameDecoder {

  /** Where decoded messages and counted outcomes go. Reasons are bounded snake_case names. */
  public interface Sink {
    void dns(UdpDatagram d, DnsMessage m);

    void dhcp(UdpDatagram d, DhcpMessage m);

    /**
     * As {@link #dns(UdpDatagram, DnsMessage)}, with the frame's Ethernet source ({@code null} when
     * the link layer has none, or for DNS over TCP): which device sent a client's query.
     */
    default void dns(UdpDatagram d, DnsMessage m, String etherSource) {
      dns(d, m);
    }

    /** As {@link #dhcp(UdpDatagram, DhcpMessage)}, with the frame's Ethernet source or null. */
    default void dhcp(UdpDatagram d, DhcpMessage m, String etherSource) {
      dhcp(d, m);
    }

    /**
     * A DHCPv6 message (RFC 8415) with the frame's Ethernet source or null; counted as ignored
     * unless used.
     */
    default void dhcp6(UdpDatagram d, Dhcp6Message m, String etherSource) {
      ignored("dhcp6_not_used");
    }

    /** An IPv6 neighbor discovery message (RFC 4861) with the frame's Ethernet source or null. */
    default void nd(IpPacket p, NdMessage m, String etherSource) {
      ignored("nd_not_used");
    }

    /**
     * A frame that carries nothing we decode: {@code not_udp_tcp}, {@code other_port}, {@code
     * icmpv6_not_nd}.
     */
    void ignored(String reason);

    /** A frame or message that failed to decode. */
    void malformed(String reason);

    /** A DNS or DHCP message, cut out of its datagram or stream, that failed to decode. */
    default void malformed(UdpDatagram d, String reason) {
      malformed(reason);
    }

    /** Reassembly state given up: {@code ip_fragment_timeout}, {@code dns_tcp_flow_evicted}, ... */
    void dropped(String reason);
  }

  /**
   * Reassembly bounds. Defaults: 1024 datagrams and 4 MiB of fragments, 30 s per datagram (Linux's
   * ipfrag_time; RFC 8200 allows up to 60 s); 1024 TCP flows of at most 70,000 bytes each (one
   * maximum DNS message with its length prefix, plus room for a held segment), idle 120 s.
   */
  public record Limits(
      int fragmentDatagrams,
      long fragmentBytes,
      long fragmentTimeoutMicros,
      int tcpFlows,
      int tcpFlowBytes,
      long tcpIdleMicros) {
    public static Limits defaults() {
      return new Limits(1024, 4L << 20, 30_000_000L, 1024, 70_000, 120_000_000L);
    }
  }

  private final IpReassembler fragments;
  private final DnsTcpReassembler tcp;

  public FrameDecoder() {
    this(Limits.defaults());
  }

  public FrameDecoder(Limits limits) {
    this.fragments =
        new IpReassembler(
            limits.fragmentDatagrams(), limits.fragmentBytes(), limits.fragmentTimeoutMicros());
    this.tcp =
        new DnsTcpReassembler(limits.tcpFlows(), limits.tcpFlowBytes(), limits.tcpIdleMicros());
  }

  /** Decodes one frame; what it yields goes to {@code sink}. Never throws for bad input. */
  public void decode(RawFrame frame, Sink sink) {
    advanceTo(frame.epochMicros(), sink);
    try {
      IpPacket p = LinkDecoder.ip(frame);
      if (p != null && p.fragment()) {
        if (!reassemblable(p)) {
          sink.ignored("not_udp_tcp");
          return;
        }
        p = fragments.offer(p, sink::dropped);
        if (p == null) {
          return; // waiting for more fragments
        }
        p = IpDecoder.upperLayer(p);
      }
      if (p == null) {
        sink.ignored("not_udp_tcp");
      } else if (p.protocol() == IpPacket.PROTO_UDP) {
        message(LinkDecoder.udp(p), LinkDecoder.etherSource(frame), sink);
      } else if (p.protocol() == IpPacket.PROTO_ICMPV6) {
        neighborDiscovery(p, LinkDecoder.etherSource(frame), sink);
      } else {
        segment(LinkDecoder.tcp(p), sink);
      }
    } catch (MalformedException e) {
      sink.malformed(e.reason());
    }
  }

  /** Moves packet time forward when input is idle, giving up expired reassembly state. */
  public void advanceTo(long epochMicros, Sink sink) {
    fragments.advanceTo(epochMicros, sink::dropped);
    tcp.advanceTo(epochMicros, sink::dropped);
  }

  /** IP datagrams waiting for fragments. */
  public int pendingFragmentDatagrams() {
    return fragments.pendingDatagrams();
  }

  /** TCP flows (one per direction) being followed for DNS. */
  public int tcpFlows() {
    return tcp.flowCount();
  }

  /**
   * IPv4: UDP/TCP only (LinkDecoder already returns null for the rest); IPv6: also extension
   * headers.
   */
  private static boolean reassemblable(IpPacket p) {
    int n = p.protocol();
    return n == IpPacket.PROTO_UDP
        || n == IpPacket.PROTO_TCP
        || p.version() == 6 && (n == 0 || n == 43 || n == 60);
  }

  private void segment(TcpSegment s, Sink sink) {
    if (s.sport() != Ports.DNS && s.dport() != Ports.DNS) {
      sink.ignored("other_port");
      return;
    }
    List<UdpDatagram> messages = tcp.offer(s, sink::dropped);
    for (UdpDatagram d : messages) {
      dns(d, null, sink);
    }
  }

  private static void message(UdpDatagram d, String etherSource, Sink sink) {
    if (Ports.isDns(d)) {
      dns(d, etherSource, sink);
    } else if (Ports.isDhcp(d)) {
      DhcpMessage m;
      try {
        m = DhcpDecoder.decode(d.payload());
      } catch (MalformedException e) {
        sink.malformed(d, e.reason());
        return;
      }
      sink.dhcp(d, m, etherSource);
    } else if (Ports.isDhcp6(d)) {
      Dhcp6Message m;
      try {
        m = Dhcp6Decoder.decode(d.payload());
      } catch (MalformedException e) {
        sink.malformed(d, e.reason());
        return;
      }
      sink.dhcp6(d, m, etherSource);
    } else {
      sink.ignored("other_port");
    }
  }

  /**
   * ICMPv6 (RFC 4443): neighbor discovery messages go on; other types (echo, MLD, errors) are not
   * ours.
   */
  private static void neighborDiscovery(IpPacket p, String etherSource, Sink sink)
      throws MalformedException {
    NdMessage m = NdDecoder.decode(p.payload());
    if (m == null) {
      sink.ignored("icmpv6_not_nd");
    } else {
      sink.nd(p, m, etherSource);
    }
  }

  private static void dns(UdpDatagram d, String etherSource, Sink sink) {
    DnsMessage m;
    try {
      m = DnsDecoder.decode(d.payload());
    } catch (MalformedException e) {
      sink.malformed(d, e.reason());
      return;
    }
    sink.dns(d, m, etherSource);
  }
}
