package org.bellwatch.agent.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The resolver's side of the capture: a device's A and AAAA lookups (RFC 1035) and their answers,
 * as frames between the device and the school's resolver, for allowed names (their real answers)
 * and blocked ones (sinkhole answers {@code 0.0.0.0} and {@code ::}).
 */
final class Resolver {

  /** Allowed names: CNAME chain then A and AAAA data (either may be empty: NODATA). */
  record Allowed(String name, List<String> cnames, List<String> v4, List<String> v6) {}

  static final List<Allowed> ALLOWED =
      List.of(
          new Allowed(
              "www.google.com",
              List.of(),
              List.of("142.250.72.196"),
              List.of("2607:f8b0:4005:80c::2004")),
          new Allowed(
              "classroom.google.com",
              List.of(),
              List.of("142.250.72.206"),
              List.of("2607:f8b0:4005:80e::200e")),
          new Allowed(
              "docs.google.com",
              List.of(),
              List.of("142.250.189.174"),
              List.of("2607:f8b0:4005:812::200e")),
          new Allowed(
              "clients4.google.com",
              List.of("clients.l.google.com"),
              List.of("142.250.176.14"),
              List.of("2607:f8b0:4005:813::200e")),
          new Allowed(
              "ssl.gstatic.com",
              List.of(),
              List.of("142.250.72.195"),
              List.of("2607:f8b0:4005:80b::2003")),
          new Allowed(
              "en.wikipedia.org",
              List.of("dyna.wikimedia.org"),
              List.of("208.80.153.224"),
              List.of("2620:0:860:ed1a::1")),
          new Allowed(
              "www.khanacademy.org",
              List.of("www.khanacademy.org.cdn.cloudflare.net"),
              List.of("104.18.2.100", "104.18.3.100"),
              List.of("2606:4700::6812:264")),
          new Allowed("quizlet.com", List.of(), List.of("104.16.85.20", "104.16.86.20"), List.of()),
          new Allowed(
              "www.desmos.com",
              List.of("d2q9zoc9hq1eac.cloudfront.net"),
              List.of("13.224.10.5", "13.224.10.62"),
              List.of()),
          new Allowed(
              "bellwatch-usd.instructure.com",
              List.of("canvas-iad-prod.instructure.com", "canvas-iad-prod-lb.instructure.com"),
              List.of("52.20.33.17"),
              List.of()),
          new Allowed("api.quizizz.com", List.of(), List.of("34.117.211.52"), List.of()),
          new Allowed(
              "update.googleapis.com",
              List.of(),
              List.of("142.250.72.163"),
              List.of("2607:f8b0:4005:809::2003")));

  private final List<Wire.Frame> frames;
  private final long[] seq;
  private int messages;

  /**
   * Frames go to {@code frames}; {@code seq[0]} numbers them (shared with the other frame writers).
   */
  Resolver(List<Wire.Frame> frames, long[] seq) {
    this.frames = frames;
    this.seq = seq;
  }

  /** DNS queries and responses written so far. */
  int messages() {
    return messages;
  }

  /** An allowed lookup sent at {@code t}, answered with the name's real records. */
  void lookup(SplittableRandom rnd, Network.Device d, long t, Allowed a) {
    dnsPair(
        rnd,
        d,
        t,
        a.name(),
        answers(a, a.v4(), Wire.TYPE_A),
        answers(a, a.v6(), Wire.TYPE_AAAA),
        -1);
  }

  /** A blocked lookup whose first sinkhole answer goes out at {@code t} (the block's time). */
  void sinkhole(SplittableRandom rnd, Network.Device d, long t, String qname) {
    dnsPair(
        rnd,
        d,
        t,
        qname,
        List.of(new Wire.Rr(qname, Wire.TYPE_A, 60, "0.0.0.0")),
        List.of(new Wire.Rr(qname, Wire.TYPE_AAAA, 60, "::")),
        t);
  }

  private static List<Wire.Rr> answers(Allowed a, List<String> data, int type) {
    List<Wire.Rr> out = new ArrayList<>();
    if (data.isEmpty()) {
      return out; // NODATA: NOERROR with no answers
    }
    String owner = a.name();
    for (String c : a.cnames()) {
      out.add(new Wire.Rr(owner, Wire.TYPE_CNAME, 300, c));
      owner = c;
    }
    for (String ip : data) {
      out.add(new Wire.Rr(owner, type, 60, ip));
    }
    return out;
  }

  /**
   * A and AAAA queries for one name sent together (same socket, different ids) and their responses.
   * With {@code firstResponse >= 0} the A response goes out exactly then and the AAAA one after it.
   */
  private void dnsPair(
      SplittableRandom rnd,
      Network.Device d,
      long t,
      String qname,
      List<Wire.Rr> a,
      List<Wire.Rr> aaaa,
      long firstResponse) {
    int sport = 32768 + rnd.nextInt(28232);
    int idA = rnd.nextInt(65536);
    int idAaaa = (idA + 1 + rnd.nextInt(65535)) & 0xFFFF;
    long qA = firstResponse >= 0 ? firstResponse - 2_000 - rnd.nextLong(28_000) : t;
    long qAaaa = qA + 200 + rnd.nextLong(2_800);
    long rA = firstResponse >= 0 ? firstResponse : qA + 2_000 + rnd.nextLong(28_000);
    long rAaaa = Math.max(rA, qAaaa) + 100 + rnd.nextLong(4_900);
    query(rnd, d, qA, sport, Wire.dnsQuery(idA, qname, Wire.TYPE_A));
    query(rnd, d, qAaaa, sport, Wire.dnsQuery(idAaaa, qname, Wire.TYPE_AAAA));
    answer(rnd, d, rA, sport, Wire.dnsResponse(idA, qname, Wire.TYPE_A, a));
    answer(rnd, d, rAaaa, sport, Wire.dnsResponse(idAaaa, qname, Wire.TYPE_AAAA, aaaa));
  }

  /** A dual-stack device asks over IPv6 (as Chromebooks prefer), from its SLAAC address. */
  private void query(SplittableRandom rnd, Network.Device d, long t, int sport, byte[] dns) {
    int ipId = rnd.nextInt(65536);
    frames.add(
        new Wire.Frame(
            t,
            seq[0]++,
            d.ipv6 != null
                ? Wire.udp6Frame(
                    d.mac, Network.RESOLVER_MAC, d.ipv6, Network.RESOLVER6, sport, 53, dns)
                : Wire.udpFrame(
                    d.mac,
                    Network.RESOLVER_MAC,
                    d.ip,
                    Network.RESOLVER,
                    sport,
                    53,
                    ipId,
                    64,
                    dns)));
    messages++;
  }

  private void answer(SplittableRandom rnd, Network.Device d, long t, int sport, byte[] dns) {
    int ipId = rnd.nextInt(65536);
    frames.add(
        new Wire.Frame(
            t,
            seq[0]++,
            d.ipv6 != null
                ? Wire.udp6Frame(
                    Network.RESOLVER_MAC, d.mac, Network.RESOLVER6, d.ipv6, 53, sport, dns)
                : Wire.udpFrame(
                    Network.RESOLVER_MAC,
                    d.mac,
                    Network.RESOLVER,
                    d.ip,
                    53,
                    sport,
                    ipId,
                    64,
                    dns)));
    messages++;
  }
}
