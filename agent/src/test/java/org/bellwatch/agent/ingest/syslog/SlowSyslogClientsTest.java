package org.bellwatch.agent.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bellwatch.agent.ingest.syslog.SyslogServerTest.BLOCK;
import static org.bellwatch.agent.ingest.syslog.SyslogServerTest.REAL;
import static org.bellwatch.agent.ingest.syslog.SyslogServerTest.await;
import static org.bellwatch.agent.ingest.syslog.SyslogServerTest.withoutRaw;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bellwatch.agent.config.PerSender;
import org.bellwatch.agent.config.SyslogListener;
import org.bellwatch.agent.event.ParsedRecord;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.testing.TestCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, finding 4: LAN hosts holding many connections that send a byte now and then kept the
 * real filter out of a full listener. Real sockets on loopback; each host binds its own 127.0.0.x
 * source address (Linux routes all of 127/8 to lo), with the listener's defaults except a 2 s frame
 * bound.
 */
class SlowSyslogClientsTest {
  static final int FRAME_TIMEOUT_SECS = 2;

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final BellwatchMeters meters = new BellwatchMeters(registry);
  final SyslogServerTest.Sink sink = new SyslogServerTest.Sink();
  final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
  final List<SlowConnection> slow = new ArrayList<>();
  SyslogServer server;

