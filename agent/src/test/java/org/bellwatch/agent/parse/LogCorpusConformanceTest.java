package org.bellwatch.agent.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.LeaseObservation;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.vendors.Vendor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Parses every file of the shared log corpus ({@code shared/corpus/logs}, see its PROVENANCE.md)
 * with the vendor parser for it, and compares the results with each product's {@code
 * expected-normalized.jsonl} entry by entry: the blocked / lease verdict, client address, user,
 * domain, URL, category, time, MAC, host name and lease time, where the entry gives them. Files are
 * read in place, never copied.
 *
 * <p>Zones and reference instants (for year-less RFC 3164 times) come from what PROVENANCE.md and
 * the expected files say the upstream test configuration used. User placeholders in upstream values
 * are normalized by {@link Users} before comparing, and {@code None} categories count as none,
 * because that is our documented rule. Times are compared to the millisecond, the precision of the
 * upstream (Elasticsearch) values; Windows' {@code host.domain} is the client's name, Infoblox's
 * the server's. Every other difference is listed in {@link #KNOWN} with its reason; a listed
 * difference that no longer occurs fails the test too.
 */
class LogCorpusConformanceTest {

  /** How one corpus file is read. */
  private record Source(String file, String vendor, ZoneId zone, Instant reference) {}

  /**
   * A documented difference: file (relative to the corpus), line, field ({@code record}: no record
   * at all).
   */
  private record Known(String file, int line, String field, String why) {}

  private static final Instant Y2022 = Instant.parse("2022-12-31T00:00:00Z");
  private static final Instant Y2023 = Instant.parse("2023-12-31T00:00:00Z");
  private static final ZoneId UTC = ZoneOffset.UTC;

  private static final List<Source> SOURCES =
      List.of(
          new Source("fortinet_fortigate/test-fortinet.log", "fortigate", UTC, Y2023),
          new Source("fortinet_fortigate/test-fortinet-7-4.excerpt.log", "fortigate", UTC, Y2023),
          new Source(
              "panw/test-panw-panos-threat-url-no-xff-sample.log",
              "panos",
              ZoneOffset.ofHoursMinutes(9, 30),
              Y2022),
          new Source(
              "panw/test-panw-panos-threat-sample.excerpt.log",
              "panos",
              ZoneOffset.ofHoursMinutes(9, 30),
              Y2022),
          new Source("squid/test-access.log", "squid", UTC, Y2023),
          new Source("squid/test-access-extensive.log", "squid", UTC, Y2023),
          new Source("pfsense/test-pfsense-dhcp.log", "isc_dhcpd", ZoneOffset.ofHours(-4), Y2022),
          new Source("pfsense/test-pfsense-squid.log", "squid", UTC, Y2023),
          new Source(
              "pfsense/test-opnsense-squid.log",
              "squid",
              UTC,
              Instant.parse("2026-12-31T00:00:00Z")),
          new Source(
              "sophos_xg/test-sophos-18-5-content-filtering-http.log", "sophos_xg", UTC, Y2023),
          new Source(
              "sophos_xg/test-sophos-18-5-content-filtering-web-content-policy.log",
              "sophos_xg",
              UTC,
              Y2023),
          new Source("sophos_xg/test-xg-cfilter-new.excerpt.log", "sophos_xg", UTC, Y2023),
          new Source("sophos_utm/test-sophos-utm-http.log", "sophos_utm", UTC, Y2023),
          new Source("sophos_utm/test-sophos-utm-dhcp.log", "isc_dhcpd", UTC, Y2023),
          new Source("cisco_meraki/test-urls.log", "meraki", UTC, Y2023),
          new Source("cisco_meraki/test-flows.log", "meraki", UTC, Y2023),
          new Source("cisco_meraki/test-security-events.log", "meraki", UTC, Y2023),
          new Source("cisco_meraki/test-events.excerpt.log", "meraki", UTC, Y2023),
          new Source("sonicwall/test-general.excerpt.log", "sonicwall", UTC, Y2023),
          new Source("cisco_umbrella/test-umbrella-dnslogs.log", "umbrella_dns", UTC, Y2023),
          new Source("cisco_umbrella/test-umbrella-proxylogs.log", "umbrella_proxy", UTC, Y2023),
          new Source("zscaler_zia/test-web.log", "zscaler", UTC, Y2023),
          new Source(
              "microsoft_dhcp/DhcpSrvLog-sample-with-header.log",
              "windows_dhcp",
              ZoneId.of("America/New_York"),
              Y2023),
          new Source(
              "microsoft_dhcp/test-log.log", "windows_dhcp", ZoneId.of("America/New_York"), Y2023),
          new Source("infoblox/test-dhcp.log", "infoblox", UTC, Y2023),
          new Source("kea/lease4_dump_test.reference.csv", "kea_leases", UTC, Y2023));

