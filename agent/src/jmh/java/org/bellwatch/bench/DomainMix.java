package org.bellwatch.bench;

import java.time.LocalDate;
import java.util.SplittableRandom;
import org.bellwatch.agent.event.BlockEvent;

/**
 * The 400 blocked domains of {@link StoreReportsBench}, with its Zipf-like popularity, for the
 * district benchmarks: each school's events are made by {@link StoreReportsBench#event} over them.
 */
final class DomainMix {
  final String[] domains = new String[StoreReportsBench.DOMAINS];
  final double[] weights = new double[domains.length];
  final double sum;

  DomainMix() {
    double s = 0;
    for (int i = 0; i < domains.length; i++) {
      domains[i] =
          "site"
              + i
              + (i % 3 == 0 ? ".games.example" : i % 3 == 1 ? ".video.example" : ".chat.example");
      s += 1.0 / Math.pow(i + 1, 1.1);
      weights[i] = s;
    }
    this.sum = s;
  }

  /** An event {@code micros} after 07:30 (school time) on {@code day}. */
  BlockEvent event(SplittableRandom rnd, LocalDate day, long micros) {
    return StoreReportsBench.event(rnd, day, micros, domains, weights, sum);
  }
}
