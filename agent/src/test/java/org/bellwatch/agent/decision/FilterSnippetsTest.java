package org.bellwatch.agent.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The whole text of each snippet for the typical decisions: a site, a URL prefix, sections, an
 * expiry.
 */
class FilterSnippetsTest {
  static final String REF = "bellwatch review example.com 2026-09-15";
  static final List<TimeWindow> PERIODS_1_AND_5 =
      List.of(
          new TimeWindow(
              EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
              LocalTime.of(8, 0),
              LocalTime.of(8, 50)),
          new TimeWindow(
              EnumSet.of(DayOfWeek.TUESDAY, DayOfWeek.THURSDAY),
              LocalTime.of(13, 5),
              LocalTime.of(13, 55)));

  static final String SITE_HEADER =
      """
      Bellwatch exemption: example.com and its subdomains
      Reference: bellwatch review example.com 2026-09-15
      Reason: Science videos for biology
      Until: no end date set; remove these lines when the exemption ends.
      For: every client
      When: at all times
      """;
  static final String PREFIX_HEADER =
      """
      Bellwatch exemption: URLs starting with https://www.example.com/course/intro?id=7 on example.com
      Reference: bellwatch review example.com 2026-09-15
      Reason: Course pages only
      Until: no end date set; remove these lines when the exemption ends.
      For: every client
      When: at all times
      """;
  static final String SECTIONS_HEADER =
      """
      Bellwatch exemption: example.com and its subdomains
      Reference: bellwatch review example.com 2026-09-15
      Reason: Biology periods 1 and 5
      Until: no end date set; remove these lines when the exemption ends.
      For: 10.1.2.0/24, 10.1.3.0/24
      When: Mon Tue Wed Thu Fri 08:00-08:50, Tue Thu 13:05-13:55
      """;
  static final String EXPIRY_HEADER =
      """
      Bellwatch exemption: example.com and its subdomains
      Reference: bellwatch review example.com 2026-09-15
      Reason: For the project weeks
      Until: 2026-10-01; remove these lines after that day.
      For: every client
      When: at all times
      """;

  /** The dnsmasq line for example.com and why it is enough. */
  static final String DNSMASQ_LINES =
      """
      # dnsmasq answers from the most specific domain that matches, so this line sends example.com and
      # every name under it to the usual upstream servers even when a parent domain or address=/#/ is
      # blocked. At the same domain an address= line wins, so also delete any address=/example.com/ or
      # local=/example.com/ line, and the name's entries in hosts-format block lists (/etc/hosts and
      # addn-hosts are answered first).
      server=/example.com/#
      """;

  static final String SITE_ZONE =
      """
      ; Bellwatch exemption: example.com and its subdomains; bellwatch review example.com 2026-09-15
      $TTL 300
      @ IN SOA localhost. hostmaster.localhost. 1 3600 600 86400 300
      @ IN NS localhost.
      example.com CNAME rpz-passthru.
      *.example.com CNAME rpz-passthru.
      """;

