package org.bellwatch.agent.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.bellwatch.agent.decode.UdpDatagram;
import org.bellwatch.agent.decode.dns.DnsMessage;
import org.bellwatch.agent.decode.dns.DnsQuestion;
import org.bellwatch.agent.decode.dns.DnsRecord;
import org.bellwatch.agent.event.Times;
import org.junit.jupiter.api.Test;

class DnsBlockDetectorTest {
  static final long T = 1_789_485_000_250_000L; // 2026-09-15T15:10:00.250Z

  static UdpDatagram datagram() throws Exception {
    return new UdpDatagram(
        T,
        InetAddress.getByName("10.0.0.53"),
        InetAddress.getByName("10.0.1.20"),
        53,
        40000,
        "udp",
        ByteBuffer.allocate(0));
  }

  static DnsMessage nxdomain(String qname, int qtype) {
    return new DnsMessage(
        7,
        true,
        0,
        DnsMessage.RCODE_NXDOMAIN,
        List.of(new DnsQuestion(qname, qtype, 1)),
        List.of(),
        List.of(),
        List.of());
  }

  @Test
  void anNxdomainAnswerToAnAOrAaaaQuestionIsADnsNxdomainOnlyWhenTheSiteSaysItsFilterRefusesThatWay()
      throws Exception {
    DnsBlockDetector on = new DnsBlockDetector(List.of(), true);
    DnsBlockDetector off = new DnsBlockDetector(List.of());

    assertThat(on.detect(datagram(), nxdomain("WPAD.Example.com.", DnsRecord.TYPE_A)))
        .isEqualTo(
            new BlockEvidence(
                Times.ofEpochMicros(T),
                InetAddress.getByName("10.0.1.20"),
                "wpad.example.com",
                null,
                null,
                null,
                "dns",
                "dns-nxdomain",
                "dns: 10.0.0.53 answered 10.0.1.20 wpad.example.com A NXDOMAIN at 2026-09-15T15:10:00.250Z"));
    assertThat(off.detect(datagram(), nxdomain("wpad.example.com", DnsRecord.TYPE_A))).isNull();
    assertThat(on.detect(datagram(), nxdomain("20.1.0.10.in-addr.arpa", 12)))
        .as("a PTR lookup")
        .isNull();
  }
}
