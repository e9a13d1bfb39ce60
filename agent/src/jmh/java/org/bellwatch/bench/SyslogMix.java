package org.bellwatch.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A deterministic mix of syslog messages as a school's filters send them: FortiGate key=value logs
 * (webfilter blocks and passes, DNS filter, traffic with and without utmaction) with RFC 5424-less
 * {@code <PRI>date=...} framing as FortiOS sends it, and Squid native access-log lines behind an
 * RFC 3164 header ({@code <PRI>Mmm dd hh:mm:ss host squid[pid]: ...}), as rsyslog or syslog-ng
 * forward them. Every message parses with our {@code fortigate} or {@code squid} parser ({@link
 * SyslogParseOnly} checks). Roughly 60% FortiGate, 40% Squid, about 300 to 550 bytes each.
 */
public final class SyslogMix {
  private SyslogMix() {}

  static final String[] HOSTS = {
    "games.example.com",
    "videos.example.org",
    "docs.example.edu",
    "chat.example.net",
    "news.example.com",
    "cdn.example.net",
    "mail.example.org",
    "social.example.net",
    "search.example.com",
    "maps.example.org",
    "music.example.com",
    "shop.example.net"
  };
  static final String[] CATS = {
    "Games",
    "Streaming Media",
    "Education",
    "Instant Messaging",
    "News and Media",
    "Content Servers",
    "Web-based Email",
    "Social Networking",
    "Search Engines and Portals",
    "Information Technology",
    "Entertainment",
    "Shopping"
  };

  /**
   * 2026-09-15 08:00 at the firewall's -05:00, the time of the first message of {@link
   * #messages(int)}.
   */
  static final long DEFAULT_START_MILLIS = 1789477200000L;

  /** The firewall's and the proxy's local time zone, as FortiOS's {@code tz="-0500"} says. */
  private static final ZoneOffset LOCAL = ZoneOffset.ofHours(-5);

  private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");
  private static final DateTimeFormatter RFC3164_DATE =
      DateTimeFormatter.ofPattern("MMM ppd", Locale.ROOT);

  /**
   * {@code n} messages a millisecond apart from 2026-09-15 08:00 -05:00: the benchmarks' fixed mix.
   */
  public static List<byte[]> messages(int n) {
    return messages(n, DEFAULT_START_MILLIS, 1000);
  }

