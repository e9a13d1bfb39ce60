package org.bellwatch.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bellwatch.agent.event.BlockEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelScanTest {
  @AfterEach
  void restore() {
    Reports.parallelRows = 100_000;
  }

  @Test
  void reportsScannedInSlicesOverTheCoresEqualTheSingleThreadedScan() {
    SplittableRandom rnd = new SplittableRandom(3);
    List<BlockEvent> events = new ArrayList<>();
    Instant start = Instant.parse("2026-09-14T14:00:00Z");
    for (int i = 0; i < 5000; i++) {
      int room = rnd.nextInt(6);
      boolean inClass = rnd.nextInt(4) != 0;
      String section = inClass ? "cls-" + room : null;
      events.add(
          new BlockEvent(
              start.plusSeconds(i * 97L),
              "10.0.0." + rnd.nextInt(40),
              "aa:" + rnd.nextInt(40),
              null,
              rnd.nextBoolean() ? null : "u" + rnd.nextInt(30),
              "d" + rnd.nextInt(25) + ".example",
              null,
              "Games",
              "dns",
              rnd.nextBoolean() ? "dns-sinkhole" : "proxy-deny",
              "RM" + room,
              section,
              section == null ? null : "Course " + room,
              section == null ? null : "t" + room,
              rnd.nextInt(5) == 0 ? null : Integer.toString(1 + rnd.nextInt(7)),
              inClass,
              List.of()));
    }
    EventIndex index = new EventIndex();
    index.addAll(events);
    Reports reports = new Reports(index, ReportsTest.LA);
    ReportFilter all = ReportFilter.between(start, start.plusSeconds(97L * 5000));
    ReportFilter instructional =
        new ReportFilter(null, null, null, null, null, null, null, null, null, true);
    List<Object> serial = everything(reports, all, instructional);
    Reports.parallelRows = 2;
    assertThat(everything(reports, all, instructional)).isEqualTo(serial);
  }

  private static List<Object> everything(Reports r, ReportFilter all, ReportFilter instructional) {
    List<Object> out = new ArrayList<>();
    for (ReportFilter f : List.of(all, instructional)) {
      out.add(r.topDomains(f, 0, 100));
      for (Reports.Dimension dim : Reports.Dimension.values()) {
        out.add(r.breakdown(f, dim, 0, 100));
      }
      out.add(r.domain("d3.example", f));
      out.add(r.section("cls-2", f));
      Reports.Heatmap h = r.heatmap(f);
      out.add(h.periods());
      out.add(h.weekdays());
      out.add(java.util.Arrays.deepToString(h.attempts()));
      out.add(r.blocks(f, 10, 50));
    }
    out.add(r.trend(all));
    return out;
  }
}
