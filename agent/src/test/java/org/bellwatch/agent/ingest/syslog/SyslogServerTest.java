package org.bellwatch.agent.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.net.Cidr;
import org.bellwatch.agent.net.IpLiteral;
import org.bellwatch.agent.parse.Action;
import org.bellwatch.agent.parse.FilterEvent;
import org.bellwatch.agent.parse.LeaseObservation;
import org.bellwatch.agent.parse.ParsedRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real listeners on loopback, with a sink standing in for the pipeline queue. */
class SyslogServerTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-09-15T16:00:00Z"), ZoneOffset.UTC);
  static final String SQUID = "1789485000.250 5 10.0.1.20 TCP_DENIED/403 3900 CONNECT games.example.com:443 alice"
      + " HIER_NONE/- text/html";
  static final FilterEvent BLOCK = new FilterEvent(Instant.parse("2026-09-15T15:10:00.250Z"),
      IpLiteral.parse("10.0.1.20"), "alice", "games.example.com:443", "games.example.com", null, Action.BLOCKED,
      "squid", "proxy-deny", null, "TCP_DENIED/403 CONNECT games.example.com:443 user alice", null);

  /** The record without its raw line, which keeps whatever syslog header the test wrote around it. */
  static FilterEvent withoutRaw(ParsedRecord r) {
    FilterEvent e = (FilterEvent) r;
    return e == null ? null : new FilterEvent(e.time(), e.clientIp(), e.user(), e.url(), e.domain(), e.category(),
        e.action(), e.vendor(), e.method(), e.rule(), e.summary(), null);
  }

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final BellwatchMeters meters = new BellwatchMeters(registry);
  final Sink sink = new Sink();
  SyslogServer server;

  /** A queue that can be made full, recording the resume tasks it was given. */
  static final class Sink implements SyslogSink {
    final LinkedBlockingQueue<ParsedRecord> events = new LinkedBlockingQueue<>();
    final ConcurrentLinkedQueue<Runnable> waiters = new ConcurrentLinkedQueue<>();
    volatile boolean full;

    @Override
    public boolean offer(ParsedRecord record) {
      return !full && events.offer(record);
    }

    @Override
    public boolean offerAll(List<ParsedRecord> records) {
      return !full && events.addAll(records);
    }

    @Override
    public void whenSpace(Runnable resume) {
      if (full) {
        waiters.add(resume);
      } else {
        resume.run();
      }
    }

    void drain() {
      full = false;
      Runnable r;
      while ((r = waiters.poll()) != null) {
        r.run();
      }
    }
  }

  static BellwatchConfig.SyslogListener listener(String name, String protocol, String allow, Path cert, Path key) {
    return new BellwatchConfig.SyslogListener(name, protocol, InetAddress.getLoopbackAddress(), 0, "squid",
        List.of(Cidr.parse(allow)), ZoneId.of("America/Los_Angeles"), 4096, 0, 2, cert, key);
  }

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  double count(String name, String... tags) {
    var c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  void udp(InetSocketAddress to, String text) throws Exception {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      s.send(new DatagramPacket(b, b.length, to));
    }
  }

  @Test
  void aDhcpServerLogOverUdpBecomesALeaseObservation() throws Exception {
    BellwatchConfig.SyslogListener l = new BellwatchConfig.SyslogListener("dhcp", "udp",
        InetAddress.getByName("127.0.0.1"), 0, "isc_dhcpd", List.of(Cidr.parse("127.0.0.0/8")),
        ZoneId.of("America/Los_Angeles"), 65536, 0, 1, null, null);
    server = SyslogServer.start(List.of(l), sink, meters, CLOCK);
    String ack = "<190>Sep 15 07:30:00 dhcp1 dhcpd[901]: DHCPACK on 10.0.1.20 to 02:00:5e:10:01:07 (RM101-CB07)"
        + " via 10.0.1.1";
    udp(server.address("dhcp"), ack);

    assertThat(sink.events.poll(10, TimeUnit.SECONDS)).isEqualTo(new LeaseObservation(
        Instant.parse("2026-09-15T14:30:00Z"), IpLiteral.parse("10.0.1.20"), "02:00:5e:10:01:07", "RM101-CB07",
        LeaseObservation.Kind.ACK, null, "isc_dhcpd", ack));
  }

  @Test
  void aSquidLineOverUdpBecomesAFilterEventAndBadDatagramsAreCountedByReason() throws Exception {
    BellwatchConfig.SyslogListener l = listener("u", "udp", "127.0.0.0/8", null, null);
    server = SyslogServer.start(List.of(l), sink, meters, CLOCK);
    InetSocketAddress a = server.address("u");

    udp(a, "<999>broken");
    udp(a, "<166>Sep 15 08:10:00 proxy1 squid[812]: " + "x".repeat(5000));
    udp(a, "<166>Sep 15 08:10:00 proxy1 squid[812]: \u001b[31m" + SQUID + "\n");

    assertThat(withoutRaw(sink.events.poll(10, TimeUnit.SECONDS))).isEqualTo(BLOCK);
    await("counters", () -> count(BellwatchMeters.SYSLOG_OVERSIZE, "listener", "u") == 1
        && count(BellwatchMeters.LOG_MALFORMED, "vendor", "squid") == 1);
    assertThat(count(BellwatchMeters.SYSLOG_RECEIVED, "listener", "u", "protocol", "udp")).isEqualTo(2);
    assertThat(count(BellwatchMeters.SYSLOG_REPAIRED, "listener", "u", "reason", "ansi_escape")).isEqualTo(1);
  }

  @Test
  void udpDropsAndCountsWhenThePipelineQueueIsFull() throws Exception {
    server = SyslogServer.start(List.of(listener("u", "udp", "127.0.0.1", null, null)), sink, meters, CLOCK);
    sink.full = true;

    udp(server.address("u"), "<14>" + SQUID);

    await("drop counted", () -> count(BellwatchMeters.SYSLOG_DROPPED, "listener", "u", "reason", "queue_full") == 1);
    assertThat(sink.events).isEmpty();
  }

  @Test
  void burstsOfDatagramsFromOneSenderReachThePipelineWholeAndInOrder() throws Exception {
    BellwatchConfig.SyslogListener base = listener("u", "udp", "127.0.0.1/32", null, null);
    server = SyslogServer.start(List.of(new BellwatchConfig.SyslogListener(base.name(), base.protocol(), base.bind(),
        base.port(), base.vendor(), base.allow(), base.timezone(), base.maxFrameBytes(), 4 << 20, base.sockets(),
        null, null)), sink, meters, CLOCK);
    List<FilterEvent> expected = new ArrayList<>();
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      for (int burst = 0; burst < 8; burst++) {
        // Bursts small enough for any kernel's default receive buffer, so that none is lost to the kernel.
        for (int i = 0; i < 50; i++) {
          String user = "user" + (burst * 50 + i);
          byte[] b = ("<14>" + SQUID.replace("alice", user)).getBytes(StandardCharsets.UTF_8);
          s.send(new DatagramPacket(b, b.length, server.address("u")));
          expected.add(new FilterEvent(BLOCK.time(), BLOCK.clientIp(), user, BLOCK.url(), BLOCK.domain(),
              BLOCK.category(), BLOCK.action(), BLOCK.vendor(), BLOCK.method(), BLOCK.rule(),
              BLOCK.summary().replace("alice", user), null));
        }
        int sent = expected.size();
        await("burst " + burst, () -> sink.events.size() == sent);
      }
    }

    assertThat(sink.events.stream().map(SyslogServerTest::withoutRaw).toList()).isEqualTo(expected);
    assertThat(count(BellwatchMeters.SYSLOG_RECEIVED, "listener", "u", "protocol", "udp")).isEqualTo(400);
  }

  @Test
  void sendersOutsideTheAllowlistAreRejectedAndCountedOverUdpAndTcp() throws Exception {
    server = SyslogServer.start(List.of(listener("u", "udp", "10.0.0.0/8", null, null),
        listener("t", "tcp", "10.0.0.0/8", null, null)), sink, meters, CLOCK);

    udp(server.address("u"), "<14>" + SQUID);
    try (Socket s = new Socket(server.address("t").getAddress(), server.address("t").getPort())) {
      // The listener closes the connection at once, before reading anything.
      s.setSoTimeout(10_000);
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }

    await("rejections", () -> count(BellwatchMeters.SYSLOG_REJECTED, "listener", "u", "protocol", "udp") == 1
        && count(BellwatchMeters.SYSLOG_REJECTED, "listener", "t", "protocol", "tcp") == 1);
    assertThat(count(BellwatchMeters.SYSLOG_RECEIVED, "listener", "u")).isZero();
    assertThat(sink.events).isEmpty();
  }

  @Test
  void connectionsOverTheLimitAreRefusedIdleOnesClosedAndBothCountedWhileANewSenderIsStillServed() throws Exception {
    BellwatchConfig.SyslogListener base = listener("t", "tcp", "127.0.0.1/32", null, null);
    BellwatchConfig.SyslogListener limited = new BellwatchConfig.SyslogListener(base.name(), base.protocol(),
        base.bind(), base.port(), base.vendor(), base.allow(), base.timezone(), base.maxFrameBytes(),
        base.receiveBufferBytes(), base.sockets(), null, null, 2, 1, null);
    server = SyslogServer.start(List.of(limited), sink, meters, CLOCK);
    InetSocketAddress at = server.address("t");
    List<Socket> idle = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        Socket s = new Socket(at.getAddress(), at.getPort());
        s.setSoTimeout(10_000);
        idle.add(s);
      }
      await("two open connections", () -> registry.find(BellwatchMeters.SYSLOG_CONNECTIONS).gauge() != null
          && registry.find(BellwatchMeters.SYSLOG_CONNECTIONS).gauge().value() == 2);
      try (Socket third = new Socket(at.getAddress(), at.getPort())) {
        third.setSoTimeout(10_000);
        assertThat(third.getInputStream().read()).as("the connection over the limit is closed").isEqualTo(-1);
      }
      // Both idle connections are closed by the agent after idle_timeout_secs (read blocks until then).
      for (Socket s : idle) {
        assertThat(s.getInputStream().read()).as("an idle connection is closed").isEqualTo(-1);
      }
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
    await("the closes counted", () -> count(BellwatchMeters.SYSLOG_CONNECTIONS_CLOSED, "reason", "idle") == 2);
    assertThat(count(BellwatchMeters.SYSLOG_CONNECTIONS_CLOSED, "listener", "t", "protocol", "tcp", "reason",
        "over_limit")).isEqualTo(1);
    // The slots are free again: a sender that talks is served.
    try (Socket s = new Socket(at.getAddress(), at.getPort())) {
      s.getOutputStream().write(("<14>" + SQUID + "\n").getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
      ParsedRecord r = sink.events.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(withoutRaw(r)).isEqualTo(BLOCK);
    }
  }

  @Test
  void tcpCarriesOctetCountedAndNewlineFramedMessagesOnOneConnection() throws Exception {
    server = SyslogServer.start(List.of(listener("t", "tcp", "127.0.0.1/32", null, null)), sink, meters, CLOCK);
    InetSocketAddress a = server.address("t");
    String rfc5424 = "<166>1 2026-09-15T15:10:00Z proxy1 squid 812 - - " + SQUID;

    try (Socket s = new Socket(a.getAddress(), a.getPort())) {
      OutputStream out = s.getOutputStream();
      out.write((rfc5424.length() + " " + rfc5424 + "<166>Sep 15 08:10:00 proxy1 squid: " + SQUID + "\n")
          .getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertThat(withoutRaw(sink.events.poll(10, TimeUnit.SECONDS))).isEqualTo(BLOCK);
      assertThat(withoutRaw(sink.events.poll(10, TimeUnit.SECONDS))).isEqualTo(BLOCK);
      await("one open connection", () -> registry.get(BellwatchMeters.SYSLOG_CONNECTIONS).gauge().value() == 1);
    }
    await("connection closed", () -> registry.get(BellwatchMeters.SYSLOG_CONNECTIONS).gauge().value() == 0);
  }

  @Test
  void aFullQueueStopsReadingTheTcpConnectionAndNothingIsDropped() throws Exception {
    server = SyslogServer.start(List.of(listener("t", "tcp", "127.0.0.1", null, null)), sink, meters, CLOCK);
    InetSocketAddress a = server.address("t");
    sink.full = true;

    try (Socket s = new Socket(a.getAddress(), a.getPort())) {
      OutputStream out = s.getOutputStream();
      for (int i = 0; i < 3; i++) {
        out.write(("<14>" + SQUID + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      await("paused", () -> count(BellwatchMeters.SYSLOG_PAUSES, "listener", "t") == 1 && !sink.waiters.isEmpty());
      sink.drain();
      List<FilterEvent> got = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        got.add(withoutRaw(sink.events.poll(10, TimeUnit.SECONDS)));
      }
      assertThat(got).containsExactly(BLOCK, BLOCK, BLOCK);
    }
    assertThat(count(BellwatchMeters.SYSLOG_DROPPED, "listener", "t")).isZero();
  }

  @Test
  void theTcpHandlerTurnsAutoReadOffWhileFullAndBackOnOnceEverythingPendingWentIn() {
    BellwatchConfig.SyslogListener l = listener("e", "tcp", "127.0.0.1", null, null);
    EmbeddedChannel ch = new EmbeddedChannel(new TcpSyslogHandler(l, new SyslogReceiver(l, meters, CLOCK), sink,
        meters, new AtomicInteger()));
    sink.full = true;

    ch.writeInbound(("<14>" + SQUID).getBytes(StandardCharsets.UTF_8));
    ch.writeInbound(("<14>" + SQUID).getBytes(StandardCharsets.UTF_8));
    assertThat(ch.config().isAutoRead()).isFalse();
    assertThat(sink.waiters).hasSize(1);

    sink.drain();
    ch.runPendingTasks();
    assertThat(ch.config().isAutoRead()).isTrue();
    assertThat(sink.events.stream().map(SyslogServerTest::withoutRaw)).containsExactly(BLOCK, BLOCK);
  }

  @Test
  void tlsWithAPemCertificateAndKeyCarriesOctetCountedMessages(@TempDir Path dir) throws Exception {
    org.bellwatch.agent.testing.TestCertificate made = org.bellwatch.agent.testing.TestCertificate.create(dir, "syslog");
    Certificate cert = made.certificate();
    Path certPem = made.certPem();
    Path keyPem = made.keyPem();

    server = SyslogServer.start(List.of(listener("s", "tls", "127.0.0.1", certPem, keyPem)), sink, meters, CLOCK);
    InetSocketAddress a = server.address("s");
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("syslog", cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    String msg = "<166>1 2026-09-15T15:10:00Z proxy1 squid - - - " + SQUID;
    try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(a.getAddress(), a.getPort())) {
      s.startHandshake();
      s.getOutputStream().write((msg.length() + " " + msg).getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
      assertThat(withoutRaw(sink.events.poll(10, TimeUnit.SECONDS))).isEqualTo(BLOCK);
    }
  }
}
