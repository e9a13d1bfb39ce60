package org.bellwatch.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.bellwatch.agent.correlate.AttemptSink;
import org.bellwatch.agent.correlate.Attributor;
import org.bellwatch.agent.correlate.BlockEvidence;
import org.bellwatch.agent.correlate.Correlator;
import org.bellwatch.agent.correlate.StoredAttempts;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.event.Times;
import org.bellwatch.agent.identity.LeaseTable;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.sim.SiteSimulator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Correlation of block evidence at school-district scale (issue 5, "Fast"): 10,000 devices whose
 * lease history holds 1,000,000 bindings (100 school days of one lease per device per day, each day
 * on other addresses), the 2,000-device school's schedule from {@link SiteSimulator.Scale#SCHOOL},
 * and a day of block evidence from those devices (40% of it with a user name, a fifth of those with
 * a second piece of evidence for the same attempt). {@code correlate} runs evidence through the
 * {@link Correlator} (merge, reorder window, lease lookup, room, section, evidence lines) to {@link
 * org.bellwatch.agent.event.BlockEvent}s; {@code attributeOnly} calls the {@link Attributor} alone.
 * Scores are evidence per second on one thread.
 *
 * <pre>
 * mvn -o -B -Pbenchmarks -DskipTests package
 * java -jar agent/target/benchmarks.jar CorrelationBenchmark
 * </pre>
 *
 * The identity state's memory per device and per lease: {@link IdentityMemory}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(
    value = 1,
    jvmArgs = {"-Xms4g", "-Xmx4g"})
public class CorrelationBenchmark {
  static final int DEVICES = 10_000;
  static final int DAYS = 100;
  static final int EVIDENCE = 200_000;
  static final LocalDate LAST_DAY = LocalDate.of(2026, 11, 2);
  static final ZoneId ZONE = SiteSimulator.ZONE;
  static final String[] DOMAINS = {
    "www.tiktok.com",
    "www.roblox.com",
    "discord.com",
    "www.twitch.tv",
    "poki.com",
    "www.coolmathgames.com",
    "www.instagram.com",
    "www.snapchat.com"
  };

  LeaseTable leases;
  Attributor attributor;
  BlockEvidence[] evidence;
  List<List<BlockEvidence>> singles;

  /**
   * A lease table of {@code DAYS} days, each device re-acknowledged on a shuffled address per day.
   */
  static LeaseTable history(
      List<InetAddress> addresses, List<String> macs, List<String> hostnames) {
    LeaseTable t = new LeaseTable();
    SplittableRandom rnd = new SplittableRandom(7);
    for (int day = DAYS - 1; day >= 0; day--) {
      Instant morning = LAST_DAY.minusDays(day).atTime(7, 30).atZone(ZONE).toInstant();
      int offset = rnd.nextInt(addresses.size());
      for (int d = 0; d < DEVICES; d++) {
        InetAddress ip = addresses.get((d + offset) % addresses.size());
        Instant at = morning.plusMillis(rnd.nextInt(30 * 60_000));
        // As the pipeline does for each captured ACK: new strings per observation.
        String mac = String.valueOf(macs.get(d).toCharArray());
        t.observeHostname(mac, String.valueOf(hostnames.get(d).toCharArray()));
        t.acknowledge(ip, mac, null, at, 9 * 3600, "DHCP ACK from 10.10.0.2 at " + Times.iso(at));
      }
    }
    return t;
  }

