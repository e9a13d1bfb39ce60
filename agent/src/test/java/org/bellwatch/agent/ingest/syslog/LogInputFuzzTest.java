package org.bellwatch.agent.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.bellwatch.agent.config.SyslogListener;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.metrics.DeadLetters;
import org.bellwatch.agent.net.Cidr;
import org.bellwatch.agent.parse.Samples;
import org.bellwatch.agent.parse.generic.GenericSamples;
import org.bellwatch.agent.parse.vendors.RecordParser;
import org.bellwatch.agent.parse.vendors.Vendor;
import org.junit.jupiter.api.Test;

/**
 * Bounded, deterministic mutation fuzz of log input: syslog frames through the frame decoder and
 * the receiver, and every vendor's sample lines through its parser. Nothing but a named {@link
 * MalformedException} may come out, nothing may hang, and every reason is snake_case.
 */
class LogInputFuzzTest {
  static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
  static final int MUTANTS_PER_LINE = 300;

  /**
   * Seed lines per vendor and format: logs made by real programs (unbound, bind9) run to a hundred
   * lines of one scenario, and this test's time is bounded; the lines that parse to a record go
   * first.
   */
  static final int MAX_SEED_LINES = 8;

  /**
   * What "nothing may hang" means here, as bounds that a loaded machine cannot trip: no single
   * input may cost more than this in CPU time of the thread handling it (unlike wall time, other
   * processes do not inflate it), which a super-linear pattern or a runaway loop on one input
   * exceeds by far, while a parse takes microseconds; and the whole run is preempted after {@link
   * #HANG} of wall time, for an endless loop.
   */
  static final Duration PER_INPUT_CPU = Duration.ofSeconds(1);

  static final Duration HANG = Duration.ofMinutes(2);
  static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** Bytes a mutation likes to insert: delimiters, framing digits, NUL, escapes, invalid UTF-8. */
  static final byte[] NASTY = {
    '\n',
    '\r',
    0,
    ' ',
    '<',
    '>',
    '"',
    '=',
    ',',
    '|',
    '\\',
    '%',
    '1',
    '9',
    0x1b,
    (byte) 0xff,
    (byte) 0xc3,
    (byte) 0x80,
    (byte) 0xed,
    (byte) 0xa0
  };

  static byte[] mutate(byte[] seed, Random r) {
    List<Byte> b = new ArrayList<>(seed.length + 8);
    for (byte x : seed) {
      b.add(x);
    }
    int edits = 1 + r.nextInt(4);
    for (int e = 0; e < edits; e++) {
      int at = b.isEmpty() ? 0 : r.nextInt(b.size());
      switch (r.nextInt(7)) {
        case 0 -> {
          if (!b.isEmpty()) {
            b.set(at, (byte) (b.get(at) ^ (1 << r.nextInt(8))));
          }
        }
        case 1 -> b.add(at, NASTY[r.nextInt(NASTY.length)]);
        case 2 -> {
          if (!b.isEmpty()) {
            b.remove(at);
          }
        }
        case 3 -> {
          // Cut the line short: fields go missing.
          while (b.size() > at) {
            b.remove(b.size() - 1);
          }
        }
        case 4 -> {
          // Repeat a stretch: long fields, doubled separators.
          int len = Math.min(b.size() - at, 1 + r.nextInt(40));
          List<Byte> copy = new ArrayList<>(b.subList(at, at + len));
          for (int k = 0; k < 1 + r.nextInt(50); k++) {
            b.addAll(at, copy);
          }
        }
        case 5 -> {
          if (!b.isEmpty()) {
            b.set(at, NASTY[r.nextInt(NASTY.length)]);
          }
        }
        default -> {
          // A huge number where a small one was.
          byte[] digits = Long.toString(r.nextLong()).getBytes(StandardCharsets.US_ASCII);
          for (int k = digits.length - 1; k >= 0; k--) {
            b.add(at, digits[k]);
          }
        }
      }
    }
    byte[] out = new byte[b.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.get(i);
    }
    return out;
  }