  /** Corpus files we read no vendor for, with the reason. */
  private static final Map<String, String> UNREAD =
      Map.of(
          "checkpoint/test-checkpoint.excerpt.log",
          "Check Point is not among the vendors of issue 4 and the corpus has no URL Filtering block; the CEF"
              + " parser covers Check Point's CEF export");

  private static final String NOT_WEB =
      "not a web-filter record (connection/system/identity log): we return none";

  private static final List<Known> KNOWN =
      List.of(
          new Known(
              "fortinet_fortigate/test-fortinet.log",
              2,
              "category",
              "upstream copies traffic appcat=\"unscanned\" into rule.category; it is not a URL category, we keep none"),
          new Known(
              "fortinet_fortigate/test-fortinet.log",
              46,
              "category",
              "upstream copies traffic appcat=\"unscanned\" into rule.category; it is not a URL category, we keep none"),
          new Known(
              "fortinet_fortigate/test-fortinet.log",
              47,
              "record",
              "a log without type= (FortiClient EMS object update, empty date=): " + NOT_WEB),
          new Known(
              "fortinet_fortigate/test-fortinet.log",
              50,
              "record",
              "FortiManager admin login event: " + NOT_WEB),
          new Known(
              "sonicwall/test-general.excerpt.log",
              2,
              "record",
              "m=98 Connection Opened: " + NOT_WEB + "; CFS records are m=14 and m=97"),
          new Known(
              "cisco_meraki/test-events.excerpt.log",
              1,
              "record",
              "MX 'events' DHCP lease line: no Meraki DHCP lease parser yet (not in issue 4's DHCP list)"),
          new Known(
              "cisco_meraki/test-events.excerpt.log",
              5,
              "record",
              "802.1X identity event: user attribution from identity logs is not built yet"),
          new Known(
              "microsoft_dhcp/DhcpSrvLog-sample-with-header.log",
              43,
              "record",
              "event 35 (DNS update failed) says nothing about a lease: we return none"),
          new Known(
              "microsoft_dhcp/DhcpSrvLog-sample-with-header.log",
              49,
              "record",
              "event 55 (rogue server detection) says nothing about a lease: we return none"));

  private static Path corpus() {
    String repo = System.getProperty("bellwatch.repo");
    Path base = repo != null ? Path.of(repo) : Path.of("").toAbsolutePath().getParent();
    return base.resolve("../shared/corpus/logs").normalize();
  }

  /** What we made of one line. */
  private record Result(FilterEvent event, LeaseObservation lease, String malformed) {}

