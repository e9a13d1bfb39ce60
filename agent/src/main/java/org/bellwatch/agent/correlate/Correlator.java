package org.bellwatch.agent.correlate;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

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
 */
public final class Correlator {
  /** One client: an address and the device holding it then (a reused address is another client). */
  private record Key(InetAddress client, String device, String domain) {
  }

  private final Attributor attributor;
  private final Function<BlockEvidence, String> deviceOf;
  private final Duration mergeWindow;
  private final Duration reorderWindow;
  private final Consumer<BlockEvent> out;
  private final BiConsumer<List<BlockEvidence>, BlockEvent> emitted;
  private final Map<Key, List<BlockEvidence>> open = new HashMap<>();
  private final List<List<BlockEvidence>> waiting = new ArrayList<>();
  private Instant watermark = Instant.MIN;

  /**
   * @param deviceOf the device (MAC) that held the evidence's address at its time, or null when unknown:
   *                 evidence from one address merges only while the same device holds it
   */
  public Correlator(Attributor attributor, Function<BlockEvidence, String> deviceOf, Duration mergeWindow,
      Duration reorderWindow, Consumer<BlockEvent> out) {
    this(attributor, deviceOf, mergeWindow, reorderWindow, (a, e) -> { }, out);
  }

  /**
   * @param emitted told of each attempt's evidence and the event made of it, just before {@code out}
   *                gets that event (the pipeline tracks which file lines an event came from)
   */
  public Correlator(Attributor attributor, Function<BlockEvidence, String> deviceOf, Duration mergeWindow,
      Duration reorderWindow, BiConsumer<List<BlockEvidence>, BlockEvent> emitted, Consumer<BlockEvent> out) {
    this.emitted = emitted;
    this.attributor = attributor;
    this.deviceOf = deviceOf;
    this.mergeWindow = mergeWindow;
    this.reorderWindow = reorderWindow.compareTo(mergeWindow) < 0 ? mergeWindow : reorderWindow;
    this.out = out;
  }

  public void offer(BlockEvidence e) {
    // Closing expired attempts first guarantees that an attempt still open for this key began within the
    // merge window of e (or after it, for evidence that arrives slightly out of order).
    advanceTo(e.time());
    open.computeIfAbsent(new Key(e.clientIp(), deviceOf.apply(e), e.domain()), k -> new ArrayList<>()).add(e);
  }

  /** Moves event time forward: closes attempts past their merge window, emits those past the reorder window. */
  public void advanceTo(Instant t) {
    if (t.isAfter(watermark)) {
      watermark = t;
    }
    open.values().removeIf(attempt -> {
      if (watermark.isAfter(first(attempt).plus(mergeWindow))) {
        waiting.add(attempt);
        return true;
      }
      return false;
    });
    List<List<BlockEvidence>> due = new ArrayList<>();
    waiting.removeIf(attempt -> {
      if (watermark.isAfter(first(attempt).plus(reorderWindow))) {
        due.add(attempt);
        return true;
      }
      return false;
    });
    emit(due);
  }

  /** Emits every attempt still open or waiting (end of input or shutdown). */
  public void flush() {
    List<List<BlockEvidence>> all = new ArrayList<>(waiting);
    all.addAll(open.values());
    open.clear();
    waiting.clear();
    emit(all);
  }

  public int openAttempts() {
    return open.size() + waiting.size();
  }

  private static Instant first(List<BlockEvidence> attempt) {
    return attempt.stream().map(BlockEvidence::time).min(Comparator.naturalOrder()).orElseThrow();
  }

  private void emit(List<List<BlockEvidence>> attempts) {
    if (attempts.isEmpty()) {
      return;
    }
    List<List<BlockEvidence>> sorted = new ArrayList<>();
    for (List<BlockEvidence> attempt : attempts) {
      List<BlockEvidence> inOrder = new ArrayList<>(attempt);
      inOrder.sort(Comparator.comparing(BlockEvidence::time));
      sorted.add(inOrder);
    }
    sorted.sort(Comparator.comparing((List<BlockEvidence> a) -> a.get(0).time())
        .thenComparing(a -> a.get(0).clientIp().getHostAddress()));
    for (List<BlockEvidence> attempt : sorted) {
      BlockEvent e = attributor.attribute(attempt);
      emitted.accept(attempt, e);
      out.accept(e);
    }
  }
}
