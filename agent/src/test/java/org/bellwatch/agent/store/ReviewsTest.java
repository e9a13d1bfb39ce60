package org.bellwatch.agent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.bellwatch.agent.access.AuditEntry;
import org.bellwatch.agent.review.Review;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReviewsTest {
  static final Instant T = Instant.parse("2026-09-15T19:01:00Z");
  @TempDir Path dir;

  static Review.Entry step(String action, String reason, LocalDate until) {
    return new Review.Entry(
        T, "admin1", "admin", action, reason, List.of(), null, null, null, "everyone", until, null);
  }

  @Test
  void aVersionOneReviewReadsWithItsNoteAsTheReasonAndKeepsItWhenTheReviewNextChanges()
      throws Exception {
    try (EventStore store = EventStore.open(dir, ZoneOffset.UTC, false)) {
      store
          .console()
          .auditLog()
          .append(new AuditEntry(T, "admin1", "login", null, "127.0.0.1", null));
    }
    // Exactly what Bellwatch wrote before reviews had a version 2.
    RawStore.put(
        dir,
        "reviews",
        "video.example.org".getBytes(StandardCharsets.UTF_8),
        """
        {"v":1,"domain":"video.example.org","status":"kept_blocked","history":[
         {"time":"2026-09-15T19:01:00Z","actor":"coordinator1","role":"coordinator","action":"requested",
          "note":"Biology watches it","sections":["cls-bio"],"alternative":null},
         {"time":"2026-09-15T19:02:00Z","actor":"admin1","role":"admin","action":"kept_blocked",
          "note":"comments are unfiltered","sections":[],"alternative":null}]}"""
            .getBytes(StandardCharsets.UTF_8));
    Review.Entry request =
        new Review.Entry(
            T,
            "coordinator1",
            "coordinator",
            "requested",
            "Biology watches it",
            List.of("cls-bio"),
            null,
            null,
            null,
            null,
            null,
            null);
    Review.Entry kept =
        new Review.Entry(
            Instant.parse("2026-09-15T19:02:00Z"),
            "admin1",
            "admin",
            "kept_blocked",
            "comments are unfiltered",
            List.of(),
            null,
            null,
            null,
            null,
            null,
            null);
    Review.Entry again =
        new Review.Entry(
            Instant.parse("2026-09-16T16:00:00Z"),
            "coordinator1",
            "coordinator",
            "requested",
            "only the lab videos",
            List.of(),
            "https://video.example.org/lab/",
            LocalDate.parse("2026-09-21"),
            LocalDate.parse("2026-09-25"),
            null,
            null,
            null);

    try (EventStore store = EventStore.open(dir, ZoneOffset.UTC, false)) {
      assertThat(store.console().reviews().get("video.example.org"))
          .contains(new Review("video.example.org", "kept_blocked", List.of(request, kept)));
      store
          .console()
          .reviews()
          .append(
              "video.example.org",
              again,
              new AuditEntry(
                  again.time(),
                  "coordinator1",
                  "review_requested",
                  "video.example.org",
                  "127.0.0.1",
                  null));
    }
    try (EventStore store = EventStore.open(dir, ZoneOffset.UTC, false)) {
      assertThat(store.console().reviews().list())
          .containsExactly(
              new Review("video.example.org", "requested", List.of(request, kept, again)));
    }
  }

  @Test
  void aReviewWrittenByANewerBellwatchIsRefusedNamingItsVersion() throws Exception {
    try (EventStore store = EventStore.open(dir, ZoneOffset.UTC, false)) {
      store
          .console()
          .auditLog()
          .append(new AuditEntry(T, "admin1", "login", null, "127.0.0.1", null));
    }
    RawStore.put(
        dir,
        "reviews",
        "a.example".getBytes(StandardCharsets.UTF_8),
        "{\"v\":3,\"domain\":\"a.example\"}".getBytes(StandardCharsets.UTF_8));
    try (EventStore store = EventStore.open(dir, ZoneOffset.UTC, false)) {
      assertThatThrownBy(() -> store.console().reviews().get("a.example"))
          .isInstanceOf(StoreException.class)
          .hasMessage(
              "store: review record has version 3, this Bellwatch reads up to 2; upgrade Bellwatch");
    }
  }

  @Test
  void anUnblockExpiresTheDayAfterItsLastDayAndALaterRequestOrAnotherDecisionSupersedesIt() {
    LocalDate last = LocalDate.parse("2026-10-02");
    Review.Entry asked =
        new Review.Entry(
            T,
            "coordinator1",
            "coordinator",
            "requested",
            "lab",
            List.of(),
            null,
            null,
            null,
            null,
            null,
            null);
    Review limited =
        new Review("a.example", "time_limited", List.of(asked, step("time_limited", "lab", last)));
    Review open =
        new Review("a.example", "unblocked", List.of(asked, step("unblocked", "fine", null)));
    Review reasked =
        new Review("a.example", "requested", List.of(asked, step("unblocked", "lab", last), asked));
    Review kept =
        new Review(
            "a.example",
            "kept_blocked",
            List.of(asked, step("unblocked", "lab", last), step("kept_blocked", "enough", null)));

    assertThat(limited.statusOn(last)).isEqualTo("time_limited");
    assertThat(limited.statusOn(last.plusDays(1))).isEqualTo("expired");
    assertThat(limited.expires()).isEqualTo(last);
    assertThat(open.statusOn(last.plusYears(1))).isEqualTo("unblocked");
    assertThat(open.expires()).isNull();
    assertThat(reasked.statusOn(last.plusDays(1))).isEqualTo("requested");
    assertThat(reasked.expires()).isEqualTo(last);
    assertThat(kept.statusOn(last.plusDays(1))).isEqualTo("kept_blocked");
    assertThat(kept.expires()).isNull();
  }
}
