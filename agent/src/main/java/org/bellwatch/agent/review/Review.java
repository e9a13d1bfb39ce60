package org.bellwatch.agent.review;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The review of one blocked domain: requests that it is needed for instruction, and IT's answers,
 * oldest first. {@code status} is the action of the last entry as stored; {@link #statusOn} adds
 * the one status that time alone makes, {@code expired}.
 */
public record Review(String domain, String status, List<Entry> history) {
  public static final String REQUESTED = "requested";
  public static final String UNBLOCKED = "unblocked";
  public static final String KEPT_BLOCKED = "kept_blocked";
  public static final String ALTERNATIVE = "alternative";
  public static final String TIME_LIMITED = "time_limited";

  /** Computed, never stored: an unblock whose last day has passed. */
  public static final String EXPIRED = "expired";

  public static final List<String> DECISIONS =
      List.of(UNBLOCKED, KEPT_BLOCKED, ALTERNATIVE, TIME_LIMITED);

  /** The longest alternative a decision may name, at a site's console and at the hub alike. */
  public static final int MAX_ALTERNATIVE_CHARS = 500;

  public Review {
    history = List.copyOf(history);
  }

  /**
   * What is wrong with a decision's last day, or null when nothing is: required for time_limited,
   * allowed only on an unblock, never before {@code today} (the school's, or the district's, day).
   * One rule for a site's console and the hub, whose decisions every school applies.
   */
  public static String untilProblem(String decision, LocalDate until, LocalDate today) {
    boolean unblocks = decision.equals(UNBLOCKED) || decision.equals(TIME_LIMITED);
    if (until == null) {
      return decision.equals(TIME_LIMITED)
          ? "until: is required for a time_limited decision"
          : null;
    }
    if (!unblocks) {
      return "until: only an unblocked or time_limited decision has a last day";
    }
    if (until.isBefore(today)) {
      return "until: " + until + " has passed (today is " + today + ")";
    }
    return null;
  }

  /**
   * One step of a review. Fields a step does not have are null (sections: empty).
   *
   * @param action {@code requested} or one of {@link #DECISIONS}
   * @param reason why it is needed (requests) or IT's reason (decisions); the "note" of version 1
   * @param sections the sections the request names, or those a decision scoped to {@code sections}
   *     covers
   * @param urlPrefix a request's narrower http(s) URL prefix on the domain
   * @param needFrom first day of the period of need (requests)
   * @param needUntil last day of the period of need (requests)
   * @param scope {@code everyone} or {@code sections} (decisions)
   * @param until the last day an {@code unblocked} or {@code time_limited} decision holds, in the
   *     site's zone
   * @param alternative the alternative IT offers (a site or tool)
   */
  public record Entry(
      Instant time,
      String actor,
      String role,
      String action,
      String reason,
      List<String> sections,
      String urlPrefix,
      LocalDate needFrom,
      LocalDate needUntil,
      String scope,
      LocalDate until,
      String alternative) {
    public Entry {
      sections = List.copyOf(sections);
    }

    public boolean isDecision() {
      return DECISIONS.contains(action);
    }
  }

  /** The latest request, if any. */
  public Optional<Entry> request() {
    return latest(false);
  }

  /** The latest decision, if any (it may be older than a later request). */
  public Optional<Entry> decision() {
    return latest(true);
  }

  private Optional<Entry> latest(boolean decision) {
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).isDecision() == decision) {
        return Optional.of(history.get(i));
      }
    }
    return Optional.empty();
  }

  /**
   * The last day the latest decision holds: its {@code until} when it unblocked the domain, else
   * null.
   */
  public LocalDate expires() {
    return decision()
        .filter(d -> d.action().equals(UNBLOCKED) || d.action().equals(TIME_LIMITED))
        .map(Entry::until)
        .orElse(null);
  }

  /**
   * The status on {@code today} (a date in the site's zone): {@code expired} when the last step
   * unblocked the domain until a day before today, else the stored status. An expired review is
   * open again: it may be requested anew.
   */
  public String statusOn(LocalDate today) {
    Entry last = history.get(history.size() - 1);
    LocalDate until = last.isDecision() ? expires() : null;
    return until != null && until.isBefore(today) ? EXPIRED : status;
  }

  /** When the review last changed. */
  public Instant lastChanged() {
    return history.get(history.size() - 1).time();
  }
}
