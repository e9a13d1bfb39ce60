package org.bellwatch.agent.capture;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.bellwatch.agent.event.RawFrame;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.metrics.CaptureMetrics;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.RawPacketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live capture from mirror-port interfaces through libpcap (pcap4j). The callback only stamps the
 * raw bytes and offers them to a bounded queue: decoding happens on the pipeline thread, and a full
 * queue is a counted drop, never back-pressure into libpcap.
 *
 * <p>An interface that goes down, or is deleted, ends capture on it: libpcap reports an error, or
 * the link watch (once a second) finds it down or gone. Its thread then says so once (log, {@link
 * Listener#stopped}, {@code bellwatch_source_errors_total{source="capture"}}) and opens the
 * interface again after 1 s, doubling the wait up to {@link #RETRY_MAX}, once the link is up again;
 * then its thread says {@link Listener#resumed}. The packet counters exported per interface add up
 * every handle's counts, so they stay cumulative across reopenings.
 */
public final class LiveCapture implements AutoCloseable {
  /**
   * DNS over UDP and TCP, DHCP, DHCPv6 (RFC 8415 ports 546/547) and IPv6 neighbor discovery (ICMPv6
   * types 133-136, RFC 4861 section 4; ND carries no extension headers, so the type is the first
   * byte after the 40-byte IPv6 header); "or (vlan and ...)" also matches 802.1Q-tagged copies of
   * the same.
   */
  static final String WANTED =
      "udp port 53 or tcp port 53 or udp port 67 or udp port 68 or udp port 546"
          + " or udp port 547 or (icmp6 and ip6[40] >= 133 and ip6[40] <= 136)";

  public static final String BPF = "(" + WANTED + ") or (vlan and (" + WANTED + "))";
  static final Duration LINK_CHECK = Duration.ofSeconds(1);
  static final Duration RETRY_FIRST = Duration.ofSeconds(1);

  /** A mirror port brought back by a switch reboot is captured again within this long. */
  static final Duration RETRY_MAX = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(LiveCapture.class);

  /**
   * Without immediate mode, libpcap hands packets over in blocks (TPACKET_V3 on Linux) when a block
   * fills or this long after its first packet: one wake-up per block instead of per packet, which
   * is what lets the capture thread keep up at high packet rates. A tenth of a second is nothing
   * next to the correlator's windows.
   */
  static final int BUFFER_TIMEOUT_MS = 100;

  /**
   * Told, on the interface's capture thread, when capture on an interface stops and when it works
   * again.
   */
  public interface Listener {
    /** Capture stopped or a reopening failed; {@code reason} is libpcap's message. */
    void stopped(String iface, String reason);

    void resumed(String iface);
  }

  private final List<Interface> interfaces = new ArrayList<>();
  private final ScheduledExecutorService linkWatch =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "capture-link-watch");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean closed;

  private LiveCapture() {}

  /**
   * What opening an interface needs (from the {@code capture} config section; kept here so that
   * capture depends on no configuration type).
   *
   * @param interfaces interfaces to capture from
   * @param snaplenBytes bytes kept per packet
   * @param bufferBytes kernel capture buffer size
   * @param promiscuous promiscuous mode (needed on a mirror port)
   * @param immediateMode libpcap immediate mode
   */
  public record Settings(
      List<String> interfaces,
      int snaplenBytes,
      int bufferBytes,
      boolean promiscuous,
      boolean immediateMode) {
    public Settings {
      interfaces = List.copyOf(interfaces);
    }
  }

  /**
   * Opens every configured interface; frames go to {@code queue}, a non-blocking offer that returns
   * false when full. Fails with the interface named when one cannot be opened at start.
   */
  public static LiveCapture start(
      Settings cfg, Predicate<RawFrame> queue, BellwatchMeters meters, Listener listener)
      throws CaptureException {
    LiveCapture capture = new LiveCapture();
    try {
      for (String name : cfg.interfaces()) {
        Interface i = capture.new Interface(name, cfg, queue, meters, listener);
        i.handle = open(name, cfg);
        capture.interfaces.add(i);
        i.registerStats();
      }
    } catch (CaptureException e) {
      capture.close();
      throw e;
    }
    capture.interfaces.forEach(i -> i.thread.start());
    capture.linkWatch.scheduleWithFixedDelay(
        () -> capture.interfaces.forEach(Interface::watch),
        LINK_CHECK.toMillis(),
        LINK_CHECK.toMillis(),
        TimeUnit.MILLISECONDS);
    return capture;
  }

  private static PcapHandle open(String name, Settings cfg) throws CaptureException {
    try {
      PcapHandle h =
          new PcapHandle.Builder(name)
              .snaplen(cfg.snaplenBytes())
              .promiscuousMode(
                  cfg.promiscuous()
                      ? PcapNetworkInterface.PromiscuousMode.PROMISCUOUS
                      : PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
              .bufferSize(cfg.bufferBytes())
              .timeoutMillis(BUFFER_TIMEOUT_MS)
              .immediateMode(cfg.immediateMode())
              .build();
      try {
        h.setFilter(BPF, BpfProgram.BpfCompileMode.OPTIMIZE);
      } catch (PcapNativeException | NotOpenException e) {
        h.close();
        throw e;
      }
      return h;
    } catch (PcapNativeException | NotOpenException | UnsatisfiedLinkError e) {
      throw new CaptureException(
          "capture.interfaces: cannot capture on '" + name + "': " + e.getMessage());
    }
  }

  /**
   * One interface: its current handle, its capture thread, and the counts of its closed handles.
   */
  private final class Interface {
    final String name;
    final Settings cfg;
    final Predicate<RawFrame> queue;
    final BellwatchMeters meters;
    final Listener listener;
    final Thread thread;

    /**
     * Whether the system lists the name as an interface at start (whose link state can be read).
     */
    final boolean listed;

    volatile PcapHandle handle;

    /** Why the link watch broke the loop. */
    volatile String brokenLink;

    /** Received, kernel-dropped and interface-dropped packets of the handles already closed. */
    final long[] closedCounts = new long[3];

    Interface(
        String name,
        Settings cfg,
        Predicate<RawFrame> queue,
        BellwatchMeters meters,
        Listener listener) {
      this.name = name;
      this.cfg = cfg;
      this.queue = queue;
      this.meters = meters;
      this.listener = listener;
      this.thread = new Thread(this::run, "capture-" + name);
      boolean known;
      try {
        known = NetworkInterface.getByName(name) != null;
      } catch (SocketException e) {
        known = false;
      }
      this.listed = known;
      thread.setDaemon(true);
    }

    void run() {
      while (!closed) {
        String error = loop(handle);
        if (closed || error == null) {
          return;
        }
        retire();
        log.error("capture on {} stopped: {}; opening it again until it works", name, error);
        meters.sourceError("capture");
        listener.stopped(name, error);
        if (!reopen()) {
          return;
        }
        log.info("capture on {} resumed", name);
        listener.resumed(name);
      }
    }

    /**
     * Captures until closed (null), libpcap fails, or the link watch found the link down or gone
     * (the reason).
     */
    private String loop(PcapHandle h) {
      int linkType = h.getDlt().value();
      try {
        h.loop(
            -1,
            (RawPacketListener)
                packet -> {
                  Timestamp ts = h.getTimestamp();
                  long micros = ts.getTime() / 1000 * 1_000_000L + ts.getNanos() / 1000;
                  RawFrame f =
                      new RawFrame(micros, linkType, ByteBuffer.wrap(packet).asReadOnlyBuffer());
                  if (!queue.test(f)) {
                    meters.frameDropped("queue_full");
                  }
                });
        return null;
      } catch (InterruptedException e) {
        // breakLoop: closing, or the link watch saw the link go
        return closed ? null : brokenLink;
      } catch (PcapNativeException | NotOpenException e) {
        return e.getMessage();
      }
    }

    /**
     * The link watch's check: libpcap does not end its loop when a link goes down (it waits for
     * packets that no longer come), so a link found down or gone breaks the loop with that reason.
     */
    void watch() {
      PcapHandle h = handle;
      String problem = h == null ? null : linkProblem();
      if (problem != null) {
        brokenLink = problem;
        try {
          h.breakLoop();
        } catch (NotOpenException e) {
          // closed meanwhile
        }
      }
    }

    /**
     * Why the link cannot be captured on now, or null; only for names the system lists as
     * interfaces.
     */
    String linkProblem() {
      if (!listed) {
        return null; // a pseudo-device such as "any"
      }
      try {
        NetworkInterface ni = NetworkInterface.getByName(name);
        if (ni == null) {
          return "the interface disappeared";
        }
        return ni.isUp() ? null : "the interface went down";
      } catch (SocketException e) {
        return "cannot read the interface's state: " + e.getMessage();
      }
    }

    /** Keeps the failed handle's counts, then closes it. */
    private synchronized void retire() {
      PcapHandle h = handle;
      closedCounts[0] += stat(h, PcapStat::getNumPacketsReceived);
      closedCounts[1] += stat(h, PcapStat::getNumPacketsDropped);
      closedCounts[2] += stat(h, PcapStat::getNumPacketsDroppedByIf);
      handle = null;
      h.close();
    }

    /** Opens the interface again with backoff; false when closed meanwhile. */
    private boolean reopen() {
      Duration wait = RETRY_FIRST;
      while (!closed) {
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
          return false;
        }
        String problem = linkProblem();
        if (problem != null) {
          listener.stopped(name, problem);
          wait = next(wait);
          continue;
        }
        try {
          PcapHandle h = open(name, cfg);
          synchronized (this) {
            if (closed) {
              h.close();
              return false;
            }
            handle = h;
          }
          return true;
        } catch (CaptureException e) {
          // Still down: /health shows the latest reason; the log said it once.
          listener.stopped(name, e.getMessage());
          wait = next(wait);
        }
      }
      return false;
    }

    private Duration next(Duration wait) {
      Duration twice = wait.multipliedBy(2);
      return twice.compareTo(RETRY_MAX) > 0 ? RETRY_MAX : twice;
    }

    void registerStats() {
      meters.bind(
          new CaptureMetrics(
              name,
              () -> count(0, PcapStat::getNumPacketsReceived),
              () -> count(1, PcapStat::getNumPacketsDropped),
              () -> count(2, PcapStat::getNumPacketsDroppedByIf)));
    }

    private synchronized long count(int i, ToLongFunction<PcapStat> f) {
      PcapHandle h = handle;
      return closedCounts[i] + (h == null ? 0 : stat(h, f));
    }

    void close() {
      PcapHandle h;
      synchronized (this) {
        h = handle;
      }
      if (h != null) {
        try {
          h.breakLoop();
        } catch (NotOpenException e) {
          // already closed
        }
      }
      thread.interrupt(); // wakes a thread waiting to reopen
      try {
        thread.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (this) {
        if (handle != null) {
          handle.close();
        }
      }
    }
  }

  private static long stat(PcapHandle h, ToLongFunction<PcapStat> f) {
    try {
      return h.isOpen() ? f.applyAsLong(h.getStats()) : 0;
    } catch (PcapNativeException | NotOpenException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    closed = true;
    linkWatch.shutdownNow();
    interfaces.forEach(Interface::close);
  }
}
