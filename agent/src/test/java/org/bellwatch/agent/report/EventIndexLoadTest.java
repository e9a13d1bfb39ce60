package org.bellwatch.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.store.EventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventIndexLoadTest {
  @TempDir Path dir;

  @Test
  void loadingStraightFromTheStoredBytesGivesTheSameReportsAsLoadingDecodedEvents()
      throws Exception {
    List<BlockEvent> events =
        new ArrayList<>(
            List.of(
                ReportsTest.A1,
                ReportsTest.A2,
                ReportsTest.A3,
                ReportsTest.B1,
                ReportsTest.B2,
                ReportsTest.B3,
                ReportsTest.C1,
                // Non-ASCII text, a device known only by its address, every optional field null.
                new BlockEvent(
                    Instant.parse("2026-09-16T16:00:00Z"),
                    "10.0.0.9",
                    null,
                    null,
                    "zoë",
                    "élève.example",
                    null,
                    "Jeux",
                    "dns",
                    "dns-sinkhole",
                    "Salle-é",
                    "cls-é",
                    "Français",
                    "mme.dupré",
                    "3",
                    true,
                    List.of("é")),
                new BlockEvent(
                    Instant.parse("2026-09-16T16:00:01Z"),
                    "10.0.0.9",
                    null,
                    null,
                    null,
                    "élève.example",
                    null,
                    null,
                    "dns",
                    "dns-nxdomain",
                    null,
                    null,
                    null,
                    null,
                    null,
                    false,
                    List.of())));
    EventIndex decoded = new EventIndex();
    EventIndex raw = new EventIndex();
    try (EventStore store = EventStore.open(dir, ReportsTest.LA, false)) {
      store.append(events);
      List<BlockEvent> all = new ArrayList<>();
      store.forEach(null, null, false, all::add);
      decoded.addAll(all);
      raw.load(store);
    }
    Reports a = new Reports(decoded, ReportsTest.LA);
    Reports b = new Reports(raw, ReportsTest.LA);
    ReportFilter any = ReportFilter.between(null, null);
    assertThat(raw.size()).isEqualTo(events.size());
    assertThat(b.topDomains(any, 0, 100)).isEqualTo(a.topDomains(any, 0, 100));
    assertThat(b.blocks(any, 0, 100)).isEqualTo(a.blocks(any, 0, 100));
    for (Reports.Dimension dim : Reports.Dimension.values()) {
      assertThat(b.breakdown(any, dim, 0, 100)).isEqualTo(a.breakdown(any, dim, 0, 100));
    }
    assertThat(b.domain("élève.example", any)).isEqualTo(a.domain("élève.example", any));
    assertThat(b.section("cls-é", any)).isEqualTo(a.section("cls-é", any));
    assertThat(b.heatmap(any).periods()).isEqualTo(a.heatmap(any).periods());
  }

  @Test
  void theMemoryEstimateGrowsWithNewValuesAndColumnCapacityNotWithRepeatedRows() {
    EventIndex idx = new EventIndex();
    idx.addAll(
        List.of(row("2026-09-15T15:10:00Z", "games.example", "alice", "aa:01", "RM101", "cls-1")));
    long first = idx.memoryBytes();
    List<BlockEvent> same = new ArrayList<>();
    for (int i = 1; i < 1024; i++) {
      same.add(row("2026-09-15T15:10:00Z", "games.example", "alice", "aa:01", "RM101", "cls-1"));
    }
    idx.addAll(same);
    long full = idx.memoryBytes();
    idx.addAll(
        List.of(row("2026-09-15T15:11:00Z", "new.example", "bob", "aa:02", "RM102", "cls-2")));

    assertThat(full).as("1,024 rows fill the first columns").isEqualTo(first);
    // The columns double to 2,048 rows of 58 bytes; six dictionaries (domain, user, device, room,
    // section,
    // course) each take one value.
    assertThat(idx.memoryBytes() - full)
        .isBetween(1024 * 58L + 6 * 116L, 1024 * 58L + 6 * 116L + 200);
  }

  private static BlockEvent row(
      String time, String domain, String user, String device, String room, String section) {
    return ReportsTest.block(time, domain, user, device, room, section, "ms.rivera", "1", true);
  }
}
