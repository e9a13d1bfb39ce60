package org.bellwatch.agent.correlate;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.bellwatch.agent.identity.Lease;

/**
 * Merges evidence of one attempt and decides when an attempt is attributed.
 *
 * <p>One client is one address held by one device: when DHCP hands an address to another device,
 * evidence from it starts a new attempt even inside the merge window.
 *
 * <p>Two windows, both measured in event time from an attempt's first evidence:
 * <ul>
 *   <li>the <em>merge window</em>: evidence of the same client and domain inside it belongs to the same
 *       attempt (an A and an AAAA sinkhole answer, a browser retry, a proxy deny and its DNS lookup);</li>
 *   <li>the <em>reorder window</em> (at least the merge window): how long the attempt waits before it is
 *       attributed, so that identity evidence that arrives late (a DHCP server log line shipped after the
 *       block it explains) still corrects the attribution.</li>
 * </ul>
 * Event time advances with the input (the watermark) or with the clock when input is idle. Output is in
 * time order. Not thread-safe: owned by the pipeline thread.
 *
 * <p>Which device held the address is decided with what the lease table knows when the evidence comes
 * in; when a DHCP observation about that address arrives later (a server log line shipped late), the
 * pipeline calls {@link #identityChanged} and the address's attempts not yet emitted are grouped again
 * as if the lease had been known from the start.
 *
 * <p>Cost: attempts sit in two ordered sets (open by first evidence; closed by first evidence and
 * client) and a map by key, so each evidence and each close or emit is O(log n), whatever the number
 * of attempts in the windows.
 */
public final class Correlator {
  /**
   * One client: an address and the device holding it then (a reused address is another client); for
   * evidence without an address (a filter that logs only the user), the user.
   */
  private record Key(InetAddress client, String device, String user, String domain) {
    static Key of(BlockEvidence e, String device) {
      return new Key(e.clientIp(), device, e.clientIp() == null ? e.user() : null, e.domain());
    }

    /** Orders attempts of one instant: the address, or the user after every address. */
    String text(AddressTexts texts) {
      return client != null ? texts.of(client) : "~" + user;
    }
  }

  /**
   * The evidence of one attempt; {@code first} is its earliest evidence time and {@code lease} the lease
   * that covered the address then (looked up once here; any later change to the address's leases
   * regroups the attempt through {@link #identityChanged}, which looks it up again).
   */
  private static final class Attempt {
    final Key key;
    final String clientText;
    final long seq;
    final List<BlockEvidence> evidence = new ArrayList<>(2);
    Instant first;
    Lease lease;

    Attempt(Key key, String clientText, long seq, Instant first, Lease lease) {
      this.key = key;
      this.clientText = clientText;
      this.seq = seq;
      this.first = first;
      this.lease = lease;
    }
  }

  /**
   * Open attempts by first evidence: they close when event time passes first + merge window. Written out
   * rather than composed from key extractors: every evidence adds and removes attempts in these sets, and
   * the comparisons are a visible share of correlation's cost.
   */
  private static final Comparator<Attempt> BY_FIRST = (x, y) -> {
    int c = x.first.compareTo(y.first);
    return c != 0 ? c : Long.compare(x.seq, y.seq);
  };
  /** Closed attempts in output order: first evidence, then client address text. */
  private static final Comparator<Attempt> OUTPUT_ORDER = (x, y) -> {
    int c = x.first.compareTo(y.first);
    if (c == 0) {
      c = x.clientText.compareTo(y.clientText);
    }
    return c != 0 ? c : Long.compare(x.seq, y.seq);
  };

  private final Attributor attributor;
  private final AddressTexts addressTexts = new AddressTexts();
  private final Duration mergeWindow;
  private final Duration reorderWindow;
  private final Consumer<BlockEvent> out;
  private final BiConsumer<List<BlockEvidence>, BlockEvent> emitted;
  private final Map<Key, Attempt> open = new HashMap<>();
  private final TreeSet<Attempt> opening = new TreeSet<>(BY_FIRST);
  private final TreeSet<Attempt> waiting = new TreeSet<>(OUTPUT_ORDER);
  /** Attempts not yet emitted, per client address: what {@link #identityChanged} regroups. */
  private final Map<InetAddress, List<Attempt>> byClient = new HashMap<>();
  private long seq;
  private Instant watermark = Instant.MIN;
  /**
   * {@code watermark - mergeWindow} and {@code watermark - reorderWindow}, kept with the watermark:
   * "watermark is after first + window" is "first is before the cut", with no {@code Instant} made per
   * comparison. Null while the watermark is {@link Instant#MIN} (nothing is past any window then).
   */
  private Instant mergeCut;
  private Instant reorderCut;

  /**
   * Evidence from one address merges only while the same device holds it: the device is the one the
   * attributor's lease table names for the evidence's address and time.
   */
  public Correlator(Attributor attributor, Duration mergeWindow, Duration reorderWindow, Consumer<BlockEvent> out) {
    this(attributor, mergeWindow, reorderWindow, (a, e) -> { }, out);
  }

