package org.bellwatch.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bellwatch.agent.decode.LinkDecoder;
import org.bellwatch.agent.decode.UdpDatagram;
import org.bellwatch.agent.decode.dns.DnsDecoder;
import org.bellwatch.agent.decode.dns.DnsMessage;
import org.bellwatch.agent.event.RawFrame;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Live capture through libpcap on the loopback interface (the only interface a test may touch
 * without creating its own namespace). Needs libpcap and CAP_NET_RAW; scripts/test runs as root and
 * makes it required, elsewhere it is skipped when capture is not permitted.
 */
class LiveCaptureTest {
  @Test
  void aDnsQuerySentOnLoopbackArrivesAsARawFrameThatDecodes() throws Exception {
    captureOneQuery(true);
  }

  @Test
  void withoutImmediateModeTheQueryStillArrives() throws Exception {
    captureOneQuery(false);
  }

  private void captureOneQuery(boolean immediate) throws Exception {
    LiveCapture.Settings cfg =
        new LiveCapture.Settings(List.of("lo"), 65535, 1 << 20, false, immediate);
    BlockingQueue<RawFrame> queue = new ArrayBlockingQueue<>(64);
    LiveCapture capture;
    try {
      capture =
          LiveCapture.start(
              cfg,
              queue::offer,
              new BellwatchMeters(new SimpleMeterRegistry()),
              new LiveCapture.Listener() {
                @Override
                public void stopped(String iface, String reason) {}

                @Override
                public void resumed(String iface) {}
              });
    } catch (CaptureException | LinkageError e) {
      Assumptions.assumeFalse(
          Boolean.getBoolean("bellwatch.capture.required"), "capture required but: " + e);
      Assumptions.abort("live capture not permitted here: " + e.getMessage());
      return;
    }
    try (capture;
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      // A DNS query for "bellwatch.test" A, id 0x4242 (RFC 1035 section 4.1).
      byte[] query = {
        0x42, 0x42, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 9, 'b', 'e', 'l', 'l', 'w', 'a', 't', 'c',
        'h', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1
      };
      DnsMessage decoded = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      // The capture thread may still be arming its filter: send until a copy comes back.
      while (decoded == null && System.nanoTime() < deadline) {
        socket.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), 53));
        RawFrame f = queue.poll(200, TimeUnit.MILLISECONDS);
        while (f != null && decoded == null) {
          UdpDatagram d = LinkDecoder.decode(f);
          if (d != null && d.dport() == 53 && d.sport() == socket.getLocalPort()) {
            decoded = DnsDecoder.decode(d.payload());
          }
          f = queue.poll();
        }
      }
      assertThat(decoded).isNotNull();
      assertThat(decoded.id()).isEqualTo(0x4242);
      assertThat(decoded.qname()).isEqualTo("bellwatch.test");
    }
  }
}
