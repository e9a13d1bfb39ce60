package org.bellwatch.agent.capture;

import java.nio.ByteBuffer;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live capture from mirror-port interfaces through libpcap (pcap4j). The callback only stamps the raw
 * bytes and offers them to a bounded queue: decoding happens on the pipeline thread, and a full queue
 * is a counted drop, never back-pressure into libpcap.
 */
public final class LiveCapture implements AutoCloseable {
  /** DNS over UDP and TCP, DHCP; "or (vlan and ...)" also matches 802.1Q-tagged copies of the same. */
  public static final String BPF = "(udp port 53 or tcp port 53 or udp port 67 or udp port 68) or "
      + "(vlan and (udp port 53 or tcp port 53 or udp port 67 or udp port 68))";
  private static final Logger log = LoggerFactory.getLogger(LiveCapture.class);
  /**
   * Without immediate mode, libpcap hands packets over in blocks (TPACKET_V3 on Linux) when a block fills
   * or this long after its first packet: one wake-up per block instead of per packet, which is what lets
   * the capture thread keep up at high packet rates. A tenth of a second is nothing next to the
   * correlator's windows.
   */
  static final int BUFFER_TIMEOUT_MS = 100;

  private final List<PcapHandle> handles = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  private LiveCapture() {
  }

  /**
   * Opens every configured interface; frames go to {@code queue}, a non-blocking offer that returns false
   * when full. Fails with the interface named when one cannot be opened.
   */
  public static LiveCapture start(BellwatchConfig.Capture cfg, Predicate<RawFrame> queue,
      BellwatchMeters meters) throws CaptureException {
    LiveCapture capture = new LiveCapture();
    try {
      for (String name : cfg.interfaces()) {
        PcapHandle h = open(name, cfg);
        capture.handles.add(h);
        int linkType = h.getDlt().value();
        registerStats(meters, name, h);
        Thread t = new Thread(() -> loop(name, h, linkType, queue, meters), "capture-" + name);
        t.setDaemon(true);
        capture.threads.add(t);
      }
    } catch (CaptureException e) {
      capture.close();
      throw e;
    }
    capture.threads.forEach(Thread::start);
    return capture;
  }

  private static PcapHandle open(String name, BellwatchConfig.Capture cfg) throws CaptureException {
    try {
      PcapHandle h = new PcapHandle.Builder(name).snaplen(cfg.snaplenBytes())
          .promiscuousMode(cfg.promiscuous() ? PcapNetworkInterface.PromiscuousMode.PROMISCUOUS
              : PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
          .bufferSize(cfg.bufferBytes()).timeoutMillis(BUFFER_TIMEOUT_MS).immediateMode(cfg.immediateMode()).build();
      h.setFilter(BPF, BpfProgram.BpfCompileMode.OPTIMIZE);
      return h;
    } catch (PcapNativeException | NotOpenException | UnsatisfiedLinkError e) {
      throw new CaptureException("capture.interfaces: cannot capture on '" + name + "': " + e.getMessage());
    }
  }

  private static void loop(String name, PcapHandle h, int linkType, Predicate<RawFrame> queue,
      BellwatchMeters meters) {
    try {
      h.loop(-1, (byte[] packet) -> {
        Timestamp ts = h.getTimestamp();
        long micros = ts.getTime() / 1000 * 1_000_000L + ts.getNanos() / 1000;
        RawFrame f = new RawFrame(micros, linkType, ByteBuffer.wrap(packet).asReadOnlyBuffer());
        if (!queue.test(f)) {
          meters.frameDropped("queue_full");
        }
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (PcapNativeException | NotOpenException e) {
      log.error("capture on {} stopped: {}", name, e.getMessage());
      meters.sourceError("capture");
    }
  }

  private static void registerStats(BellwatchMeters meters, String name, PcapHandle h) {
    meters.gauge(BellwatchMeters.PCAP_RECEIVED, "Packets libpcap received", name, () -> stat(h, PcapStat::getNumPacketsReceived));
    meters.gauge(BellwatchMeters.PCAP_DROPPED, "Packets the kernel dropped for lack of buffer", name,
        () -> stat(h, PcapStat::getNumPacketsDropped));
    meters.gauge(BellwatchMeters.PCAP_IF_DROPPED, "Packets the interface or driver dropped", name,
        () -> stat(h, PcapStat::getNumPacketsDroppedByIf));
  }

  private static long stat(PcapHandle h, java.util.function.ToLongFunction<PcapStat> f) {
    try {
      return h.isOpen() ? f.applyAsLong(h.getStats()) : 0;
    } catch (PcapNativeException | NotOpenException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    for (PcapHandle h : handles) {
      try {
        h.breakLoop();
      } catch (NotOpenException e) {
        // already closed
      }
    }
    for (Thread t : threads) {
      try {
        t.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    handles.forEach(PcapHandle::close);
  }
}
