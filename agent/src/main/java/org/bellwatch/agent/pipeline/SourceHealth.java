package org.bellwatch.agent.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Per-source state for {@code /health}: each live source (a capture interface, a syslog listener)
 * is {@code receiving} when its input counter grew within {@link #SILENT_AFTER}, {@code silent}
 * (since its last input, or since start) otherwise, and {@code failing} when it could not start or
 * stopped with an error (until {@link #revived}). Configured files are {@code replaying}, then
 * {@code replayed} or {@code failing}.
 *
 * <p>It reads the same counters that the metrics export (libpcap's received packets per interface,
 * syslog messages per listener), sampled by {@link #sample} on the pipeline tick, so health and
 * metrics cannot disagree. Silence is not unhealthy: a school network is quiet at night; {@code
 * /health} reports it and leaves alerting to the operator. Thread-safe: sampled by the pipeline
 * thread, read by web threads.
 */
public final class SourceHealth {
  /**
   * A source without input for this long is silent (DHCP renewals and DNS keep a school busy all
   * day).
   */
  public static final Duration SILENT_AFTER = Duration.ofMinutes(5);

  /**
   * One source as {@code /health} shows it; {@code silentSince} only when silent, {@code error}
   * only when failing.
   */
  public record View(
      String name, String state, Instant lastSeen, Instant silentSince, String error) {}

  private static final class Source {
    final Supplier<Number> counter;
    final Instant registered;
    double lastCount;
    Instant lastSeen;
    String state;
    String error;

    Source(Supplier<Number> counter, Instant registered, String state) {
      this.counter = counter;
      this.registered = registered;
      this.state = state;
    }
  }

  private final Map<String, Source> sources = new LinkedHashMap<>();

  /** A live source whose input is counted by {@code counter} (a cumulative count). */
  public synchronized void live(String name, Supplier<Number> counter, Instant now) {
    Source s = new Source(counter, now, "silent");
    s.lastCount = read(counter);
    sources.put(name, s);
  }

  /** A source whose progress is reported by {@link #state} (the configured files). */
  public synchronized void batch(String name, String state, Instant now) {
    sources.put(name, new Source(null, now, state));
  }

  public synchronized void state(String name, String state, String error) {
    Source s = sources.get(name);
    if (s != null) {
      s.state = state;
      s.error = error;
    }
  }

  /** Marks a live source failing (it did not start, or stopped): sampling no longer revives it. */
  public synchronized void failed(String name, String error) {
    Source s = sources.get(name);
    if (s != null) {
      s.state = "failing";
      s.error = error;
    }
  }

  /**
   * A failed live source works again (a capture interface reopened): sampling decides its state
   * again.
   */
  public synchronized void revived(String name) {
    Source s = sources.get(name);
    if (s != null && s.counter != null) {
      s.state = "silent";
      s.error = null;
      s.lastCount = read(s.counter);
    }
  }

  /** Reads the counters: a live source whose count grew was receiving at {@code now}. */
  public synchronized void sample(Instant now) {
    for (Source s : sources.values()) {
      if (s.counter == null || s.state.equals("failing")) {
        continue;
      }
      double count = read(s.counter);
      if (count > s.lastCount) {
        s.lastSeen = now;
      }
      s.lastCount = count;
      boolean recent = s.lastSeen != null && !now.isAfter(s.lastSeen.plus(SILENT_AFTER));
      s.state = recent ? "receiving" : "silent";
    }
  }

  public synchronized List<View> views() {
    List<View> out = new ArrayList<>();
    sources.forEach(
        (name, s) ->
            out.add(
                new View(
                    name,
                    s.state,
                    s.lastSeen,
                    s.state.equals("silent")
                        ? (s.lastSeen != null ? s.lastSeen : s.registered)
                        : null,
                    s.state.equals("failing") ? s.error : null)));
    return out;
  }

  private static double read(Supplier<Number> counter) {
    Number n = counter.get();
    return n == null ? 0 : n.doubleValue();
  }
}
