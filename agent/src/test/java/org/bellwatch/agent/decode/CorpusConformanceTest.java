package org.bellwatch.agent.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bellwatch.agent.capture.PcapFileReader;
import org.bellwatch.agent.decode.dhcp.DhcpMessage;
import org.bellwatch.agent.decode.dns.DnsMessage;
import org.bellwatch.agent.decode.dns.DnsQuestion;
import org.bellwatch.agent.decode.dns.DnsRecord;
import org.bellwatch.agent.decode.frame.FrameDecoder;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.RawFrame;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Compares our decoders with tshark 4.0 over the shared capture corpus ({@code shared/corpus/pcap},
 * see its PROVENANCE.md), field by field for the fields we both have. Runs only where the corpus
 * exists; the files are read in place, never copied into the repository.
 *
 * <p>Frames go through {@link FrameDecoder}, as in the pipeline and {@code bellwatch decode}, so
 * DNS over TCP and fragmented datagrams are compared too. Zeek's own {@code dns.log}/{@code
 * dhcp.log} baselines are not in the corpus yet (its PROVENANCE.md says they may be added later); a
 * Zeek comparison belongs here when they are.
 *
 * <p>Every difference must be listed in {@link #KNOWN} with the reason we differ; a listed
 * difference that no longer occurs fails too, so the list stays true.
 */
class CorpusConformanceTest {

  /**
   * A documented difference: file (relative to the pcap folder), frame (0 = every frame), field.
   */
  private record Known(String file, int frame, String field, String why) {}

  private static final List<Known> KNOWN =
      Stream.of(
              frames(
                  "zeek/dhcp/dhcp_bad_cookie_option_retention.pcap",
                  "*",
                  "magic cookie is not 99.130.83.99: we refuse the message (dhcp_bad_cookie, RFC 2131 section 3),"
                      + " tshark still shows the BOOTP header",
                  2,
                  3,
                  4),
              frames(
                  "zeek/dns-edns-ecs-bad.pcap",
                  "*",
                  "fuzzed response claiming 236 answers whose RDLENGTH runs past the message: framing is"
                      + " broken, so we report dns_rdata_truncated; tshark shows the header it could read",
                  1,
                  2,
                  3),
              frames(
                  "zeek/dns-edns-ecs-bad.pcap",
                  "*",
                  "capture holds 275 bytes of a frame whose IPv6 payload length says 331: ipv6_truncated;"
                      + " tshark decodes the partial datagram",
                  4),
              frames(
                  "zeek/dns/dns-invalid-names.pcap",
                  "*",
                  "a name that runs past the message (frames 1, 3) or loops (frame 2) breaks framing: the whole"
                      + " message is malformed for us (dns_truncated, dns_name_loop); tshark keeps the header",
                  1,
                  2,
                  3),
              frames(
                  "zeek/dns/dns-edns-bad-length.pcap",
                  "dns.a",
                  "the OPT record has RDLENGTH 1, not a valid option list (RFC 6891 section 6.1.2), but RDLENGTH"
                      + " still frames it, so the well-formed A record after it is ours; tshark stops at the OPT",
                  1))
          .flatMap(List::stream)
          .collect(Collectors.toList());

  private static List<Known> frames(String file, String field, String why, int... frames) {
    List<Known> out = new ArrayList<>();
    for (int f : frames) {
      out.add(new Known(file, f, field, why));
    }
    return out;
  }

  private static Path corpus() {
    String repo = System.getProperty("bellwatch.repo");
    Path base = repo != null ? Path.of(repo) : Path.of("").toAbsolutePath().getParent();
    return base.resolve("../shared/corpus/pcap").normalize();
  }

  @Test
  void ourDecodersAgreeWithTsharkOnTheSharedCorpusExceptForDocumentedDifferences()
      throws IOException {
    Path root = corpus();
    Assumptions.assumeTrue(Files.isDirectory(root), "no shared corpus at " + root);
    List<Path> captures;
    try (Stream<Path> s = Files.walk(root)) {
      captures =
          s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng"))
              .filter(p -> Files.exists(tsv(p)))
              .sorted()
              .collect(Collectors.toList());
    }
    assertThat(captures).isNotEmpty();

    List<String> unexplained = new ArrayList<>();
    Set<Known> used = new LinkedHashSet<>();
    long allFields = 0;
    long allAgreed = 0;
    for (Path capture : captures) {
      String name = root.relativize(capture).toString();
      Map<Integer, Map<String, String>> ours = decodeAll(capture);
      List<Map<String, String>> theirs = readTsv(tsv(capture));
      int fields = 0;
      int agreed = 0;
      int documented = 0;
      for (Map<String, String> row : theirs) {
        int frame = Integer.parseInt(row.get("frame.number"));
        Map<String, String> mine = ours.getOrDefault(frame, Map.of());
        for (Map.Entry<String, String> e : row.entrySet()) {
          String field = e.getKey();
          if (field.equals("frame.number") || !COMPARED.contains(field)) {
            continue;
          }
          String want = normalise(field, e.getValue());
          String got = mine.getOrDefault(field, "");
          if (want.isEmpty() && !mine.containsKey(field)) {
            continue; // neither side has a value
          }
          fields++;
          if (want.equals(got)) {
            agreed++;
            continue;
          }
          Known k = known(name, frame, field);
          if (k != null) {
            used.add(k);
            documented++;
          } else {
            unexplained.add(
                name
                    + " frame "
                    + frame
                    + " "
                    + field
                    + ": tshark ["
                    + want
                    + "] ours ["
                    + got
                    + "]"
                    + (mine.containsKey("error") ? " (" + mine.get("error") + ")" : ""));
          }
        }
      }
      allFields += fields;
      allAgreed += agreed;
      System.out.printf(
          "%-60s %4d/%4d fields agree (%5.1f%%), %d documented differences%n",
          name, agreed, fields, fields == 0 ? 100.0 : 100.0 * agreed / fields, documented);
    }
    System.out.printf(
        "TOTAL %d/%d fields agree (%.2f%%)%n",
        allAgreed, allFields, 100.0 * allAgreed / Math.max(1, allFields));
    List<Known> stale = new ArrayList<>(KNOWN);
    stale.removeAll(used);
    unexplained.forEach(System.out::println);
    assertThat(unexplained).as("differences not documented in KNOWN").isEmpty();
    assertThat(stale).as("documented differences that no longer occur").isEmpty();
  }

  private static Known known(String file, int frame, String field) {
    for (Known k : KNOWN) {
      if (k.file().equals(file)
          && (k.frame() == 0 || k.frame() == frame)
          && (k.field().equals("*") || k.field().equals(field))) {
        return k;
      }
    }
    return null;
  }

  private static final Set<String> COMPARED =
      Set.of(
          "frame.time_epoch",
          "ip.src",
          "ipv6.src",
          "ip.dst",
          "ipv6.dst",
          "udp.srcport",
          "tcp.srcport",
          "dns.id",
          "dns.flags.response",
          "dns.flags.rcode",
          "dns.qry.name",
          "dns.qry.type",
          "dns.a",
          "dns.aaaa",
          "dns.cname",
          "dhcp.option.dhcp",
          "dhcp.hw.mac_addr",
          "dhcp.ip.your",
          "dhcp.ip.client",
          "dhcp.option.hostname",
          "dhcp.option.requested_ip_address",
          "dhcp.option.ip_address_lease_time");

  /** Brings a tshark value to our form where the two differ only in spelling. */
  private static String normalise(String field, String v) {
    if (v.isEmpty()) {
      return v;
    }
    switch (field) {
      case "frame.time_epoch":
        return new BigDecimal(v).movePointRight(6).toBigInteger().toString();
      case "dns.id":
        return Stream.of(v.split(","))
            .map(x -> String.valueOf(Integer.parseInt(x.substring(2), 16)))
            .collect(Collectors.joining(","));
      case "dhcp.hw.mac_addr":
        return v.split(",")[0]; // tshark repeats the MAC found in option 61
      case "dhcp.ip.your":
      case "dhcp.ip.client":
        return v.equals("0.0.0.0") ? "" : v;
      default:
        return v;
    }
  }

  private static Path tsv(Path capture) {
    String n = capture.getFileName().toString();
    return capture.resolveSibling(n.substring(0, n.lastIndexOf('.')) + ".tshark.tsv");
  }

  private static List<Map<String, String>> readTsv(Path tsv) throws IOException {
    List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
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

  /**
   * Decodes every frame through the same {@link FrameDecoder} as the pipeline and {@code bellwatch
   * decode}, into tshark's field names, keyed by the frame that completes each message (as tshark
   * reports a reassembled message at its last segment or fragment); several messages completed by
   * one frame are joined with ',' as tshark joins them. "error" holds our malformed reason if any.
   */
  private static Map<Integer, Map<String, String>> decodeAll(Path capture) throws IOException {
    Map<Integer, Map<String, String>> out = new HashMap<>();
    FrameDecoder decoder = new FrameDecoder();
    try (PcapFileReader r = PcapFileReader.open(capture)) {
      int[] frame = {0};
      FrameDecoder.Sink sink =
          new FrameDecoder.Sink() {
            @Override
            public void dns(UdpDatagram d, DnsMessage msg) {
              Map<String, String> m = new HashMap<>();
              addressing(d, m);
              dnsFields(msg, m);
              merge(out.computeIfAbsent(frame[0], k -> new HashMap<>()), m);
            }

            @Override
            public void dhcp(UdpDatagram d, DhcpMessage msg) {
              Map<String, String> m = new HashMap<>();
              addressing(d, m);
              dhcpFields(msg, m);
              merge(out.computeIfAbsent(frame[0], k -> new HashMap<>()), m);
            }

            @Override
            public void ignored(String reason) {}

            @Override
            public void malformed(String reason) {
              out.computeIfAbsent(frame[0], k -> new HashMap<>()).put("error", reason);
            }

            @Override
            public void malformed(UdpDatagram d, String reason) {
              Map<String, String> m = out.computeIfAbsent(frame[0], k -> new HashMap<>());
              Map<String, String> a = new HashMap<>();
              addressing(d, a);
              merge(m, a);
              m.put("error", reason);
            }

            @Override
            public void dropped(String reason) {}
          };
      for (RawFrame f = r.next(); f != null; f = r.next()) {
        frame[0]++;
        decoder.decode(f, sink);
      }
    }
    return out;
  }

  private static void addressing(UdpDatagram d, Map<String, String> m) {
    boolean v6 = d.src().getAddress().length == 16;
    m.put(v6 ? "ipv6.src" : "ip.src", AddressText.address(d.src()));
    m.put(v6 ? "ipv6.dst" : "ip.dst", AddressText.address(d.dst()));
    m.put(d.transport().equals("tcp") ? "tcp.srcport" : "udp.srcport", String.valueOf(d.sport()));
    m.put("frame.time_epoch", String.valueOf(d.epochMicros()));
  }

  /**
   * Adds one message's fields to the frame's: the header fields of a frame are the same for every
   * message in it, so those stay single; the message fields are joined with ','.
   */
  private static void merge(Map<String, String> frame, Map<String, String> message) {
    for (Map.Entry<String, String> e : message.entrySet()) {
      frame.merge(
          e.getKey(), e.getValue(), (a, b) -> SINGLE.contains(e.getKey()) ? a : a + "," + b);
    }
  }

  private static final Set<String> SINGLE =
      Set.of(
          "frame.time_epoch",
          "ip.src",
          "ipv6.src",
          "ip.dst",
          "ipv6.dst",
          "udp.srcport",
          "tcp.srcport");

  private static void dnsFields(DnsMessage msg, Map<String, String> m) {
    m.put("dns.id", String.valueOf(msg.id()));
    m.put("dns.flags.response", msg.response() ? "1" : "0");
    if (msg.response()) {
      m.put("dns.flags.rcode", String.valueOf(msg.rcode()));
    }
    putJoined(
        m,
        "dns.qry.name",
        msg.questions().stream()
            .map(q -> q.name().isEmpty() ? "<Root>" : q.name())
            .collect(Collectors.toList()));
    putJoined(
        m,
        "dns.qry.type",
        msg.questions().stream()
            .map(DnsQuestion::type)
            .map(String::valueOf)
            .collect(Collectors.toList()));
    List<DnsRecord> all = new ArrayList<>(msg.answers());
    all.addAll(msg.authorities());
    all.addAll(msg.additionals());
    putJoined(m, "dns.a", dataOf(all, DnsRecord.TYPE_A));
    putJoined(m, "dns.aaaa", dataOf(all, DnsRecord.TYPE_AAAA));
    putJoined(m, "dns.cname", dataOf(all, DnsRecord.TYPE_CNAME));
  }

  /**
   * tshark's dns.a/dns.aaaa/dns.cname list the addresses and names carried; a record whose RDATA is
   * not one (RFC 2136 UPDATE "delete RRset" entries have empty RDATA, shown by us in the RFC 3597
   * form) carries none.
   */
  private static List<String> dataOf(List<DnsRecord> records, int type) {
    return records.stream()
        .filter(r -> r.type() == type)
        .map(DnsRecord::data)
        .filter(d -> !d.startsWith("\\#"))
        .collect(Collectors.toList());
  }

  private static void putJoined(Map<String, String> m, String field, List<String> values) {
    if (!values.isEmpty()) {
      m.put(field, String.join(",", values));
    }
  }

  private static void dhcpFields(DhcpMessage msg, Map<String, String> m) {
    if (msg.msgType() != 0) {
      m.put("dhcp.option.dhcp", String.valueOf(msg.msgType()));
    }
    putIf(m, "dhcp.hw.mac_addr", msg.chaddr());
    putIf(m, "dhcp.ip.your", AddressText.address(msg.yiaddr()));
    putIf(m, "dhcp.ip.client", AddressText.address(msg.ciaddr()));
    putIf(m, "dhcp.option.hostname", msg.hostname());
    putIf(m, "dhcp.option.requested_ip_address", AddressText.address(msg.requestedIp()));
    putIf(
        m,
        "dhcp.option.ip_address_lease_time",
        msg.leaseSecs() == null ? null : String.valueOf(msg.leaseSecs()));
  }

  private static void putIf(Map<String, String> m, String field, String v) {
    if (v != null) {
      m.put(field, v);
    }
  }
}
