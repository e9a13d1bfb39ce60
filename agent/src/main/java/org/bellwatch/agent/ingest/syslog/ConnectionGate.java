package org.bellwatch.agent.ingest.syslog;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bellwatch.agent.config.SyslogListener;

/**
 * Admits a TCP/TLS connection at accept, before TLS or any read, so that a flood of idle
 * connections is cut at once: at most {@code max_connections} open on the listener, and at most
 * {@code max_connections_per_sender} from one address, so that one sender cannot hold every slot.
 *
 * <p>When every slot is taken, a newcomer is not simply refused: a handful of LAN hosts, each
 * holding its share of slow connections, would otherwise keep the filter itself out for as long as
 * they like (issue 17, finding 4). The policy is max-min fairness between sender addresses: the
 * newcomer takes the slot of the address holding the most connections when, after the swap, it
 * still holds fewer than that address held before ({@code mine + 1 < most}); otherwise it is
 * refused. So an address with few connections (a filter reconnecting) always gets in while anyone
 * holds more, the address that takes the largest share pays for it, and two hogs of equal size
 * cannot evict each other back and forth. Of that address's connections the one that has gone
 * longest without completing a frame goes: a stalled or trickling connection before one that is
 * delivering. Among addresses tied for the most, the one holding that stalest connection pays.
 *
 * <p>An evicted connection's slot is the newcomer's at once, but its descriptor stays open until
 * its close has run on its own event loop, which CPU starvation can delay while the accepting loop
 * goes on. So evicted connections count as closing until that close is seen ({@link #release}), and
 * while {@code max_connections} of them are closing a newcomer evicts nobody and is refused ({@code
 * over_limit}): however starved the loops, a listener holds at most twice {@code max_connections}
 * connections' descriptors.
 *
 * <p>The table holds only addresses with an open connection, so it is bounded by {@code
 * max_connections}; the scans over it run only while the listener is full. Called from the
 * listener's accepting loop and, for releases and frames, from every event loop; hence
 * synchronized.
 */
final class ConnectionGate {
  /**
   * Why a connection was refused or closed: the reason tag of {@code
   * bellwatch_syslog_connections_closed_total}.
   */
  static final String OVER_LIMIT = "over_limit";

  static final String SENDER_LIMIT = "sender_limit";
  static final String EVICTED = "evicted";

  /** One admitted connection, until {@link #release}. */
  static final class Slot {
    private final InetAddress sender;
    private final Runnable evict;

    /**
     * The gate's tick when the connection was admitted or last completed a frame: lower is staler.
     */
    private volatile long lastFrame;

    /** Evicted: the slot is given away, the connection not yet closed. */
    private boolean evicted;

    /** The connection has closed. */
    private boolean released;

    private Slot(InetAddress sender, Runnable evict, long tick) {
      this.sender = sender;
      this.evict = evict;
      this.lastFrame = tick;
    }

    /** The address the connection came from. */
    InetAddress sender() {
      return sender;
    }
  }

  /** The outcome of {@link #admit}: the slot, or why there is none. */
  record Admission(Slot slot, String refusal) {}

  private final int maxConnections;
  private final int maxPerSender;
  private final Map<InetAddress, List<Slot>> bySender = new HashMap<>();

  /** Orders admissions and frames without a clock: only "which came last" matters for eviction. */
  private final AtomicLong ticks = new AtomicLong();

  private int open;

  /** Evicted connections not yet closed: each still holds its descriptor. */
  private int closing;

  ConnectionGate(SyslogListener cfg) {
    this.maxConnections = cfg.maxConnections();
    this.maxPerSender = cfg.perSender().maxConnections();
  }

  /**
   * Admits a connection from {@code sender}, or names why not. {@code evict} closes this connection
   * should a later newcomer take its slot; the gate has given the slot away by the time it runs.
   */
  synchronized Admission admit(InetAddress sender, Runnable evict) {
    List<Slot> mine = bySender.get(sender);
    int count = mine == null ? 0 : mine.size();
    if (count >= maxPerSender) {
      return new Admission(null, SENDER_LIMIT);
    }
    Slot victim = null;
    if (open >= maxConnections) {
      victim = closing < maxConnections ? victim(count) : null;
      if (victim == null) {
        return new Admission(null, OVER_LIMIT);
      }
      giveUp(victim);
      victim.evicted = true;
      closing++;
    }
    Slot slot = new Slot(sender, evict, ticks.incrementAndGet());
    bySender.computeIfAbsent(sender, k -> new ArrayList<>()).add(slot);
    open++;
    if (victim != null) {
      victim.evict.run();
    }
    return new Admission(slot, null);
  }

  /**
   * The stalest connection of the address holding the most, when a newcomer holding {@code mine}
   * may take it.
   */
  private Slot victim(int mine) {
    int most = 0;
    Slot stalest = null;
    for (List<Slot> slots : bySender.values()) {
      if (slots.size() < most) {
        continue;
      }
      Slot s = stalest(slots);
      if (slots.size() > most || s.lastFrame < stalest.lastFrame) {
        most = slots.size();
        stalest = s;
      }
    }
    return mine + 1 < most ? stalest : null;
  }

  private static Slot stalest(List<Slot> slots) {
    Slot s = slots.get(0);
    for (Slot o : slots) {
      if (o.lastFrame < s.lastFrame) {
        s = o;
      }
    }
    return s;
  }

  /** Connections admitted and not yet released: at most the listener's {@code max_connections}. */
  synchronized int open() {
    return open;
  }

  /**
   * The connection completed a frame: it is delivering, so it is the last of its sender's to be
   * evicted.
   */
  void framed(Slot slot) {
    slot.lastFrame = ticks.incrementAndGet();
  }

  /**
   * The connection has closed: frees its slot, or, after an eviction, ends its closing. Once per
   * slot has effect.
   */
  synchronized void release(Slot slot) {
    if (slot.released) {
      return;
    }
    slot.released = true;
    if (slot.evicted) {
      closing--;
    } else {
      giveUp(slot);
    }
  }

  private void giveUp(Slot slot) {
    open--;
    List<Slot> slots = bySender.get(slot.sender);
    slots.remove(slot);
    if (slots.isEmpty()) {
      bySender.remove(slot.sender);
    }
  }
}
