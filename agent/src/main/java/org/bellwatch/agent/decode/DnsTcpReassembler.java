package org.bellwatch.agent.decode;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * Cuts DNS messages out of TCP streams (RFC 1035 section 4.2.2, RFC 7766 section 8): each message
 * is preceded by a two-byte length; one segment may carry several messages and one message may span
 * several segments. Pure and single-threaded: no clock inside, time moves only through the
 * segments' timestamps.
 *
 * <p>Design note. Each direction of a connection is its own flow, keyed by (src, sport, dst,
 * dport). A flow starts at a SYN (data begins at seq + 1) or, for a capture that began
 * mid-connection, at the first segment with data. In-order data is appended to the flow's buffer
 * and every complete message is returned. Retransmitted data (before the next expected sequence
 * number) is dropped, and the new part of a partly retransmitted segment kept. A segment after a
 * gap is held until the gap fills, within the flow's byte cap; if it does not fit, the flow is
 * given up ({@code dns_tcp_gap}) and restarts at the next segment, which a DNS decoder may then
 * refuse if it lands inside a message. FIN and RST end a flow (data on the FIN segment is used
 * first); bytes of an unfinished message are then counted as {@code dns_tcp_partial_at_close}.
 * Bounds: {@code maxFlowBytes} buffered per flow (messages longer than that give {@code
 * dns_tcp_message_too_big}), {@code maxFlows} flows (the least recently active is evicted, {@code
 * dns_tcp_flow_evicted}), and {@code idleMicros} without a segment ({@code dns_tcp_flow_timeout}).
 * Sequence numbers compare modulo 2^32 (RFC 9293 section 3.4).
 */
public final class DnsTcpReassembler {
  /** Out-of-order segments held per flow while waiting for a gap to fill. */
  private static final int MAX_HELD_SEGMENTS = 16;

  private record Key(InetAddress src, int sport, InetAddress dst, int dport) {}

  private record Held(long seq, byte[] data) {}

  private static final class Flow {
    long nextSeq;
    long lastMicros;
    byte[] buf = new byte[0];
    int len;
    final List<Held> held = new ArrayList<>(0);
    int heldBytes;

    Flow(long nextSeq, long now) {
      this.nextSeq = nextSeq;
      this.lastMicros = now;
    }
  }

  private final int maxFlows;
  private final int maxFlowBytes;
  private final long idleMicros;

  /** Access order: the eldest entry is the least recently active flow. */
  private final LinkedHashMap<Key, Flow> flows = new LinkedHashMap<>(16, 0.75f, true);

  /**
   * @param maxFlows flows tracked at once
   * @param maxFlowBytes bytes buffered per flow (unfinished message plus held out-of-order data)
   * @param idleMicros a flow with no segment for this long, in packet time, is given up
   */
  public DnsTcpReassembler(int maxFlows, int maxFlowBytes, long idleMicros) {
    if (maxFlows < 1 || maxFlowBytes < 2 || idleMicros < 1) {
      throw new IllegalArgumentException("TCP reassembly bounds must be positive");
    }
    this.maxFlows = maxFlows;
    this.maxFlowBytes = maxFlowBytes;
    this.idleMicros = idleMicros;
  }

  /**
   * Offers one segment; returns the DNS messages it completes (often none, usually one), each as a
   * {@link UdpDatagram} with transport {@code "tcp"}, the flow's addressing and this segment's
   * time, and a payload of its own (a copy, independent of the frame).
   */
  public List<UdpDatagram> offer(TcpSegment s, Consumer<String> dropped) {
    advanceTo(s.epochMicros(), dropped);
    Key key = new Key(s.src(), s.sport(), s.dst(), s.dport());
    Flow f = flows.get(key);
    if (s.has(TcpSegment.RST)) {
      if (f != null) {
        close(key, f, dropped);
      }
      return List.of();
    }
    int dataLen = s.payload().remaining();
    if (s.has(TcpSegment.SYN)) {
      if (f != null) {
        close(key, f, dropped); // a new connection on the same ports
      }
      f = newFlow(key, (s.seq() + 1) & 0xffffffffL, s.epochMicros(), dropped);
      if (dataLen == 0) {
        return List.of(); // data on a SYN (TCP Fast Open) is taken below
      }
    }
    if (f == null) {
      if (dataLen == 0) {
        return List.of(); // a bare ACK or FIN of a connection we never saw
      }
      f = newFlow(key, s.seq(), s.epochMicros(), dropped);
    }
    f.lastMicros = s.epochMicros();
    long seq = s.has(TcpSegment.SYN) ? (s.seq() + 1) & 0xffffffffL : s.seq();
    List<UdpDatagram> out = List.of();
    if (dataLen > 0) {
      out = accept(key, f, seq, s.payload(), s, dropped);
    }
    if (s.has(TcpSegment.FIN) && flows.get(key) == f) {
      close(key, f, dropped);
    }
    return out;
  }

