package org.bellwatch.agent.store;

import java.time.Instant;
import java.util.List;

/**
 * The review of one blocked domain: a coordinator's request that it is needed for instruction, and IT's
 * answers, oldest first. {@code status} is the action of the last entry.
 */
public record Review(String domain, String status, List<Entry> history) {
  public Review {
    history = List.copyOf(history);
  }

  /**
   * One step of a review.
   *
   * @param action      {@code requested}, {@code unblocked}, {@code kept_blocked} or {@code alternative}
   * @param note        the coordinator's note or IT's reason
   * @param sections    the sections concerned (requests), else empty
   * @param alternative the alternative IT offers (a site or tool), else null
   */
  public record Entry(Instant time, String actor, String role, String action, String note, List<String> sections,
      String alternative) {
    public Entry {
      sections = List.copyOf(sections);
    }
  }
}
