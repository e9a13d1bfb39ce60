package org.bellwatch.agent.metrics;

import static org.bellwatch.agent.metrics.BellwatchMeters.STORE_DISK;
import static org.bellwatch.agent.metrics.BellwatchMeters.STORE_EVENTS;
import static org.bellwatch.agent.metrics.BellwatchMeters.STORE_MEMTABLES;
import static org.bellwatch.agent.metrics.BellwatchMeters.STORE_PENDING_COMPACTION;
import static org.bellwatch.agent.metrics.BellwatchMeters.STORE_RUNNING_COMPACTIONS;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The event store's size and RocksDB's own state, read when scraped.
 *
 * @param diskBytes SST files and memtables on disk
 * @param eventsProperty a RocksDB property of the events column family, by name (RocksDB's {@code
 *     include/rocksdb/db.h} lists them)
 */
public record StoreMetrics(Supplier<Number> diskBytes, ToLongFunction<String> eventsProperty)
    implements MeterBinder {
  @Override
  public void bindTo(MeterRegistry registry) {
    Gauges.bytes(registry, STORE_DISK, "Store size on disk (SST files and memtables)", diskBytes);
    Gauges.count(
        registry,
        STORE_EVENTS,
        "Block events in the store (RocksDB estimate)",
        property("rocksdb.estimate-num-keys"));
    Gauges.bytes(
        registry,
        STORE_PENDING_COMPACTION,
        "Bytes RocksDB estimates compaction must rewrite",
        property("rocksdb.estimate-pending-compaction-bytes"));
    Gauges.count(
        registry,
        STORE_RUNNING_COMPACTIONS,
        "RocksDB compactions running now",
        property("rocksdb.num-running-compactions"));
    Gauges.bytes(
        registry,
        STORE_MEMTABLES,
        "Bytes held in RocksDB memtables (events family)",
        property("rocksdb.cur-size-all-mem-tables"));
  }

  private Supplier<Number> property(String name) {
    return () -> eventsProperty.applyAsLong(name);
  }
}
