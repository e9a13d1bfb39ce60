package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.bellwatch.agent.decision.FilterPrograms;
import org.junit.jupiter.api.Assumptions;

/**
 * A school's proxy made of the real programs, on loopback: squid with squidGuard as its {@code
 * url_rewrite_program}, resolving through dnsmasq, the site's DNS filter. Every daemon runs in the
 * foreground with its configuration, pid file and logs in one folder; nothing on the host changes.
 *
 * <ul>
 *   <li>dnsmasq on {@code 127.R.0.53} port 53 (squid cannot ask another port) sinkholes {@code
 *       sinkholed.test} to 0.0.0.0 and refuses {@code nx.test} with NXDOMAIN; {@code allowed.test}
 *       and the block page resolve to {@code 127.R.0.80}, where nothing listens;
 *   <li>squid on 127.0.0.1 (a free port) asks dnsmasq from {@code 127.R.0.8}, the proxy's address
 *       ({@code udp_outgoing_address}), takes any user name and password ({@code basic_fake_auth})
 *       and writes two access logs: the native format, and one that adds the reply's {@code
 *       Location};
 *   <li>squidGuard redirects (302) {@code adult} names through the acl's default redirect and
 *       {@code games} names through the list's own, rewrites {@code old.test} to {@code new.test}
 *       with a 302 that is no block, and logs each to {@code blocked.log}.
 * </ul>
 *
 * {@code R} is drawn at random so that two runs on one machine do not meet. Needs root (port 53;
 * squid and squidGuard then run as Debian's {@code proxy} user).
 */
final class ProxySite {
  static final String BLOCK_PAGE = "block.school.test";
  private static final List<String> SBIN = List.of("/usr/sbin/", "/usr/bin/");

  final Path dir;
  final String dnsAddress;
  final String proxyAddress;
  final String blockPageAddress;
  private final int port;
  private final List<Process> daemons = new ArrayList<>();

  /** One request as curl made it. */
  record Request(String client, String user, String url, int status) {}

  private ProxySite(Path dir, int r, int port) {
    this.dir = dir;
    this.dnsAddress = "127." + r + ".0.53";
    this.proxyAddress = "127." + r + ".0.8";
    this.blockPageAddress = "127." + r + ".0.80";
    this.port = port;
  }

  /** A client address of this site: {@code 127.R.0.n}. */
  String client(int n) {
    return dnsAddress.substring(0, dnsAddress.lastIndexOf('.') + 1) + n;
  }

  Path squidLog() {
    return dir.resolve("logs/access.log");
  }

  Path squidLocationLog() {
    return dir.resolve("logs/access-location.log");
  }

  Path squidGuardLog() {
    return dir.resolve("logs/blocked.log");
  }

  Path dnsmasqLog() {
    return dir.resolve("logs/dnsmasq.log");
  }