  /** Gives up flows idle for longer than the timeout at {@code nowMicros}. */
  public void advanceTo(long nowMicros, Consumer<String> dropped) {
    if (flows.isEmpty()) {
      return;
    }
    Iterator<Flow> it = flows.values().iterator();
    while (it.hasNext()) {
      Flow f = it.next();
      if (nowMicros - f.lastMicros <= idleMicros) {
        break; // access order: the rest were active more recently
      }
      it.remove();
      dropped.accept("dns_tcp_flow_timeout");
    }
  }

  /** Flows tracked now. */
  public int flowCount() {
    return flows.size();
  }

  private Flow newFlow(Key key, long nextSeq, long now, Consumer<String> dropped) {
    if (flows.size() >= maxFlows) {
      Iterator<Flow> it = flows.values().iterator();
      it.next();
      it.remove();
      dropped.accept("dns_tcp_flow_evicted");
    }
    Flow f = new Flow(nextSeq, now);
    flows.put(key, f);
    return f;
  }

  private void close(Key key, Flow f, Consumer<String> dropped) {
    flows.remove(key);
    if (f.len > 0 || f.heldBytes > 0) {
      dropped.accept("dns_tcp_partial_at_close");
    }
  }

  private List<UdpDatagram> accept(
      Key key, Flow f, long seq, ByteBuffer data, TcpSegment s, Consumer<String> dropped) {
    int ahead = (int) (seq - f.nextSeq); // modulo 2^32, as a signed distance
    int n = data.remaining();
    if (ahead < 0) {
      if (ahead + n <= 0) {
        return List.of(); // all of it seen before: a retransmission
      }
      data = data.duplicate().position(-ahead).slice(); // keep only the new part
      n = data.remaining();
      ahead = 0;
    }
    if (ahead > 0) {
      // Out of order: hold it until the gap fills, within the per-flow cap.
      if (f.held.size() >= MAX_HELD_SEGMENTS || f.len + f.heldBytes + n > maxFlowBytes) {
        flows.remove(key);
        dropped.accept("dns_tcp_gap");
        return List.of();
      }
      byte[] copy = new byte[n];
      data.duplicate().get(copy);
      f.held.add(new Held(seq, copy));
      f.heldBytes += n;
      return List.of();
    }
    if (!append(f, data, n)) {
      flows.remove(key);
      dropped.accept("dns_tcp_message_too_big");
      return List.of();
    }
    // Drain held segments that are now in order (or retransmitted below nextSeq).
    boolean progress = !f.held.isEmpty();
    while (progress) {
      progress = false;
      for (Iterator<Held> it = f.held.iterator(); it.hasNext(); ) {
        Held h = it.next();
        int d = (int) (h.seq() - f.nextSeq);
        if (d > 0) {
          continue;
        }
        it.remove();
        f.heldBytes -= h.data().length;
        if (d + h.data().length > 0
            && !append(
                f, ByteBuffer.wrap(h.data(), -d, h.data().length + d), h.data().length + d)) {
          flows.remove(key);
          dropped.accept("dns_tcp_message_too_big");
          return List.of();
        }
        progress = true;
      }
    }
    return messages(key, f, s, dropped);
  }

  /** Appends in-order bytes; false when the buffer would pass the per-flow cap. */
  private boolean append(Flow f, ByteBuffer data, int n) {
    if (f.len + n > maxFlowBytes) {
      return false;
    }
    if (f.buf.length < f.len + n) {
      f.buf = Arrays.copyOf(f.buf, Math.min(maxFlowBytes, Math.max(f.len + n, f.buf.length * 2)));
    }
    data.duplicate().get(f.buf, f.len, n);
    f.len += n;
    f.nextSeq = (f.nextSeq + n) & 0xffffffffL;
    return true;
  }

  /** Cuts every complete length-prefixed message out of the flow's buffer. */
  private List<UdpDatagram> messages(Key key, Flow f, TcpSegment s, Consumer<String> dropped) {
    List<UdpDatagram> out = null;
    int p = 0;
    while (f.len - p >= 2) {
      int msgLen = ((f.buf[p] & 0xff) << 8) | (f.buf[p + 1] & 0xff);
      if (f.len - p - 2 < msgLen) {
        break;
      }
      byte[] msg = Arrays.copyOfRange(f.buf, p + 2, p + 2 + msgLen);
      if (out == null) {
        out = new ArrayList<>(1);
      }
      out.add(
          new UdpDatagram(
              s.epochMicros(),
              key.src(),
              key.dst(),
              key.sport(),
              key.dport(),
              "tcp",
              ByteBuffer.wrap(msg)));
      p += 2 + msgLen;
    }
    if (p > 0) {
      System.arraycopy(f.buf, p, f.buf, 0, f.len - p);
      f.len -= p;
    }
    if (f.len >= 2 && 2 + (((f.buf[0] & 0xff) << 8) | (f.buf[1] & 0xff)) > maxFlowBytes) {
      // The length prefix promises more than the cap allows: this message can never be cut.
      flows.remove(key);
      f.len = 0;
      dropped.accept("dns_tcp_message_too_big");
    }
    return out == null ? List.of() : out;
  }
}
