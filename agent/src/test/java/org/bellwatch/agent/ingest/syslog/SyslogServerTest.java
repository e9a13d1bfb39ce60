package org.bellwatch.agent.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.EventExecutor;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.awaitility.Awaitility;
import org.bellwatch.agent.config.PerSender;
import org.bellwatch.agent.config.SyslogListener;
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.LeaseObservation;
import org.bellwatch.agent.event.ParsedRecord;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.net.Cidr;
import org.bellwatch.agent.testing.SteppedClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real listeners on loopback, with a sink standing in for the pipeline queue. */
class SyslogServerTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-09-15T16:00:00Z"), ZoneOffset.UTC);
  static final String SQUID =
      "1789485000.250 5 10.0.1.20 TCP_DENIED/403 3900 CONNECT games.example.com:443 alice"
          + " HIER_NONE/- text/html";
  static final FilterEvent BLOCK =
      new FilterEvent(
          Instant.parse("2026-09-15T15:10:00.250Z"),
          AddressText.parseIp("10.0.1.20"),
          "alice",
          "games.example.com:443",
          "games.example.com",
          null,
          Action.BLOCKED,
          "squid",
          "proxy-deny",
          null,
          "TCP_DENIED/403 CONNECT games.example.com:443 user alice",
          null);

  /**
   * The record without its raw line, which keeps whatever syslog header the test wrote around it.
   */
  static FilterEvent withoutRaw(ParsedRecord r) {
    FilterEvent e = (FilterEvent) r;
    return e == null
        ? null
        : new FilterEvent(
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
            null);
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

    /** Records the queue holds before it counts as full, like the pipeline's bounded queue. */
    volatile int capacity = Integer.MAX_VALUE;

    @Override
    public boolean offer(ParsedRecord record) {
      return !full && events.size() < capacity && events.offer(record);
    }

    @Override
    public boolean offerAll(List<ParsedRecord> records) {
      // All or none, as the pipeline's queue takes a read burst.
      synchronized (this) {
        return !full && events.size() + records.size() <= capacity && events.addAll(records);
      }
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

  static SyslogListener listener(String name, String protocol, String allow, Path cert, Path key) {
    return new SyslogListener(
        name,
        protocol,
        InetAddress.getLoopbackAddress(),
        0,
        "squid",
        List.of(Cidr.parse(allow)),
        ZoneId.of("America/Los_Angeles"),
        4096,
        0,
        2,
        cert,
        key);
  }

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
  }

  static void await(String what, BooleanSupplier condition) {
    Awaitility.await(what)
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(10))
        .until(condition::getAsBoolean);
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
    SyslogListener l =
        new SyslogListener(
            "dhcp",
            "udp",
            InetAddress.getByName("127.0.0.1"),
            0,
            "isc_dhcpd",
            List.of(Cidr.parse("127.0.0.0/8")),
            ZoneId.of("America/Los_Angeles"),
            65536,
            0,
            1,
            null,
            null);
    server = SyslogServer.start(List.of(l), sink, meters, CLOCK);
    String ack =
        "<190>Sep 15 07:30:00 dhcp1 dhcpd[901]: DHCPACK on 10.0.1.20 to 02:00:5e:10:01:07 (RM101-CB07)"
            + " via 10.0.1.1";
    udp(server.address("dhcp"), ack);

    assertThat(sink.events.poll(10, TimeUnit.SECONDS))
        .isEqualTo(
            new LeaseObservation(
                Instant.parse("2026-09-15T14:30:00Z"),
                AddressText.parseIp("10.0.1.20"),
                "02:00:5e:10:01:07",
                "RM101-CB07",
                LeaseObservation.Kind.ACK,
                null,
                "isc_dhcpd",
                ack));
  }

  @Test
  void aSquidLineOverUdpBecomesAFilterEventAndBadDatagramsAreCountedByReason() throws Exception {
    SyslogListener l = listener("u", "udp", "127.0.0.0/8", null, null);
    server = SyslogServer.start(List.of(l), sink, meters, CLOCK);
    InetSocketAddress a = server.address("u");

    udp(a, "<999>broken");
    udp(a, "<166>Sep 15 08:10:00 proxy1 squid[812]: " + "x".repeat(5000));
    udp(a, "<166>Sep 15 08:10:00 proxy1 squid[812]: \u001b[31m" + SQUID + "\n");

    assertThat(withoutRaw(sink.events.poll(10, TimeUnit.SECONDS))).isEqualTo(BLOCK);
    await(
        "counters",
        () ->
            count(BellwatchMeters.SYSLOG_OVERSIZE, "listener", "u") == 1
                && count(BellwatchMeters.LOG_MALFORMED, "vendor", "squid") == 1);
    assertThat(count(BellwatchMeters.SYSLOG_RECEIVED, "listener", "u", "protocol", "udp"))
        .isEqualTo(2);
    assertThat(count(BellwatchMeters.SYSLOG_REPAIRED, "listener", "u", "reason", "ansi_escape"))
        .isEqualTo(1);
  }

  @Test
  void udpDropsAndCountsWhenThePipelineQueueIsFull() throws Exception {
    server =
        SyslogServer.start(
            List.of(listener("u", "udp", "127.0.0.1", null, null)), sink, meters, CLOCK);
    sink.full = true;

    udp(server.address("u"), "<14>" + SQUID);

    await(
        "drop counted",
        () -> count(BellwatchMeters.SYSLOG_DROPPED, "listener", "u", "reason", "queue_full") == 1);
    assertThat(sink.events).isEmpty();
  }

  @Test
  void burstsOfDatagramsFromOneSenderReachThePipelineWholeAndInOrder() throws Exception {
    SyslogListener base = listener("u", "udp", "127.0.0.1/32", null, null);
    server =
        SyslogServer.start(
            List.of(
                new SyslogListener(
                    base.name(),
                    base.protocol(),
                    base.bind(),
                    base.port(),
                    base.vendor(),
                    base.allow(),
                    base.timezone(),
                    base.maxFrameBytes(),
                    4 << 20,
                    base.sockets(),
                    null,
                    null)),
            sink,
            meters,
            CLOCK);
    List<FilterEvent> expected = new ArrayList<>();
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      for (int burst = 0; burst < 8; burst++) {
        // Bursts small enough for any kernel's default receive buffer, so that none is lost to the
        // kernel.
        for (int i = 0; i < 50; i++) {
          String user = "user" + (burst * 50 + i);
          byte[] b = ("<14>" + SQUID.replace("alice", user)).getBytes(StandardCharsets.UTF_8);
          s.send(new DatagramPacket(b, b.length, server.address("u")));
          expected.add(
              new FilterEvent(
                  BLOCK.time(),
                  BLOCK.clientIp(),
                  user,
                  BLOCK.url(),
                  BLOCK.domain(),
                  BLOCK.category(),
                  BLOCK.action(),
                  BLOCK.vendor(),
                  BLOCK.method(),
                  BLOCK.rule(),
                  BLOCK.summary().replace("alice", user),
                  null));
        }
        int sent = expected.size();
        await("burst " + burst, () -> sink.events.size() == sent);
      }
    }

    assertThat(sink.events.stream().map(SyslogServerTest::withoutRaw).toList()).isEqualTo(expected);
    assertThat(count(BellwatchMeters.SYSLOG_RECEIVED, "listener", "u", "protocol", "udp"))
        .isEqualTo(400);
  }

  @Test
  void sendersOutsideTheAllowlistAreRejectedAndCountedOverUdpAndTcp() throws Exception {
    server =
        SyslogServer.start(
            List.of(
                listener("u", "udp", "10.0.0.0/8", null, null),
                listener("t", "tcp", "10.0.0.0/8", null, null)),
            sink,
            meters,
            CLOCK);

    udp(server.address("u"), "<14>" + SQUID);
    try (Socket s = new Socket(server.address("t").getAddress(), server.address("t").getPort())) {
      // The listener closes the connection at once, before reading anything.
      s.setSoTimeout(10_000);
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }

    await(
        "rejections",
        () ->
            count(BellwatchMeters.SYSLOG_REJECTED, "listener", "u", "protocol", "udp") == 1
                && count(BellwatchMeters.SYSLOG_REJECTED, "listener", "t", "protocol", "tcp") == 1);
    assertThat(count(BellwatchMeters.SYSLOG_RECEIVED, "listener", "u")).isZero();
    assertThat(sink.events).isEmpty();
  }

  @Test
  void connectionsOverTheLimitAreRefusedIdleOnesClosedAndBothCountedWhileANewSenderIsStillServed()
      throws Exception {
    SyslogListener base = listener("t", "tcp", "127.0.0.1/32", null, null);
    SyslogListener limited =
        new SyslogListener(
            base.name(),
            base.protocol(),
            base.bind(),
            base.port(),
            base.vendor(),
            base.allow(),
            base.timezone(),
            base.maxFrameBytes(),
            base.receiveBufferBytes(),
            base.sockets(),
            null,
            null,
            2,
            1,
            null);
    server = SyslogServer.start(List.of(limited), sink, meters, CLOCK);
    InetSocketAddress at = server.address("t");
    List<Socket> idle = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        Socket s = new Socket(at.getAddress(), at.getPort());
        s.setSoTimeout(10_000);
        idle.add(s);
      }
      await(
          "two open connections",
          () ->
              registry.find(BellwatchMeters.SYSLOG_CONNECTIONS).gauge() != null
                  && registry.find(BellwatchMeters.SYSLOG_CONNECTIONS).gauge().value() == 2);
      try (Socket third = new Socket(at.getAddress(), at.getPort())) {
        third.setSoTimeout(10_000);
        assertThat(third.getInputStream().read())
            .as("the connection over the limit is closed")
            .isEqualTo(-1);
      }
      // Both idle connections are closed by the agent after idle_timeout_secs (read blocks until
      // then).
      for (Socket s : idle) {
        assertThat(s.getInputStream().read()).as("an idle connection is closed").isEqualTo(-1);
      }
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
    await(
        "the closes counted",
        () -> count(BellwatchMeters.SYSLOG_CONNECTIONS_CLOSED, "reason", "idle") == 2);
    assertThat(
            count(
                BellwatchMeters.SYSLOG_CONNECTIONS_CLOSED,
                "listener",
                "t",
                "protocol",
                "tcp",
                "reason",
                "over_limit"))
        .isEqualTo(1);
    // The slots are free again: a sender that talks is served.
    try (Socket s = new Socket(at.getAddress(), at.getPort())) {
      s.getOutputStream().write(("<14>" + SQUID + "\n").getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
      ParsedRecord r = sink.events.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(withoutRaw(r)).isEqualTo(BLOCK);
    }
  }

  /**
   * The listener with other connection limits and per-sender limits, on one socket: with several,
   * the kernel spreads senders over event loops and the order between two senders' datagrams is
   * lost.
   */
  static SyslogListener limits(
      SyslogListener l,
      int maxConnections,
      int idleTimeoutSecs,
      int receiveBufferBytes,
      PerSender perSender) {
    return new SyslogListener(
        l.name(),
        l.protocol(),
        l.bind(),
        l.port(),
        l.vendor(),
        l.allow(),
        l.timezone(),
        l.maxFrameBytes(),
        receiveBufferBytes,
        1,
        null,
        null,
        maxConnections,
        idleTimeoutSecs,
        SyslogListener.DEFAULT_FRAME_TIMEOUT_SECS,
        null,
        perSender);
  }

  @Test
  void aSocketGrantedLessReceiveBufferThanAskedIsReportedWithTheSettingToRaise() {
    SyslogListener l =
        limits(listener("u", "udp", "127.0.0.0/8", null, null), 256, 0, 16 << 20, null);

    // Linux reports twice what it grants: 16 MiB asked and granted shows as 32 MiB.
    assertThat(SyslogServer.bufferShortfall(l, 32 << 20, true)).isNull();
    assertThat(SyslogServer.bufferShortfall(l, 8 << 20, true))
        .isEqualTo(
            "syslog listener u: receive_buffer_bytes"
                + " is 16777216 but the kernel granted 4194304 per socket; raise net.core.rmem_max to at least 16777216"
                + " (the package's /usr/lib/sysctl.d/60-bellwatch.conf does), or bursts and pauses lose datagrams sooner");
    assertThat(SyslogServer.bufferShortfall(l, 16 << 20, false)).isNull();
    assertThat(SyslogServer.bufferShortfall(limits(l, 256, 0, 0, null), 212992, true))
        .isNull(); // system default asked
  }

  static final String FLOOD = "<14>" + SQUID.replace(" alice ", " mallory ");
  static final String REAL = "<14>" + SQUID;

  /**
   * Block records that reached the queue, counted by user: mallory floods, alice is the real
   * filter.
   */
  Map<String, Long> deliveredByUser() {
    return sink.events.stream()
        .collect(
            Collectors.groupingBy(
                r -> ((FilterEvent) r).user(), TreeMap::new, Collectors.counting()));
  }

  /**
   * 2,000 datagrams from 127.0.0.2 with one from 127.0.0.1 after every 100th, into a queue of 100
   * records that nobody drains during the flood. The receive buffer (4 MiB, doubled by the kernel)
   * holds the whole flood, so the kernel loses nothing and every difference is the listener's
   * doing.
   */
  void floodUdpFromOneSender(PerSender perSender) throws Exception {
    SyslogListener l =
        limits(
            listener("u", "udp", "127.0.0.0/8", null, null),
            SyslogListener.DEFAULT_MAX_CONNECTIONS,
            SyslogListener.DEFAULT_IDLE_TIMEOUT_SECS,
            4 << 20,
            perSender);
    server = SyslogServer.start(List.of(l), sink, meters, CLOCK);
    sink.capacity = 100;
    InetSocketAddress to = server.address("u");
    byte[] flood = FLOOD.getBytes(StandardCharsets.UTF_8);
    byte[] real = REAL.getBytes(StandardCharsets.UTF_8);
    try (DatagramSocket flooder = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0));
        DatagramSocket filter = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      for (int i = 1; i <= 2000; i++) {
        flooder.send(new DatagramPacket(flood, flood.length, to));
        if (i % 100 == 0) {
          filter.send(new DatagramPacket(real, real.length, to));
        }
      }
    }
    await(
        "every datagram accounted for",
        () -> sink.events.size() + count(BellwatchMeters.SYSLOG_DROPPED, "listener", "u") == 2020);
  }

  @Test
  void datagramsTheKernelDropsAtAFullReceiveBufferAreCountedForTheirListener() throws Exception {
    // Issue 17, finding 6: 4.8% of a flood was lost in the socket buffer while every dropped reason
    // stayed 0. Here the listener's only event loop is held inside the sink, so nothing reads the
    // socket,
    // and its receive buffer is as small as the kernel allows: a burst is mostly dropped by the
    // kernel.
    java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    SyslogSink held =
        new SyslogSink() {
          @Override
          public boolean offer(ParsedRecord record) {
            return sink.offer(record);
          }

          @Override
          public boolean offerAll(List<ParsedRecord> records) {
            holding.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return sink.offerAll(records);
          }

          @Override
          public void whenSpace(Runnable resume) {
            sink.whenSpace(resume);
          }
        };
    SyslogListener l =
        new SyslogListener(
            "k",
            "udp",
            InetAddress.getLoopbackAddress(),
            0,
            "squid",
            List.of(Cidr.parse("127.0.0.0/8")),
            ZoneId.of("UTC"),
            4096,
            4096,
            1,
            null,
            null);
    server = SyslogServer.start(List.of(l), held, meters, CLOCK);
    io.micrometer.core.instrument.FunctionCounter drops =
        registry
            .get(BellwatchMeters.SYSLOG_KERNEL_DROPS)
            .tags("listener", "k", "protocol", "udp")
            .functionCounter();
    assertThat(drops.count()).isZero();

    byte[] line =
        ("<166>Sep 15 08:10:00 proxy1 squid[812]: " + SQUID).getBytes(StandardCharsets.UTF_8);
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      s.send(new DatagramPacket(line, line.length, server.address("k")));
      assertThat(holding.await(10, TimeUnit.SECONDS)).as("the event loop is held").isTrue();
      for (int i = 0; i < 2000; i++) {
        s.send(new DatagramPacket(line, line.length, server.address("k")));
      }
    }
    double whileHeld = drops.count();
    release.countDown();

    // Every datagram sent is either read or counted as dropped by the kernel (loopback loses
    // nothing else).
    await("every datagram read or counted", () -> sink.events.size() + drops.count() == 2001);
    assertThat(whileHeld).isEqualTo(drops.count()).isGreaterThan(1500);
    assertThat(count(BellwatchMeters.SYSLOG_DROPPED, "listener", "k")).isZero();
  }

  @Test
  void aUdpFloodFromOneSenderDoesNotStopAnotherSendersMessagesAndTheDropsSayWhy() throws Exception {
    // The test's clock stands still, so the flooder gets its burst and no more.
    floodUdpFromOneSender(new PerSender(1000, 50, 32));

    assertThat(deliveredByUser()).isEqualTo(Map.of("alice", 20L, "mallory", 50L));
    assertThat(
            count(
                BellwatchMeters.SYSLOG_DROPPED,
                "listener",
                "u",
                "protocol",
                "udp",
                "reason",
                "sender_rate"))
        .isEqualTo(1950);
    assertThat(count(BellwatchMeters.SYSLOG_DROPPED, "listener", "u", "reason", "queue_full"))
        .isZero();
    assertThat(registry.get(BellwatchMeters.SYSLOG_SENDERS).tag("listener", "u").gauge().value())
        .isEqualTo(2);
  }

  @Test
  void withoutAPerSenderRateTheSameUdpFloodCrowdsTheOtherSenderOutOfTheQueue() throws Exception {
    floodUdpFromOneSender(new PerSender(0, 1, 32));

    // What the limit above prevents: the flood takes the whole queue and the filter's own lines are
    // lost
    // (read bursts go in whole or not at all, so how many of each got in depends on where bursts
    // were cut).
    Map<String, Long> delivered = deliveredByUser();
    long total = delivered.values().stream().mapToLong(Long::longValue).sum();
    assertThat(total).isLessThanOrEqualTo(100);
    assertThat(delivered.getOrDefault("alice", 0L)).isLessThan(20);
    assertThat(count(BellwatchMeters.SYSLOG_DROPPED, "listener", "u", "reason", "queue_full"))
        .isEqualTo(2020 - total);
  }

  @Test
  void aTcpFloodFromOneSenderIsSlowedToItsRateWithoutLossWhileAnotherSenderGoesStraightThrough()
      throws Exception {
    SteppedClock clock = new SteppedClock(CLOCK.instant());
    SyslogListener l =
        limits(
            listener("t", "tcp", "127.0.0.0/8", null, null),
            256,
            0,
            0,
            new PerSender(1000, 100, 32));
    server = SyslogServer.start(List.of(l), sink, meters, clock);
    InetSocketAddress at = server.address("t");
    byte[] flood = (FLOOD + "\n").repeat(2000).getBytes(StandardCharsets.UTF_8);
    try (Socket flooder =
            new Socket(at.getAddress(), at.getPort(), InetAddress.getByName("127.0.0.2"), 0);
        Socket filter =
            new Socket(at.getAddress(), at.getPort(), InetAddress.getByName("127.0.0.1"), 0)) {
      // The flooder's writes block once the agent stops reading it, so they go on their own thread.
      Thread writer =
          new Thread(
              () -> {
                try {
                  flooder.getOutputStream().write(flood);
                  flooder.getOutputStream().flush();
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      writer.start();
      await(
          "the flooder's burst, then paused",
          () ->
              count(BellwatchMeters.SYSLOG_PAUSES, "listener", "t", "reason", "sender_rate") >= 1);
      filter.getOutputStream().write((REAL + "\n").repeat(20).getBytes(StandardCharsets.UTF_8));
      filter.getOutputStream().flush();
      await("the filter's lines", () -> deliveredByUser().getOrDefault("alice", 0L) == 20);
      // The clock has not moved: the flooder is held at its burst while the filter's lines went in.
      assertThat(deliveredByUser()).isEqualTo(Map.of("alice", 20L, "mallory", 100L));

      // As time passes the flood goes in at its rate, all of it.
      await(
          "the whole flood",
          () -> {
            clock.step(Duration.ofMillis(200));
            return deliveredByUser().getOrDefault("mallory", 0L) == 2000;
          });
      writer.join(10_000);
    }
    assertThat(deliveredByUser()).isEqualTo(Map.of("alice", 20L, "mallory", 2000L));
    assertThat(count(BellwatchMeters.SYSLOG_DROPPED, "listener", "t")).isZero();
  }

  @Test
  void oneSenderCannotHoldMoreThanItsShareOfTcpConnections() throws Exception {
    SyslogListener l =
        limits(
            listener("t", "tcp", "127.0.0.0/8", null, null),
            256,
            0,
            0,
            new PerSender(1000, 100, 2));
    server = SyslogServer.start(List.of(l), sink, meters, CLOCK);
    InetSocketAddress at = server.address("t");
    InetAddress hog = InetAddress.getByName("127.0.0.2");
    try (Socket first = new Socket(at.getAddress(), at.getPort(), hog, 0);
        Socket second = new Socket(at.getAddress(), at.getPort(), hog, 0)) {
      await(
          "two open connections",
          () -> registry.get(BellwatchMeters.SYSLOG_CONNECTIONS).gauge().value() == 2);
      try (Socket third = new Socket(at.getAddress(), at.getPort(), hog, 0)) {
        third.setSoTimeout(10_000);
        assertThat(third.getInputStream().read())
            .as("the sender's third connection is closed")
            .isEqualTo(-1);
      }
      try (Socket filter =
          new Socket(at.getAddress(), at.getPort(), InetAddress.getByName("127.0.0.1"), 0)) {
        filter.getOutputStream().write((REAL + "\n").getBytes(StandardCharsets.UTF_8));
        filter.getOutputStream().flush();
        assertThat(withoutRaw(sink.events.poll(10, TimeUnit.SECONDS))).isEqualTo(BLOCK);
      }
    }
    assertThat(
            count(
                BellwatchMeters.SYSLOG_CONNECTIONS_CLOSED,
                "listener",
                "t",
                "protocol",
                "tcp",
                "reason",
                "sender_limit"))
        .isEqualTo(1);
    assertThat(count(BellwatchMeters.SYSLOG_CONNECTIONS_CLOSED, "reason", "over_limit")).isZero();
  }

  static int openFileDescriptors() {
    try (var fds = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
      return (int) fds.count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void
      threeThousandIdleConnectionsFromAHundredAddressesHoldAtMostMaxConnectionsAndARealSenderGetsInAfterTheReaping()
          throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Path.of("/proc/self/fd").toFile().isDirectory(), "needs /proc");
    SyslogListener l =
        limits(listener("t", "tcp", "127.0.0.0/8", null, null), 200, 2, 0, PerSender.DEFAULTS);
    server = SyslogServer.start(List.of(l), sink, meters, CLOCK);
    InetSocketAddress at = server.address("t");
    int before = openFileDescriptors();
    List<Socket> idle = new ArrayList<>();
    int mostOpen = 0;
    int mostAgentDescriptors = 0;
    try {
      for (int i = 0; i < 3000; i++) {
        Socket s =
            new Socket(
                at.getAddress(),
                at.getPort(),
                InetAddress.getByName("127.0.0." + (2 + i % 100)),
                0);
        s.setSoTimeout(10_000);
        idle.add(s);
        if (i % 100 == 99) {
          mostOpen =
              Math.max(
                  mostOpen, (int) registry.get(BellwatchMeters.SYSLOG_CONNECTIONS).gauge().value());
          // This process holds the test's own client sockets too: one descriptor each, counted out.
          mostAgentDescriptors =
              Math.max(mostAgentDescriptors, openFileDescriptors() - before - idle.size());
        }
      }
      assertThat(mostOpen).as("open connections while 3,000 arrived").isLessThanOrEqualTo(200);
      // Connections over the limit are closed as they are accepted; evicted ones close on their own
      // event loop a moment later, at most max_connections of them at once (ConnectionGate).
      assertThat(mostAgentDescriptors)
          .as("descriptors the listener held while 3,000 arrived")
          .isLessThanOrEqualTo(2 * 200);
      await(
          "descriptors settle at the limit",
          () -> openFileDescriptors() - before - idle.size() <= 200 + 5);
      // Every client sees its connection end: at once over the limit, after idle_timeout_secs
      // otherwise.
      for (Socket s : idle) {
        assertThat(s.getInputStream().read()).isEqualTo(-1);
      }
      await(
          "every connection closed",
          () -> registry.get(BellwatchMeters.SYSLOG_CONNECTIONS).gauge().value() == 0);
      double idleClosed = count(BellwatchMeters.SYSLOG_CONNECTIONS_CLOSED, "reason", "idle");
      double refused = count(BellwatchMeters.SYSLOG_CONNECTIONS_CLOSED, "reason", "over_limit");
      // Once reaping has made the addresses' shares uneven, a newcomer may take a slot of a larger
      // holder.
      double evicted = count(BellwatchMeters.SYSLOG_CONNECTIONS_CLOSED, "reason", "evicted");
      assertThat(idleClosed).as("closed idle").isGreaterThanOrEqualTo(200);
      assertThat(idleClosed + refused + evicted).isEqualTo(3000);
      assertThat(openFileDescriptors() - before - idle.size())
          .as("descriptors left with the listener")
          .isLessThanOrEqualTo(5);
      // The idle clients still hold their end open; a real sender is served all the same.
      try (Socket filter =
          new Socket(at.getAddress(), at.getPort(), InetAddress.getByName("127.0.0.1"), 0)) {
        filter.getOutputStream().write((REAL + "\n").getBytes(StandardCharsets.UTF_8));
        filter.getOutputStream().flush();
        assertThat(withoutRaw(sink.events.poll(10, TimeUnit.SECONDS))).isEqualTo(BLOCK);
      }
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
  }

  @Test
  void connectionsOverTheLimitAreClosedAtAcceptWhileEveryOtherEventLoopIsStarved()
      throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Path.of("/proc/self/fd").toFile().isDirectory(), "needs /proc");
    SyslogListener l =
        limits(
            listener("t", "tcp", "127.0.0.0/8", null, null),
            10,
            0,
            0,
            new PerSender(50_000, 50_000, 1000));
    server = SyslogServer.start(List.of(l), sink, meters, CLOCK);
    InetSocketAddress at = server.address("t");
    // Every loop but the accepting one is held by a task, as a machine at load 6-9 starves them:
    // nothing queued on those loops (a child's initializer, a close) runs until they are let go.
    EventLoop acceptor = server.channel("t").eventLoop();
    CountDownLatch letGo = new CountDownLatch(1);
    for (EventExecutor loop : acceptor.parent()) {
      if (loop != acceptor) {
        loop.execute(
            () -> {
              try {
                letGo.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
      }
    }
    int before = openFileDescriptors();
    List<Socket> clients = new ArrayList<>();
    try {
      try {
        for (int i = 0; i < 300; i++) {
          Socket s = new Socket(at.getAddress(), at.getPort());
          s.setSoTimeout(10_000);
          clients.add(s);
        }
        await(
            "every connection over the limit refused",
            () -> count(BellwatchMeters.SYSLOG_CONNECTIONS_CLOSED, "reason", "over_limit") == 290);
        assertThat(registry.get(BellwatchMeters.SYSLOG_CONNECTIONS).gauge().value()).isEqualTo(10);
        // This process holds the test's own client sockets too: one descriptor each, counted out.
        assertThat(openFileDescriptors() - before - clients.size())
            .as("descriptors the listener holds with its loops starved")
            .isLessThanOrEqualTo(10 + 5);
        // The listener's accept queue is first in, first out: the first ten hold the slots.
        for (Socket s : clients.subList(10, 300)) {
          assertThat(s.getInputStream().read()).as("a refused connection is closed").isEqualTo(-1);
        }
      } finally {
        letGo.countDown();
      }
      // Once the loops run again, an admitted connection is served.
      OutputStream out = clients.get(0).getOutputStream();
      out.write((REAL + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertThat(withoutRaw(sink.events.poll(10, TimeUnit.SECONDS))).isEqualTo(BLOCK);
    } finally {
      for (Socket s : clients) {
        s.close();
      }
    }
  }

  @Test
  void tcpCarriesOctetCountedAndNewlineFramedMessagesOnOneConnection() throws Exception {
    server =
        SyslogServer.start(
            List.of(listener("t", "tcp", "127.0.0.1/32", null, null)), sink, meters, CLOCK);
    InetSocketAddress a = server.address("t");
    String rfc5424 = "<166>1 2026-09-15T15:10:00Z proxy1 squid 812 - - " + SQUID;

    try (Socket s = new Socket(a.getAddress(), a.getPort())) {
      OutputStream out = s.getOutputStream();
      out.write(
          (rfc5424.length() + " " + rfc5424 + "<166>Sep 15 08:10:00 proxy1 squid: " + SQUID + "\n")
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertThat(withoutRaw(sink.events.poll(10, TimeUnit.SECONDS))).isEqualTo(BLOCK);
      assertThat(withoutRaw(sink.events.poll(10, TimeUnit.SECONDS))).isEqualTo(BLOCK);
      await(
          "one open connection",
          () -> registry.get(BellwatchMeters.SYSLOG_CONNECTIONS).gauge().value() == 1);
    }
    await(
        "connection closed",
        () -> registry.get(BellwatchMeters.SYSLOG_CONNECTIONS).gauge().value() == 0);
  }

  @Test
  void aFullQueueStopsReadingTheTcpConnectionAndNothingIsDropped() throws Exception {
    server =
        SyslogServer.start(
            List.of(listener("t", "tcp", "127.0.0.1", null, null)), sink, meters, CLOCK);
    InetSocketAddress a = server.address("t");
    sink.full = true;

    try (Socket s = new Socket(a.getAddress(), a.getPort())) {
      OutputStream out = s.getOutputStream();
      for (int i = 0; i < 3; i++) {
        out.write(("<14>" + SQUID + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      await(
          "paused",
          () ->
              count(BellwatchMeters.SYSLOG_PAUSES, "listener", "t", "reason", "queue_full") == 1
                  && !sink.waiters.isEmpty());
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
    SyslogListener l = listener("e", "tcp", "127.0.0.1", null, null);
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new TcpSyslogHandler(
                l,
                new SyslogReceiver(l, meters, CLOCK),
                sink,
                meters,
                new SenderRateLimiter(l, "delayed", CLOCK),
                InetAddress.getLoopbackAddress()));
    sink.full = true;

    ch.writeInbound(("<14>" + SQUID).getBytes(StandardCharsets.UTF_8));
    ch.writeInbound(("<14>" + SQUID).getBytes(StandardCharsets.UTF_8));
    assertThat(ch.config().isAutoRead()).isFalse();
    assertThat(sink.waiters).hasSize(1);

    sink.drain();
    ch.runPendingTasks();
    assertThat(ch.config().isAutoRead()).isTrue();
    assertThat(sink.events.stream().map(SyslogServerTest::withoutRaw))
        .containsExactly(BLOCK, BLOCK);
  }

  @Test
  void tlsWithAPemCertificateAndKeyCarriesOctetCountedMessages(@TempDir Path dir) throws Exception {
    org.bellwatch.agent.testing.TestCertificate made =
        org.bellwatch.agent.testing.TestCertificate.create(dir, "syslog");

    server =
        SyslogServer.start(
            List.of(listener("s", "tls", "127.0.0.1", made.certPem(), made.keyPem())),
            sink,
            meters,
            CLOCK);
    InetSocketAddress a = server.address("s");
    SSLContext tls = made.trustingIt();
    String msg = "<166>1 2026-09-15T15:10:00Z proxy1 squid - - - " + SQUID;
    try (SSLSocket s =
        (SSLSocket) tls.getSocketFactory().createSocket(a.getAddress(), a.getPort())) {
      s.startHandshake();
      s.getOutputStream().write((msg.length() + " " + msg).getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
      assertThat(withoutRaw(sink.events.poll(10, TimeUnit.SECONDS))).isEqualTo(BLOCK);
    }
  }
}
