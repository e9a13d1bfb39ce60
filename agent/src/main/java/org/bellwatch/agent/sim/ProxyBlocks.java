package org.bellwatch.agent.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

/**
 * The blocks the site's proxy makes besides its own denies (README, "Proxies and redirectors"),
 * with what each leaves in the logs:
 *
 * <ul>
 *   <li>a <em>redirect</em>: squidGuard, squid's redirector, sends the request to the block page.
 *       squid logs {@code TCP_REDIRECT/302} (native format: the original URL, no target) and
 *       squidGuard writes a {@code Request(...) ... REDIRECT} line in whole local seconds, which is
 *       the first evidence. The site's config says its redirector only blocks ({@code
 *       filter.redirects_are_blocks});
 *   <li>a <em>refused lookup</em>: the proxy ({@link #PROXY}) resolves through Unbound, whose RPZ
 *       answers the name with local data (the sinkhole) and logs the proxy as its client ({@code
 *       logs/unbound.log}, epoch seconds); squid then logs {@code TCP_MISS/503} (CONNECT: {@code
 *       NONE_NONE/503}) for the person. A request within a minute of another of the name is
 *       answered from squid's DNS cache and makes no lookup line. The block is the person's, at
 *       squid's time, never the proxy's.
 * </ul>
 *
 * Also a few {@code TCP_MISS/503} lines of a server that is down, which are no blocks. Blocked
 * names are their own ({@link #REDIRECTED}, {@link #REFUSED}), so no other evidence of the day
 * merges with them.
 */
final class ProxyBlocks {
  /** The proxy's address, as {@code filter.proxy_addresses} names it. */
  static final String PROXY = "10.10.0.8";

  /** The RPZ log name of the DNS filter's policy: the category of a refused lookup. */
  static final String POLICY = "school-policy";

  /** Names squidGuard redirects, with the blocklist that matched. */
  static final String[][] REDIRECTED = {
    {"www.fortnite.com", "games"},
    {"www.reddit.com", "social"},
    {"www.primevideo.com", "movies"},
    {"slither.io", "games"}
  };

  /** Names the DNS filter refuses the proxy. */
  static final String[] REFUSED = {
    "www.omegle.com", "chat.chatroulette.example", "proxy.unblockit.example"
  };

  /** A name whose server is down: squid's 503 lines of it are no blocks. */
  static final String DOWN = "grades.district.example";

  /**
   * A request within this of a lookup of its name is answered from squid's DNS cache
   * (negative_dns_ttl).
   */
  static final long CACHED_MICROS = 55_000_000L;

  private static final DateTimeFormatter GUARD_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  /**
   * One planned block: {@code time} is squid's line, in whole milliseconds with a non-zero
   * millisecond part.
   */
  private record Planned(
      Network.Device device,
      long time,
      String domain,
      String category,
      String user,
      boolean redirect,
      boolean get) {
    String url() {
      return get ? "http://" + domain + "/" : domain + ":443";
    }
  }

  private record Line(long time, String text) {}

  private final ZoneId zone;
  private final List<Planned> planned = new ArrayList<>();
  private final List<Line> guardLines = new ArrayList<>();
  private final List<Line> unboundLines = new ArrayList<>();

  ProxyBlocks(ZoneId zone) {
    this.zone = zone;
  }

  /**
   * squidGuard redirects {@code device}'s request of the {@code n}-th redirected name at about
   * {@code time}; returns the block event's time (squidGuard's second).
   */
  long redirect(Network.Device device, long time, int n, String user, boolean get) {
    String[] name = REDIRECTED[n % REDIRECTED.length];
    Planned p = new Planned(device, withMillis(time), name[0], name[1], user, true, get);
    planned.add(p);
    return firstEvidence(p);
  }

  /**
   * The DNS filter refused the proxy's lookup of the {@code n}-th refused name for {@code device}'s
   * request at about {@code time}; returns the block event's time (squid's line).
   */
  long refused(Network.Device device, long time, int n, String user, boolean get) {
    Planned p =
        new Planned(
            device, withMillis(time), REFUSED[n % REFUSED.length], POLICY, user, false, get);
    planned.add(p);
    return firstEvidence(p);
  }

  /**
   * When the pipeline sees the block first: squidGuard's whole second for a redirect, else squid's
   * line.
   */
  private static long firstEvidence(Planned p) {
    return p.redirect() ? p.time() - Math.floorMod(p.time(), 1_000_000L) : p.time();
  }

  /**
   * True when a planned block of {@code ip} and a name of these lists lies within a minute of
   * {@code t}.
   */
  boolean near(int ip, long t) {
    for (Planned p : planned) {
      if (p.device().ip == ip && Math.abs(p.time() - t) < 60_000_000L) {
        return true;
      }
    }
    return false;
  }

