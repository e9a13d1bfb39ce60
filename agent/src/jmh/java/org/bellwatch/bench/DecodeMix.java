package org.bellwatch.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.bellwatch.agent.capture.PcapFileReader;
import org.bellwatch.agent.decode.LinkDecoder;
import org.bellwatch.agent.decode.Ports;
import org.bellwatch.agent.decode.UdpDatagram;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.event.RawFrame;
import org.bellwatch.agent.sim.SiteSimulator;

/**
 * The benchmark corpus: a deterministic, realistic mix of the DNS and DHCP frames a school's mirror
 * port carries. Two parts, interleaved:
 *
 * <ul>
 *   <li>the simulator's school day ({@code bellwatch simulate --seed 1}): DHCP DORA and renewals,
 *       A/AAAA pairs with CNAME chains, sinkhole answers ({@code 0.0.0.0}, {@code ::});
 *   <li>hand-built client lookups of typical school domains with what the simulator leaves out:
 *       EDNS0 OPT (often with a COOKIE), 4-deep CNAME chains (Microsoft login), HTTPS (type 65)
 *       queries with SVCB answers or NODATA + SOA, NXDOMAIN + SOA (wpad, typos, _ldap SRV), PTR,
 *       some IPv6 transport.
 * </ul>
 *
 * About 30% of the frames come from the simulator. Same bytes on every run: no clock, fixed seeds.
 */
public final class DecodeMix {
  /** One frame of the corpus. */
  public record Frame(long epochMicros, byte[] bytes) {
    RawFrame raw() {
      return new RawFrame(
          epochMicros, RawFrame.LINKTYPE_ETHERNET, ByteBuffer.wrap(bytes).asReadOnlyBuffer());
    }
  }

  private static final int LOOKUPS = 2500;
  private static final long START_MICROS = 1_789_484_400_000_000L; // 2026-09-15 15:00 UTC

  private enum Kind {
    OK,
    SINKHOLE,
    NXDOMAIN
  }

  /** A domain as the resolver answers it: CNAME chain from the name, then addresses at its end. */
  private record Site(
      String name,
      Kind kind,
      int weight,
      List<String> chain,
      List<String> v4,
      List<String> v6,
      boolean httpsRecord) {}

  private static Site ok(
      String name,
      int weight,
      List<String> chain,
      List<String> v4,
      List<String> v6,
      boolean https) {
    return new Site(name, Kind.OK, weight, chain, v4, v6, https);
  }

