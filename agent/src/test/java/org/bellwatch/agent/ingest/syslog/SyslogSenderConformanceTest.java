package org.bellwatch.agent.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.bellwatch.agent.config.SyslogListener;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.ParsedRecord;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.net.Cidr;
import org.bellwatch.agent.testing.SyslogSenders;
import org.bellwatch.agent.testing.TestCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The syslog senders schools run, as Debian ships them, against live listeners: util-linux {@code
 * logger} (RFC 3164, RFC 5424 with and without structured data, LF and octet-counted TCP),
 * rsyslog's {@code omfwd} in its three forward formats over UDP, TCP and TLS, and syslog-ng's
 * {@code network()} and {@code syslog()} drivers; rsyslog also with a BOM before MSG. Each sender
 * carries the same Squid lines; every one must arrive as the record the Squid parser makes of the
 * bare line, and nothing may be counted as malformed, skipped, dropped or kept as a dead letter. A
 * line with a line break inside travels where the framing keeps a message whole (UDP, octet
 * counting); LF framing cuts it by definition (RFC 6587 section 3.4.2), so it is not sent there.
 *
 * <p>rsyslog and syslog-ng run in the foreground with a configuration, socket, pid file and work
 * folder in a temporary folder, fed through a local socket of their own by {@code logger -u}; the
 * machine's own logging is not touched. See {@link SyslogSenders} for where the programs come from.
 */
class SyslogSenderConformanceTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  /** A vendor line and the record it must become. */
  record Line(String text, FilterEvent record) {}

  static final List<Line> LINES =
      List.of(
          new Line(
              "1789485001.250 5 10.0.1.21 TCP_DENIED/403 3900 GET http://games.example.com/id-1 alice HIER_NONE/-"
                  + " text/html",
              event(
                  1789485001.25,
                  "10.0.1.21",
                  "alice",
                  "http://games.example.com/id-1",
                  "games.example.com",
                  Action.BLOCKED,
                  "TCP_DENIED/403 GET http://games.example.com/id-1 user alice")),
          new Line(
              "1789485002.500 12 10.0.1.22 TCP_MISS/200 5120 GET http://docs.example.edu/id-2 - HIER_DIRECT/198.51.100.7"
                  + " text/html",
              event(
                  1789485002.5,
                  "10.0.1.22",
                  null,
                  "http://docs.example.edu/id-2",
                  "docs.example.edu",
                  Action.ALLOWED,
                  "TCP_MISS/200 GET http://docs.example.edu/id-2")),
          new Line(
              "1789485003.750 3 10.0.1.23 TCP_DENIED/403 3900 CONNECT chat.example.net:443 zoë HIER_NONE/- -",
              event(
                  1789485003.75,
                  "10.0.1.23",
                  "zoë",
                  "chat.example.net:443",
                  "chat.example.net",
                  Action.BLOCKED,
                  "TCP_DENIED/403 CONNECT chat.example.net:443 user zoë")));

  /** A line broken in two by a line feed between its fields. */
  static final Line MULTI_LINE =
      new Line(
          "1789485004.000 7 10.0.1.24 TCP_DENIED/403 3900 GET"
              + " http://video.example.org/id-4\nbob HIER_NONE/- text/html",
          event(
              1789485004,
              "10.0.1.24",
              "bob",
              "http://video.example.org/id-4",
              "video.example.org",
              Action.BLOCKED,
              "TCP_DENIED/403 GET http://video.example.org/id-4 user bob"));

  static FilterEvent event(
      double time,
      String client,
      String user,
      String url,
      String domain,
      Action action,
      String summary) {
    long millis = Math.round(time * 1000);
    return new FilterEvent(
        Instant.ofEpochMilli(millis),
        AddressText.parseIp(client),
        user,
        url,
        domain,
        null,
        action,
        "squid",
        action == Action.BLOCKED ? "proxy-deny" : null,
        null,
        summary,
        null);
  }

  static List<Line> withMultiLine() {
    List<Line> all = new ArrayList<>(LINES);
    all.add(MULTI_LINE);
    return all;
  }

  /** One certificate for the class's TLS listeners: keytool is a JVM start of its own. */
  @TempDir static Path certificateDir;

  private static TestCertificate certificate;

  @TempDir Path dir;

  private final List<Listener> listeners = new ArrayList<>();
  private final List<Process> daemons = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : daemons) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    listeners.forEach(l -> l.server.close());
  }

  // ---- util-linux logger, straight to the listener ----

  /**
   * Regression: logger's default RFC 5424 message, with [timeQuality ...], was counted as
   * squid_bad_time.
   */
  @Test
  void loggersDefaultRfc5424MessageOverUdpArrivesAsTheSquidLineItCarries() throws Exception {
    Listener l = listen("logger-udp", "udp");
    log(List.of("-n", "127.0.0.1", "-P", l.port(), "--udp"), LINES);
    l.assertCarried(LINES);
  }

  /** logger's header options over each transport: {@code protocol}, then its options. */
  static Stream<List<String>> loggerModes() {
    return Stream.of(
        List.of("udp", "--rfc3164"),
        List.of("udp", "--rfc5424=notq"),
        List.of(
            "udp",
            "--rfc5424",
            "--id=812",
            "--msgid=ACCESS",
            "--sd-id=bw@32473",
            "--sd-param=note=\"a \\\"quoted\\\" \\\\ \\] value\"",
            "--sd-param=id=\"4\""),
        List.of("tcp"),
        List.of("tcp", "--rfc3164"),
        List.of("tcp", "--octet-count"),
        List.of("tcp", "--octet-count", "--rfc3164"),
        List.of("tcp", "--octet-count", "--rfc5424=notq"));
  }

  @ParameterizedTest(name = "logger --{0}")
  @MethodSource("loggerModes")
  void everyLoggerHeaderAndFramingArrivesAsTheSquidLinesItCarries(List<String> mode)
      throws Exception {
    String protocol = mode.get(0);
    Listener l = listen("logger-" + protocol, protocol);
    // An LF-framed stream cuts a message at its line feed (RFC 6587 section 3.4.2): no multi-line
    // line there.
    List<Line> lines =
        protocol.equals("tcp") && !mode.contains("--octet-count") ? LINES : withMultiLine();
    List<String> args =
        new ArrayList<>(List.of("-n", "127.0.0.1", "-P", l.port(), "--" + protocol));
    args.addAll(mode.subList(1, mode.size()));
    log(args, lines);
    l.assertCarried(lines);
  }

  // ---- rsyslog omfwd ----

  /**
   * rsyslog's three forward formats, and RFC 5424 with a BOM before MSG (section 6.4) as rsyslog's
   * documentation shows it with the {@code $bom} property: a template of our own, {@code
   * Rfc5424Bom}.
   */
  static final List<String> RSYSLOG_FORMATS =
      List.of(
          "RSYSLOG_TraditionalForwardFormat",
          "RSYSLOG_SyslogProtocol23Format",
          "RSYSLOG_ForwardFormat",
          "Rfc5424Bom");

  @Test
  void rsyslogForwardsEachFormatOverUdpAsTheSquidLinesItCarries() throws Exception {
    List<Listener> ls = new ArrayList<>();
    StringBuilder actions = new StringBuilder();
    for (String format : RSYSLOG_FORMATS) {
      Listener l = listen("rsyslog-udp-" + format, "udp");
      ls.add(l);
      actions.append(omfwd(l, "udp", format, ""));
    }
    Path socket = rsyslog(actions.toString(), "", false);
    feed(socket, withMultiLine());
    for (Listener l : ls) {
      l.assertCarried(withMultiLine());
    }
  }

  @Test
  void rsyslogForwardsEachFormatOverTcpWithEitherFramingAsTheSquidLinesItCarries()
      throws Exception {
    assertRsyslogStreams("tcp", false);
  }

  @Test
  void rsyslogForwardsEachFormatOverTlsWithEitherFramingAsTheSquidLinesItCarries()
      throws Exception {
    assertRsyslogStreams("tls", true);
  }

  /**
   * One rsyslogd with an action per format and framing, each to its own listener. Octet-counted
   * actions get every line; LF-framed ones only the single lines, picked by the tag they were
   * logged with.
   */
  private void assertRsyslogStreams(String protocol, boolean tls) throws Exception {
    List<Listener> octets = new ArrayList<>();
    List<Listener> lf = new ArrayList<>();
    StringBuilder everyLine = new StringBuilder();
    StringBuilder singleLines = new StringBuilder();
    String driver =
        tls
            ? " StreamDriver=\"gtls\" StreamDriverMode=\"1\" StreamDriverAuthMode=\"x509/name\""
                + " StreamDriverPermittedPeers=\"localhost\" StreamDriver.CAFile=\""
                + certificate().certPem()
                + "\""
            : "";
    for (String format : RSYSLOG_FORMATS) {
      Listener o = listen("rsyslog-" + protocol + "-octets-" + format, protocol);
      octets.add(o);
      everyLine.append(omfwd(o, "tcp", format, " TCP_Framing=\"octet-counted\"" + driver));
      Listener t = listen("rsyslog-" + protocol + "-lf-" + format, protocol);
      lf.add(t);
      singleLines.append(omfwd(t, "tcp", format, " TCP_Framing=\"traditional\"" + driver));
    }
    Path socket = rsyslog(everyLine.toString(), singleLines.toString(), tls);
    feed(socket, withMultiLine());
    for (Listener l : octets) {
      l.assertCarried(withMultiLine());
    }
    for (Listener l : lf) {
      l.assertCarried(LINES);
    }
  }

  private static String omfwd(Listener l, String protocol, String template, String options) {
    return "  action(type=\"omfwd\" target=\"127.0.0.1\" port=\""
        + l.port()
        + "\" protocol=\""
        + protocol
        + "\" template=\""
        + template
        + "\""
        + options
        + ")\n";
  }

  /**
   * Starts rsyslogd with a local input socket whose messages go to {@code everyLine} actions, and
   * those logged with the tag {@code squid} (not {@code squid-multi}) also to {@code singleLines}.
   * Control characters are kept as sent (rsyslog escapes a line feed as {@code #012} by default).
   */
  private Path rsyslog(String everyLine, String singleLines, boolean tls) throws Exception {
    Path work = Files.createDirectories(dir.resolve("rsyslog"));
    Path socket = work.resolve("in.sock");
    Path conf = work.resolve("rsyslog.conf");
    Files.writeString(
        conf,
        """
        global(workDirectory="%1$s" parser.escapeControlCharactersOnReceive="off")
        module(load="imuxsock" SysSock.Use="off")
        input(type="imuxsock" Socket="%2$s" RateLimit.Interval="0" Ruleset="forward")
        template(name="Rfc5424Bom" type="string" string="<%%PRI%%>1 %%TIMESTAMP:::date-rfc3339%%\
         %%HOSTNAME%% %%APP-NAME%% %%PROCID%% %%MSGID%% %%STRUCTURED-DATA%% %%$bom%%%%msg%%")
        ruleset(name="forward") {
        %3$s%4$s}
        """
            .formatted(
                work,
                socket,
                everyLine,
                singleLines.isEmpty()
                    ? ""
                    : "  if $programname == \"squid\" then {\n" + singleLines + "  }\n"));
    SyslogSenders.Program rsyslogd = SyslogSenders.rsyslogd(tls);
    checkConfig("rsyslogd", rsyslogd, "-N1", "-f", conf.toString());
    daemon(
        "rsyslogd",
        rsyslogd,
        socket,
        "-n",
        "-f",
        conf.toString(),
        "-i",
        work.resolve("rsyslogd.pid").toString());
    return socket;
  }

  // ---- syslog-ng ----

  @Test
  void syslogNgNetworkAndSyslogDriversOverUdpDeliverTheSquidLinesTheyCarry() throws Exception {
    Listener network = listen("syslog-ng-network-udp", "udp");
    Listener syslog = listen("syslog-ng-syslog-udp", "udp");
    Path socket =
        syslogNg(
            List.of(
                "network(\"127.0.0.1\" port(" + network.port() + ") transport(\"udp\")",
                "syslog(\"127.0.0.1\" port(" + syslog.port() + ") transport(\"udp\")"),
            List.of());
    feed(socket, withMultiLine());
    network.assertCarried(withMultiLine());
    syslog.assertCarried(withMultiLine());
  }

  @Test
  void syslogNgNetworkAndSyslogDriversOverTcpAndTlsDeliverTheSquidLinesTheyCarry()
      throws Exception {
    Listener network = listen("syslog-ng-network-tcp", "tcp");
    Listener syslog = listen("syslog-ng-syslog-tcp", "tcp");
    Listener syslogTls = listen("syslog-ng-syslog-tls", "tls");
    String trust =
        "tls(ca-file(\"" + certificate().certPem() + "\") peer-verify(required-trusted))";
    // network() frames by LF, syslog() by octet counting (RFC 6587 section 3.4.1, RFC 5425).
    Path socket =
        syslogNg(
            List.of(
                "syslog(\"127.0.0.1\" port(" + syslog.port() + ") transport(\"tcp\")",
                "syslog(\"localhost\" port(" + syslogTls.port() + ") transport(\"tls\") " + trust),
            List.of("network(\"127.0.0.1\" port(" + network.port() + ") transport(\"tcp\")"));
    feed(socket, withMultiLine());
    syslog.assertCarried(withMultiLine());
    syslogTls.assertCarried(withMultiLine());
    network.assertCarried(LINES);
  }

  /**
   * Starts syslog-ng with a local input socket whose messages go to the {@code everyLine}
   * destinations, and those logged with the program name {@code squid} also to {@code singleLines}.
   * Each destination is a driver call without its closing parenthesis; a persist name is added,
   * since two drivers to the same host and transport would otherwise share one.
   */
  private Path syslogNg(List<String> everyLine, List<String> singleLines) throws Exception {
    SyslogSenders.Program program = SyslogSenders.syslogNg();
    Path work = Files.createDirectories(dir.resolve("syslog-ng"));
    Path socket = work.resolve("in.sock");
    StringBuilder conf =
        new StringBuilder("@version: " + SyslogSenders.syslogNgVersion(program) + "\n");
    conf.append("source s_in { unix-dgram(\"").append(socket).append("\"); };\n");
    conf.append("filter f_single { program(\"^squid$\"); };\n");
    List<String> drivers = new ArrayList<>(everyLine);
    drivers.addAll(singleLines);
    for (int n = 0; n < drivers.size(); n++) {
      String name = "d" + n;
      conf.append("destination ")
          .append(name)
          .append(" { ")
          .append(drivers.get(n))
          .append(" persist-name(\"")
          .append(name)
          .append("\")); };\n");
      conf.append("log { source(s_in); ")
          .append(n >= everyLine.size() ? "filter(f_single); " : "")
          .append("destination(")
          .append(name)
          .append("); };\n");
    }
    Files.writeString(work.resolve("syslog-ng.conf"), conf);
    checkConfig(
        "syslog-ng", program, "--syntax-only", "-f", work.resolve("syslog-ng.conf").toString());
    daemon(
        "syslog-ng",
        program,
        socket,
        "-F",
        "--no-caps",
        "-f",
        work.resolve("syslog-ng.conf").toString(),
        "-p",
        work.resolve("syslog-ng.pid").toString(),
        "-R",
        work.resolve("syslog-ng.persist").toString(),
        "-c",
        work.resolve("syslog-ng.ctl").toString());
    return socket;
  }

  // ---- plumbing ----

  /**
   * A daemon's own check of the configuration written for it: a mistake there fails here, with its
   * words.
   */
  private static void checkConfig(String name, SyslogSenders.Program program, String... args)
      throws Exception {
    Process p = program.with(List.of(args)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s %s: %s", name, List.of(args), out).isZero();
  }

  /** Starts a sender daemon and waits until it has made its input socket. */
  private void daemon(String name, SyslogSenders.Program program, Path socket, String... args)
      throws Exception {
    Path log = dir.resolve(name + ".log");
    Process p =
        program.with(List.of(args)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    daemons.add(p);
    try {
      Awaitility.await(name + " making its socket")
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(10))
          .until(
              () -> {
                assertThat(p.isAlive()).as("%s exited: %s", name, Files.readString(log)).isTrue();
                return Files.exists(socket);
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          name + " made no socket in " + WAIT + ": " + Files.readString(log), e);
    }
  }

  /**
   * Logs every line to a daemon's input socket, single lines with the tag squid, the others
   * squid-multi.
   */
  private void feed(Path socket, List<Line> lines) throws Exception {
    log(List.of("-u", socket.toString()), lines);
  }

  /**
   * Runs logger with {@code args} for {@code lines}, in order: single lines are written to its
   * standard input (one message per line, as UTF-8 whatever the JVM's locale), tagged squid; a line
   * with a line break is its message argument, tagged squid-multi.
   */
  private void log(List<String> args, List<Line> lines) throws Exception {
    List<String> single = new ArrayList<>();
    for (Line line : lines) {
      if (line.text().indexOf('\n') < 0) {
        single.add(line.text());
        continue;
      }
      logger(args, "squid", single);
      single.clear();
      List<String> withMessage = new ArrayList<>(args);
      withMessage.addAll(List.of("-t", "squid-multi", line.text()));
      run(withMessage, "");
    }
    logger(args, "squid", single);
  }

  private void logger(List<String> args, String tag, List<String> stdinLines) throws Exception {
    if (!stdinLines.isEmpty()) {
      List<String> withTag = new ArrayList<>(args);
      withTag.addAll(List.of("-t", tag));
      run(withTag, String.join("\n", stdinLines) + "\n");
    }
  }

  private void run(List<String> args, String stdin) throws IOException, InterruptedException {
    SyslogSenders.Program logger = SyslogSenders.logger();
    Process p = logger.with(args).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s %s: %s", logger.command(), args, out).isZero();
  }

  private static synchronized TestCertificate certificate() throws Exception {
    if (certificate == null) {
      certificate = TestCertificate.create(certificateDir, "syslog");
    }
    return certificate;
  }

  private Listener listen(String name, String protocol) throws Exception {
    Listener l =
        new Listener(
            name.replace("RSYSLOG_", "").replace("Format", ""),
            protocol,
            protocol.equals("tls") ? certificate() : null);
    listeners.add(l);
    return l;
  }

  /** One live listener of the agent's, with its own meters, handing records to a queue. */
  private static final class Listener {
    final String name;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final BellwatchMeters meters = new BellwatchMeters(registry);
    final LinkedBlockingQueue<ParsedRecord> records = new LinkedBlockingQueue<>();
    final SyslogServer server;

    Listener(String name, String protocol, TestCertificate cert) throws Exception {
      this.name = name;
      SyslogListener cfg =
          new SyslogListener(
              name,
              protocol,
              InetAddress.getLoopbackAddress(),
              0,
              "squid",
              List.of(Cidr.parse("127.0.0.0/8")),
              ZoneOffset.UTC,
              65536,
              0,
              1,
              cert == null ? null : cert.certPem(),
              cert == null ? null : cert.keyPem());
      this.server =
          SyslogServer.start(
              List.of(cfg),
              new SyslogSink() {
                @Override
                public boolean offer(ParsedRecord record) {
                  return records.add(record);
                }

                @Override
                public boolean offerAll(List<ParsedRecord> batch) {
                  return records.addAll(batch);
                }

                @Override
                public void whenSpace(Runnable resume) {
                  resume.run();
                }
              },
              meters,
              Clock.systemUTC());
    }

    String port() {
      return Integer.toString(server.address(name).getPort());
    }

    /**
     * Every line arrived, in order, as the record its parser makes of it; one message each, and
     * nothing counted as malformed, skipped, oversize or dropped.
     */
    void assertCarried(List<Line> lines) throws InterruptedException {
      List<FilterEvent> got = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        ParsedRecord r = records.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(r)
            .as(
                "%s: record %d of %d; so far %s; dead letters %s",
                name, i + 1, lines.size(), got, meters.deadLetters().snapshot())
            .isNotNull();
        FilterEvent e = (FilterEvent) r;
        got.add(
            new FilterEvent(
                e.time(),
                e.clientIp(),
                e.user(),
                e.url(),
                e.domain(),
                e.category(),
                e.action(),
                e.vendor(),
                e.method(),
                e.rule(),
                e.summary(),
                null));
      }
      assertThat(got).as(name).containsExactlyElementsOf(lines.stream().map(Line::record).toList());
      assertThat(meters.deadLetters().snapshot()).as(name + " dead letters").isEmpty();
      assertThat(sum(BellwatchMeters.SYSLOG_RECEIVED))
          .as(name + " messages received")
          .isEqualTo(lines.size());
      for (String problem :
          List.of(
              BellwatchMeters.LOG_MALFORMED,
              BellwatchMeters.SYSLOG_OVERSIZE,
              BellwatchMeters.SYSLOG_DROPPED)) {
        assertThat(sum(problem)).as(name + " " + problem).isZero();
      }
      assertThat(registry.find(BellwatchMeters.LOG_LINES).tag("result", "skipped").counters())
          .as(name + " skipped")
          .allMatch(c -> c.count() == 0);
    }

    private double sum(String meter) {
      return registry.find(meter).counters().stream().mapToDouble(Counter::count).sum();
    }
  }
}