  /**
   * Writes the planned blocks' squid lines through {@code squid} and keeps their other lines, plus
   * {@code down} 503s.
   */
  void emit(
      SplittableRandom rnd,
      BiConsumer<Long, String> squid,
      List<Network.Device> down,
      long[] downTimes) {
    List<Planned> inOrder = new ArrayList<>(planned);
    inOrder.sort((a, b) -> Long.compare(a.time(), b.time()));
    List<Planned> lookedUp = new ArrayList<>();
    int pid = 4000 + rnd.nextInt(1000);
    for (Planned p : inOrder) {
      String ip = Wire.ipString(p.device().ip);
      String user = p.user() == null ? "-" : p.user();
      String method = p.get() ? "GET" : "CONNECT";
      if (p.redirect()) {
        guardLines.add(
            new Line(
                p.time(),
                GUARD_TIME.format(toInstant(p.time()).atZone(zone))
                    + " ["
                    + pid
                    + "] Request(default/"
                    + p.category()
                    + "/-) "
                    + p.url()
                    + " "
                    + ip
                    + "/- "
                    + user
                    + " "
                    + method
                    + " REDIRECT"));
        squid.accept(
            p.time(),
            SiteSimulator.squidLine(
                p.time(),
                rnd.nextInt(4),
                p.device().ip,
                "TCP_REDIRECT",
                302,
                250 + rnd.nextInt(100),
                method,
                p.url(),
                user,
                "HIER_NONE/-",
                "-"));
        continue;
      }
      if (!cached(lookedUp, p)) {
        long lookup = p.time() - 2_000 - rnd.nextInt(40) * 1000L;
        unboundLines.add(
            new Line(
                lookup,
                "["
                    + Math.floorDiv(lookup, 1_000_000L)
                    + "] unbound[2074:0] info: rpz: applied ["
                    + POLICY
                    + "] "
                    + p.domain()
                    + ". rpz-local-data "
                    + PROXY
                    + "@"
                    + (32768 + rnd.nextInt(28000))
                    + " "
                    + p.domain()
                    + ". A IN"));
        lookedUp.add(p);
      }
      squid.accept(
          p.time(),
          SiteSimulator.squidLine(
              p.time(),
              rnd.nextInt(6),
              p.device().ip,
              p.get() ? "TCP_MISS" : "NONE_NONE",
              503,
              p.get() ? 3400 + rnd.nextInt(60) : 0,
              method,
              p.url(),
              user,
              "HIER_DIRECT/0.0.0.0",
              p.get() ? "text/html" : "-"));
    }
    for (int i = 0; i < down.size(); i++) {
      squid.accept(
          downTimes[i],
          SiteSimulator.squidLine(
              downTimes[i],
              30 + rnd.nextInt(60),
              down.get(i).ip,
              "TCP_MISS",
              503,
              3400 + rnd.nextInt(60),
              "GET",
              "http://" + DOWN + "/",
              "-",
              "HIER_DIRECT/192.0.2.80",
              "text/html"));
    }
  }

  /** True when squid looked the name up less than {@link #CACHED_MICROS} before this request. */
  private static boolean cached(List<Planned> lookedUp, Planned p) {
    for (int i = lookedUp.size() - 1; i >= 0; i--) {
      Planned l = lookedUp.get(i);
      if (l.domain().equals(p.domain()) && p.time() - l.time() < CACHED_MICROS) {
        return true;
      }
    }
    return false;
  }

  /**
   * The block events' evidence for the truth: a redirect is first seen in squidGuard's line (its
   * whole second), with squidGuard's URL and list; a refused lookup at squid's line, with the
   * policy's name.
   */
  List<TruthEvents.Block> truth() {
    List<TruthEvents.Block> out = new ArrayList<>();
    for (Planned p : planned) {
      out.add(
          new TruthEvents.Block(
              p.device(),
              firstEvidence(p),
              p.domain(),
              p.user(),
              p.url(),
              p.category(),
              p.redirect() ? "squidguard" : "squid",
              p.redirect() ? "proxy-redirect" : "proxy-dns-block"));
    }
    return out;
  }

  /** Writes {@code logs/squidguard.log} and {@code logs/unbound.log} in time order. */
  void write(Path logs) throws IOException {
    write(logs.resolve("squidguard.log"), guardLines);
    write(logs.resolve("unbound.log"), unboundLines);
  }

  private static void write(Path file, List<Line> lines) throws IOException {
    List<Line> sorted = new ArrayList<>(lines);
    sorted.sort((a, b) -> Long.compare(a.time(), b.time()));
    StringBuilder sb = new StringBuilder();
    for (Line l : sorted) {
      sb.append(l.text()).append('\n');
    }
    Files.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The configuration that reads these logs and says how the site's proxy refuses. */
  static String config() {
    return "    - vendor: squidguard\n      path: logs/squidguard.log\n"
        + "    - vendor: unbound\n      path: logs/unbound.log\n"
        + "filter:\n  redirects_are_blocks: true\n  proxy_addresses: ['"
        + PROXY
        + "']\n";
  }

  /**
   * {@code t} with a millisecond part between 100 and 999, so that squid's line is after
   * squidGuard's second.
   */
  private static long withMillis(long t) {
    long ms = Math.floorMod(Math.floorDiv(t, 1000L), 1000L);
    return ms >= 100 ? t : t + 100_000L;
  }

  private static Instant toInstant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
  }
}
