package org.bellwatch.agent.store;

import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/** What a RocksDB store holds on disk, as a disk budget (a site's or the hub's) measures it. */
public final class RocksSize {
  private RocksSize() {}

  /**
   * Bytes of live SST files and of the memtables of the families, whose contents are what the
   * write-ahead logs hold on disk.
   */
  public static long diskBytes(RocksDB db, List<ColumnFamilyHandle> families) {
    long total = 0;
    for (ColumnFamilyHandle cf : families) {
      try {
        total += db.getLongProperty(cf, "rocksdb.live-sst-files-size");
        total += db.getLongProperty(cf, "rocksdb.cur-size-all-mem-tables");
      } catch (RocksDBException e) {
        // A property RocksDB cannot report counts as zero; the next pass measures again.
      }
    }
    return total;
  }
}
