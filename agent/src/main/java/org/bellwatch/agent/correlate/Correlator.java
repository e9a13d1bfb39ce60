package org.bellwatch.agent.correlate;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.event.Lease;

/**
 * Merges evidence of one attempt and decides when an attempt is attributed.
 *
 * <p>Design note: the rule for "the same attempt" (docs/design.md, "One attempt, one block event").
 * Evidence belongs to an attempt of the same client (an address and the device that held it at the
 * evidence's time; for evidence without an address, the user) and the same name: the one that began
 * within the merge window before the evidence, else one that begins within the merge window after
 * it (which then begins at the evidence), as a replay in time order groups them. Every method
 * joins: a sinkhole answer on the wire, the DNS filter's log line of that lookup and the proxy's
 * deny of the request that followed are one try of one person. A record the attempt already holds
 * (the same evidence line: it quotes the record and its time) adds nothing: a mirror port that sees
 * a packet twice, a sender that repeats a message, or input read again after a restart.
 *
 * <p>Where an attempt is:
 *
 * <ul>
 *   <li><em>waiting</em> for the reorder window after its first evidence (event time), so that
 *       identity evidence that arrives late (a DHCP server log line shipped after the block) still
 *       corrects it; evidence joins it silently; then it is attributed and given out ({@link
 *       AttemptSink#emitted});
 *   <li><em>remembered</em> while its first evidence is within the late-evidence window of event
 *       time (at most {@link #MAX_REMEMBERED} attempts);
 *   <li><em>stored</em>: older, or given out before a restart, found through {@link
 *       StoredAttempts}.
 * </ul>
 *
 * Evidence that joins a remembered or stored attempt makes it attributed again from all of its
 * evidence, exactly as if everything had come in time order, and the sink replaces the event given
 * out before ({@link AttemptSink#merged}). So {@code run}, where a filter's log may come minutes
 * late, gives the events {@code replay} gives from the same input in time order.
 *
 * <p>Event time advances with the input (the watermark) or with the clock when input is idle.
 * Output is in time order except for evidence that arrives later than the reorder window. Not
 * thread-safe: owned by the pipeline thread.
 *
 * <p>Which device held the address is decided with what the lease table knows when the evidence
 * comes in; when a DHCP observation about that address arrives later (a server log line shipped
 * late), the pipeline calls {@link #identityChanged} and the address's waiting attempts are grouped
 * again as if the lease had been known from the start. An attempt remembered or stored is matched
 * with the lease table as it stands when the late evidence comes.
 *
 * <p>Cost: evidence in time order looks only at the waiting attempts of its key (a map) and adds to
 * one ordered set; the memory of given-out attempts is searched only for evidence older than the
 * reorder window, and the store only for evidence near attempts that left the memory.
 *
 * <p>Design note (one class): waiting, remembered and stored attempts are one state machine under
 * one watermark: an attempt moves from one place to the next as event time advances, and late
 * evidence pulls it back, so the three places and the merge rule stay together. The attribution
 * rules are {@link Attributor}'s, the lease history the lease table's.
 */
public final class Correlator {
  /**
   * Attempts remembered at most: about 1.5 KB each with their evidence; older ones are found in the
   * store.
   */
  static final int MAX_REMEMBERED = 20_000;

  /**
   * @param merge evidence of one client and name within this of an attempt's first evidence joins
   *     it
   * @param reorder how long an attempt waits before it is attributed (at least {@code merge})
   * @param late how long, in event time, attributed attempts are remembered for late evidence;
   *     evidence older than this that finds no attempt is counted as late
   */
  public record Windows(Duration merge, Duration reorder, Duration late) {
    public Windows {
      reorder = reorder.compareTo(merge) < 0 ? merge : reorder;
    }
  }

  private final Attributor attributor;
  private final AddressTexts addressTexts = new AddressTexts();
  private final Duration mergeWindow;
  private final Duration reorderWindow;
  private final Duration lateWindow;
  private final long mergeNanos;
  private final AttemptSink out;
  private final StoredAttempts stored;

  /**
   * Waiting attempts by key, the first of each key's chain ({@link Attempt#nextSameKey}): evidence
   * in time order looks only here.
   */
  private final Map<AttemptKey, Attempt> waitingByKey = new HashMap<>();