  /**
   * @param emitted told of each attempt's evidence and the event made of it, just before {@code out}
   *                gets that event (the pipeline tracks which file lines an event came from)
   */
  public Correlator(Attributor attributor, Duration mergeWindow, Duration reorderWindow,
      BiConsumer<List<BlockEvidence>, BlockEvent> emitted, Consumer<BlockEvent> out) {
    this.emitted = emitted;
    this.attributor = attributor;
    this.mergeWindow = mergeWindow;
    this.reorderWindow = reorderWindow.compareTo(mergeWindow) < 0 ? mergeWindow : reorderWindow;
    this.out = out;
  }

  public void offer(BlockEvidence e) {
    // Closing expired attempts first guarantees that an attempt still open for this key began within the
    // merge window of e (or after it, for evidence that arrives slightly out of order).
    advanceTo(e.time());
    Lease lease = attributor.leaseAt(e);
    Key key = Key.of(e, lease == null ? null : lease.mac());
    Attempt a = open.get(key);
    if (a == null) {
      a = new Attempt(key, key.text(addressTexts), seq++, e.time(), lease);
      open.put(key, a);
      opening.add(a);
      if (e.clientIp() != null) {
        byClient.computeIfAbsent(e.clientIp(), k -> new ArrayList<>(2)).add(a);
      }
    } else if (e.time().isBefore(a.first)) {
      opening.remove(a);
      a.first = e.time();
      a.lease = lease;
      opening.add(a);
    }
    a.evidence.add(e);
  }

  /**
   * The lease history of {@code client} changed (a DHCP acknowledgement, release or decline, possibly
   * late): its attempts not yet emitted are grouped again by the device that held the address at each
   * evidence's time, with the same rule as {@link #offer}: evidence of one key within the merge window
   * of its attempt's first evidence joins that attempt.
   */
  public void identityChanged(InetAddress client) {
    List<Attempt> attempts = byClient.remove(client);
    if (attempts == null) {
      return;
    }
    List<BlockEvidence> evidence = new ArrayList<>();
    for (Attempt a : attempts) {
      if (open.get(a.key) == a) {
        open.remove(a.key);
      }
      opening.remove(a);
      waiting.remove(a);
      evidence.addAll(a.evidence);
    }
    evidence.sort(Comparator.comparing(BlockEvidence::time)); // stable: arrival order within a time
    Map<Key, Attempt> latest = new HashMap<>();
    List<Attempt> regrouped = new ArrayList<>();
    for (BlockEvidence e : evidence) {
      Lease lease = attributor.leaseAt(e);
      Key key = Key.of(e, lease == null ? null : lease.mac());
      Attempt a = latest.get(key);
      if (a == null || e.time().isAfter(a.first.plus(mergeWindow))) {
        a = new Attempt(key, key.text(addressTexts), seq++, e.time(), lease);
        latest.put(key, a);
        regrouped.add(a);
      }
      a.evidence.add(e);
    }
    byClient.put(client, regrouped);
    for (Attempt a : regrouped) {
      if (watermark.isAfter(a.first.plus(mergeWindow))) {
        waiting.add(a);
      } else {
        opening.add(a);
        open.put(a.key, a);
      }
    }
  }

  /** Moves event time forward: closes attempts past their merge window, emits those past the reorder window. */
  public void advanceTo(Instant t) {
    if (t.isAfter(watermark)) {
      watermark = t;
      mergeCut = watermark.minus(mergeWindow);
      reorderCut = watermark.minus(reorderWindow);
    }
    if (mergeCut == null) {
      return;
    }
    while (!opening.isEmpty() && opening.first().first.isBefore(mergeCut)) {
      Attempt a = opening.pollFirst();
      open.remove(a.key, a);
      waiting.add(a);
    }
    while (!waiting.isEmpty() && waiting.first().first.isBefore(reorderCut)) {
      emit(waiting.pollFirst());
    }
  }

  /** Emits every attempt still open or waiting (end of input or shutdown). */
  public void flush() {
    waiting.addAll(opening);
    opening.clear();
    open.clear();
    while (!waiting.isEmpty()) {
      emit(waiting.pollFirst());
    }
  }

  /** Event time: the latest time input or {@link #advanceTo} reached ({@link Instant#MIN} before any). */
  public Instant watermark() {
    return watermark;
  }

  public int openAttempts() {
    return opening.size() + waiting.size();
  }

  private void emit(Attempt a) {
    List<Attempt> same = a.key.client() == null ? null : byClient.get(a.key.client());
    if (same != null) {
      same.remove(a);
      if (same.isEmpty()) {
        byClient.remove(a.key.client());
      }
    }
    List<BlockEvidence> inOrder = a.evidence;
    if (inOrder.size() > 1) {
      inOrder.sort(Comparator.comparing(BlockEvidence::time));
    }
    BlockEvent event = attributor.attribute(inOrder, a.lease, a.key.client() == null ? null : a.clientText);
    emitted.accept(inOrder, event);
    out.accept(event);
  }
}