  private static final List<Site> SITES =
      List.of(
          ok(
              "classroom.google.com",
              12,
              List.of(),
              List.of("142.250.72.14"),
              List.of("2607:f8b0:4005:80f::200e"),
              false),
          ok(
              "docs.google.com",
              10,
              List.of(),
              List.of("142.250.72.46"),
              List.of("2607:f8b0:4005:80f::202e"),
              false),
          ok(
              "accounts.google.com",
              6,
              List.of(),
              List.of("142.251.46.173"),
              List.of("2607:f8b0:4005:813::200d"),
              false),
          ok(
              "www.gstatic.com",
              8,
              List.of(),
              List.of("142.250.191.35"),
              List.of("2607:f8b0:4005:812::2003"),
              false),
          ok(
              "fonts.googleapis.com",
              5,
              List.of(),
              List.of("142.250.72.10"),
              List.of("2607:f8b0:4005:80f::200a"),
              false),
          ok(
              "www.youtube.com",
              8,
              List.of("youtube-ui.l.google.com"),
              List.of("142.250.72.142", "142.250.72.174", "142.250.72.206", "142.250.72.238"),
              List.of(
                  "2607:f8b0:4005:80f::200e",
                  "2607:f8b0:4005:810::200e",
                  "2607:f8b0:4005:811::200e",
                  "2607:f8b0:4005:812::200e"),
              false),
          ok(
              "i.ytimg.com",
              5,
              List.of(),
              List.of("142.250.72.150", "142.250.72.182", "142.250.72.214", "142.250.72.246"),
              List.of("2607:f8b0:4005:80f::2016"),
              false),
          ok(
              "clever.com",
              6,
              List.of(),
              List.of("52.4.212.74", "54.208.92.171", "3.216.182.30"),
              List.of(),
              false),
          ok(
              "canvas.instructure.com",
              6,
              List.of("canvas.instructure.com.cdn.cloudflare.net"),
              List.of("104.18.32.47", "172.64.155.209"),
              List.of("2606:4700:4400::6812:202f", "2606:4700:4400::ac40:9bd1"),
              true),
          ok(
              "www.khanacademy.org",
              4,
              List.of("khanacademy.map.fastly.net"),
              List.of("151.101.1.42", "151.101.65.42", "151.101.129.42", "151.101.193.42"),
              List.of("2a04:4e42::298", "2a04:4e42:200::298"),
              false),
          ok(
              "quizlet.com",
              4,
              List.of(),
              List.of("104.19.246.73", "104.19.247.73"),
              List.of("2606:4700::6813:f649", "2606:4700::6813:f749"),
              true),
          ok(
              "kahoot.it",
              3,
              List.of(),
              List.of("18.154.144.21", "18.154.144.45", "18.154.144.64", "18.154.144.110"),
              List.of(),
              false),
          ok(
              "outlook.office365.com",
              4,
              List.of("outlook.ha.office365.com", "outlook.ms-acdc.office.com"),
              List.of("52.96.165.18", "52.96.91.34", "52.96.223.2", "52.96.109.162"),
              List.of("2603:1036:304:2855::2", "2603:1036:304:284a::2"),
              false),
          ok(
              "login.microsoftonline.com",
              4,
              List.of(
                  "login.mso.msidentity.com",
                  "ak.privatelink.msidentity.com",
                  "www.tm.ak.prd.aadg.akadns.net"),
              List.of("20.190.151.7", "20.190.151.68", "20.190.151.131"),
              List.of(),
              false),
          ok(
              "www.desmos.com",
              3,
              List.of("d2v9y0dukr6mq2.cloudfront.net"),
              List.of("18.161.111.33", "18.161.111.62", "18.161.111.110", "18.161.111.120"),
              List.of(),
              false),
          ok("newsela.com", 2, List.of(), List.of("76.76.21.21"), List.of(), false),
          ok(
              "edpuzzle.com",
              2,
              List.of(),
              List.of("104.22.58.198", "172.67.7.74"),
              List.of("2606:4700:10::6816:3ac6"),
              true),
          new Site(
              "www.tiktok.com",
              Kind.SINKHOLE,
              4,
              List.of(),
              List.of("0.0.0.0"),
              List.of("::"),
              false),
          new Site(
              "roblox.com", Kind.SINKHOLE, 3, List.of(), List.of("0.0.0.0"), List.of("::"), false),
          new Site(
              "discord.com", Kind.SINKHOLE, 2, List.of(), List.of("0.0.0.0"), List.of("::"), false),
          new Site(
              "www.coolmathgames.com",
              Kind.SINKHOLE,
              2,
              List.of(),
              List.of("0.0.0.0"),
              List.of("::"),
              false),
          new Site(
              "wpad.bellwatch-usd.org", Kind.NXDOMAIN, 3, List.of(), List.of(), List.of(), false),
          new Site("clasroom.google.com", Kind.NXDOMAIN, 1, List.of(), List.of(), List.of(), false),
          new Site(
              "_ldap._tcp.dc._msdcs.bellwatch-usd.org",
              Kind.NXDOMAIN,
              1,
              List.of(),
              List.of(),
              List.of(),
              false));

  private static final byte[] RESOLVER_MAC = {0x00, 0x50, 0x56, 0x10, 0x00, 0x53};
  private static final byte[] RESOLVER_V4 = {10, 10, 0, 53};
  private static final byte[] RESOLVER_V6 = DnsBytes.ip4or6("fd00:10:10::53");

  private DecodeMix() {}

  /** The corpus frames in capture order (simulator and hand-built parts interleaved). */
  public static List<Frame> frames() {
    List<Frame> sim = simulatorFrames();
    List<Frame> built = builtFrames();
    List<Frame> out = new ArrayList<>(sim.size() + built.size());
    int i = 0;
    int j = 0;
    while (i < sim.size() || j < built.size()) {
      // Proportional merge: keeps both parts spread over the whole corpus.
      if (j >= built.size()
          || (i < sim.size() && (long) i * built.size() <= (long) j * sim.size())) {
        out.add(sim.get(i++));
      } else {
        out.add(built.get(j++));
      }
    }
    return out;
  }