  /** Waiting attempts in output order: given out once event time passes first + reorder window. */
  private final TreeSet<Attempt> waiting = new TreeSet<>(Attempt.OUTPUT_ORDER);

  /** Waiting attempts per client address: what {@link #identityChanged} regroups. */
  private final Map<InetAddress, List<Attempt>> byClient = new HashMap<>();

  private final RecentAttempts remembered = new RecentAttempts();
  private long seq;
  private Instant watermark = Instant.MIN;

  /**
   * Kept with the watermark (null while it is {@link Instant#MIN}): {@code watermark - reorder
   * window} (waiting attempts first before it are given out), that plus the merge window (evidence
   * before it may belong to an attempt given out) and {@code watermark - late window} (remembered
   * attempts before it are let go). No {@code Instant} is made per comparison.
   */
  private Instant reorderCut;

  private Instant attributedReach;
  private Instant lateCut;

  /**
   * Every attempt given out that is not remembered began at or before this: attempts stored before
   * this correlator started, and those it let go. Evidence within the merge window after it asks
   * the store. Null while there is none.
   */
  private Instant forgotten;

  /**
   * {@code forgotten} plus the merge window: evidence at or before it may belong to a stored
   * attempt.
   */
  private Instant forgottenReach;

  /**
   * @param stored attempts given out that are not in memory (the store and the batch being written)
   * @param storedUpTo the first evidence time of the newest stored attempt when the pipeline
   *     starts, or {@link Instant#MIN} for an empty store
   */
  public Correlator(
      Attributor attributor,
      Windows windows,
      StoredAttempts stored,
      Instant storedUpTo,
      AttemptSink out) {
    this.attributor = attributor;
    this.mergeWindow = windows.merge();
    this.reorderWindow = windows.reorder();
    this.lateWindow = windows.late();
    this.mergeNanos = mergeWindow.toNanos();
    this.stored = stored;
    if (!storedUpTo.equals(Instant.MIN)) {
      forget(storedUpTo);
    }
    this.out = out;
  }

  public void offer(BlockEvidence e) {
    // Giving out attempts past their reorder window first: a waiting attempt this evidence may join
    // is
    // then one that a replay in time order would still have open.
    advanceTo(e.time());
    Lease lease = attributor.leaseAt(e);
    AttemptKey key = AttemptKey.of(e, lease == null ? null : lease.mac());
    Instant t = e.time();
    Attempt a = nearest(waitingByKey.get(key), t, null);
    if (mayJoinAttributed(t)) {
      a = nearestAttributed(key, t, a);
    }
    if (a == null) {
      if (lateCut != null && t.isBefore(lateCut)) {
        out.lateUnmatched(e);
      }
      open(key, e, lease);
    } else if (a.holds(e)) {
      out.repeated(e, a.event != null);
    } else if (a.event == null) {
      a.evidence.add(e);
      if (t.isBefore(a.first)) {
        waiting.remove(a);
        a.first = t;
        a.lease = lease;
        waiting.add(a);
      }
    } else {
      merge(a, e);
    }
  }

  /**
   * The lease history of {@code client} changed (a DHCP acknowledgement, release or decline,
   * possibly late): its waiting attempts are grouped again by the device that held the address at
   * each evidence's time, with the rule of {@link #offer} for evidence in time order: evidence of
   * one key within the merge window of its attempt's first evidence joins that attempt.
   */
  public void identityChanged(InetAddress client) {
    List<Attempt> attempts = byClient.remove(client);
    if (attempts == null) {
      return;
    }
    List<BlockEvidence> evidence = new ArrayList<>();
    for (Attempt a : attempts) {
      unlist(a);
      waiting.remove(a);
      evidence.addAll(a.evidence);
    }
    evidence.sort(Attempt.BY_TIME); // stable: arrival order within a time
    Map<AttemptKey, Attempt> latest = new HashMap<>();
    List<Attempt> regrouped = new ArrayList<>();
    for (BlockEvidence e : evidence) {
      Lease lease = attributor.leaseAt(e);
      AttemptKey key = AttemptKey.of(e, lease == null ? null : lease.mac());
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
      waiting.add(a);
      list(a);
    }
  }

