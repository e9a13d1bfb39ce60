package org.bellwatch.agent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.bellwatch.agent.correlate.BlockEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventStoreTest {
  @TempDir
  Path dir;

  static BlockEvent event(String time, String domain, boolean instructional) {
    return new BlockEvent(Instant.parse(time), "10.0.0.5", "aa:bb:cc:dd:ee:ff", "RM101-CB01", "alice", domain,
        null, null, "dns", "dns-sinkhole", "RM101", "cls-1", "Algebra", "ms.rivera", "1", instructional,
        List.of("dns: answer 0.0.0.0", "room: host name"));
  }

  @Test
  void eventsComeBackWholeNewestFirstAndSurviveReopening() throws Exception {
    BlockEvent a = event("2026-09-15T15:00:00.001Z", "a.example", true);
    BlockEvent b = event("2026-09-15T15:00:02.000Z", "b.example", false);
    try (EventStore store = EventStore.open(dir, true)) {
      store.append(List.of(a, b));
    }
    try (EventStore store = EventStore.open(dir, false)) {
      assertThat(store.query(new BlockQuery(null, null, null, 10))).containsExactly(b, a);
    }
  }

  @Test
  void writingTheSameEventTwiceKeepsOneCopy() throws Exception {
    BlockEvent a = event("2026-09-15T15:00:00.001Z", "a.example", true);
    try (EventStore store = EventStore.open(dir, false)) {
      store.append(List.of(a));
      store.append(List.of(a));
      assertThat(store.query(new BlockQuery(null, null, null, 10))).containsExactly(a);
    }
  }

  @Test
  void queriesFilterByTimeRangeInstructionalFlagAndLimit() throws Exception {
    BlockEvent a = event("2026-09-15T15:00:00Z", "a.example", true);
    BlockEvent b = event("2026-09-15T16:00:00Z", "b.example", false);
    BlockEvent c = event("2026-09-15T17:00:00Z", "c.example", true);
    try (EventStore store = EventStore.open(dir, false)) {
      store.append(List.of(a, b, c));
      assertThat(store.query(new BlockQuery(Instant.parse("2026-09-15T15:30:00Z"), null, null, 10))).containsExactly(c, b);
      assertThat(store.query(new BlockQuery(null, Instant.parse("2026-09-15T17:00:00Z"), null, 10))).containsExactly(b, a);
      assertThat(store.query(new BlockQuery(null, null, true, 10))).containsExactly(c, a);
      assertThat(store.query(new BlockQuery(null, null, null, 1))).containsExactly(c);
    }
  }

  @Test
  void aStoreHeldByAnotherProcessIsAClearErrorNotACrash() throws Exception {
    try (EventStore store = EventStore.open(dir, false)) {
      assertThatThrownBy(() -> EventStore.open(dir, false)).isInstanceOf(StoreException.class)
          .hasMessageStartingWith("store " + dir + " cannot be opened: ");
    }
  }
}