  @AfterEach
  void close() throws IOException {
    ticker.shutdownNow();
    for (SlowConnection c : slow) {
      c.channel.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /**
   * One connection of a slow host, which reconnects whenever the agent closes it (as an attacker
   * would). A trickler sends one byte of a frame that never ends; a dripper sends a tiny whole
   * frame ("x"), so neither the frame bound nor the idle timeout ever closes it.
   */
  static final class SlowConnection {
    final InetSocketAddress to;
    final InetAddress from;
    final boolean trickles;
    SocketChannel channel;
    final AtomicInteger closedByAgent;

    SlowConnection(
        InetSocketAddress to, InetAddress from, boolean trickles, AtomicInteger closedByAgent)
        throws IOException {
      this.to = to;
      this.from = from;
      this.trickles = trickles;
      this.closedByAgent = closedByAgent;
      connect();
    }

    private void connect() throws IOException {
      channel = SocketChannel.open();
      channel.bind(new InetSocketAddress(from, 0));
      channel.connect(to);
      channel.configureBlocking(false);
      channel.write(ByteBuffer.wrap("<14>".getBytes(StandardCharsets.US_ASCII)));
    }

    /** Sends its next few bytes, or reconnects when the agent has closed the connection. */
    void tick() {
      try {
        if (channel.read(ByteBuffer.allocate(16)) < 0) {
          throw new IOException("closed by the agent");
        }
        channel.write(
            ByteBuffer.wrap((trickles ? "a" : "x\n<14>").getBytes(StandardCharsets.US_ASCII)));
      } catch (IOException closed) {
        closedByAgent.incrementAndGet();
        try {
          channel.close();
          connect();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    }
  }

  int open() {
    return (int) registry.get(BellwatchMeters.SYSLOG_CONNECTIONS).gauge().value();
  }

  double closed(String reason) {
    var c =
        registry.find(BellwatchMeters.SYSLOG_CONNECTIONS_CLOSED).tags("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void theRealSenderKeepsDeliveringWhileTenHostsHoldThreeHundredSlowConnections() throws Exception {
    SyslogListener defaults = SyslogServerTest.listener("t", "tcp", "127.0.0.0/8", null, null);
    SyslogListener l =
        SyslogServerTest.limits(
                defaults,
                defaults.maxConnections(),
                defaults.idleTimeoutSecs(),
                0,
                PerSender.DEFAULTS)
            .withFrameTimeoutSecs(FRAME_TIMEOUT_SECS);
    assertThat(l.maxConnections()).isEqualTo(256);
    assertThat(l.perSender().maxConnections()).isEqualTo(32);
    server = SyslogServer.start(List.of(l), sink, meters, SyslogServerTest.CLOCK);
    InetSocketAddress at = server.address("t");

    AtomicInteger closedByAgent = new AtomicInteger();
    for (int i = 0; i < 300; i++) {
      slow.add(
          new SlowConnection(
              at, InetAddress.getByName("127.0.0." + (2 + i % 10)), i % 20 < 10, closedByAgent));
    }
    AtomicInteger mostOpen = new AtomicInteger();
    ticker.scheduleWithFixedDelay(
        () -> {
          slow.forEach(SlowConnection::tick);
          mostOpen.accumulateAndGet(open(), Math::max);
        },
        0,
        500,
        TimeUnit.MILLISECONDS);
    await("the listener full of slow connections", () -> open() == 256);

    // The filter sends a block every 200 ms for three frame bounds, on one connection opened while
    // full.
    int messages = 30;
    List<ParsedRecord> delivered = new ArrayList<>();
    try (Socket filter =
        new Socket(at.getAddress(), at.getPort(), InetAddress.getByName("127.0.0.1"), 0)) {
      OutputStream out = filter.getOutputStream();
      for (int i = 0; i < messages; i++) {
        out.write((REAL + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        ParsedRecord r = sink.events.poll(5, TimeUnit.SECONDS);
        assertThat(r).as("message %d delivered", i).isNotNull();
        delivered.add(withoutRaw(r));
        Thread.sleep(
            200); // the behaviour under test, not a wait: a slow but legitimate filter's pace
      }
    }
    assertThat(delivered).hasSize(messages).containsOnly(BLOCK);
    // The gate hands an evicted slot over at once (ConnectionGateTest holds it to 256); the evicted
    // channel
    // closes on its own event loop a moment later, so on a loaded machine the open-channel gauge
    // briefly
    // counts a few in-flight closes above the bound, and then settles within it.
    assertThat(mostOpen.get())
        .as("open connections, with evictions in flight")
        .isLessThanOrEqualTo(256 + 16);
    await("open connections within max_connections", () -> open() <= 256);
    assertThat(closed("evicted")).as("the filter took a hog's slot").isGreaterThanOrEqualTo(1);
    assertThat(closed("slow_frame")).as("trickled frames cut").isGreaterThanOrEqualTo(100);
    assertThat(closed("sender_limit")).isZero();
    // The drippers' whole frames are not blocks: counted as unparsable, never delivered.
    assertThat(sink.events).isEmpty();
    assertThat(closedByAgent.get()).isPositive();
  }

  @Test
  void aTcpFrameNotCompleteWithinTheBoundIsClosedAndCountedButAWholeFrameAfterSilenceIsRead()
      throws Exception {
    SyslogListener l =
        SyslogServerTest.listener("t", "tcp", "127.0.0.1/32", null, null).withFrameTimeoutSecs(1);
    server = SyslogServer.start(List.of(l), sink, meters, SyslogServerTest.CLOCK);
    InetSocketAddress at = server.address("t");
    try (Socket quiet = new Socket(at.getAddress(), at.getPort());
        Socket slowSender = new Socket(at.getAddress(), at.getPort())) {
      slowSender.setSoTimeout(10_000);
      slowSender.getOutputStream().write(REAL.substring(0, 20).getBytes(StandardCharsets.UTF_8));
      assertThat(slowSender.getInputStream().read())
          .as("the half-sent frame's connection is closed")
          .isEqualTo(-1);
      await("counted", () -> closed("slow_frame") == 1);
      // The other connection was silent all along, between frames: it is still read.
      quiet.getOutputStream().write((REAL + "\n").getBytes(StandardCharsets.UTF_8));
      assertThat(withoutRaw(sink.events.poll(10, TimeUnit.SECONDS))).isEqualTo(BLOCK);
    }
    assertThat(sink.events).as("the fragment is not delivered as a message").isEmpty();
  }

  @Test
  void aTlsRecordNotCompleteWithinTheBoundIsClosedAsSlowBeforeTheHandshakeTimeout(@TempDir Path dir)
      throws Exception {
    TestCertificate made = TestCertificate.create(dir, "syslog");
    SyslogListener l =
        SyslogServerTest.listener("s", "tls", "127.0.0.1/32", made.certPem(), made.keyPem())
            .withFrameTimeoutSecs(1);
    server = SyslogServer.start(List.of(l), sink, meters, SyslogServerTest.CLOCK);
    InetSocketAddress at = server.address("s");
    try (Socket s = new Socket(at.getAddress(), at.getPort())) {
      s.setSoTimeout(8_000);
      // RFC 8446 section 5.1: a handshake record header announcing 512 bytes, then nothing more.
      s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01});
      long start = System.nanoTime();
      assertThat(s.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("cut by the 1 s bound, not Netty's 10 s")
          .isLessThan(Duration.ofSeconds(5));
    }
    await("counted", () -> closed("slow_frame") == 1);
  }
}
