package org.bellwatch.agent.correlate;

import java.time.Instant;
import java.util.List;

/**
 * Attempts already given out that the correlator no longer holds in memory: stored, or written with
 * the next batch. Late evidence and input read again (capture files at every start, tailed lines
 * after a crash) find their attempt here.
 */
@FunctionalInterface
public interface StoredAttempts {
  /** For {@code replay}: nothing outside the correlator. */
  StoredAttempts NONE = (domain, from, to) -> List.of();

  /** The attempts of {@code domain} whose first evidence lies in [{@code from}, {@code to}]. */
  List<BlockAttempt> near(String domain, Instant from, Instant to);
}
