package org.bellwatch.agent.pipeline;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import org.bellwatch.agent.decode.UdpDatagram;
import org.bellwatch.agent.decode.dhcp.DhcpMessage;
import org.bellwatch.agent.event.Times;

/**
 * What the pipeline takes from one captured DHCP message (RFC 2131): the facts that change the
 * lease history and the site's domains, small enough to journal (the frame it came from may have
 * been one of several IP fragments, so the frame itself cannot be replayed alone).
 */
record CapturedDhcp(
    Instant time,
    InetAddress server,
    int msgType,
    String chaddr,
    InetAddress ciaddr,
    InetAddress yiaddr,
    InetAddress requestedIp,
    Long leaseSecs,
    String hostname,
    String relayCircuitId,
    String domainName,
    List<String> domainSearch) {

  CapturedDhcp {
    domainSearch = domainSearch == null ? null : List.copyOf(domainSearch);
  }

  static CapturedDhcp of(UdpDatagram d, DhcpMessage m) {
    return new CapturedDhcp(
        Times.ofEpochMicros(d.epochMicros()),
        d.src(),
        m.msgType(),
        m.chaddr(),
        m.ciaddr(),
        m.yiaddr(),
        m.requestedIp(),
        m.leaseSecs(),
        m.hostname(),
        m.relayCircuitId(),
        m.domainName(),
        m.domainSearch());
  }
}