  /** The corpus as RawFrames (Ethernet). */
  public static List<RawFrame> rawFrames() {
    return frames().stream().map(Frame::raw).toList();
  }

  /** The UDP payloads of the DNS messages in the corpus (port 53). */
  public static ByteBuffer[] dnsPayloads() {
    return payloads(true);
  }

  /** The UDP payloads of the DHCP messages in the corpus (ports 67/68). */
  public static ByteBuffer[] dhcpPayloads() {
    return payloads(false);
  }

  private static ByteBuffer[] payloads(boolean dns) {
    List<ByteBuffer> out = new ArrayList<>();
    for (RawFrame f : rawFrames()) {
      try {
        UdpDatagram d = LinkDecoder.decode(f);
        if (d != null && (dns ? Ports.isDns(d) : Ports.isDhcp(d))) {
          out.add(d.payload());
        }
      } catch (MalformedException e) {
        throw new IllegalStateException("the corpus has a malformed frame: " + e.reason(), e);
      }
    }
    return out.toArray(ByteBuffer[]::new);
  }

  // ---- the simulator's day
  // -------------------------------------------------------------------------

  private static List<Frame> simulatorFrames() {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("bellwatch-bench-sim");
      SiteSimulator.simulate(1, SiteSimulator.DEFAULT_DATE, dir);
      List<Frame> out = new ArrayList<>();
      try (PcapFileReader r = PcapFileReader.open(dir.resolve("capture/site.pcap"))) {
        RawFrame f;
        while ((f = r.next()) != null) {
          byte[] b = new byte[f.bytes().remaining()];
          f.bytes().duplicate().get(b);
          out.add(new Frame(f.epochMicros(), b));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (dir != null) {
        deleteTree(dir);
      }
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A temp folder left behind is not worth failing a benchmark for.
    }
  }

  // ---- hand-built lookups
  // --------------------------------------------------------------------------

  private static List<Frame> builtFrames() {
    SplittableRandom rnd = new SplittableRandom(0xBE7C4L);
    int totalWeight = SITES.stream().mapToInt(Site::weight).sum();
    List<Frame> out = new ArrayList<>();
    long t = START_MICROS;
    for (int n = 0; n < LOOKUPS; n++) {
      t += 1 + rnd.nextLong(200_000);
      int host = 20 + rnd.nextInt(230);
      boolean v6 = rnd.nextInt(100) < 15;
      byte[] mac = {0x02, 0x1b, 0x3c, 0x00, 0x01, (byte) host};
      byte[] ip =
          v6
              ? DnsBytes.ip4or6("fd00:10:10:1::" + Integer.toHexString(host))
              : new byte[] {10, 10, 1, (byte) host};
      boolean edns = rnd.nextInt(100) < 75;
      byte[] cookie = edns && rnd.nextInt(100) < 25 ? randomBytes(rnd, 8) : null;
      int sport = 32768 + rnd.nextInt(28000);
      Client c = new Client(mac, ip, v6, sport, edns, cookie);
      if (rnd.nextInt(100) < 4) {
        String ptr = "53.0.10.10.in-addr.arpa";
        int id = rnd.nextInt(65536);
        out.add(c.query(t, rnd, c.q(id, ptr, 12)));
        out.add(
            c.reply(
                t + 300 + rnd.nextInt(700),
                rnd,
                c.r(id, 0, ptr, 12, rnd)
                    .rr(DnsBytes.AN, ptr, 12, 1, 3600)
                    .name("resolver.bellwatch-usd.org")
                    .end()));
        continue;
      }
      int pick = rnd.nextInt(totalWeight);
      Site s = null;
      for (Site x : SITES) {
        pick -= x.weight();
        if (pick < 0) {
          s = x;
          break;
        }
      }
      boolean https =
          rnd.nextInt(100) < 40 && s.kind() != Kind.NXDOMAIN; // Chrome's HTTPS-RR lookups
      List<Integer> types =
          s.name().startsWith("_ldap") ? List.of(33) : https ? List.of(1, 28, 65) : List.of(1, 28);
      int[] ids = new int[types.size()];
      for (int k = 0; k < types.size(); k++) {
        ids[k] = rnd.nextInt(65536);
        out.add(c.query(t + k * 40L, rnd, c.q(ids[k], s.name(), types.get(k))));
      }
      long rt = t + 500 + rnd.nextInt(30_000);
      for (int k = 0; k < types.size(); k++) {
        out.add(c.reply(rt + k * 60L, rnd, answer(c, ids[k], s, types.get(k), rnd)));
      }
    }
    return out;
  }

  private static DnsBytes answer(Client c, int id, Site s, int type, SplittableRandom rnd) {
    if (s.kind() == Kind.NXDOMAIN) {
      return soa(c.r(id, 3, s.name(), type, rnd), zone(s.name()));
    }
    DnsBytes m = c.r(id, 0, s.name(), type, rnd);
    String owner = s.name();
    if (type == 65) {
      if (!s.httpsRecord()) {
        return soa(m, zone(s.name())); // NODATA
      }
      m.rr(DnsBytes.AN, owner, 65, 1, 300)
          .u16(1)
          .name("")
          .u16(1)
          .u16(6)
          .u8(2)
          .bytes(new byte[] {'h', '3'})
          .u8(2)
          .bytes(new byte[] {'h', '2'});
      m.u16(4).u16(4 * s.v4().size());
      s.v4().forEach(m::ip);
      m.u16(6).u16(16 * s.v6().size());
      s.v6().forEach(m::ip);
      return m.end();
    }
    for (String next : s.chain()) {
      m.cname(owner, 300, next);
      owner = next;
    }
    List<String> addrs = type == 1 ? s.v4() : s.v6();
    if (addrs.isEmpty()) {
      return soa(m, zone(s.name()));
    }
    long ttl = s.kind() == Kind.SINKHOLE ? 60 : 30 + rnd.nextInt(270);
    for (String a : addrs) {
      if (type == 1) {
        m.a(owner, ttl, a);
      } else {
        m.aaaa(owner, ttl, a);
      }
    }
    return m;
  }

  private static String zone(String name) {
    String[] l = name.split("\\.");
    return l[l.length - 2] + "." + l[l.length - 1];
  }

  private static DnsBytes soa(DnsBytes m, String zone) {
    return m.soa(zone, "ns1." + zone, "hostmaster." + zone, 2026091501L);
  }

  private static byte[] randomBytes(SplittableRandom rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  /** One client's addressing and EDNS habits. */
  private record Client(byte[] mac, byte[] ip, boolean v6, int sport, boolean edns, byte[] cookie) {
    DnsBytes q(int id, String name, int type) {
      return new DnsBytes(id, 0x0100).question(name, type); // RD
    }

    /** A response header + question; the OPT record is added when the frame is built. */
    DnsBytes r(int id, int rcode, String name, int type, SplittableRandom rnd) {
      return new DnsBytes(id, 0x8180 | rcode).question(name, type); // QR RD RA
    }

    Frame query(long t, SplittableRandom rnd, DnsBytes m) {
      if (edns) {
        m.opt(1232, cookie);
      }
      byte[] p = m.build();
      return new Frame(
          t,
          v6
              ? Frames.udp6(mac, RESOLVER_MAC, ip, RESOLVER_V6, sport, 53, p)
              : Frames.udp4(mac, RESOLVER_MAC, ip, RESOLVER_V4, sport, 53, rnd.nextInt(65536), p));
    }

    Frame reply(long t, SplittableRandom rnd, DnsBytes m) {
      if (edns) {
        byte[] serverCookie = null;
        if (cookie != null) {
          serverCookie = new byte[24];
          System.arraycopy(cookie, 0, serverCookie, 0, 8);
          byte[] s = randomBytes(rnd, 16);
          System.arraycopy(s, 0, serverCookie, 8, 16);
        }
        m.opt(1232, serverCookie);
      }
      byte[] p = m.build();
      return new Frame(
          t,
          v6
              ? Frames.udp6(RESOLVER_MAC, mac, RESOLVER_V6, ip, 53, sport, p)
              : Frames.udp4(RESOLVER_MAC, mac, RESOLVER_V4, ip, 53, sport, rnd.nextInt(65536), p));
    }
  }
}
