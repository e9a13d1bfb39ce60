package org.bellwatch.agent.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.bellwatch.agent.capture.PcapFileReader;
import org.bellwatch.agent.decode.dhcp.DhcpMessage;
import org.bellwatch.agent.decode.dhcp6.Dhcp6Message;
import org.bellwatch.agent.decode.dns.DnsMessage;
import org.bellwatch.agent.decode.frame.FrameDecoder;
import org.bellwatch.agent.decode.nd.NdMessage;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.RawFrame;
import org.junit.jupiter.api.Test;

/**
 * Compares our neighbor discovery and DHCPv6 decoders with tshark 4.0 on {@code fixtures/ipv6/}, a
 * capture that radvd, dnsmasq (DHCPv6), dhclient -6, rdisc6/ndisc6 and Linux SLAAC clients made in
 * network namespaces ({@code scripts/make-ipv6-fixture}; its {@code capture.tshark.tsv} is tshark's
 * reading). Every ND and DHCPv6 frame tshark lists must be ours too, field by field.
 */
class Ipv6ConformanceTest {
  private static final String FIXTURE = "/fixtures/ipv6/";

  @Test
  void ourNeighborDiscoveryAndDhcpv6FieldsEqualTsharksOnTheRealProgramsCapture()
      throws IOException {
    Map<Integer, Map<String, String>> ours = decodeAll();
    List<Map<String, String>> theirs = tsv();
    assertThat(theirs).hasSizeGreaterThan(40);
    List<String> differences = new ArrayList<>();
    int compared = 0;
    for (Map<String, String> row : theirs) {
      int frame = Integer.parseInt(row.get("frame.number"));
      Map<String, String> mine = ours.getOrDefault(frame, Map.of());
      for (Map.Entry<String, String> e : row.entrySet()) {
        if (e.getKey().equals("frame.number")
            || e.getKey().equals("dhcpv6.duidllt.link_layer_addr")) {
          continue; // the server's DUID-LLT: we decode only the client's identifier
        }
        String want = normalise(e.getKey(), e.getValue());
        String got = mine.getOrDefault(e.getKey(), "");
        compared++;
        if (!want.equals(got)) {
          differences.add(
              "frame " + frame + " " + e.getKey() + ": tshark [" + want + "] ours [" + got + "]");
        }
      }
    }
    assertThat(differences).isEmpty();
    assertThat(compared).isGreaterThan(500);
  }

  private static String normalise(String field, String v) {
    if (v.isEmpty()) {
      return v;
    }
    return switch (field) {
      case "frame.time_epoch" -> new BigDecimal(v).movePointRight(6).toBigInteger().toString();
      case "dhcpv6.xid" -> String.valueOf(Integer.parseInt(v.substring(2), 16));
      case "icmpv6.opt.prefix" -> AddressText.address(AddressText.parseIp(v));
      default -> v;
    };
  }

  private static Map<Integer, Map<String, String>> decodeAll() throws IOException {
    Map<Integer, Map<String, String>> out = new TreeMap<>();
    Path pcap = Files.createTempFile("ipv6", ".pcap");
    try (InputStream in = Ipv6ConformanceTest.class.getResourceAsStream(FIXTURE + "capture.pcap")) {
      Files.copy(in, pcap, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    int[] frame = {0};
    FrameDecoder.Sink sink =
        new FrameDecoder.Sink() {
          @Override
          public void nd(IpPacket p, NdMessage m, String etherSource) {
            Map<String, String> f = common(p.epochMicros(), etherSource, p.src());
            f.put("icmpv6.type", String.valueOf(m.type()));
            if (m.type() == NdMessage.NEIGHBOR_SOLICITATION) {
              f.put("icmpv6.nd.ns.target_address", AddressText.address(m.target()));
            }
            if (m.type() == NdMessage.NEIGHBOR_ADVERTISEMENT) {
              f.put("icmpv6.nd.na.target_address", AddressText.address(m.target()));
              f.put("icmpv6.nd.na.flag.r", m.router() ? "1" : "0");
            }
            put(f, "icmpv6.opt.src_linkaddr", m.sourceLinkAddr());
            put(f, "icmpv6.opt.target_linkaddr", m.targetLinkAddr());
            put(f, "icmpv6.nd.ra.router_lifetime", m.routerLifetime());
            f.put("icmpv6.opt.prefix", join(m.prefixes(), p2 -> AddressText.address(p2.prefix())));
            f.put("icmpv6.opt.prefix.length", join(m.prefixes(), NdMessage.Prefix::length));
            f.put(
                "icmpv6.opt.prefix.valid_lifetime",
                join(m.prefixes(), NdMessage.Prefix::validSecs));
            out.put(frame[0], f);
          }

          @Override
          public void dhcp6(UdpDatagram d, Dhcp6Message m, String etherSource) {
            Map<String, String> f = common(d.epochMicros(), etherSource, d.src());
            f.put("dhcpv6.msgtype", String.valueOf(m.msgType()));
            f.put("dhcpv6.xid", String.valueOf(m.transactionId()));
            put(f, "dhcpv6.duidll.link_layer_addr", m.duidLinkAddr());
            f.put("dhcpv6.iaaddr.ip", join(m.addresses(), a -> AddressText.address(a.address())));
            f.put(
                "dhcpv6.iaaddr.valid_lifetime",
                join(m.addresses(), Dhcp6Message.IaAddress::validSecs));
            f.put(
                "dhcpv6.iaaddr.pref_lifetime",
                join(m.addresses(), Dhcp6Message.IaAddress::preferredSecs));
            out.put(frame[0], f);
          }

          @Override
          public void dns(UdpDatagram d, DnsMessage m) {}

          @Override
          public void dhcp(UdpDatagram d, DhcpMessage m) {}

          @Override
          public void ignored(String reason) {}

          @Override
          public void malformed(String reason) {
            out.put(frame[0], Map.of("error", reason));
          }

          @Override
          public void dropped(String reason) {}
        };
    FrameDecoder decoder = new FrameDecoder();
    try (PcapFileReader r = PcapFileReader.open(pcap)) {
      for (RawFrame f = r.next(); f != null; f = r.next()) {
        frame[0]++;
        decoder.decode(f, sink);
      }
    } finally {
      Files.delete(pcap);
    }
    return out;
  }

  private static Map<String, String> common(
      long micros, String etherSource, java.net.InetAddress src) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("frame.time_epoch", String.valueOf(micros));
    put(f, "eth.src", etherSource);
    f.put("ipv6.src", AddressText.address(src));
    return f;
  }

  private static void put(Map<String, String> f, String key, Object v) {
    if (v != null) {
      f.put(key, v.toString());
    }
  }

  private static <T> String join(List<T> items, java.util.function.Function<T, Object> f) {
    return items.stream().map(x -> String.valueOf(f.apply(x))).collect(Collectors.joining(","));
  }

  private static List<Map<String, String>> tsv() throws IOException {
    List<String> lines;
    try (InputStream in =
        Ipv6ConformanceTest.class.getResourceAsStream(FIXTURE + "capture.tshark.tsv")) {
      lines =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .collect(Collectors.toList());
    }
    String[] header = lines.get(0).split("\t", -1);
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cols = line.split("\t", -1);
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < header.length; i++) {
        row.put(header[i], i < cols.length ? cols[i] : "");
      }
      rows.add(row);
    }
    return rows;
  }
}
