package org.bellwatch.agent.decode.dns;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bellwatch.agent.decode.Ports;
import org.bellwatch.agent.decode.UdpDatagram;

/**
 * Pairs DNS queries with their responses into transactions keyed by the 5-tuple and the message id
 * (as Zeek's DNS analyzer does; RFC 5452 section 9.1 lists the same fields a resolver must match).
 * Pure and single-threaded: no clock inside, time moves only through the messages' timestamps and
 * {@link #advanceTo}. Only port 53 takes part: mDNS (5353) answers go to a multicast group and pair
 * with nothing.
 *
 * <p>Bounds: a query waits {@code timeoutMicros} for its response, then counts as {@link
 * Outcome#UNANSWERED}; at most {@code maxPending} queries wait at once, the oldest giving way
 * ({@link Outcome#EVICTED}). A repeated query with a key already waiting (a client retransmission)
 * keeps the first one's time, so latency is measured from the first send ({@link
 * Outcome#DUPLICATE_QUERY}). A response with no waiting query is {@link
 * Outcome#UNMATCHED_RESPONSE}; a second response to one query (dns-two-responses) is unmatched too.
 */
public final class DnsTransactions {

  /** How one query or response ended. */
  public enum Outcome {
    ANSWERED("answered"),
    UNANSWERED("unanswered"),
    EVICTED("evicted"),
    DUPLICATE_QUERY("duplicate_query"),
    UNMATCHED_RESPONSE("unmatched_response");

    private final String id;

    Outcome(String id) {
      this.id = id;
    }

    /** Bounded snake_case name, used as a metric tag. */
    public String id() {
      return id;
    }
  }

  /** Receives each outcome; {@code latencyMicros} is the response time for ANSWERED, else 0. */
  @FunctionalInterface
  public interface Listener {
    void outcome(Outcome outcome, long latencyMicros);
  }

  private record Key(
      InetAddress client,
      int clientPort,
      InetAddress server,
      int serverPort,
      String transport,
      int id) {}

  private final int maxPending;
  private final long timeoutMicros;

  /** Insertion order is query order, so the eldest entry is the oldest query. */
  private final LinkedHashMap<Key, Long> pending = new LinkedHashMap<>();

  public DnsTransactions(int maxPending, long timeoutMicros) {
    if (maxPending < 1 || timeoutMicros < 1) {
      throw new IllegalArgumentException("transaction bounds must be positive");
    }
    this.maxPending = maxPending;
    this.timeoutMicros = timeoutMicros;
  }

  /** Observes one decoded message. */
  public void observe(UdpDatagram d, DnsMessage m, Listener listener) {
    advanceTo(d.epochMicros(), listener);
    if (d.sport() != Ports.DNS && d.dport() != Ports.DNS) {
      return;
    }
    if (!m.response()) {
      Key k = new Key(d.src(), d.sport(), d.dst(), d.dport(), d.transport(), m.id());
      if (pending.containsKey(k)) {
        listener.outcome(Outcome.DUPLICATE_QUERY, 0);
        return;
      }
      if (pending.size() >= maxPending) {
        Iterator<Long> it = pending.values().iterator();
        it.next();
        it.remove();
        listener.outcome(Outcome.EVICTED, 0);
      }
      pending.put(k, d.epochMicros());
      return;
    }
    Long sent =
        pending.remove(new Key(d.dst(), d.dport(), d.src(), d.sport(), d.transport(), m.id()));
    if (sent == null) {
      listener.outcome(Outcome.UNMATCHED_RESPONSE, 0);
    } else {
      // A capture can reorder by a few microseconds across interfaces; latency never goes negative.
      listener.outcome(Outcome.ANSWERED, Math.max(0, d.epochMicros() - sent));
    }
  }

  /** Counts queries older than the timeout at {@code nowMicros} as unanswered. */
  public void advanceTo(long nowMicros, Listener listener) {
    if (pending.isEmpty()) {
      return;
    }
    Iterator<Map.Entry<Key, Long>> it = pending.entrySet().iterator();
    while (it.hasNext()) {
      if (nowMicros - it.next().getValue() <= timeoutMicros) {
        break;
      }
      it.remove();
      listener.outcome(Outcome.UNANSWERED, 0);
    }
  }

  /** Counts every waiting query as unanswered: end of input. */
  public void finish(Listener listener) {
    for (int i = pending.size(); i > 0; i--) {
      listener.outcome(Outcome.UNANSWERED, 0);
    }
    pending.clear();
  }

  /** Queries waiting for a response. */
  public int pending() {
    return pending.size();
  }
}
