package org.bellwatch.agent.notify;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.bellwatch.agent.access.AuditEntry;
import org.bellwatch.agent.event.StorageException;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.review.Reviews;

/** Review steps as the console makes them, for the notification tests. */
final class ReviewSteps {
  private ReviewSteps() {}

  /**
   * A request for cls-alg by a teacher, or a decision for everyone by {@code role} ({@code until}
   * for an unblock).
   */
  static Review.Entry step(String actor, String role, String action, Instant at, LocalDate until) {
    boolean decision = !action.equals(Review.REQUESTED);
    return new Review.Entry(
        at,
        actor,
        role,
        action,
        decision ? "Needed for the unit" : "For the unit",
        decision ? List.of() : List.of("cls-alg"),
        null,
        null,
        null,
        decision ? "everyone" : null,
        until,
        null);
  }

  /** Appends the step as the console does, with its audit entry. */
  static void append(Reviews reviews, String domain, Review.Entry step) throws StorageException {
    reviews.append(
        domain,
        step,
        new AuditEntry(
            step.time(), step.actor(), "review_" + step.action(), domain, "127.0.0.1", null));
  }
}
