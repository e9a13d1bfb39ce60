package org.bellwatch.agent.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.access.AuditEntry;
import org.bellwatch.agent.testing.InMemoryAuditLog;
import org.bellwatch.agent.testing.InMemoryReviews;
import org.junit.jupiter.api.Test;

/** A watcher hears of each stored step after the store has it, and only of appends. */
class WatchedReviewsTest {
  @Test
  void eachWatcherRunsAfterTheStepIsStoredAndNotOnReads() throws Exception {
    WatchedReviews reviews = new WatchedReviews(new InMemoryReviews(new InMemoryAuditLog()));
    List<String> seen = new ArrayList<>();
    reviews.watch(
        () -> {
          try {
            seen.add(reviews.get("video.example.org").orElseThrow().status());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    Instant t = Instant.parse("2026-09-28T16:00:00Z");
    reviews.append(
        "video.example.org",
        new Review.Entry(
            t,
            "ms.rivera",
            "teacher",
            Review.REQUESTED,
            "For the unit",
            List.of(),
            null,
            null,
            null,
            null,
            null,
            null),
        new AuditEntry(t, "ms.rivera", "review_requested", "video.example.org", "127.0.0.1", null));
    reviews.list();
    reviews.get("video.example.org");

    assertThat(seen).containsExactly(Review.REQUESTED);
  }
}