  /**
   * Moves event time forward: gives out attempts past the reorder window, lets go of those past the
   * late window.
   */
  public void advanceTo(Instant t) {
    if (t.isAfter(watermark)) {
      watermark = t;
      reorderCut = watermark.minus(reorderWindow);
      attributedReach = reorderCut.plus(mergeWindow);
      lateCut = watermark.minus(lateWindow);
    }
    if (reorderCut == null) {
      return;
    }
    while (!waiting.isEmpty() && waiting.first().first.isBefore(reorderCut)) {
      emit(waiting.pollFirst());
    }
    Attempt old;
    while ((old = remembered.pollBefore(lateCut)) != null) {
      settle(old);
    }
  }

  /**
   * Gives out every waiting attempt and lets go of every remembered one (end of input or shutdown).
   */
  public void flush() {
    while (!waiting.isEmpty()) {
      emit(waiting.pollFirst());
    }
    Attempt a;
    while ((a = remembered.pollOldest()) != null) {
      settle(a);
    }
  }

  /**
   * Event time: the latest time input or {@link #advanceTo} reached ({@link Instant#MIN} before
   * any).
   */
  public Instant watermark() {
    return watermark;
  }

  /** Attempts waiting to be attributed. */
  public int openAttempts() {
    return waiting.size();
  }

  /** Attributed attempts held in memory for late evidence. */
  public int rememberedAttempts() {
    return remembered.size();
  }

  /**
   * True when an attempt already given out may lie within the merge window of {@code t}: one
   * attributed in this run (it began before the reorder cut) or one that left the memory or was
   * stored before.
   */
  private boolean mayJoinAttributed(Instant t) {
    return attributedReach != null && t.isBefore(attributedReach)
        || forgottenReach != null && !t.isAfter(forgottenReach);
  }

  /**
   * The attempt given out (remembered or stored) of {@code key} that evidence at {@code t} joins,
   * or {@code best}.
   */
  private Attempt nearestAttributed(AttemptKey key, Instant t, Attempt best) {
    AttemptKey subject = key.subject();
    for (Attempt m = remembered.of(subject); m != null; m = m.nextSameSubject) {
      if (keyNow(m).equals(key)) {
        best = nearer(m, t, best);
      }
    }
    Instant from = t.minus(mergeWindow);
    if (forgotten == null || from.isAfter(forgotten)) {
      return best;
    }
    for (BlockAttempt s : stored.near(key.domain(), from, t.plus(mergeWindow))) {
      if (remembered.holdsEvent(subject, s.event())) {
        continue; // the memory holds its newest version
      }
      Attempt c = fromStore(s);
      if (c != null && c.key.equals(key)) {
        best = nearer(c, t, best);
      }
    }
    return best;
  }

  /**
   * The key of an attempt given out, with the device the lease table names now for its first
   * evidence.
   */
  private AttemptKey keyNow(Attempt a) {
    Lease lease = attributor.leaseAt(a.evidence.get(0));
    AttemptKey k = AttemptKey.of(a.evidence.get(0), lease == null ? null : lease.mac());
    return k.equals(a.key) ? a.key : k;
  }

  /**
   * A stored attempt as a remembered one, keyed by the lease table as it stands; null without
   * evidence.
   */
  private Attempt fromStore(BlockAttempt s) {
    List<BlockEvidence> evidence =
        s.evidence() != null ? new ArrayList<>(s.evidence()) : Attributor.evidenceOf(s.event());
    if (evidence.isEmpty()) {
      return null;
    }
    evidence.sort(Attempt.BY_TIME);
    BlockEvidence first = evidence.get(0);
    Lease lease = attributor.leaseAt(first);
    AttemptKey key = AttemptKey.of(first, lease == null ? null : lease.mac());
    Attempt a = new Attempt(key, key.text(addressTexts), seq++, first.time(), lease);
    a.evidence = evidence;
    a.event = s.event();
    return a;
  }