  static List<InetAddress> addresses(int n) throws IOException {
    List<InetAddress> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          InetAddress.getByAddress(
              new byte[] {10, (byte) (20 + (i >> 16)), (byte) (i >> 8), (byte) i}));
    }
    return out;
  }

  /** Devices of the simulated school's rooms (RM101..RM160), named as the pattern expects. */
  static List<String> hostnames() {
    List<String> out = new ArrayList<>();
    for (int d = 0; d < DEVICES; d++) {
      out.add(
          d % 10 == 9
              ? "android-" + Integer.toHexString(0x100000 + d)
              : String.format("RM%d-CB%03d", 101 + d % 60, d / 60));
    }
    return out;
  }

  static List<String> macs() {
    List<String> out = new ArrayList<>();
    for (int d = 0; d < DEVICES; d++) {
      out.add(String.format("a4:34:d9:%02x:%02x:%02x", d >> 16, (d >> 8) & 0xFF, d & 0xFF));
    }
    return out;
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path dir = Files.createTempDirectory("bellwatch-bench");
    SiteSimulator.simulate(1, LAST_DAY, SiteSimulator.Scale.SCHOOL, dir);
    SiteModel site = SiteModel.load(dir.resolve("schedule"), ZONE);
    List<InetAddress> addresses = addresses(DEVICES * 2);
    List<String> macs = macs();
    List<String> names = hostnames();
    leases = history(addresses, macs, names);
    attributor = new Attributor(leases, () -> site, Pattern.compile("^(?<room>[A-Za-z]+\\d*)-"));
    // A school day of evidence from devices holding a lease on the last day.
    List<String> users = new ArrayList<>();
    for (String line :
        Files.readAllLines(dir.resolve("schedule/oneroster/users.csv")).subList(1, 200)) {
      users.add(line.split(",")[6]);
    }
    SplittableRandom rnd = new SplittableRandom(11);
    Instant start = LAST_DAY.atTime(8, 0).atZone(ZONE).toInstant();
    long spacingMicros = 7L * 3600 * 1_000_000 / EVIDENCE;
    List<BlockEvidence> list = new ArrayList<>();
    List<InetAddress> held = new ArrayList<>();
    for (int d = 0; d < DEVICES; d++) {
      InetAddress ip = addresses.get(d % addresses.size());
      if (leases.at(ip, start) != null) {
        held.add(ip);
      }
    }
    for (int i = 0; list.size() < EVIDENCE; i++) {
      Instant t = start.plusNanos(i * spacingMicros * 1000);
      InetAddress ip = held.get(rnd.nextInt(held.size()));
      String domain = DOMAINS[rnd.nextInt(DOMAINS.length)];
      String user = rnd.nextInt(10) < 4 ? users.get(rnd.nextInt(users.size())) : null;
      list.add(
          new BlockEvidence(
              t,
              ip,
              domain,
              user == null ? null : domain + ":443",
              user,
              null,
              user == null ? "dns" : "squid",
              user == null ? "dns-sinkhole" : "proxy-deny",
              (user == null ? "dns: " : "squid: ")
                  + ip.getHostAddress()
                  + " "
                  + domain
                  + " at "
                  + Times.iso(t)));
      if (rnd.nextInt(10) < 2 && list.size() < EVIDENCE) {
        Instant retry = t.plusMillis(300);
        list.add(
            new BlockEvidence(
                retry,
                ip,
                domain,
                null,
                null,
                null,
                "dns",
                "dns-sinkhole",
                "dns: retry at " + Times.iso(retry)));
        i++;
      }
    }
    evidence = list.toArray(new BlockEvidence[0]);
    singles = new ArrayList<>();
    for (BlockEvidence e : evidence) {
      singles.add(List.of(e));
    }
  }

  @Benchmark
  @OperationsPerInvocation(EVIDENCE)
  public void correlate(Blackhole bh) {
    Correlator c =
        new Correlator(
            attributor,
            new Correlator.Windows(
                Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(15)),
            StoredAttempts.NONE,
            Instant.MIN,
            new AttemptSink() {
              @Override
              public void emitted(List<BlockEvidence> evidence, BlockEvent event) {
                bh.consume(event);
              }

              @Override
              public void merged(
                  BlockEvent before,
                  BlockEvidence added,
                  List<BlockEvidence> evidence,
                  BlockEvent after) {
                bh.consume(after);
              }
            });
    for (BlockEvidence e : evidence) {
      c.offer(e);
    }
    c.flush();
  }

  @Benchmark
  @OperationsPerInvocation(EVIDENCE)
  public void attributeOnly(Blackhole bh) {
    for (List<BlockEvidence> one : singles) {
      bh.consume(attributor.attribute(one));
    }
  }
}