  @Test
  void mutatedVendorLinesEitherParseOrFailWithASnakeCaseReason() {
    Set<String> reasons = new TreeSet<>();
    assertTimeoutPreemptively(
        HANG,
        () -> {
          for (Vendor v : Vendor.values()) {
            Random r = new Random(v.id().hashCode());
            // The generic vendor is fuzzed under both of its sample mappings (regex, JSON lines).
            List<RecordParser> parsers =
                v == Vendor.GENERIC
                    ? List.of(
                        RecordParser.of(v, GenericSamples.CHICAGO_REGEX),
                        RecordParser.of(v, GenericSamples.UTC_JSON))
                    : List.of(RecordParser.of(v, Samples.UTC));
            List<List<String>> seeds =
                v == Vendor.GENERIC
                    ? List.of(
                        Samples.lines("generic", "generic.log"),
                        Samples.lines("generic", "generic-json.log"))
                    : List.of(Samples.lines(v.id()));
            for (int k = 0; k < parsers.size(); k++) {
              RecordParser parser = parsers.get(k);
              for (String seed : seedLines(parser, seeds.get(k))) {
                byte[] bytes = seed.getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < MUTANTS_PER_LINE; i++) {
                  String mutant = new String(mutate(bytes, r), StandardCharsets.UTF_8);
                  long cpu = THREADS.getCurrentThreadCpuTime();
                  try {
                    parser.parse(mutant);
                  } catch (MalformedException e) {
                    reasons.add(e.reason());
                    assertThat(e.reason()).as("%s reason for %s", v.id(), mutant).matches(SNAKE);
                  } catch (RuntimeException e) {
                    fail(v.id() + " threw " + e + " on: " + mutant, e);
                  }
                  assertCpuBounded(cpu, v.id() + " parsing " + mutant);
                }
              }
            }
          }
        });
    assertThat(reasons).isNotEmpty();
  }

  /**
   * Fails when the current thread spent more than {@link #PER_INPUT_CPU} of CPU time since {@code
   * startCpu}.
   */
  static void assertCpuBounded(long startCpu, String what) {
    assertThat(Duration.ofNanos(THREADS.getCurrentThreadCpuTime() - startCpu))
        .as("CPU time on %s", what)
        .isLessThan(PER_INPUT_CPU);
  }

  /**
   * At most {@link #MAX_SEED_LINES} of {@code lines}, in file order: every line when there are no
   * more, else lines spread evenly over those that parse to a record, then over the rest (sample
   * files keep malformed lines on purpose: they are seeds too).
   */
  static List<String> seedLines(RecordParser parser, List<String> lines) {
    if (lines.size() <= MAX_SEED_LINES) {
      return lines;
    }
    List<Integer> records = new ArrayList<>();
    List<Integer> others = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      (parsesToRecord(parser, lines.get(i)) ? records : others).add(i);
    }
    Set<Integer> chosen = new TreeSet<>(spread(records, MAX_SEED_LINES));
    chosen.addAll(spread(others, MAX_SEED_LINES - chosen.size()));
    return chosen.stream().map(lines::get).toList();
  }

  private static boolean parsesToRecord(RecordParser parser, String line) {
    try {
      return parser.parse(line) != null;
    } catch (MalformedException e) {
      return false;
    }
  }

  private static List<Integer> spread(List<Integer> from, int count) {
    int n = Math.min(count, from.size());
    List<Integer> out = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      out.add(from.get(k * from.size() / n));
    }
    return out;
  }

  @Test
  void mutatedSyslogStreamsAreCutIntoBoundedFramesAndEveryFrameIsCountedNeverThrown() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    BellwatchMeters meters = new BellwatchMeters(registry);
    int max = 2048;
    SyslogListener cfg =
        new SyslogListener(
            "fuzz",
            "tcp",
            InetAddress.getLoopbackAddress(),
            0,
            "squid",
            List.of(Cidr.parse("127.0.0.0/8")),
            ZoneId.of("UTC"),
            max,
            0,
            1,
            null,
            null);
    SyslogReceiver receiver =
        new SyslogReceiver(
            cfg, meters, Clock.fixed(Instant.parse("2026-09-20T00:00:00Z"), ZoneOffset.UTC));
    String squid = Samples.line("squid", "connect-denied-with-user");
    List<byte[]> seeds =
        List.of(
            ("<166>Sep 15 08:10:00 proxy1 squid[812]: " + squid + "\n")
                .getBytes(StandardCharsets.UTF_8),
            octets("<166>1 2026-09-15T19:00:00Z proxy1 squid 812 - - " + squid),
            octets("<13>1 - - - - - - \ninjected\u001b[31m line"),
            ("x".repeat(max + 5) + "\n<166>Sep 15 08:10:00 proxy1 squid[812]: " + squid + "\n")
                .getBytes(StandardCharsets.UTF_8));
    int[] frames = {0};
    assertTimeoutPreemptively(
        HANG,
        () -> {
          Random r = new Random(42);
          for (int i = 0; i < 1500; i++) {
            long cpu = THREADS.getCurrentThreadCpuTime();
            EmbeddedChannel ch = new EmbeddedChannel(new SyslogFrameDecoder(max, () -> {}));
            byte[] stream =
                mutate(
                    concat(seeds.get(r.nextInt(seeds.size())), seeds.get(r.nextInt(seeds.size()))),
                    r);
            // Random read boundaries, as TCP delivers them.
            for (int at = 0; at < stream.length; ) {
              int n = Math.min(stream.length - at, 1 + r.nextInt(64));
              ch.writeInbound(Unpooled.wrappedBuffer(stream, at, n));
              at += n;
            }
            ch.finish();
            byte[] frame;
            while ((frame = ch.readInbound()) != null) {
              assertThat(frame.length).isLessThanOrEqualTo(max);
              receiver.receive(frame);
              frames[0]++;
            }
            assertCpuBounded(cpu, "the stream " + new String(stream, StandardCharsets.UTF_8));
          }
        });
    assertThat(frames[0]).isGreaterThan(1500);
    for (Counter c : registry.find(BellwatchMeters.LOG_MALFORMED).counters()) {
      assertThat(c.getId().getTag("reason")).matches(SNAKE).isNotEqualTo("parser_error");
    }
    assertThat(meters.deadLetters().snapshot())
        .hasSizeLessThanOrEqualTo(DeadLetters.PER_VENDOR)
        .allSatisfy(
            l ->
                assertThat(l.line().getBytes(StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(DeadLetters.MAX_LINE_BYTES));
  }

  // Regressions found by the fuzz above: each threw a RuntimeException before.

  @Test
  void anIscDhcpdLeaseDurationTooLongForALongIsANamedFailure() {
    assertThatThrownBy(
            () ->
                RecordParser.of(Vendor.ISC_DHCPD, Samples.UTC)
                    .parse(
                        "<30>Sep 15 07:31:00 dhcp1"
                            + " dhcpd[3301]: DHCPACK on 10.0.2.40 to 02:00:5e:10:02:40 (RM202-CB40) via eth1 lease-duration"
                            + " 534163266269579697528800"))
        .isInstanceOf(MalformedException.class)
        .hasMessageContaining("isc_dhcpd_bad_lease_secs");
  }

  @Test
  void aKeaLeaseLifetimeTooLongForALongIsANamedFailure() {
    assertThatThrownBy(
            () ->
                RecordParser.of(Vendor.KEA, Samples.UTC)
                    .parse(
                        "2026-09-15 07:32:00.120 INFO"
                            + "  [kea-dhcp4.leases/1201.40] DHCP4_LEASE_ALLOC [hwtype=1 02:00:5e:10:03:50], cid=[01:02:00:5e:10:03:50],"
                            + " tid=0x5a1: lease 10.0.3.50 has been allocated for 72529228963957660965200 seconds"))
        .isInstanceOf(MalformedException.class)
        .hasMessageContaining("kea_bad_lease_secs");
  }

  @Test
  void aKeaLeaseFileExpiryBeyondTheInstantRangeIsABadTimeNotADateTimeException() {
    // Found by Jazzer (scripts/fuzz vendorLines); the input is kept in fuzz/vendor_lines/ too.
    RecordParser parser = RecordParser.of(Vendor.KEA_LEASES, Samples.UTC);
    assertThatThrownBy(
            () ->
                parser.parse(
                    "10.0.3.60,02:00:5e:10:03:60,01:02:00:5e:10:03:60,7200,"
                        + "2222222222222222218,3,0,0,rm303-cb60,2,,0"))
        .isInstanceOf(MalformedException.class)
        .hasMessageContaining("kea_leases_bad_time");
    assertThatThrownBy(
            () ->
                parser.parse(
                    "10.0.3.60,02:00:5e:10:03:60,01:02:00:5e:10:03:60,9223372036854775807,"
                        + "-9223372036854775807,3,0,0,rm303-cb60,0,,0"))
        .isInstanceOf(MalformedException.class)
        .hasMessageContaining("kea_leases_bad_time");
  }

  @Test
  void anEpochTimestampBeyondTheYear9999IsABadTimestampNotADateTimeException() {
    assertThatThrownBy(
            () ->
                RecordParser.of(Vendor.MERAKI, Samples.UTC)
                    .parse(
                        "<134>1 1789488601000000000 MX-HS"
                            + " flows src=10.60.5.21 dst=198.51.100.51 mac=02:00:5E:10:00:21 protocol=tcp sport=51235 dport=6881"
                            + " pattern: deny (dst port 6881)"))
        .isInstanceOf(MalformedException.class)
        .hasMessageContaining("syslog_bad_timestamp");
  }

  static byte[] octets(String message) {
    byte[] m = message.getBytes(StandardCharsets.UTF_8);
    return concat((m.length + " ").getBytes(StandardCharsets.US_ASCII), m);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
