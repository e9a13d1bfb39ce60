package org.bellwatch.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.bellwatch.agent.testing.ApiSession;
import org.bellwatch.agent.testing.ForkedAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, finding 1: {@code bellwatch run} in its own JVM receives numbered blocks over TCP
 * syslog, UDP syslog and a live capture (DNS sinkhole answers sent from a network namespace over a
 * veth pair), with the default 30 s reorder window, and is killed with SIGKILL {@value #KILLS}
 * times while they flow, then started again and stopped in order.
 *
 * <p>The rule for "accepted" (docs/design.md, "Intake journal"): a message is accepted once it is
 * in the intake journal, counted in {@code bellwatch_journal_records_total} per listener (and
 * {@code capture}). Just before each kill the test reads those counters; each source delivers in
 * order (one TCP connection per run, one UDP sender socket, one capture interface), so a count of
 * {@code n} means the first {@code n} messages that source sent during that run. Every one of them
 * must be stored, exactly once. Messages sent but not yet accepted at the kill (still in the
 * kernel's socket buffer) may be lost; the test prints how many were.
 *
 * <p>Needs root and {@code ip netns} for the capture; skipped elsewhere unless {@code
 * -Dbellwatch.capture.required=true} (scripts/test), like the other live-capture tests.
 */
class JournalCrashTest {
  static final int KILLS = 3;
  static final long SEND_EVERY_MS = 10;

  final String tag = Long.toString(ProcessHandle.current().pid() % 100_000);
  final String ns = "bwjc" + tag;
  final String iface = "bwjca" + tag;
  final String peer = "bwjcb" + tag;
  final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  @AfterEach
  void removeNamespace() throws Exception {
    CaptureInterfaceRecoveryTest.run(false, "ip", "link", "del", iface);
    CaptureInterfaceRecoveryTest.run(false, "ip", "netns", "del", ns);
  }

  static String squid(String domain, int n) {
    long ms = System.currentTimeMillis();
    return "<166>1 "
        + Instant.ofEpochMilli(ms)
        + " proxy1 squid 812 - - "
        + ms / 1000
        + "."
        + String.format("%03d", ms % 1000)
        + " 5 10.0."
        + (n % 50)
        + "."
        + (n % 200 + 1)
        + " TCP_DENIED/403 3900 GET http://"
        + domain
        + "/ - HIER_NONE/- text/html";
  }

  /**
   * Sends numbered messages over one TCP connection per agent run; records which numbers went on
   * which.
   */
  final class TcpSender implements Runnable {
    final int port;
    final List<List<Integer>> connections = new CopyOnWriteArrayList<>();
    final AtomicBoolean stop = new AtomicBoolean();
    volatile boolean connected;
    final AtomicInteger next = new AtomicInteger();

    TcpSender(int port) {
      this.port = port;
    }

    @Override
    public void run() {
      while (!stop.get()) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
          List<Integer> sent = Collections.synchronizedList(new ArrayList<>());
          connections.add(sent);
          connected = true;
          OutputStream out = s.getOutputStream();
          while (!stop.get()) {
            int n = next.get();
            String m = squid("t" + n + ".tcp.example.org", n);
            out.write((m.length() + " " + m).getBytes(StandardCharsets.UTF_8));
            out.flush();
            sent.add(n);
            next.incrementAndGet();
            Thread.sleep(
                SEND_EVERY_MS); // pacing the sender, not a wait: a steady stream the kills cut into
          }
        } catch (java.io.IOException e) {
          connected = false;
          sleep(20); // reconnect back-off while the agent is down, not a wait for a condition
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Sends numbered datagrams while {@code open}; a list of what was sent per run. */
  final class UdpSender implements Runnable {
    final int port;
    final List<List<Integer>> runs = new CopyOnWriteArrayList<>();
    final AtomicBoolean stop = new AtomicBoolean();
    volatile List<Integer> current;
    int next;

    UdpSender(int port) {
      this.port = port;
    }

    @Override
    public void run() {
      try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        while (!stop.get()) {
          List<Integer> run = current;
          if (run != null) {
            String m = squid("u" + next + ".udp.example.org", next);
            byte[] b = m.getBytes(StandardCharsets.UTF_8);
            s.send(new DatagramPacket(b, b.length, to));
            run.add(next++);
          }
          Thread.sleep(
              SEND_EVERY_MS); // pacing the sender, not a wait: a steady stream the kills cut into
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }

  /**
   * The TCP sender's reconnect back-off (its only use): a pause between tries, not a wait for a
   * condition.
   */
  static void sleep(long ms) {
    try {
      Thread.sleep(ms); // back-off, see above
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Sends DNS answers with the sinkhole address for c{n}.cap.example.org from the namespace,
   * printing each n.
   */
  Process startCaptureSender(int from) throws Exception {
    return new ProcessBuilder(
            "ip",
            "netns",
            "exec",
            ns,
            "python3",
            "-u",
            "-c",
            """
        import socket, struct, time, sys
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(('10.203.1.2', 53))
        n = int(sys.argv[1])
        while True:
            name = b''.join(bytes([len(p)]) + p for p in ('c%d.cap.example.org' % n).encode().split(b'.')) + b'\\0'
            q = name + struct.pack('>HH', 1, 1)
            a = struct.pack('>HHHIH', 0xc00c, 1, 1, 60, 4) + bytes(4)
            s.sendto(struct.pack('>HHHHHH', n & 0xffff, 0x8180, 1, 1, 0, 0) + q + a, ('10.203.1.1', 40000))
            print(n, flush=True)
            n += 1
            time.sleep(0.01)
        """,
            Integer.toString(from))
        .redirectError(dir.resolve("capture-sender-" + from + ".err").toFile())
        .start();
  }

  String senderErrors() throws java.io.IOException {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".err")).toList()) {
        b.append(p.getFileName()).append(": ").append(Files.readString(p));
      }
    }
    return b.toString();
  }

  Map<String, Long> accepted(int port) throws Exception {
    String text =
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Map<String, Long> counts = new HashMap<>();
    for (String l : text.split("\n")) {
      if (l.startsWith("bellwatch_journal_records_total{")) {
        String source = l.substring(l.indexOf("source=\"") + 8);
        source = source.substring(0, source.indexOf('"'));
        counts.put(source, (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)));
      }
    }
    return counts;
  }

  /**
   * Waits for {@code text} in the agent's output: after a restart, the journal is replayed before
   * capture starts.
   */
  void awaitLine(Path output, String text) throws Exception {
    try {
      await("'" + text + "' in the agent's output")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> Files.exists(output) && Files.readString(output).contains(text));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("no '" + text + "' in " + Files.readString(output), e);
    }
  }

  @Test
  // Four agent starts, each verifying the store first: minutes on a loaded machine, past the
  // default limit.
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void blocksAcceptedOverTcpUdpAndCaptureBeforeEachSigkillAreStoredExactlyOnce() throws Exception {
    if (CaptureInterfaceRecoveryTest.run(false, "ip", "netns", "add", ns) != 0) {
      Assumptions.assumeFalse(
          Boolean.getBoolean("bellwatch.capture.required"), "capture required but ip netns failed");
      Assumptions.abort("needs root and ip netns");
    }
    CaptureInterfaceRecoveryTest.run(
        true, "ip", "link", "add", iface, "type", "veth", "peer", "name", peer);
    CaptureInterfaceRecoveryTest.run(true, "ip", "link", "set", peer, "netns", ns);
    CaptureInterfaceRecoveryTest.run(true, "ip", "addr", "add", "10.203.1.1/30", "dev", iface);
    CaptureInterfaceRecoveryTest.run(true, "ip", "link", "set", iface, "up");
    CaptureInterfaceRecoveryTest.run(
        true, "ip", "-n", ns, "addr", "add", "10.203.1.2/30", "dev", peer);
    CaptureInterfaceRecoveryTest.run(true, "ip", "-n", ns, "link", "set", peer, "up");
    CaptureInterfaceRecoveryTest.run(true, "ip", "-n", ns, "link", "set", "lo", "up");

    int web = ForkedAgent.freePort();
    int tcp = ForkedAgent.freePort();
    int udp;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      udp = probe.getLocalPort();
    }
    // The UDP listener is bound before the TCP one (listeners bind in order): a TCP connection
    // proves both.
    Files.writeString(
        dir.resolve("bellwatch.yaml"),
        """
        site: {timezone: UTC}
        capture: {interfaces: [%s]}
        syslog:
          listeners:
            - {name: udp, protocol: udp, bind: 127.0.0.1, port: %d, vendor: squid, allow: [127.0.0.0/8]}
            - {name: tcp, protocol: tcp, bind: 127.0.0.1, port: %d, vendor: squid, allow: [127.0.0.0/8]}
        store: {dir: store}
        web: {port: %d}
        """
            .formatted(iface, udp, tcp, web));
    ApiSession.createAdmin(dir.resolve("store"), ZoneOffset.UTC);
    ForkedAgent forked = new ForkedAgent(dir);
    TcpSender tcpSender = new TcpSender(tcp);
    UdpSender udpSender = new UdpSender(udp);
    Thread tcpThread = new Thread(tcpSender, "tcp-sender");
    Thread udpThread = new Thread(udpSender, "udp-sender");
    tcpThread.start();
    udpThread.start();
    List<List<Integer>> captured = new ArrayList<>();
    List<Map<String, Long>> acceptedAtKills = new ArrayList<>();
    int capNext = 0;
    for (int run = 0; run <= KILLS; run++) {
      Process agent = forked.start(run);
      try {
        // A restart reads the whole store to verify it before it listens: on a loaded machine that
        // takes a while.
        forked.awaitListening(web);
      } catch (AssertionError e) {
        agent.destroyForcibly();
        throw new AssertionError(
            "run " + run + ": " + e.getMessage() + "\n" + Files.readString(forked.output(run)));
      }
      int thisRun = run;
      await("TCP sender connected in run " + run)
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> tcpSender.connections.size() > thisRun);
      udpSender.runs.add(Collections.synchronizedList(new ArrayList<>()));
      udpSender.current = udpSender.runs.get(run);
      awaitLine(forked.output(run), "capturing on");
      Process capSender = startCaptureSender(capNext);
      List<Integer> capRun = Collections.synchronizedList(new ArrayList<>());
      captured.add(capRun);
      Thread capReader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(
                            capSender.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String l = r.readLine(); l != null; l = r.readLine()) {
                    capRun.add(Integer.parseInt(l.trim()));
                  }
                } catch (java.io.IOException ended) {
                  // the sender was stopped
                }
              });
      capReader.start();
      // The sender (a Python process in the namespace) and libpcap both take a moment to start: the
      // run
      // begins once the agent has journaled a captured answer.
      await("run " + run + ": an answer captured")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .untilAsserted(
              () ->
                  assertThat(accepted(web).getOrDefault("capture", 0L))
                      .as(
                          "run %d: an answer captured (%d sent; %s)",
                          thisRun, capRun.size(), senderErrors())
                      .isPositive());
      if (run < KILLS) {
        // Inside the 30 s reorder window (nothing of this run is stored yet), at a different moment
        // each run.
        Thread.sleep(
            4000
                + 1500L
                    * run); // the behaviour under test, not a wait: a run's worth of traffic, then
        // the kill
        acceptedAtKills.add(accepted(web));
        agent.destroyForcibly(); // SIGKILL
        assertThat(agent.waitFor(10, TimeUnit.SECONDS)).isTrue();
        udpSender.current = null;
        capSender.destroy();
        capSender.waitFor(10, TimeUnit.SECONDS);
        capReader.join(5000);
      } else {
        Thread.sleep(
            2000); // the behaviour under test, not a wait: the last run gets two seconds of traffic
        tcpSender.stop.set(true);
        udpSender.stop.set(true);
        tcpThread.join(5000);
        udpThread.join(5000);
        capSender.destroy();
        capSender.waitFor(10, TimeUnit.SECONDS);
        capReader.join(5000);
        Map<String, Long> last =
            await("run " + run + ": everything sent accepted")
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(50))
                .until(
                    () -> accepted(web),
                    a ->
                        a.getOrDefault("syslog:tcp", 0L)
                                >= tcpSender.connections.get(thisRun).size()
                            && a.getOrDefault("syslog:udp", 0L)
                                >= udpSender.runs.get(thisRun).size());
        acceptedAtKills.add(last);
        SigtermTest.assertOrderlyStop(agent, forked.output(run));
      }
      capNext = capRun.isEmpty() ? capNext : capRun.get(capRun.size() - 1) + 1;
    }

    List<String> stored = forked.storedDomains();
    assertThat(stored).doesNotHaveDuplicates();
    java.util.Set<String> storedSet = new java.util.HashSet<>(stored);
    int lost = 0;
    int sent = 0;
    for (int run = 0; run <= KILLS; run++) {
      Map<String, Long> a = acceptedAtKills.get(run);
      List<Integer> tcpRun = tcpSender.connections.get(run);
      List<Integer> udpRun = udpSender.runs.get(run);
      List<Integer> capRun = captured.get(run);
      long tcpAccepted = a.getOrDefault("syslog:tcp", 0L);
      long udpAccepted = a.getOrDefault("syslog:udp", 0L);
      long capAccepted = a.getOrDefault("capture", 0L);
      assertThat(tcpAccepted).as("run %d made progress over TCP", run).isPositive();
      assertThat(udpAccepted).as("run %d made progress over UDP", run).isPositive();
      assertThat(capAccepted)
          .as(
              "run %d made progress from the capture (%d answers sent; sender: %s)",
              run, capRun.size(), senderErrors())
          .isPositive();
      assertThat(tcpAccepted).isLessThanOrEqualTo(tcpRun.size());
      assertThat(udpAccepted).isLessThanOrEqualTo(udpRun.size());
      for (int i = 0; i < tcpAccepted; i++) {
        assertThat(storedSet)
            .as("run %d: TCP message %d, accepted before the kill", run, tcpRun.get(i))
            .contains("t" + tcpRun.get(i) + ".tcp.example.org");
      }
      for (int i = 0; i < udpAccepted; i++) {
        assertThat(storedSet)
            .as("run %d: UDP message %d, accepted before the kill", run, udpRun.get(i))
            .contains("u" + udpRun.get(i) + ".udp.example.org");
      }
      // libpcap starts handing packets over an unknown moment after "capturing on": the run's
      // captured
      // answers begin at the first one stored, and go on in order.
      int firstCaptured = 0;
      while (firstCaptured < capRun.size()
          && !storedSet.contains("c" + capRun.get(firstCaptured) + ".cap.example.org")) {
        firstCaptured++;
      }
      assertThat(capRun.size() - firstCaptured).isGreaterThanOrEqualTo((int) capAccepted);
      for (int i = firstCaptured; i < firstCaptured + capAccepted; i++) {
        assertThat(storedSet)
            .as("run %d: captured answer %d, accepted before the kill", run, capRun.get(i))
            .contains("c" + capRun.get(i) + ".cap.example.org");
      }
      sent += tcpRun.size() + udpRun.size() + capRun.size();
      lost +=
          (int)
              (tcpRun.stream()
                      .filter(n -> !storedSet.contains("t" + n + ".tcp.example.org"))
                      .count()
                  + udpRun.stream()
                      .filter(n -> !storedSet.contains("u" + n + ".udp.example.org"))
                      .count()
                  + capRun.stream()
                      .filter(n -> !storedSet.contains("c" + n + ".cap.example.org"))
                      .count());
    }
    // The last run was stopped in order after its senders stopped: everything it was sent is
    // stored.
    assertThat(acceptedAtKills.get(KILLS).get("syslog:tcp"))
        .isEqualTo(tcpSender.connections.get(KILLS).size());
    assertThat(acceptedAtKills.get(KILLS).get("syslog:udp"))
        .isEqualTo(udpSender.runs.get(KILLS).size());
    System.out.printf(
        "journal crash test: %d messages sent, %d stored, %d lost (sent, never accepted)%n",
        sent, stored.size(), lost);
    String replayed = String.join("\n", Files.readAllLines(forked.output(1)));
    assertThat(replayed).contains("intake journal: replayed");

    // Journal files are the agent user's alone.
    try (Stream<Path> files = Files.walk(dir.resolve("store").resolve("journal"))) {
      for (Path p : files.toList()) {
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        assertThat(mode).as("mode of %s", p).isIn("rw-------", "rwx------");
      }
    }
  }
}