  @Test
  void aWholeSiteForEveryoneGetsOneAllowRuleInEachFilter() {
    Exemption e =
        new Exemption(
            "example.com", null, List.of(), List.of(), null, "Science videos for biology", REF);

    assertThat(FilterSnippets.all(e))
        .containsExactly(
            new Snippet(
                "squid",
                "Squid: allow rule",
                header("# ", SITE_HEADER)
                    + """
        # Put these lines above the http_access deny rule that blocks the site: Squid applies the first
        # http_access rule that matches.
        acl bellwatch_example.com_site dstdomain .example.com
        http_access allow bellwatch_example.com_site
        """,
                "squid -k parse"),
            new Snippet(
                "dnsmasq",
                "dnsmasq: forward the site again",
                header("# ", SITE_HEADER) + DNSMASQ_LINES,
                "dnsmasq --test"),
            new Snippet(
                "pihole",
                "Pi-hole: allowlist entries",
                header("# ", SITE_HEADER)
                    + """
        # Pi-hole v6, on the Pi-hole host. The exact entry allows example.com; the --allow-wild entry is the
        # regex (\\.|^)example\\.com$ for its subdomains. Allow entries win over deny entries and subscribed
        # block lists.
        pihole allow example.com --comment 'bellwatch review example.com 2026-09-15'
        pihole --allow-wild example.com --comment 'bellwatch review example.com 2026-09-15'
        """,
                "not checked: Pi-hole is not packaged in Debian"),
            new Snippet(
                "unbound_rpz",
                "Unbound: RPZ passthru",
                header("# ", SITE_HEADER)
                    + """
        # 1. unbound.conf: put this rpz: clause above the rpz: clause that blocks the site; Unbound applies
        # RPZ clauses in order and a PASSTHRU match ends the search. RPZ needs the respip module, e.g.
        # module-config: "respip validator iterator".
        rpz:
            name: example.com.allow.bellwatch
            zonefile: "/etc/unbound/example.com.allow.bellwatch.rpz"
        # 2. The zone file /etc/unbound/example.com.allow.bellwatch.rpz:
        """
                    + SITE_ZONE,
                "unbound-checkconf"),
            new Snippet(
                "bind_rpz",
                "BIND: RPZ passthru",
                header("// ", SITE_HEADER)
                    + """
        // 1. In options { }, name this zone first in your response-policy statement, before the zone that
        // blocks the site (BIND uses the first policy zone that matches); use this statement if you have
        // none:
        response-policy { zone "example.com.allow.bellwatch"; };
        // 2. named.conf, beside your other zones:
        zone "example.com.allow.bellwatch" { type primary; file "/etc/bind/example.com.allow.bellwatch.rpz"; };
        // 3. The zone file /etc/bind/example.com.allow.bellwatch.rpz:
        """
                    + SITE_ZONE,
                "named-checkconf -z, named-checkzone"),
            new Snippet(
                "fortigate",
                "FortiGate: URL filter exemption",
                header("# ", SITE_HEADER)
                    + """
        # Add these entries to the URL filter table of the web filter profile that blocks the site (config
        # webfilter profile, config web, set urlfilter-table): replace 1 with that table's id. Entries match
        # top down: move these above any entry that blocks the site. 'edit 0' adds an entry.
        config webfilter urlfilter
            edit 1
                config entries
                    edit 0
                        set url "example.com"
                        set type simple
                        set action exempt
                    next
                    edit 0
                        set url "*.example.com"
                        set type wildcard
                        set action exempt
                    next
                end
            next
        end
        """,
                "not checked: FortiOS does not run on Debian"));
  }

  @Test
  void aUrlPrefixNarrowsSquidAndFortiGateWhileTheDnsFiltersSayTheyCannot() {
    Exemption e =
        new Exemption(
            "example.com",
            "https://www.example.com/course/intro?id=7",
            List.of(),
            List.of(),
            null,
            "Course pages only",
            REF);

    assertThat(text(e, "squid"))
        .isEqualTo(
            header("# ", PREFIX_HEADER)
                + """
        # Put these lines above the http_access deny rule that blocks the site: Squid applies the first
        # http_access rule that matches.
        # Squid sees the path of an https URL only where it decrypts (ssl_bump); otherwise it sees CONNECT
        # www.example.com:443, which this rule does not let through.
        acl bellwatch_example.com_url url_regex ^https://www\\.example\\.com/course/intro\\?id=7
        http_access allow bellwatch_example.com_url
        """);
    assertThat(text(e, "dnsmasq"))
        .isEqualTo(
            header("# ", PREFIX_HEADER)
                + """
        # DNS sees names, not URLs: this lets all of example.com and its subdomains resolve, not only the
        # URL prefix.
        """
                + DNSMASQ_LINES);
    assertThat(text(e, "fortigate"))
        .isEqualTo(
            header("# ", PREFIX_HEADER)
                + """
        # Add these entries to the URL filter table of the web filter profile that blocks the site (config
        # webfilter profile, config web, set urlfilter-table): replace 1 with that table's id. Entries match
        # top down: move these above any entry that blocks the site. 'edit 0' adds an entry.
        # The FortiOS CLI takes '?' as a request for help, so the entry stops before the query and exempts
        # the whole path.
        config webfilter urlfilter
            edit 1
                config entries
                    edit 0
                        set url "www.example.com/course/intro"
                        set type simple
                        set action exempt
                    next
                end
            next
        end
        """);
  }

