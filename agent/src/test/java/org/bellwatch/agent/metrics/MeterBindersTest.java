package org.bellwatch.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The subsystem binders read their values when scraped, under the names of {@link BellwatchMeters}.
 */
class MeterBindersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final BellwatchMeters meters = new BellwatchMeters(registry);

  @Test
  void eachCaptureInterfaceHasItsOwnLibpcapCountsTaggedWithItsName() {
    AtomicLong received = new AtomicLong();
    meters.bind(
        new CaptureMetrics("eth1", received::get, () -> 2, () -> 3),
        new CaptureMetrics("eth2", () -> 10, () -> 20, () -> 30));
    received.set(7);

    assertThat(registry.get(BellwatchMeters.PCAP_RECEIVED).tag("interface", "eth1").gauge().value())
        .isEqualTo(7);
    assertThat(registry.get(BellwatchMeters.PCAP_DROPPED).tag("interface", "eth1").gauge().value())
        .isEqualTo(2);
    assertThat(
            registry.get(BellwatchMeters.PCAP_IF_DROPPED).tag("interface", "eth2").gauge().value())
        .isEqualTo(30);
    assertThat(registry.find(BellwatchMeters.PCAP_RECEIVED).gauges()).hasSize(2);
  }

  @Test
  void theStoreGaugesAskRocksDbForTheirOwnPropertyAndCountBytesInBytes() {
    Map<String, Long> properties =
        Map.of(
            "rocksdb.estimate-num-keys",
            54L,
            "rocksdb.estimate-pending-compaction-bytes",
            4096L,
            "rocksdb.num-running-compactions",
            1L,
            "rocksdb.cur-size-all-mem-tables",
            1024L);
    meters.bind(new StoreMetrics(() -> 1_000_000L, properties::get));

    assertThat(value(BellwatchMeters.STORE_DISK)).isEqualTo(1_000_000);
    assertThat(value(BellwatchMeters.STORE_EVENTS)).isEqualTo(54);
    assertThat(value(BellwatchMeters.STORE_PENDING_COMPACTION)).isEqualTo(4096);
    assertThat(value(BellwatchMeters.STORE_RUNNING_COMPACTIONS)).isEqualTo(1);
    assertThat(value(BellwatchMeters.STORE_MEMTABLES)).isEqualTo(1024);
    assertThat(
            List.of(
                BellwatchMeters.STORE_DISK,
                BellwatchMeters.STORE_PENDING_COMPACTION,
                BellwatchMeters.STORE_MEMTABLES))
        .allSatisfy(
            name ->
                assertThat(registry.get(name).gauge().getId().getBaseUnit()).isEqualTo("bytes"));
    assertThat(registry.get(BellwatchMeters.STORE_EVENTS).gauge().getId().getBaseUnit()).isNull();
  }

  private double value(String name) {
    Gauge g = registry.get(name).gauge();
    return g.value();
  }
}
