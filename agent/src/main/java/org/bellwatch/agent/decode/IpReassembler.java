package org.bellwatch.agent.decode;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.bellwatch.agent.event.MalformedException;

/**
 * Reassembles fragmented IPv4 (RFC 791 section 3.2) and IPv6 (RFC 8200 section 4.5) datagrams
 * within bounds. Pure and single-threaded: no clock inside, the caller passes each fragment's
 * capture time, and time only moves through those timestamps.
 *
 * <p>Datagrams are keyed by (version, source, destination, identification, protocol). Bounds:
 *
 * <ul>
 *   <li>a datagram waits at most {@code timeoutMicros} after its first fragment (reason {@code
 *       ip_fragment_timeout});
 *   <li>at most {@code maxDatagrams} datagrams and {@code maxBytes} buffered fragment bytes in all;
 *       the oldest datagram is given up to make room ({@code ip_fragment_evicted});
 *   <li>a reassembled payload may not pass 65535 bytes ({@code ipv4_fragment_too_big} / {@code
 *       ipv6_fragment_too_big}, RFC 8200: fragments that would exceed it are discarded).
 * </ul>
 *
 * Overlapping fragments are refused for both versions: RFC 5722 requires it for IPv6 (the whole
 * datagram, including fragments still to come, is silently discarded), and for IPv4 overlaps are
 * the classic evasion (RFC 1858) with no legitimate use. Exact duplicates (same offset, length and
 * bytes) are dropped and the datagram kept, as RFC 8200 section 4.5 allows. A datagram discarded
 * for overlap stays in the table, poisoned, until its timeout, so that its later fragments do not
 * start a fresh datagram.
 *
 * <p>Failures tied to the offered fragment throw {@link MalformedException}; failures of other
 * datagrams (timeouts, evictions) are reported to the {@code dropped} consumer with a named reason.
 */
public final class IpReassembler {
  /** Largest IPv4 datagram payload (total length 65535 minus a 20-byte header) / IPv6 payload. */
  private static final int MAX_PAYLOAD = 65535;

  private record Key(int version, InetAddress src, InetAddress dst, long id, int protocol) {}

  private static final class Pending {
    final long firstMicros;
    byte[] data = new byte[0];

    /** Sorted, disjoint [start, end) ranges received so far, as pairs. */
    int[] ranges = new int[8];

    int rangeCount;
    int bytes;
    int total = -1; // known once the last fragment (MF = 0) arrives
    boolean poisoned;

    Pending(long firstMicros) {
      this.firstMicros = firstMicros;
    }
  }

  private final int maxDatagrams;
  private final long maxBytes;
  private final long timeoutMicros;
  private final LinkedHashMap<Key, Pending> pending = new LinkedHashMap<>();
  private long bufferedBytes;

  /**
   * @param maxDatagrams datagrams under reassembly at once
   * @param maxBytes fragment bytes buffered across all datagrams
   * @param timeoutMicros how long a datagram may wait for its fragments, in packet time
   */
  public IpReassembler(int maxDatagrams, long maxBytes, long timeoutMicros) {
    if (maxDatagrams < 1 || maxBytes < 1 || timeoutMicros < 1) {
      throw new IllegalArgumentException("reassembly bounds must be positive");
    }
    this.maxDatagrams = maxDatagrams;
    this.maxBytes = maxBytes;
    this.timeoutMicros = timeoutMicros;
  }

  /**
   * Offers one fragment. Returns the whole datagram (time of this fragment, payload a fresh buffer)
   * when this fragment completes it, else null.
   *
   * @throws MalformedException {@code ipv4_fragment_bad_length} / {@code ipv6_fragment_bad_length}
   *     (a fragment that is not the last must carry a multiple of 8 bytes), {@code
   *     ..._fragment_too_big}, {@code ..._fragment_overlap}, {@code ..._fragment_discarded} (a
   *     later fragment of a datagram already refused), {@code ..._fragment_after_last} (data beyond
   *     the end the last fragment set)
   */
  public IpPacket offer(IpPacket frag, Consumer<String> dropped) throws MalformedException {
    advanceTo(frag.epochMicros(), dropped);
    String v = frag.version() == 4 ? "ipv4" : "ipv6";
    int len = frag.payload().remaining();
    int start = frag.fragmentOffset();
    int end = start + len;
    if (frag.moreFragments() && (len == 0 || len % 8 != 0)) {
      throw new MalformedException(v + "_fragment_bad_length");
    }
    if (end > MAX_PAYLOAD) {
      throw new MalformedException(v + "_fragment_too_big");
    }
    Key key = new Key(frag.version(), frag.src(), frag.dst(), frag.fragmentId(), frag.protocol());
    Pending p = pending.get(key);
    if (p == null) {
      if (len > maxBytes) {
        throw new MalformedException(v + "_fragment_too_big");
      }
      makeRoom(len, null, dropped);
      p = new Pending(frag.epochMicros());
      pending.put(key, p);
    } else if (p.poisoned) {
      throw new MalformedException(v + "_fragment_discarded");
    }
    int covering = covering(p, start);
    if (covering >= 0
        && len > 0
        && end <= p.ranges[2 * covering + 1]
        && sameBytes(p, frag.payload(), start, len)
        && (frag.moreFragments() || p.total == end)) {
      return null; // an exact duplicate (a retransmission or a looped mirror): keep what we have
    }
    if (!frag.moreFragments()) {
      if (p.total >= 0 && p.total != end || end < lastEnd(p)) {
        poison(p);
        throw new MalformedException(v + "_fragment_after_last");
      }
      p.total = end;
    } else if (p.total >= 0 && end > p.total) {
      poison(p);
      throw new MalformedException(v + "_fragment_after_last");
    }
    if (len > 0) {
      int at = insertionPoint(p, start);
      boolean overlapsBefore = at > 0 && p.ranges[2 * at - 1] > start;
      boolean overlapsAfter = at < p.rangeCount && p.ranges[2 * at] < end;
      if (overlapsBefore || overlapsAfter) {
        poison(p);
        throw new MalformedException(v + "_fragment_overlap");
      }
      if (bufferedBytes + len > maxBytes) {
        makeRoom(len, key, dropped); // the other datagrams make room; this one is being completed
        if (bufferedBytes + len > maxBytes) {
          remove(key, p);
          throw new MalformedException(v + "_fragment_too_big");
        }
      }
      if (p.data.length < end) {
        p.data = Arrays.copyOf(p.data, Math.max(end, Math.min(MAX_PAYLOAD, p.data.length * 2)));
      }
      frag.payload().duplicate().get(p.data, start, len);
      insertRange(p, at, start, end);
      p.bytes += len;
      bufferedBytes += len;
    }
    if (p.total >= 0
        && (p.total == 0 || p.rangeCount == 1 && p.ranges[0] == 0 && p.ranges[1] == p.total)) {
      remove(key, p);
      return frag.whole(frag.epochMicros(), ByteBuffer.wrap(Arrays.copyOf(p.data, p.total)));
    }
    return null;
  }

