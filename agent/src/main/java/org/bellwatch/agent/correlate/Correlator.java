package org.bellwatch.agent.correlate;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Merges evidence of one attempt (same client and domain within the merge window of the first
 * evidence) and hands each finished attempt to the {@link Attributor}. An attempt is finished once the
 * stream's event time (the watermark) has passed its first evidence plus the window, so evidence that
 * arrives a little out of order still merges. Not thread-safe: owned by the pipeline thread.
 */
public final class Correlator {
  private record Key(InetAddress client, String domain) {
  }

  private final Attributor attributor;
  private final Duration window;
  private final Consumer<BlockEvent> out;
  private final Map<Key, List<BlockEvidence>> open = new HashMap<>();
  private Instant watermark = Instant.MIN;

  public Correlator(Attributor attributor, Duration window, Consumer<BlockEvent> out) {
    this.attributor = attributor;
    this.window = window;
    this.out = out;
  }

  public void offer(BlockEvidence e) {
    // Closing expired attempts first keeps output in time order, and guarantees that an attempt still
    // open for this key began within the window of e.
    advanceTo(e.time());
    open.computeIfAbsent(new Key(e.clientIp(), e.domain()), k -> new ArrayList<>()).add(e);
  }

  /** Moves event time forward and emits every attempt whose window has closed. */
  public void advanceTo(Instant t) {
    if (t.isAfter(watermark)) {
      watermark = t;
    }
    List<List<BlockEvidence>> closed = new ArrayList<>();
    open.values().removeIf(attempt -> {
      if (watermark.isAfter(attempt.get(0).time().plus(window))) {
        closed.add(attempt);
        return true;
      }
      return false;
    });
    emit(closed);
  }

  /** Emits every open attempt (end of input or shutdown). */
  public void flush() {
    List<List<BlockEvidence>> all = new ArrayList<>(open.values());
    open.clear();
    emit(all);
  }

  public int openAttempts() {
    return open.size();
  }

  private void emit(List<List<BlockEvidence>> attempts) {
    List<List<BlockEvidence>> sorted = new ArrayList<>(attempts);
    sorted.sort(Comparator.comparing((List<BlockEvidence> a) -> a.stream().map(BlockEvidence::time)
        .min(Comparator.naturalOrder()).orElseThrow()).thenComparing(a -> a.get(0).clientIp().getHostAddress()));
    for (List<BlockEvidence> attempt : sorted) {
      List<BlockEvidence> inOrder = new ArrayList<>(attempt);
      inOrder.sort(Comparator.comparing(BlockEvidence::time));
      out.accept(attributor.attribute(inOrder));
    }
  }
}