  /**
   * Starts the site; skips the test without root or a program (fails when the programs are
   * required).
   */
  static ProxySite start() throws Exception {
    String squid = FilterPrograms.require("squid");
    String squidGuard = FilterPrograms.require("squidGuard");
    String dnsmasq = FilterPrograms.require("dnsmasq");
    FilterPrograms.require("curl");
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "squid asks DNS on port 53 only: the proxy site needs root");
    Path dir = Files.createTempDirectory("bw-proxy-site");
    open(dir);
    for (String sub : List.of("logs", "cache", "db/adult", "db/games")) {
      open(Files.createDirectories(dir.resolve(sub)));
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ProxySite site = new ProxySite(dir, 100 + new SplittableRandom().nextInt(150), port);
    site.write("db/adult/domains", "blocked.test\n");
    site.write("db/games/domains", "games.test\n");
    site.write(
        "sg.conf",
        """
        dbhome %1$s/db
        logdir %1$s/logs
        dest adult {
          domainlist adult/domains
          log blocked.log
        }
        dest games {
          domainlist games/domains
          redirect 302:http://%2$s/blocked?cat=%%t&url=%%u
          log blocked.log
        }
        rew tonew {
          s@^http://old.test/@http://new.test/@r
          log blocked.log
        }
        acl {
          default {
            pass !adult !games all
            rewrite tonew
            redirect 302:http://%2$s/denied?client=%%a&cat=%%t&url=%%u
            log blocked.log
          }
        }
        """
            .formatted(dir, BLOCK_PAGE));
    site.write(
        "squid.conf",
        """
        http_port 127.0.0.1:%2$d
        pid_filename %1$s/squid.pid
        logformat withlocation %%ts.%%03tu %%6tr %%>a %%Ss/%%03>Hs %%<st %%rm %%ru %%[un %%Sh/%%<a %%mt "%%{Location}<h"
        access_log stdio:%1$s/logs/access.log squid
        access_log stdio:%1$s/logs/access-location.log withlocation
        cache_log %1$s/logs/cache.log
        cache_store_log none
        cache deny all
        coredump_dir %1$s/cache
        auth_param basic program /usr/lib/squid/basic_fake_auth
        acl lan src 127.0.0.0/8
        acl known proxy_auth REQUIRED
        http_access deny !known
        http_access allow lan
        http_access deny all
        url_rewrite_program %4$s -c %1$s/sg.conf
        url_rewrite_children 1 startup=1 idle=1
        dns_nameservers %3$s
        udp_outgoing_address %5$s
        hosts_file none
        pinger_enable off
        cache_effective_user proxy
        shutdown_lifetime 0 seconds
        """
            .formatted(dir, port, site.dnsAddress, squidGuard, site.proxyAddress));
    site.write(
        "dnsmasq.conf",
        """
        listen-address=%2$s
        bind-interfaces
        port=53
        user=root
        no-resolv
        no-hosts
        log-queries
        log-facility=%1$s/logs/dnsmasq.log
        pid-file=%1$s/dnsmasq.pid
        address=/sinkholed.test/0.0.0.0
        address=/nx.test/
        address=/allowed.test/%3$s
        address=/%4$s/%3$s
        """
            .formatted(dir, site.dnsAddress, site.blockPageAddress, BLOCK_PAGE));
    try {
      site.daemon("dnsmasq", dnsmasq, "-k", "-C", dir.resolve("dnsmasq.conf").toString());
      site.await("dnsmasq starts", () -> contains(site.dnsmasqLog(), "started, version"));
      site.daemon("squid", squid, "-N", "-f", dir.resolve("squid.conf").toString());
      site.await("squid accepts connections", site::accepting);
    } catch (Exception | AssertionError e) {
      site.stop();
      throw e;
    }
    return site;
  }

  /** A request through the proxy with curl, from {@code client} as {@code user}. */
  Request get(String client, String user, String url) throws Exception {
    Path out = Files.createTempFile(dir, "curl", ".out");
    Process p =
        new ProcessBuilder(
                "curl",
                "-sS",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "--max-time",
                "20",
                "--interface",
                client,
                "-x",
                "http://127.0.0.1:" + port,
                "--proxy-user",
                user + ":any-password",
                url)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("curl " + url).isTrue();
    String text = Files.readString(out, StandardCharsets.UTF_8).strip();
    // curl prints the CONNECT's refusal ("CONNECT tunnel failed, response 302") before the code
    // (000).
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("response (\\d{3})").matcher(text);
    int status =
        m.find()
            ? Integer.parseInt(m.group(1))
            : Integer.parseInt(text.substring(text.length() - 3));
    return new Request(client, user, url, status);
  }

  /** Stops squid (which writes its logs out) and dnsmasq. */
  void stop() throws InterruptedException {
    for (int i = daemons.size() - 1; i >= 0; i--) {
      Process p = daemons.get(i);
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    }
    daemons.clear();
  }

  /** Lines of a log the site wrote. */
  static List<String> lines(Path log) throws IOException {
    return Files.readAllLines(log, StandardCharsets.UTF_8);
  }

  private void daemon(String name, String program, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(program));
    command.addAll(List.of(args));
    ProcessBuilder b =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("logs/" + name + ".out").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    b.environment().put("TZ", "UTC"); // squidGuard and dnsmasq write local times
    daemons.add(b.start());
  }

  private boolean accepting() {
    for (Process p : daemons) {
      assertThat(p.isAlive()).as("%s", dir.resolve("logs")).isTrue();
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return contains(dir.resolve("logs/cache.log"), "Accepting HTTP Socket connections");
    } catch (IOException notYet) {
      return false;
    }
  }

  /** Polls {@code condition} until it holds, for at most 30 s. */
  private void await(String what, BooleanSupplier condition) {
    Awaitility.await(what + " (see " + dir.resolve("logs") + ")")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(condition::getAsBoolean);
  }

  private static boolean contains(Path file, String text) {
    try {
      return Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  private void write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
  }

  /** squid and squidGuard run as the proxy user: they read the folder and write the logs. */
  private static void open(Path dir) throws IOException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
  }
}
