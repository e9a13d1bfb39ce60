package org.bellwatch.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.store.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReportsTest {
  static final ZoneId LA = ZoneId.of("America/Los_Angeles");
  final EventIndex index = new EventIndex();
  final Reports reports = new Reports(index, LA);

  static BlockEvent block(
      String time,
      String domain,
      String user,
      String device,
      String room,
      String section,
      String teacher,
      String period,
      boolean instructional) {
    return new BlockEvent(
        Instant.parse(time),
        "10.0.0." + device.length(),
        device,
        "host-" + device,
        user,
        domain,
        null,
        null,
        "dns",
        "dns-sinkhole",
        room,
        section,
        section == null ? null : "Course " + section,
        teacher,
        period,
        instructional,
        List.of("evidence"));
  }

  // Tuesday 2026-09-15 and Wednesday 2026-09-16 in Los Angeles (UTC-7).
  static final BlockEvent A1 =
      block(
          "2026-09-15T15:10:00Z",
          "games.example",
          "alice",
          "aa:01",
          "RM101",
          "cls-1",
          "rivera",
          "1",
          true);
  static final BlockEvent A2 =
      block(
          "2026-09-15T16:10:00Z",
          "games.example",
          "bob",
          "aa:02",
          "RM102",
          "cls-2",
          "chen",
          "2",
          true);
  static final BlockEvent A3 =
      block(
          "2026-09-16T15:10:00Z",
          "games.example",
          "alice",
          "aa:01",
          "RM101",
          "cls-1",
          "rivera",
          "1",
          true);
  static final BlockEvent B1 =
      block(
          "2026-09-15T15:20:00Z",
          "video.example",
          "carol",
          "aa:03",
          "RM101",
          "cls-1",
          "rivera",
          "1",
          true);
  static final BlockEvent B2 =
      block(
          "2026-09-15T15:21:00Z",
          "video.example",
          "dave",
          "aa:04",
          "RM101",
          "cls-1",
          "rivera",
          "1",
          true);
  static final BlockEvent B3 =
      block(
          "2026-09-15T15:22:00Z",
          "video.example",
          "erin",
          "aa:05",
          "RM101",
          "cls-1",
          "rivera",
          "1",
          true);
  static final BlockEvent C1 =
      block(
          "2026-09-15T18:40:00Z", "chat.example", null, "aa:06", null, null, null, "Lunch", false);

  @BeforeEach
  void load() {
    // Out of order on purpose: the index keeps itself sorted by time.
    index.addAll(List.of(A3, C1, A1));
    index.addAll(List.of(B1, A2, B2, B3));
  }

  @Test
  void topDomainsRankBySectionsThenUsersThenAttempts() {
    Reports.Page<Reports.DomainRow> page =
        reports.topDomains(ReportFilter.between(null, null), 0, 10);

    assertThat(page.total()).isEqualTo(3);
    assertThat(page.items())
        .containsExactly(
            new Reports.DomainRow("games.example", 2, 2, 2, 3, 3, 2, A1.time(), A3.time()),
            new Reports.DomainRow("video.example", 1, 3, 3, 3, 3, 1, B1.time(), B3.time()),
            new Reports.DomainRow("chat.example", 0, 0, 1, 1, 0, 0, C1.time(), C1.time()));
  }

  @Test
  void filtersNarrowEveryReportAndPagingKeepsTheTotal() {
    ReportFilter duringClass =
        new ReportFilter(null, null, null, "RM101", null, null, null, null, null, true);
    Reports.Page<Reports.DomainRow> page = reports.topDomains(duringClass, 1, 1);

    assertThat(page.total()).isEqualTo(2);
    assertThat(page.items()).extracting(Reports.DomainRow::domain).containsExactly("games.example");
    assertThat(
            reports
                .topDomains(
                    new ReportFilter(null, null, null, "RM999", null, null, null, null, null, null),
                    0,
                    10)
                .items())
        .isEmpty();
  }

  @Test
  void aScopeOfSectionsLimitsEveryReportToThoseSectionsAndAnEmptyScopeToNothing() {
    ReportFilter all = ReportFilter.between(null, null);
    ReportFilter cls2 = all.within(java.util.Set.of("cls-2", "cls-never-seen"));

    assertThat(reports.topDomains(cls2, 0, 10).items())
        .containsExactly(
            new Reports.DomainRow("games.example", 1, 1, 1, 1, 1, 1, A2.time(), A2.time()));
    assertThat(reports.blocks(cls2, 0, 10).items()).containsExactly(EventStore.EventRef.of(A2));
    assertThat(
            reports
                .trend(
                    cls2.withRange(
                        Instant.parse("2026-09-15T07:00:00Z"),
                        Instant.parse("2026-09-17T07:00:00Z")))
                .current()
                .attempts())
        .isEqualTo(1);
    assertThat(reports.domain("video.example", cls2).totals().attempts()).isZero();
    assertThat(reports.section("cls-1", cls2).totals().attempts())
        .as("a section outside the scope")
        .isZero();
    // The caller's own section filter still applies inside the scope; blocks with no section are in
    // no scope.
    assertThat(
            reports
                .blocks(all.withSection("cls-1").within(java.util.Set.of("cls-1", "cls-2")), 0, 10)
                .total())
        .isEqualTo(5);
    assertThat(reports.blocks(all.within(java.util.Set.of()), 0, 10).total()).isZero();
    assertThat(reports.blocks(all.within(null), 0, 10).total()).isEqualTo(7);
  }

  @Test
  void theSpanIsTheFirstAndLastMatchingBlock() {
    ReportFilter all = ReportFilter.between(null, null);

    assertThat(reports.span(all)).isEqualTo(new Reports.Span(A1.time(), A3.time()));
    assertThat(reports.span(all.within(java.util.Set.of("cls-2"))))
        .isEqualTo(new Reports.Span(A2.time(), A2.time()));
    assertThat(reports.span(all.withDomain("chat.example")))
        .isEqualTo(new Reports.Span(C1.time(), C1.time()));
    assertThat(reports.span(all.within(java.util.Set.of())))
        .isEqualTo(new Reports.Span(null, null));
    assertThat(reports.span(all.withDomain("nothing.example")))
        .isEqualTo(new Reports.Span(null, null));
    assertThat(
            reports.span(
                ReportFilter.between(
                    Instant.parse("2026-09-15T15:15:00Z"), Instant.parse("2026-09-15T15:30:00Z"))))
        .isEqualTo(new Reports.Span(B1.time(), B3.time()));
  }

  @Test
  void theHeatmapCountsByPeriodAndSchoolWeekday() {
    Reports.Heatmap h = reports.heatmap(ReportFilter.between(null, null));

    assertThat(h.periods()).containsExactly("1", "2", "Lunch");
    assertThat(h.weekdays())
        .containsExactly(
            DayOfWeek.MONDAY,
            DayOfWeek.TUESDAY,
            DayOfWeek.WEDNESDAY,
            DayOfWeek.THURSDAY,
            DayOfWeek.FRIDAY);
    assertThat(h.attempts())
        .isDeepEqualTo(new long[][] {{0, 4, 1, 0, 0}, {0, 1, 0, 0, 0}, {0, 1, 0, 0, 0}});
  }

  @Test
  void aTrendComparesARangeWithTheEqualRangeBefore() {
    Reports.Trend t =
        reports.trend(
            ReportFilter.between(
                Instant.parse("2026-09-16T07:00:00Z"), Instant.parse("2026-09-17T07:00:00Z")));

    assertThat(t.current())
        .isEqualTo(
            new Reports.Totals(
                Instant.parse("2026-09-16T07:00:00Z"),
                Instant.parse("2026-09-17T07:00:00Z"),
                1,
                1,
                1,
                1,
                1));
    assertThat(t.previous())
        .isEqualTo(
            new Reports.Totals(
                Instant.parse("2026-09-15T07:00:00Z"),
                Instant.parse("2026-09-16T07:00:00Z"),
                6,
                5,
                3,
                2,
                5));
    assertThat(t.days()).containsExactly(new Reports.Day(LocalDate.parse("2026-09-16"), 1, 1));
  }

  @Test
  void aBreakdownGroupsByTheAskedDimensionWithUnknownAsItsOwnGroup() {
    assertThat(
            reports
                .breakdown(ReportFilter.between(null, null), Reports.Dimension.ROOM, 0, 10)
                .items())
        .containsExactly(
            new Reports.BreakdownRow("RM101", 5, 5, 2, 4),
            new Reports.BreakdownRow("RM102", 1, 1, 1, 1),
            new Reports.BreakdownRow(null, 1, 0, 1, 0));
  }

  @Test
  void domainDetailListsTheSectionsItHitWithTheirCourseAndTeacher() {
    Reports.DomainDetail d = reports.domain("games.example", ReportFilter.between(null, null));

    assertThat(d.sections())
        .containsExactly(
            new Reports.SectionHit("cls-1", "Course cls-1", "rivera", "RM101", 2, 1),
            new Reports.SectionHit("cls-2", "Course cls-2", "chen", "RM102", 1, 1));
    assertThat(d.days())
        .containsExactly(
            new Reports.Day(LocalDate.parse("2026-09-15"), 2, 2),
            new Reports.Day(LocalDate.parse("2026-09-16"), 1, 1));
  }

  @Test
  void sectionDetailListsItsDomains() {
    Reports.SectionDetail s = reports.section("cls-1", ReportFilter.between(null, null));

    assertThat(s.course()).isEqualTo("Course cls-1");
    assertThat(s.domains())
        .extracting(Reports.BreakdownRow::value, Reports.BreakdownRow::attempts)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("video.example", 3L),
            org.assertj.core.groups.Tuple.tuple("games.example", 2L));
  }

  @Test
  void blocksPageNewestFirstAndRetentionDropsOldRows() {
    Reports.Page<EventStore.EventRef> page = reports.blocks(ReportFilter.between(null, null), 0, 2);
    assertThat(page.total()).isEqualTo(7);
    assertThat(page.items())
        .containsExactly(EventStore.EventRef.of(A3), EventStore.EventRef.of(C1));

    index.dropBefore(Instant.parse("2026-09-16T00:00:00Z"));
    assertThat(reports.blocks(ReportFilter.between(null, null), 0, 10).items())
        .containsExactly(EventStore.EventRef.of(A3));
  }
}