  /**
   * Of {@code candidate} and {@code best}, the attempt evidence at {@code t} joins, as evidence in
   * time order would: one that began within the merge window before {@code t} (the latest, though
   * in time order there is at most one), else one that begins within the merge window after it (the
   * earliest).
   */
  private Attempt nearer(Attempt candidate, Instant t, Attempt best) {
    if (gapNanos(candidate.first, t) > mergeNanos) {
      return best;
    }
    if (best == null) {
      return candidate;
    }
    boolean before = !candidate.first.isAfter(t);
    if (before != !best.first.isAfter(t)) {
      return before ? candidate : best;
    }
    return before == candidate.first.isAfter(best.first) ? candidate : best;
  }

  /** {@link #nearer} over a chain of waiting attempts of one key. */
  private Attempt nearest(Attempt chain, Instant t, Attempt best) {
    for (Attempt a = chain; a != null; a = a.nextSameKey) {
      best = nearer(a, t, best);
    }
    return best;
  }

  /**
   * |a - b| in nanoseconds, or {@code Long.MAX_VALUE} when that is beyond an hour past any merge
   * window.
   */
  private static long gapNanos(Instant a, Instant b) {
    long secs = Math.abs(a.getEpochSecond() - b.getEpochSecond());
    if (secs > 7200) {
      return Long.MAX_VALUE;
    }
    return Math.abs(
        (a.getEpochSecond() - b.getEpochSecond()) * 1_000_000_000L + (a.getNano() - b.getNano()));
  }

  private void open(AttemptKey key, BlockEvidence e, Lease lease) {
    Attempt a = new Attempt(key, key.text(addressTexts), seq++, e.time(), lease);
    a.evidence.add(e);
    waiting.add(a);
    list(a);
    if (e.clientIp() != null) {
      byClient.computeIfAbsent(e.clientIp(), k -> new ArrayList<>(2)).add(a);
    }
  }

  /** Puts a waiting attempt first in its key's chain. */
  private void list(Attempt a) {
    a.nextSameKey = waitingByKey.put(a.key, a);
  }

  /** Takes a waiting attempt out of its key's chain. */
  private void unlist(Attempt a) {
    Attempt head = waitingByKey.get(a.key);
    if (head == a) {
      if (a.nextSameKey == null) {
        waitingByKey.remove(a.key);
      } else {
        waitingByKey.put(a.key, a.nextSameKey);
      }
    } else if (head != null) {
      Attempt prev = head;
      while (prev.nextSameKey != null && prev.nextSameKey != a) {
        prev = prev.nextSameKey;
      }
      prev.nextSameKey = a.nextSameKey;
    }
    a.nextSameKey = null;
  }

  private void emit(Attempt a) {
    unlist(a);
    List<Attempt> same = a.key.client() == null ? null : byClient.get(a.key.client());
    if (same != null) {
      same.remove(a);
      if (same.isEmpty()) {
        byClient.remove(a.key.client());
      }
    }
    if (a.evidence.size() > 1) {
      a.evidence.sort(Attempt.BY_TIME);
    }
    a.event =
        attributor.attribute(a.evidence, a.lease, a.key.client() == null ? null : a.clientText);
    out.emitted(a.evidence, a.event);
    remember(a);
  }

  /**
   * Late evidence joins an attempt given out: attributed again from all of its evidence, then
   * replaced.
   */
  private void merge(Attempt a, BlockEvidence e) {
    BlockEvent before = a.event;
    List<BlockEvidence> all = new ArrayList<>(a.evidence.size() + 1);
    all.addAll(a.evidence);
    all.add(e);
    all.sort(Attempt.BY_TIME);
    a.evidence = all;
    a.first = all.get(0).time();
    a.lease = attributor.leaseAt(all.get(0));
    a.event = attributor.attribute(all, a.lease, a.key.client() == null ? null : a.clientText);
    out.merged(before, e, all, a.event);
    if (!a.remembered) {
      remember(a); // found in the store
    }
  }

  private void remember(Attempt a) {
    remembered.add(a);
    if (remembered.size() > MAX_REMEMBERED) {
      settle(remembered.pollOldest());
    }
  }

  private void settle(Attempt a) {
    if (forgotten == null || a.first.isAfter(forgotten)) {
      forget(a.first);
    }
    out.settled(a.event);
  }

  private void forget(Instant first) {
    forgotten = first;
    forgottenReach = first.plus(mergeWindow);
  }
}