  /**
   * {@code n} messages: index i is FortiGate when {@code fortigate(i)}, else Squid, logged at
   * {@code startMillis + i * stepMicros / 1000}. The content is the same for every start; only the
   * times move, so a load generator can keep a long run's times current.
   */
  public static List<byte[]> messages(int n, long startMillis, long stepMicros) {
    Random r = new Random(20260915);
    List<byte[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(message(i, r, startMillis + i * stepMicros / 1000).getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  public static boolean fortigate(int i) {
    return i % 5 < 3;
  }

  static String message(int i, Random r, long millis) {
    int h = r.nextInt(HOSTS.length);
    String host = HOSTS[h];
    String ip = "10." + (20 + r.nextInt(8)) + "." + r.nextInt(32) + "." + (2 + r.nextInt(250));
    OffsetDateTime local = Instant.ofEpochMilli(millis).atOffset(LOCAL);
    String hms = HMS.format(local);
    String day = local.toLocalDate().toString();
    String user = "s" + (1000 + r.nextInt(4000));
    if (fortigate(i)) {
      int kind = r.nextInt(10);
      if (kind < 5) {
        boolean block = r.nextInt(3) == 0;
        return "<"
            + (block ? 188 : 189)
            + ">date="
            + day
            + " time="
            + hms
            + " devname=\"fw-hs\" devid=\"FGT60F0000000001\""
            + " eventtime="
            + millis * 1_000_000L
            + " tz=\"-0500\" logid=\""
            + (block ? "0316013056" : "0317013312")
            + "\" type=\"utm\" subtype=\"webfilter\" eventtype=\"ftgd_"
            + (block ? "blk" : "allow")
            + "\" level=\""
            + (block ? "warning" : "notice")
            + "\" vd=\"root\" policyid=7 sessionid="
            + (100000 + i)
            + " srcip="
            + ip
            + " srcport="
            + (40000 + r.nextInt(20000))
            + " srcintf=\"lan\" dstip=198.51.100."
            + (1 + h)
            + " dstport=443"
            + " dstintf=\"wan1\" proto=6 service=\"HTTPS\" hostname=\""
            + host
            + "\" profile=\"students-web\" action=\""
            + (block ? "blocked" : "passthrough")
            + "\" reqtype=\"direct\" url=\"https://"
            + host
            + "/p/"
            + r.nextInt(100000)
            + "\" sentbyte="
            + r.nextInt(4000)
            + " rcvdbyte="
            + r.nextInt(90000)
            + " direction=\"outgoing\" user=\""
            + user
            + "\" msg=\"URL belongs to "
            + (block ? "a denied" : "an allowed")
            + " category in policy\" cat="
            + (10 + h)
            + " catdesc=\""
            + CATS[h]
            + "\"";
      } else if (kind < 7) {
        return "<189>date="
            + day
            + " time="
            + hms
            + " devname=\"fw-hs\" devid=\"FGT60F0000000001\" tz=\"-0500\""
            + " logid=\"1501054802\" type=\"utm\" subtype=\"dns\" eventtype=\"dns-response\" level=\"notice\" vd=\"root\""
            + " policyid=7 sessionid="
            + (100000 + i)
            + " srcip="
            + ip
            + " srcport="
            + (40000 + r.nextInt(20000))
            + " dstip=10.0.0.53 dstport=53 proto=17 profile=\"dns-students\" xid="
            + r.nextInt(65536)
            + " qname=\""
            + host
            + "\" qtype=\"A\" qtypeval=1 qclass=\"IN\" ipaddr=\"198.51.100."
            + (1 + h)
            + "\" msg=\"Domain is "
            + "monitored\" action=\""
            + (r.nextInt(4) == 0 ? "block" : "pass")
            + "\" cat="
            + (10 + h)
            + " catdesc=\""
            + CATS[h]
            + "\"";
      } else {
        String act = r.nextInt(5) == 0 ? "deny" : "accept";
        return "<189>date="
            + day
            + " time="
            + hms
            + " devname=\"fw-hs\" devid=\"FGT60F0000000001\" tz=\"-0500\""
            + " logid=\"0000000013\" type=\"traffic\" subtype=\"forward\" level=\"notice\" vd=\"root\" srcip="
            + ip
            + " srcport="
            + (40000 + r.nextInt(20000))
            + " srcintf=\"lan\" dstip=198.51.100."
            + (1 + h)
            + " dstport=443 dstintf=\"wan1\" sessionid="
            + (100000 + i)
            + " proto=6 action=\""
            + act
            + "\" policyid=7"
            + " policytype=\"policy\" service=\"HTTPS\" duration="
            + r.nextInt(600)
            + " sentbyte="
            + r.nextInt(90000)
            + " rcvdbyte="
            + r.nextInt(900000)
            + " hostname=\""
            + host
            + "\" utmaction=\""
            + (act.equals("deny") ? "block" : "allow")
            + "\" countweb=1 user=\""
            + user
            + "\"";
      }
    }
    boolean denied = r.nextInt(4) == 0;
    boolean connect = r.nextBoolean();
    String ts = millis / 1000 + "." + String.format("%03d", millis % 1000);
    String target =
        connect
            ? host + ":443"
            : "http://" + host + "/a/" + r.nextInt(100000) + "?q=" + r.nextInt(1000);
    return "<134>"
        + RFC3164_DATE.format(local)
        + " "
        + hms
        + " proxy1 squid[2211]: "
        + ts
        + " "
        + (1 + r.nextInt(900))
        + " "
        + ip
        + " "
        + (denied ? "TCP_DENIED/403" : "TCP_MISS/200")
        + " "
        + (300 + r.nextInt(90000))
        + " "
        + (connect ? "CONNECT" : "GET")
        + " "
        + target
        + " "
        + user
        + "@school.example.org "
        + (denied ? "HIER_NONE/-" : "HIER_DIRECT/198.51.100." + (1 + h))
        + " "
        + (connect ? "-" : "text/html");
  }
}