  @Test
  void sectionsGetTheirRangesAndPeriodsInSquidATagInUnboundAndAViewInBind() {
    Exemption e =
        new Exemption(
            "example.com",
            null,
            List.of("10.1.2.0/24", "10.1.3.0/24"),
            PERIODS_1_AND_5,
            null,
            "Biology periods 1 and 5",
            REF);

    assertThat(text(e, "squid"))
        .isEqualTo(
            header("# ", SECTIONS_HEADER)
                + """
        # Put these lines above the http_access deny rule that blocks the site: Squid applies the first
        # http_access rule that matches. Times are the proxy's local clock.
        acl bellwatch_example.com_src src 10.1.2.0/24
        acl bellwatch_example.com_src src 10.1.3.0/24
        acl bellwatch_example.com_time time MTWHF 08:00-08:50
        acl bellwatch_example.com_time time TH 13:05-13:55
        acl bellwatch_example.com_site dstdomain .example.com
        http_access allow bellwatch_example.com_src bellwatch_example.com_time bellwatch_example.com_site
        """);
    assertThat(text(e, "unbound_rpz"))
        .isEqualTo(
            header("# ", SECTIONS_HEADER)
                + """
        # DNS filtering has no time of day: this holds at all hours, not only in the windows above (the
        # Squid rules follow them).
        # 1. unbound.conf: put this rpz: clause above the rpz: clause that blocks the site; Unbound applies
        # RPZ clauses in order and a PASSTHRU match ends the search. RPZ needs the respip module, e.g.
        # module-config: "respip validator iterator".
        # The tag limits the clause to the ranges. A range that has an access-control-tag line already takes
        # the tag in that line's list instead; a range without access-control is allowed to query.
        server:
            define-tag: "bellwatch-example.com"
            access-control-tag: 10.1.2.0/24 "bellwatch-example.com"
            access-control-tag: 10.1.3.0/24 "bellwatch-example.com"
        rpz:
            name: example.com.allow.bellwatch
            zonefile: "/etc/unbound/example.com.allow.bellwatch.rpz"
            tags: "bellwatch-example.com"
        # 2. The zone file /etc/unbound/example.com.allow.bellwatch.rpz:
        """
                + SITE_ZONE);
    assertThat(text(e, "bind_rpz"))
        .isEqualTo(
            header("// ", SECTIONS_HEADER)
                + """
        // DNS filtering has no time of day: this holds at all hours, not only in the windows above (the
        // Squid rules follow them).
        // 1. named.conf: the ranges get a view of their own, above your other views (the first view whose
        // match-clients matches answers). Copy into it what these clients need from the view they use now:
        // options, zones, and your policy zones after this one in response-policy (zone "name" { in-view
        // "other"; }; shares a zone). With views, every zone must be in a view.
        acl "bellwatch-example.com" { 10.1.2.0/24; 10.1.3.0/24; };
        view "bellwatch-example.com" {
            match-clients { "bellwatch-example.com"; };
            response-policy { zone "example.com.allow.bellwatch"; };
            zone "example.com.allow.bellwatch" { type primary; file "/etc/bind/example.com.allow.bellwatch.rpz"; };
        };
        // 2. The zone file /etc/bind/example.com.allow.bellwatch.rpz:
        """
                + SITE_ZONE);
  }

  @Test
  void rangesAreNeverWrittenAsRpzClientIpTriggersWhichWouldLiftEveryBlockForThoseClients() {
    Exemption e =
        new Exemption(
            "example.com",
            null,
            List.of("10.1.2.0/24", "2001:db8::/48"),
            List.of(),
            null,
            "Biology",
            REF);

    for (Snippet s : FilterSnippets.all(e)) {
      assertThat(s.text()).doesNotContain("rpz-client-ip");
    }
  }

  @Test
  void anExpiryDateIsInEveryHeaderAndInThePiholeComment() {
    Exemption e =
        new Exemption(
            "example.com",
            null,
            List.of(),
            List.of(),
            LocalDate.of(2026, 10, 1),
            "For the project weeks",
            REF);

    assertThat(text(e, "pihole"))
        .isEqualTo(
            header("# ", EXPIRY_HEADER)
                + """
        # Pi-hole v6, on the Pi-hole host. The exact entry allows example.com; the --allow-wild entry is the
        # regex (\\.|^)example\\.com$ for its subdomains. Allow entries win over deny entries and subscribed
        # block lists.
        pihole allow example.com --comment 'bellwatch review example.com 2026-09-15, until 2026-10-01'
        pihole --allow-wild example.com --comment 'bellwatch review example.com 2026-09-15, until 2026-10-01'
        """);
    for (Snippet s : FilterSnippets.all(e)) {
      assertThat(s.text()).contains("Until: 2026-10-01; remove these lines after that day.\n");
    }
    assertThat(RpzZone.file(e))
        .isEqualTo(
            """
        ; Bellwatch exemption: example.com and its subdomains; bellwatch review example.com 2026-09-15;
        ; until 2026-10-01
        $TTL 300
        @ IN SOA localhost. hostmaster.localhost. 1 3600 600 86400 300
        @ IN NS localhost.
        example.com CNAME rpz-passthru.
        *.example.com CNAME rpz-passthru.
        """);
  }

  static String text(Exemption e, String id) {
    return FilterSnippets.all(e).stream()
        .filter(s -> s.id().equals(id))
        .findFirst()
        .orElseThrow()
        .text();
  }

  /** The header lines, each after the comment prefix of the format. */
  static String header(String prefix, String lines) {
    return lines.lines().map(l -> prefix + l + "\n").reduce("", String::concat);
  }
}