  /** Gives up datagrams whose first fragment is older than the timeout at {@code nowMicros}. */
  public void advanceTo(long nowMicros, Consumer<String> dropped) {
    if (pending.isEmpty()) {
      return;
    }
    Iterator<Map.Entry<Key, Pending>> it = pending.entrySet().iterator();
    while (it.hasNext()) {
      Pending p = it.next().getValue();
      if (nowMicros - p.firstMicros <= timeoutMicros) {
        // Entries are in first-fragment order (never re-inserted), so the rest are younger.
        break;
      }
      it.remove();
      bufferedBytes -= p.bytes;
      if (!p.poisoned) {
        dropped.accept("ip_fragment_timeout");
      }
    }
  }

  /** Datagrams waiting for fragments (poisoned ones included). */
  public int pendingDatagrams() {
    return pending.size();
  }

  /** Fragment bytes buffered across all datagrams. */
  public long bufferedBytes() {
    return bufferedBytes;
  }

  /**
   * Evicts the oldest datagrams, except {@code keep}, until {@code len} more bytes (and, for a new
   * datagram, one more entry) fit.
   */
  private void makeRoom(int len, Key keep, Consumer<String> dropped) {
    Iterator<Map.Entry<Key, Pending>> it = pending.entrySet().iterator();
    while (it.hasNext()
        && (keep == null && pending.size() >= maxDatagrams || bufferedBytes + len > maxBytes)) {
      Map.Entry<Key, Pending> e = it.next();
      if (e.getKey().equals(keep)) {
        continue;
      }
      Pending p = e.getValue();
      it.remove();
      bufferedBytes -= p.bytes;
      if (!p.poisoned) {
        dropped.accept("ip_fragment_evicted");
      }
    }
  }

  private void poison(Pending p) {
    p.poisoned = true;
    bufferedBytes -= p.bytes;
    p.bytes = 0;
    p.data = new byte[0];
    p.rangeCount = 0;
  }

  private void remove(Key key, Pending p) {
    pending.remove(key);
    bufferedBytes -= p.bytes;
  }

  private static int lastEnd(Pending p) {
    return p.rangeCount == 0 ? 0 : p.ranges[2 * p.rangeCount - 1];
  }

  /** Index of the range that contains {@code pos}, or -1. */
  private static int covering(Pending p, int pos) {
    for (int i = 0; i < p.rangeCount; i++) {
      if (p.ranges[2 * i] <= pos && pos < p.ranges[2 * i + 1]) {
        return i;
      }
    }
    return -1;
  }

  /** Index of the first range whose start is at or after {@code start}. */
  private static int insertionPoint(Pending p, int start) {
    int i = 0;
    while (i < p.rangeCount && p.ranges[2 * i] < start) {
      i++;
    }
    return i;
  }

  private static boolean sameBytes(Pending p, ByteBuffer payload, int start, int len) {
    return ByteBuffer.wrap(p.data, start, len).equals(payload.duplicate());
  }

  /** Inserts [start, end) at index {@code at}, merging with touching neighbours. */
  private static void insertRange(Pending p, int at, int start, int end) {
    boolean joinPrev = at > 0 && p.ranges[2 * at - 1] == start;
    boolean joinNext = at < p.rangeCount && p.ranges[2 * at] == end;
    if (joinPrev && joinNext) {
      p.ranges[2 * at - 1] = p.ranges[2 * at + 1];
      System.arraycopy(p.ranges, 2 * at + 2, p.ranges, 2 * at, 2 * (p.rangeCount - at - 1));
      p.rangeCount--;
    } else if (joinPrev) {
      p.ranges[2 * at - 1] = end;
    } else if (joinNext) {
      p.ranges[2 * at] = start;
    } else {
      if (2 * p.rangeCount + 2 > p.ranges.length) {
        p.ranges = Arrays.copyOf(p.ranges, p.ranges.length * 2);
      }
      System.arraycopy(p.ranges, 2 * at, p.ranges, 2 * at + 2, 2 * (p.rangeCount - at));
      p.ranges[2 * at] = start;
      p.ranges[2 * at + 1] = end;
      p.rangeCount++;
    }
  }
}