  @Test
  void everyCorpusLogLineParsesAndAgreesWithTheExpectedEntriesExceptForDocumentedDifferences()
      throws IOException {
    Path root = corpus();
    Assumptions.assumeTrue(Files.isDirectory(root), "no shared log corpus at " + root);

    // Every data file of the corpus is read by some vendor, or is listed as unread with a reason.
    List<String> dataFiles;
    try (Stream<Path> s = Files.walk(root)) {
      dataFiles =
          s.filter(Files::isRegularFile)
              .map(p -> root.relativize(p).toString())
              .filter(
                  n -> !n.endsWith(".md") && !n.endsWith(".jsonl") && !n.endsWith("-expected.json"))
              .sorted()
              .toList();
    }
    Set<String> covered = new LinkedHashSet<>(UNREAD.keySet());
    SOURCES.forEach(s -> covered.add(s.file()));
    assertThat(covered)
        .as("every corpus data file has a vendor or a reason")
        .containsAll(dataFiles);

    Map<String, Map<Integer, Result>> results = new TreeMap<>();
    Map<String, int[]> lineCounts = new TreeMap<>();
    for (Source src : SOURCES) {
      Vendor v = Vendor.byId(src.vendor());
      ParseContext ctx = new ParseContext(src.zone(), InstantSource.fixed(src.reference()));
      LogParser fp = v.kind() == Vendor.Kind.FILTER ? v.newParser(ctx) : null;
      LeaseLogParser lp = v.kind() == Vendor.Kind.LEASE ? v.newLeaseParser(ctx) : null;
      List<String> lines = Files.readAllLines(root.resolve(src.file()), StandardCharsets.UTF_8);
      Map<Integer, Result> byLine = new TreeMap<>();
      int[] counts = lineCounts.computeIfAbsent(product(src.file()), k -> new int[4]);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).isBlank()) {
          continue;
        }
        Result r;
        try {
          r =
              fp != null
                  ? new Result(fp.parse(lines.get(i)), null, null)
                  : new Result(null, lp.parse(lines.get(i)), null);
        } catch (MalformedException e) {
          r = new Result(null, null, e.reason());
        }
        byLine.put(i + 1, r);
        counts[0]++;
        counts[r.malformed() != null ? 3 : r.event() == null && r.lease() == null ? 2 : 1]++;
      }
      results.put(src.file(), byLine);
    }

    ObjectMapper json = new ObjectMapper();
    List<String> unexplained = new ArrayList<>();
    Set<Known> used = new LinkedHashSet<>();
    StringJoiner report =
        new StringJoiner(
            "\n",
            "Log corpus conformance (lines: read/record/none/malformed;"
                + " checks: agreed/total, documented)\n",
            "");
    try (Stream<Path> s = Files.list(root)) {
      for (Path dir : s.filter(Files::isDirectory).sorted().toList()) {
        String product = dir.getFileName().toString();
        int[] lc = lineCounts.getOrDefault(product, new int[4]);
        int checks = 0;
        int agreed = 0;
        int documented = 0;
        Path expected = dir.resolve("expected-normalized.jsonl");
        if (Files.exists(expected)) {
          for (String l : Files.readAllLines(expected, StandardCharsets.UTF_8)) {
            if (l.isBlank()) {
              continue;
            }
            JsonNode entry = json.readTree(l);
            String file = product + "/" + entry.get("file").asText();
            int line = entry.get("line").asInt();
            Map<Integer, Result> byLine = results.get(file);
            Result r = byLine == null ? null : byLine.get(line);
            List<String[]> diffs = compare(entry, r);
            for (String[] d : diffs) {
              checks++;
              if (d[1] == null) {
                agreed++;
                continue;
              }
              Known k = known(file, line, d[0]);
              if (k != null) {
                used.add(k);
                documented++;
              } else {
                unexplained.add(file + ":" + line + " " + d[0] + ": " + d[1]);
              }
            }
          }
        }
        report.add(
            String.format(
                "  %-20s lines %3d/%3d/%3d/%3d  checks %3d/%3d, %d documented",
                product, lc[0], lc[1], lc[2], lc[3], agreed, checks, documented));
      }
    }
    System.out.println(report);

    List<Known> stale = KNOWN.stream().filter(k -> !used.contains(k)).toList();
    assertThat(unexplained)
        .as("differences from expected-normalized.jsonl not documented in KNOWN")
        .isEmpty();
    assertThat(stale).as("documented differences that no longer occur").isEmpty();
  }

  private static Known known(String file, int line, String field) {
    for (Known k : KNOWN) {
      if (k.file().equals(file) && k.line() == line && k.field().equals(field)) {
        return k;
      }
    }
    return null;
  }

  private static String product(String file) {
    return file.substring(0, file.indexOf('/'));
  }

  /** One {field, difference-or-null} per comparable fact of the entry. */
  private static List<String[]> compare(JsonNode entry, Result r) {
    List<String[]> out = new ArrayList<>();
    JsonNode up = entry.get("upstream");
    boolean dhcp = entry.has("kind") && entry.get("kind").asText().equals("dhcp");
    boolean identity = entry.has("kind") && entry.get("kind").asText().equals("identity");
    if (r == null) {
      out.add(new String[] {"record", "line not in corpus results"});
      return out;
    }
    if (r.malformed() != null) {
      out.add(new String[] {"record", "malformed: " + r.malformed()});
      return out;
    }
    FilterEvent e = r.event();
    LeaseObservation o = r.lease();
    boolean expectsRecord =
        (entry.has("blocked") && entry.get("blocked").asBoolean())
            || entry.has("lease_binding")
            || entry.has("lease_end")
            || identity
            || (up != null
                && !up.isNull()
                && (dhcp || up.has("source.ip") || up.has("url.original") || up.has("message")));
    if (e == null && o == null) {
      out.add(new String[] {"record", expectsRecord ? "we produce no record" : null});
      return out;
    }
    if (entry.has("blocked")) {
      boolean soft = entry.has("soft_block") && entry.get("soft_block").asBoolean();
      Action want =
          entry.get("blocked").asBoolean() ? (soft ? Action.WARNED : Action.BLOCKED) : null;
      Action got = e == null ? null : e.action();
      boolean ok = want != null ? got == want : got != Action.BLOCKED;
      out.add(
          new String[] {
            "verdict",
            ok ? null : "expected " + (want == null ? "not blocked" : want) + ", got " + got
          });
    }
    if (entry.has("lease_binding") && entry.get("lease_binding").asBoolean()) {
      out.add(
          new String[] {
            "lease",
            o != null && o.kind() == LeaseObservation.Kind.ACK
                ? null
                : "expected ACK, got " + (o == null ? null : o.kind())
          });
    }
    if (entry.has("lease_end") && entry.get("lease_end").asBoolean()) {
      boolean ok =
          o != null
              && (o.kind() == LeaseObservation.Kind.RELEASE
                  || o.kind() == LeaseObservation.Kind.EXPIRE);
      out.add(
          new String[] {
            "lease", ok ? null : "expected RELEASE/EXPIRE, got " + (o == null ? null : o.kind())
          });
    }
    if (up == null || up.isNull()) {
      return out;
    }
    String ts = text(up, "@timestamp");
    if (ts != null) {
      Instant want = OffsetDateTime.parse(ts).toInstant();
      Instant got =
          (e != null ? e.time() : o.time()).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
      out.add(new String[] {"time", want.equals(got) ? null : "expected " + want + ", got " + got});
    }
    if (e != null) {
      check(
          out,
          "client_ip",
          text(up, "source.ip"),
          e.clientIp() == null ? null : e.clientIp().getHostAddress());
      String user = first(up, "source.user.name", "user.name");
      if (user != null || up.has("user.email")) {
        String got = e.user();
        String name = Users.normalize(user);
        String email = text(up, "user.email");
        boolean ok = got == null ? name == null : got.equals(name) || got.equals(email);
        out.add(
            new String[] {
              "user",
              ok
                  ? null
                  : "expected " + name + (email == null ? "" : " or " + email) + ", got " + got
            });
      }
      check(out, "domain", first(up, "url.domain", "dns.question.name"), e.domain());
      check(out, "url", first(up, "url.original", "url.full"), e.url());
      String category = category(up, e.action());
      if (category != null) {
        check(out, "category", category.equals("None") ? null : category, e.category());
      }
    } else {
      check(
          out,
          "ip",
          first(up, "client.ip", entry.get("file").asText().startsWith("Dhcp") ? "host.ip" : "-"),
          o.ip() == null ? null : o.ip().getHostAddress());
      String mac = text(up, "client.mac");
      if (mac == null && up.has("host.mac")) {
        mac = up.get("host.mac").get(0).asText();
      }
      check(out, "mac", mac == null ? null : Macs.normalize(mac), o.mac(), mac != null);
      check(
          out,
          "hostname",
          first(
              up, "pfsense.dhcp.hostname", "infoblox_nios.log.dhcp.client_hostname", "host.domain"),
          o.hostname(),
          up.has("pfsense.dhcp.hostname")
              || up.has("infoblox_nios.log.dhcp.client_hostname")
              || (up.has("host.domain")
                  && entry.get("file").asText().startsWith("Dhcp")
                  && o.kind() == LeaseObservation.Kind.ACK));
      if (up.has("infoblox_nios.log.dhcp.lease.duration")) {
        long want = up.get("infoblox_nios.log.dhcp.lease.duration").asLong();
        out.add(
            new String[] {
              "lease_secs",
              Long.valueOf(want).equals(o.leaseSecs())
                  ? null
                  : "expected " + want + ", got " + o.leaseSecs()
            });
      }
    }
    return out;
  }

  private static String category(JsonNode up, Action action) {
    String c =
        first(
            up,
            "rule.category",
            "panw.panos.url.category",
            "sophos.xg.category",
            "sophos.xg.http_category",
            "sophos.xg.site_category",
            "sonicwall.firewall.Category",
            "zscaler_zia.web.url.category.sub");
    if (c != null) {
      return c;
    }
    for (String key :
        new String[] {"sophos.utm.categoryname", "cisco.umbrella.blocked_categories"}) {
      JsonNode n = up.get(key);
      if (n != null && n.isArray() && (action == Action.BLOCKED || !key.startsWith("cisco"))) {
        StringJoiner j = new StringJoiner(",");
        n.forEach(x -> j.add(x.asText()));
        return j.toString();
      }
    }
    return null;
  }

  private static void check(List<String[]> out, String field, String want, String got) {
    check(out, field, want, got, want != null);
  }

  private static void check(
      List<String[]> out, String field, String want, String got, boolean applies) {
    if (!applies) {
      return;
    }
    boolean ok = want == null ? got == null : want.equals(got);
    out.add(new String[] {field, ok ? null : "expected " + want + ", got " + got});
  }

  private static String first(JsonNode up, String... keys) {
    for (String k : keys) {
      String v = text(up, k);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static String text(JsonNode up, String key) {
    JsonNode n = up.get(key);
    return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
  }
}
