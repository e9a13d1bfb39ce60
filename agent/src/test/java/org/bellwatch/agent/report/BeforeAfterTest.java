package org.bellwatch.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Predicate;
import org.bellwatch.agent.event.BlockEvent;
import org.junit.jupiter.api.Test;

class BeforeAfterTest {
  final EventIndex index = new EventIndex();
  final Reports reports = new Reports(index, ReportsTest.LA);
  static final Predicate<LocalDate> WEEKDAYS =
      d -> d.getDayOfWeek().getValue() <= DayOfWeek.FRIDAY.getValue();

  static BlockEvent at(String time, boolean instructional) {
    return ReportsTest.block(
        time,
        "video.example",
        "alice",
        "aa:01",
        "RM101",
        instructional ? "cls-1" : null,
        "rivera",
        "1",
        instructional);
  }

  @Test
  void theWindowBeforeReachesBackOverTheSummerBreakForAsManySchoolDaysAsHavePassedSince() {
    // School: weekdays of June and from 2026-08-17 on. Decided Thursday 08-20; now Thursday 08-27,
    // 13:00.
    Predicate<LocalDate> school =
        d ->
            WEEKDAYS.test(d)
                && (d.getMonthValue() == 6 || !d.isBefore(LocalDate.parse("2026-08-17")));
    index.addAll(
        List.of(
            at("2026-06-26T16:00:00Z", true),
            at("2026-06-29T16:00:00Z", true),
            at("2026-08-18T16:00:00Z", true),
            at("2026-08-20T16:00:00Z", true),
            at("2026-08-24T19:00:00Z", false)));

    BeforeAfter.Impact impact =
        BeforeAfter.of(
            reports,
            ReportFilter.between(null, null).withDomain("video.example"),
            Instant.parse("2026-08-20T18:00:00Z"),
            "unblocked",
            Instant.parse("2026-08-27T20:00:00Z"),
            school);

    // After: 08-21, 24, 25, 26, 27 (cut at now). Before: 08-19, 18, 17, then 06-30 and 06-29.
    assertThat(impact)
        .isEqualTo(
            new BeforeAfter.Impact(
                Instant.parse("2026-08-20T18:00:00Z"),
                "unblocked",
                5,
                new BeforeAfter.Window(
                    Instant.parse("2026-06-29T07:00:00Z"),
                    Instant.parse("2026-08-20T07:00:00Z"),
                    5,
                    2,
                    2),
                new BeforeAfter.Window(
                    Instant.parse("2026-08-21T07:00:00Z"),
                    Instant.parse("2026-08-27T20:00:00Z"),
                    5,
                    0,
                    1)));
  }

  @Test
  void eachWindowHoldsAtMostTwentySchoolDaysAndADecisionMadeTodayHasNoneYet() {
    index.addAll(
        List.of(
            at("2026-08-04T16:00:00Z", true),
            at("2026-08-03T16:00:00Z", true),
            at("2026-09-29T16:00:00Z", true),
            at("2026-09-30T16:00:00Z", true)));
    ReportFilter video = ReportFilter.between(null, null).withDomain("video.example");

    // Decided Tuesday 09-01: 20 weekdays after end on 09-29, 20 before begin on 08-04.
    BeforeAfter.Impact capped =
        BeforeAfter.of(
            reports,
            video,
            Instant.parse("2026-09-01T16:00:00Z"),
            "time_limited",
            Instant.parse("2026-11-01T20:00:00Z"),
            WEEKDAYS);
    BeforeAfter.Impact today =
        BeforeAfter.of(
            reports,
            video,
            Instant.parse("2026-09-01T16:00:00Z"),
            "kept_blocked",
            Instant.parse("2026-09-01T20:00:00Z"),
            WEEKDAYS);

    assertThat(capped)
        .isEqualTo(
            new BeforeAfter.Impact(
                Instant.parse("2026-09-01T16:00:00Z"),
                "time_limited",
                20,
                new BeforeAfter.Window(
                    Instant.parse("2026-08-04T07:00:00Z"),
                    Instant.parse("2026-09-01T07:00:00Z"),
                    20,
                    1,
                    1),
                new BeforeAfter.Window(
                    Instant.parse("2026-09-02T07:00:00Z"),
                    Instant.parse("2026-09-30T07:00:00Z"),
                    20,
                    1,
                    1)));
    assertThat(today)
        .isEqualTo(
            new BeforeAfter.Impact(
                Instant.parse("2026-09-01T16:00:00Z"),
                "kept_blocked",
                0,
                new BeforeAfter.Window(
                    Instant.parse("2026-09-01T07:00:00Z"),
                    Instant.parse("2026-09-01T07:00:00Z"),
                    0,
                    0,
                    0),
                new BeforeAfter.Window(
                    Instant.parse("2026-09-02T07:00:00Z"),
                    Instant.parse("2026-09-02T07:00:00Z"),
                    0,
                    0,
                    0)));
  }
}
