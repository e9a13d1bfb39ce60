package org.bellwatch.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.bellwatch.agent.event.AddressText;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SiteSimulatorTest {

  private static final List<String> KEYS =
      List.of(
          "time",
          "client_ip",
          "mac",
          "hostname",
          "user",
          "domain",
          "url",
          "category",
          "source",
          "method",
          "room",
          "section",
          "course",
          "teacher",
          "period",
          "instructional",
          "while_teaching");

  @TempDir static Path dir;
  static Path out;
  static SimulationSummary summary;
  static List<JsonNode> truth;

  @BeforeAll
  static void simulateOnce() throws IOException {
    out = dir.resolve("a");
    summary = SiteSimulator.simulate(42, SiteSimulator.DEFAULT_DATE, out);
    truth = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(out.resolve("truth.jsonl"))) {
      truth.add(json.readTree(line));
    }
  }

  // ---------------- determinism ----------------

  @Test
  void a_school_in_another_zone_has_the_same_day_at_the_same_local_times() throws IOException {
    Path denver = dir.resolve("denver");
    SiteSimulator.simulate(
        42,
        SiteSimulator.DEFAULT_DATE,
        java.time.ZoneId.of("America/Denver"),
        SiteSimulator.Scale.SAMPLE,
        denver);
    ObjectMapper json = new ObjectMapper();
    List<String> there = new ArrayList<>();
    for (String line : Files.readAllLines(denver.resolve("truth.jsonl"))) {
      JsonNode e = json.readTree(line);
      there.add(
          Instant.parse(e.get("time").asText())
                  .atZone(java.time.ZoneId.of("America/Denver"))
                  .toLocalTime()
              + " "
              + e.get("domain").asText()
              + " "
              + e.get("instructional").asBoolean());
    }
    List<String> here =
        truth.stream()
            .map(
                e ->
                    Instant.parse(e.get("time").asText()).atZone(SiteSimulator.ZONE).toLocalTime()
                        + " "
                        + e.get("domain").asText()
                        + " "
                        + e.get("instructional").asBoolean())
            .toList();
    assertThat(there).isEqualTo(here);
    // One hour apart in September (MDT, UTC-6, against PDT, UTC-7).
    assertThat(
            Instant.parse(
                json.readTree(Files.readAllLines(denver.resolve("truth.jsonl")).get(0))
                    .get("time")
                    .asText()))
        .isEqualTo(Instant.parse(truth.get(0).get("time").asText()).minusSeconds(3600));
    assertThat(Files.readString(denver.resolve("README.txt"))).contains("(America/Denver)");
  }

  @Test
  void the_same_seed_twice_gives_byte_identical_files() throws IOException {
    Path again = dir.resolve("again");
    SiteSimulator.simulate(42, SiteSimulator.DEFAULT_DATE, again);
    TreeMap<String, byte[]> first = files(out);
    TreeMap<String, byte[]> second = files(again);
    assertThat(second.keySet()).containsExactlyElementsOf(first.keySet());
    assertThat(first.keySet())
        .contains(
            "README.txt",
            "capture/site.pcap",
            "logs/squid-access.log",
            "truth.jsonl",
            "schedule/bells.csv",
            "schedule/calendar.csv",
            "schedule/oneroster/manifest.csv",
            "schedule/oneroster/academicSessions.csv",
            "schedule/oneroster/orgs.csv",
            "schedule/oneroster/courses.csv",
            "schedule/oneroster/classes.csv",
            "schedule/oneroster/users.csv",
            "schedule/oneroster/enrollments.csv",
            "schedule/devices.csv");
    for (String name : first.keySet()) {
      assertThat(second.get(name)).as(name).isEqualTo(first.get(name));
    }
  }

  @Test
  void devices_csv_gives_each_teacher_laptop_its_rooms_teacher_as_owner() throws IOException {
    List<String> devices = Files.readAllLines(out.resolve("schedule/devices.csv"));
    JsonNode teacher = at("teacher-user");
    assertThat(devices).hasSize(1 + 6).first().isEqualTo("mac,hostname,room,asset_tag,owner");
    assertThat(devices)
        .contains(teacher.get("mac").asText() + ",,,T-RM105," + teacher.get("user").asText());
  }

  @Test
  void different_seeds_give_different_output() throws IOException {
    Path other = dir.resolve("other");
    SiteSimulator.simulate(43, SiteSimulator.DEFAULT_DATE, other);
    TreeMap<String, byte[]> a = files(out);
    TreeMap<String, byte[]> b = files(other);
    for (String name :
        List.of(
            "capture/site.pcap",
            "logs/squid-access.log",
            "truth.jsonl",
            "schedule/oneroster/users.csv")) {
      assertThat(b.get(name)).as(name).isNotEqualTo(a.get(name));
    }
    assertThat(Files.readString(other.resolve("README.txt"))).contains("seed 43");
  }

  static TreeMap<String, byte[]> files(Path root) throws IOException {
    TreeMap<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
        out.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    }
    return out;
  }

  // ---------------- pcap ----------------

  /** What the tiny independent reader below found in the capture. */
  record Sinkhole(long micros, String client, String qname) {}

  static final class PcapFacts {
    int frames;
    int dhcp;
    int dns;
    List<Integer> dhcpTypes = new ArrayList<>();
    List<Sinkhole> sinkholes = new ArrayList<>();
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
  }

  private static PcapFacts readPcap(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getInt()).isEqualTo(0xa1b2c3d4); // microsecond, written little-endian
    assertThat(b.getShort()).isEqualTo((short) 2);
    assertThat(b.getShort()).isEqualTo((short) 4);
    b.getInt();
    b.getInt();
    b.getInt();
    assertThat(b.getInt()).as("LINKTYPE_ETHERNET").isEqualTo(1);
    PcapFacts f = new PcapFacts();
    long previous = Long.MIN_VALUE;
    while (b.hasRemaining()) {
      long micros = (b.getInt() & 0xFFFFFFFFL) * 1_000_000L + b.getInt();
      int incl = b.getInt();
      int orig = b.getInt();
      assertThat(incl).isEqualTo(orig).isGreaterThanOrEqualTo(60);
      byte[] frame = new byte[incl];
      b.get(frame);
      assertThat(micros).as("time order").isGreaterThanOrEqualTo(previous);
      previous = micros;
      f.first = Math.min(f.first, micros);
      f.last = Math.max(f.last, micros);
      f.frames++;
      ByteBuffer e = ByteBuffer.wrap(frame); // network order
      boolean v6 = e.getShort(12) == (short) 0x86dd; // a dual-stack device's DNS (RFC 8200)
      int udp = v6 ? 54 : 34;
      int udpLen = e.getShort(udp + 4) & 0xFFFF;
      if (v6) {
        assertThat(frame[14] >> 4).as("IPv6 version").isEqualTo(6);
        assertThat(frame[20]).as("UDP").isEqualTo((byte) 17);
        assertThat(e.getShort(18) & 0xFFFF).as("IPv6 payload length").isEqualTo(udpLen);
        assertThat(14 + 40 + udpLen).isLessThanOrEqualTo(incl);
        assertThat(udp6Checksum(frame, udpLen))
            .as("UDP checksum over the pseudo-header")
            .isEqualTo(0xFFFF);
      } else {
        assertThat(e.getShort(12)).as("ethertype IPv4").isEqualTo((short) 0x0800);
        assertThat(frame[14]).as("IPv4, IHL 5").isEqualTo((byte) 0x45);
        int ipLen = e.getShort(16) & 0xFFFF;
        assertThat(14 + ipLen).isLessThanOrEqualTo(incl);
        long sum = 0;
        for (int i = 14; i < 34; i += 2) {
          sum += e.getShort(i) & 0xFFFF;
        }
        assertThat(fold(sum)).as("IPv4 header checksum").isEqualTo(0xFFFF);
        assertThat(frame[23]).as("UDP").isEqualTo((byte) 17);
        assertThat(udpLen).as("UDP length").isEqualTo(ipLen - 20);
      }
      int sport = e.getShort(udp) & 0xFFFF;
      int dport = e.getShort(udp + 2) & 0xFFFF;
      ByteBuffer payload = ByteBuffer.wrap(frame, udp + 8, udpLen - 8).slice();
      if (sport == 67 || sport == 68) {
        assertThat(dport).isIn(67, 68);
        f.dhcp++;
        assertThat(payload.getInt(236)).as("DHCP magic cookie").isEqualTo(0x63825363);
        int i = 240;
        while (payload.get(i) != (byte) 255) {
          int code = payload.get(i) & 0xFF;
          int len = payload.get(i + 1) & 0xFF;
          if (code == 53) {
            f.dhcpTypes.add(payload.get(i + 2) & 0xFF);
          }
          i += 2 + len;
        }
      } else {
        assertThat(sport == 53 || dport == 53).isTrue();
        f.dns++;
        if (sport == 53) {
          String client =
              v6 ? AddressText.ipv6(Arrays.copyOfRange(frame, 38, 54), 0) : ip(frame, 30);
          readSinkhole(payload, micros, client, f.sinkholes);
        }
      }
    }
    return f;
  }

  /**
   * RFC 8200 section 8.1: the one's-complement sum over source, destination, length, next header
   * and UDP.
   */
  private static long udp6Checksum(byte[] frame, int udpLen) {
    long sum = 17 + udpLen;
    for (int i = 22; i < 54; i += 2) {
      sum += ((frame[i] & 0xFF) << 8) | (frame[i + 1] & 0xFF);
    }
    for (int i = 0; i < udpLen; i += 2) {
      int hi = frame[54 + i] & 0xFF;
      int lo = i + 1 < udpLen ? frame[55 + i] & 0xFF : 0;
      sum += (hi << 8) | lo;
    }
    return fold(sum);
  }

  private static long fold(long sum) {
    long s = sum;
    while ((s >> 16) != 0) {
      s = (s & 0xFFFF) + (s >> 16);
    }
    return s;
  }

  private static String ip(byte[] a, int off) {
    return (a[off] & 0xFF)
        + "."
        + (a[off + 1] & 0xFF)
        + "."
        + (a[off + 2] & 0xFF)
        + "."
        + (a[off + 3] & 0xFF);
  }

  /** Reads a response; records it when an answer is A 0.0.0.0 or AAAA ::. */
  private static void readSinkhole(ByteBuffer p, long micros, String client, List<Sinkhole> out) {
    int an = p.getShort(6) & 0xFFFF;
    int[] pos = {12};
    String qname = name(p, pos);
    pos[0] += 4;
    for (int i = 0; i < an; i++) {
      name(p, pos);
      int type = p.getShort(pos[0]) & 0xFFFF;
      int rdlen = p.getShort(pos[0] + 8) & 0xFFFF;
      int rdata = pos[0] + 10;
      boolean zero = true;
      for (int k = 0; k < rdlen; k++) {
        zero &= p.get(rdata + k) == 0;
      }
      if (zero && ((type == 1 && rdlen == 4) || (type == 28 && rdlen == 16))) {
        out.add(new Sinkhole(micros, client, qname.toLowerCase(Locale.ROOT)));
      }
      pos[0] = rdata + rdlen;
    }
  }

  private static String name(ByteBuffer p, int[] pos) {
    StringBuilder sb = new StringBuilder();
    int i = pos[0];
    boolean jumped = false;
    for (int hops = 0; hops < 20; hops++) {
      int len = p.get(i) & 0xFF;
      if ((len & 0xC0) == 0xC0) {
        if (!jumped) {
          pos[0] = i + 2;
        }
        jumped = true;
        i = ((len & 0x3F) << 8) | (p.get(i + 1) & 0xFF);
        continue;
      }
      if (len == 0) {
        if (!jumped) {
          pos[0] = i + 1;
        }
        return sb.toString();
      }
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(new String(p.array(), p.arrayOffset() + i + 1, len, StandardCharsets.US_ASCII));
      i += 1 + len;
    }
    throw new AssertionError("compression loop");
  }

  @Test
  void the_pcap_parses_structurally_and_holds_dhcp_and_dns() throws IOException {
    PcapFacts f = readPcap(out.resolve("capture/site.pcap"));
    assertThat(Files.size(out.resolve("capture/site.pcap"))).isLessThan(2_000_000);
    assertThat(f.frames).isEqualTo(summary.frames());
    assertThat(f.dhcp).isEqualTo(summary.dhcpMessages());
    assertThat(f.dns).isEqualTo(summary.dnsMessages()).isGreaterThan(600);
    assertThat(f.dhcpTypes).contains(1, 2, 3, 5, 7);
    assertThat(f.dhcpTypes.stream().filter(t -> t == 7).count()).isEqualTo(1);
    assertThat(local(f.first)).isBetween(LocalTime.of(7, 29), LocalTime.of(7, 45));
    assertThat(local(f.last)).isBetween(LocalTime.of(15, 0), LocalTime.of(15, 31));
  }

  @Test
  void every_sinkhole_answer_belongs_to_a_dns_truth_event_timed_at_its_first_answer()
      throws IOException {
    PcapFacts f = readPcap(out.resolve("capture/site.pcap"));
    List<JsonNode> dnsEvents =
        truth.stream().filter(e -> e.get("source").asText().equals("dns")).toList();
    assertThat(f.sinkholes).isNotEmpty();
    for (Sinkhole s : f.sinkholes) {
      long owners =
          dnsEvents.stream()
              .filter(
                  e ->
                      e.get("client_ip").asText().equals(s.client())
                          && e.get("domain").asText().equals(s.qname())
                          && s.micros() - micros(e) >= 0
                          && s.micros() - micros(e) <= 10_000_000)
              .count();
      assertThat(owners).as("event for %s", s).isEqualTo(1);
    }
    for (JsonNode e : dnsEvents) {
      assertThat(f.sinkholes)
          .anyMatch(s -> s.micros() == micros(e) && s.client().equals(e.get("client_ip").asText()));
    }
  }

  // ---------------- squid ----------------

  @Test
  void every_squid_line_has_ten_fields_in_time_order_and_every_403_is_a_truth_event()
      throws IOException {
    List<String> lines = Files.readAllLines(out.resolve("logs/squid-access.log"));
    assertThat(lines).hasSize(summary.logLines());
    double previous = 0;
    int denied = 0;
    int challenges = 0;
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      assertThat(f).as(line).hasSize(10);
      assertThat(f[0]).matches("\\d{10}\\.\\d{3}");
      double t = Double.parseDouble(f[0]);
      assertThat(t).isGreaterThanOrEqualTo(previous);
      previous = t;
      if (f[3].equals("TCP_DENIED/403")) {
        denied++;
        long micros = Math.round(t * 1000) * 1000;
        String host = hostOf(f[6]);
        assertThat(truth)
            .as(line)
            .anyMatch(
                e ->
                    micros(e) == micros
                        && e.get("source").asText().equals("squid")
                        && e.get("client_ip").asText().equals(f[2])
                        && e.get("domain").asText().equals(host)
                        && e.get("url").asText().equals(f[6]));
      }
      if (f[3].equals("TCP_DENIED/407")) {
        challenges++;
        long micros = Math.round(t * 1000) * 1000;
        assertThat(truth).noneMatch(e -> micros(e) == micros);
      }
    }
    assertThat(denied)
        .isEqualTo(
            truth.stream().filter(e -> e.get("method").asText().equals("proxy-deny")).count());
    assertThat(challenges).isGreaterThan(0);
    assertThat(lines)
        .anyMatch(l -> l.contains("TCP_TUNNEL/200"))
        .anyMatch(l -> l.contains("TCP_MISS/200"));
  }

  @Test
  void every_redirect_and_refused_lookup_leaves_its_lines_and_a_down_server_only_a_503()
      throws IOException {
    List<String> squid = Files.readAllLines(out.resolve("logs/squid-access.log"));
    List<String> guard = Files.readAllLines(out.resolve("logs/squidguard.log"));
    List<String> unbound = Files.readAllLines(out.resolve("logs/unbound.log"));
    List<JsonNode> redirects =
        truth.stream().filter(e -> e.get("method").asText().equals("proxy-redirect")).toList();
    List<JsonNode> refused =
        truth.stream().filter(e -> e.get("method").asText().equals("proxy-dns-block")).toList();
    assertThat(redirects).hasSize(2);
    assertThat(refused).hasSize(2);
    assertThat(squid.stream().filter(l -> l.contains(" TCP_REDIRECT/302 "))).hasSize(2);
    assertThat(guard)
        .hasSize(2)
        .allMatch(
            l ->
                l.matches(
                    "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\[\\d+\\] Request\\(default/\\w+/-\\) \\S+ [0-9.]+/- \\S+ (GET|CONNECT) REDIRECT"));
    for (JsonNode e : redirects) {
      assertThat(guard)
          .as("%s", e)
          .anyMatch(
              l ->
                  l.contains(
                      " "
                          + e.get("url").asText()
                          + " "
                          + e.get("client_ip").asText()
                          + "/- "
                          + e.get("user").asText()
                          + " "));
    }
    // The cached request makes no lookup of its own: one line from the proxy for both blocks.
    assertThat(unbound).hasSize(1).allMatch(l -> l.contains("rpz-local-data 10.10.0.8@"));
    for (JsonNode e : refused) {
      assertThat(squid)
          .as("%s", e)
          .anyMatch(
              l ->
                  l.contains(" " + e.get("client_ip").asText() + " ") && l.contains("_NONE/503 ")
                      || l.contains(" " + e.get("client_ip").asText() + " TCP_MISS/503 "));
    }
    assertThat(squid.stream().filter(l -> l.contains("grades.district.example")))
        .isNotEmpty()
        .allMatch(l -> l.contains(" TCP_MISS/503 "));
    assertThat(truth).noneMatch(e -> e.get("domain").asText().equals("grades.district.example"));
  }

  private static String hostOf(String url) {
    String h = url.replaceFirst("^[a-z]+://", "");
    h = h.replaceFirst("[/:].*$", "");
    return h.toLowerCase(Locale.ROOT);
  }

  // ---------------- truth ----------------

  @Test
  void truth_lines_have_exactly_the_listed_keys_and_are_sorted() {
    assertThat(truth).hasSize(summary.truthEvents()).hasSizeBetween(40, 80);
    String previous = "";
    for (JsonNode e : truth) {
      List<String> keys = new ArrayList<>();
      for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
        keys.add(it.next());
      }
      assertThat(keys).containsExactlyElementsOf(KEYS);
      assertThat(e.get("time").asText())
          .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
      assertThat(e.get("time").asText()).isGreaterThan(previous);
      previous = e.get("time").asText();
      String method = e.get("method").asText();
      // Only the proxy's redirector and its DNS filter name a category (the blocklist, the RPZ
      // policy).
      assertThat(e.get("category").isNull())
          .isEqualTo(!method.equals("proxy-redirect") && !method.equals("proxy-dns-block"));
      assertThat(e.get("instructional").isBoolean()).isTrue();
      assertThat(e.get("domain").asText()).isLowerCase().doesNotEndWith(".");
      boolean dns = e.get("source").asText().equals("dns");
      assertThat(e.get("source").asText() + " " + method)
          .isIn(
              "dns dns-sinkhole",
              "squid proxy-deny",
              "squid proxy-dns-block",
              "squidguard proxy-redirect");
      if (dns) {
        assertThat(e.get("url").isNull()).isTrue();
        assertThat(e.get("user").isNull()).isTrue();
      }
      assertThat(e.get("section").isNull())
          .isEqualTo(e.get("course").isNull())
          .isEqualTo(e.get("teacher").isNull());
    }
  }

  @Test
  void the_named_scenarios_each_appear_in_the_truth() {
    assertThat(summary.scenarios())
        .containsKeys(
            "before-school",
            "instructional-via-room",
            "instructional-via-user",
            "lunch",
            "prep-period",
            "byod-in-period",
            "static-ip",
            "reuse-old-device",
            "reuse-new-device",
            "user-section-wins",
            "user-case-varied",
            "anonymous-squid-user",
            "separate-attempt",
            "teacher-user",
            "byod-after-school",
            "byod-passing-time",
            "proxy-redirect",
            "proxy-redirect-connect",
            "proxy-dns-block",
            "proxy-dns-block-cached");
    summary.scenarios().keySet().forEach(SiteSimulatorTest::at); // each has its own event

    JsonNode room = at("instructional-via-room");
    assertThat(room.get("source").asText()).isEqualTo("dns");
    assertThat(room.get("room").isNull()).isFalse();
    assertThat(room.get("section").asText()).contains(room.get("room").asText().toLowerCase());
    assertThat(room.get("instructional").asBoolean()).isTrue();

    JsonNode user = at("instructional-via-user");
    assertThat(user.get("user").isNull()).isFalse();
    assertThat(user.get("instructional").asBoolean()).isTrue();

    JsonNode lunch = at("lunch");
    assertThat(lunch.get("period").asText()).isEqualTo("Lunch");
    assertThat(lunch.get("instructional").asBoolean()).isFalse();
    assertThat(lunch.get("section").isNull()).isTrue();

    JsonNode prep = at("prep-period");
    assertThat(prep.get("room").asText()).isEqualTo("RM103");
    assertThat(prep.get("period").asText()).isEqualTo("3");
    assertThat(prep.get("section").isNull()).isTrue();
    assertThat(prep.get("instructional").asBoolean()).isFalse();
    assertThat(prep.get("while_teaching").asBoolean())
        .as("the laptop's owner in her planning period")
        .isFalse();

    JsonNode early = at("before-school");
    assertThat(early.get("period").isNull()).isTrue();
    assertThat(local(micros(early))).isBefore(LocalTime.of(8, 0));
    assertThat(early.get("instructional").asBoolean()).isFalse();

    JsonNode byod = at("byod-in-period");
    assertThat(byod.get("hostname").asText()).startsWith("android-");
    assertThat(byod.get("room").isNull()).isTrue();
    assertThat(byod.get("section").isNull()).isTrue();
    assertThat(byod.get("period").asText()).isEqualTo("2");
    assertThat(byod.get("instructional").asBoolean()).isTrue();

    JsonNode passing = at("byod-passing-time");
    assertThat(passing.get("period").isNull()).isTrue();
    assertThat(passing.get("instructional").asBoolean()).isFalse();

    JsonNode fixed = at("static-ip");
    assertThat(fixed.get("client_ip").asText()).isEqualTo("10.10.2.15");
    assertThat(fixed.get("mac").isNull()).isTrue();
    assertThat(fixed.get("hostname").isNull()).isTrue();
    assertThat(fixed.get("domain").asText()).isEqualTo("www.twitch.tv");
    assertThat(fixed.get("instructional").asBoolean()).isTrue();

    JsonNode before = at("reuse-old-device");
    JsonNode after = at("reuse-new-device");
    assertThat(after.get("client_ip").asText()).isEqualTo(before.get("client_ip").asText());
    assertThat(after.get("mac").asText()).isNotEqualTo(before.get("mac").asText());
    assertThat(before.get("hostname").asText()).isEqualTo("RM102-CB06");
    assertThat(after.get("hostname").asText()).isEqualTo("RM105-CB09");
    assertThat(after.get("room").asText()).isEqualTo("RM105");
    assertThat(before.get("instructional").asBoolean()).isTrue();
    assertThat(after.get("instructional").asBoolean()).isTrue();

    JsonNode wins = at("user-section-wins");
    assertThat(wins.get("room").asText()).isEqualTo("RM101");
    assertThat(wins.get("section").asText()).doesNotContain("rm101");
    assertThat(wins.get("instructional").asBoolean()).isTrue();

    JsonNode anon = at("anonymous-squid-user");
    assertThat(anon.get("source").asText()).isEqualTo("squid");
    assertThat(anon.get("user").isNull()).isTrue();
    assertThat(anon.get("section").isNull()).isFalse();

    JsonNode teacher = at("teacher-user");
    assertThat(teacher.get("user").asText()).isEqualTo(teacher.get("teacher").asText());
    assertThat(teacher.get("while_teaching").asBoolean())
        .as("the teacher in her own lesson")
        .isTrue();
    assertThat(teacher.get("instructional").asBoolean()).isTrue();
    assertThat(teacher.get("domain").asText()).isEqualTo("www.roblox.com");
    assertThat(teacher.get("url").asText()).isEqualTo("WWW.Roblox.com:443");

    JsonNode separate = at("separate-attempt");
    assertThat(micros(separate) - micros(room)).isGreaterThan(10_000_000);
    assertThat(
            truth.stream()
                .filter(
                    e ->
                        e.get("client_ip").equals(room.get("client_ip"))
                            && e.get("domain").equals(room.get("domain"))
                            && Math.abs(micros(e) - micros(room)) < 60_000_000)
                .count())
        .as("the retry 6 s later merges into the first event")
        .isEqualTo(2);
  }

  @Test
  void a_squid_user_logged_in_another_case_is_written_as_users_csv_spells_it() throws IOException {
    JsonNode e = at("user-case-varied");
    String users = Files.readString(out.resolve("schedule/oneroster/users.csv"));
    String log = Files.readString(out.resolve("logs/squid-access.log"));
    String canonical = e.get("user").asText();
    assertThat(users).contains("," + canonical + ",");
    long micros = micros(e);
    String stamp = String.format("%d.%03d ", micros / 1_000_000, micros / 1000 % 1000);
    String line = log.lines().filter(l -> l.startsWith(stamp)).findFirst().orElseThrow();
    String logged = line.trim().split("\\s+")[7];
    assertThat(logged).isNotEqualTo(canonical).isEqualToIgnoringCase(canonical);
  }

  @Test
  void the_schedule_folder_follows_the_contract() throws IOException {
    List<String> bells = Files.readAllLines(out.resolve("schedule/bells.csv"));
    assertThat(bells.get(0)).isEqualTo("bell_schedule,period,start,end");
    assertThat(bells).contains("regular,Lunch,11:40,12:10").anyMatch(l -> l.startsWith("minimum,"));
    List<String> calendar = Files.readAllLines(out.resolve("schedule/calendar.csv"));
    assertThat(calendar)
        .anyMatch(l -> l.endsWith(",none"))
        .anyMatch(l -> l.endsWith(",minimum"))
        .noneMatch(l -> l.startsWith(SiteSimulator.DEFAULT_DATE.toString()));
    List<String> classes = Files.readAllLines(out.resolve("schedule/oneroster/classes.csv"));
    assertThat(classes).hasSize(1 + 30);
    for (String room : List.of("RM101", "RM102", "RM103", "RM104", "RM105", "RM106")) {
      assertThat(classes.stream().filter(l -> l.contains("," + room + ",")).count()).isEqualTo(5);
    }
    assertThat(classes.get(1)).contains("\"Math 7, Period 2\"");
    assertThat(Files.readAllLines(out.resolve("README.txt")))
        .hasSize(4)
        .anyMatch(l -> l.startsWith("Dual-stack"));
  }

  @Test
  void other_seeds_and_a_saturday_also_simulate_with_every_scenario() throws IOException {
    for (long seed = 1; seed <= 12; seed++) {
      SimulationSummary s =
          SiteSimulator.simulate(seed, SiteSimulator.DEFAULT_DATE, dir.resolve("seed" + seed));
      assertThat(s.truthEvents()).as("seed %d", seed).isBetween(40, 80);
      assertThat(s.scenarios()).hasSize(summary.scenarios().size());
    }
    Path saturday = dir.resolve("saturday");
    SiteSimulator.simulate(7, SiteSimulator.DEFAULT_DATE.plusDays(4), saturday);
    assertThat(Files.readAllLines(saturday.resolve("truth.jsonl")))
        .allMatch(
            l ->
                l.contains("\"period\":null")
                    && l.endsWith("\"instructional\":false,\"while_teaching\":false}"));
  }

  // ---------------- helpers ----------------

  private static JsonNode at(String scenario) {
    Instant when = summary.scenarios().get(scenario);
    long m = when.getEpochSecond() * 1_000_000L + when.getNano() / 1000;
    return truth.stream().filter(e -> micros(e) == m).findFirst().orElseThrow();
  }

  private static long micros(JsonNode e) {
    Instant i = Instant.parse(e.get("time").asText());
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  private static LocalTime local(long micros) {
    return Instant.ofEpochSecond(0, micros * 1000).atZone(SiteSimulator.ZONE).toLocalTime();
  }
}
