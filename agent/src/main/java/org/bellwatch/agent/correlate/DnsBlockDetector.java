package org.bellwatch.agent.correlate;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.bellwatch.agent.decode.UdpDatagram;
import org.bellwatch.agent.decode.dns.DnsMessage;
import org.bellwatch.agent.decode.dns.DnsRecord;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.BlockMethod;
import org.bellwatch.agent.event.Times;
import org.bellwatch.agent.parse.Domains;

/**
 * Infers blocks from DNS answers: a NOERROR response whose A or AAAA answer is a sinkhole or
 * block-page address (by default {@code 0.0.0.0} and {@code ::}, the answers of Pi-hole, dnsmasq
 * {@code address=}, pfBlockerNG and most RPZ setups), a {@code dns-sinkhole}; and, when the site's
 * filter refuses with it, an NXDOMAIN answer (RFC 1035 section 4.1.1, RCODE 3) to an A or AAAA
 * question, a {@code dns-nxdomain} (the pipeline drops those for the site's own names). The refused
 * client is the response's destination.
 */
public final class DnsBlockDetector {
  private final Set<InetAddress> sinkholes;
  private final boolean nxdomainIsBlock;

  public DnsBlockDetector(List<InetAddress> sinkholes) {
    this(sinkholes, false);
  }

  public DnsBlockDetector(List<InetAddress> sinkholes, boolean nxdomainIsBlock) {
    this.sinkholes = Set.copyOf(sinkholes);
    this.nxdomainIsBlock = nxdomainIsBlock;
  }

  /** Evidence of a block in this DNS response, or null when it is not one. */
  public BlockEvidence detect(UdpDatagram d, DnsMessage m) {
    if (!m.response() || m.qname() == null) {
      return null;
    }
    if (m.rcode() == DnsMessage.RCODE_NXDOMAIN) {
      return nxdomainIsBlock && (m.qtype() == DnsRecord.TYPE_A || m.qtype() == DnsRecord.TYPE_AAAA)
          ? nxdomain(d, m)
          : null;
    }
    if (m.rcode() != DnsMessage.RCODE_NOERROR) {
      return null;
    }
    for (DnsRecord r : m.answers()) {
      if (r.type() != DnsRecord.TYPE_A && r.type() != DnsRecord.TYPE_AAAA) {
        continue;
      }
      InetAddress answer = AddressText.parseIp(r.data());
      if (answer != null && sinkholes.contains(answer)) {
        String domain = Domains.normalize(m.qname());
        Instant time = Times.ofEpochMicros(d.epochMicros());
        String evidence =
            "dns: "
                + AddressText.address(d.src())
                + " answered "
                + AddressText.address(d.dst())
                + " "
                + domain
                + " "
                + (r.type() == DnsRecord.TYPE_A ? "A" : "AAAA")
                + " "
                + r.data()
                + " (sinkhole) at "
                + Times.iso(time);
        return new BlockEvidence(
            time, d.dst(), domain, null, null, null, "dns", "dns-sinkhole", evidence);
      }
    }
    return null;
  }

  private static BlockEvidence nxdomain(UdpDatagram d, DnsMessage m) {
    String domain = Domains.normalize(m.qname());
    if (domain == null) {
      return null; // the root: no name was refused
    }
    Instant time = Times.ofEpochMicros(d.epochMicros());
    String evidence =
        "dns: "
            + AddressText.address(d.src())
            + " answered "
            + AddressText.address(d.dst())
            + " "
            + domain
            + " "
            + (m.qtype() == DnsRecord.TYPE_A ? "A" : "AAAA")
            + " NXDOMAIN at "
            + Times.iso(time);
    return new BlockEvidence(
        time, d.dst(), domain, null, null, null, "dns", BlockMethod.DNS_NXDOMAIN, evidence);
  }
}
