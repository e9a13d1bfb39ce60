package org.bellwatch.agent.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/**
 * Writes straight into a closed store's RocksDB, as another version of Bellwatch would have written
 * it.
 */
final class RawStore {
  private RawStore() {}

  /**
   * Puts {@code value} under {@code key} in the column family named {@code family} (default: the
   * meta family).
   */
  static void put(Path dir, String family, byte[] key, byte[] value) throws Exception {
    List<ColumnFamilyDescriptor> families;
    try (Options o = new Options()) {
      families =
          RocksDB.listColumnFamilies(o, dir.toString()).stream()
              .map(ColumnFamilyDescriptor::new)
              .toList();
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions o = new DBOptions();
        RocksDB db = RocksDB.open(o, dir.toString(), families, handles)) {
      byte[] name = family.getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < families.size(); i++) {
        if (Arrays.equals(families.get(i).getName(), name)) {
          db.put(handles.get(i), key, value);
        }
      }
      handles.forEach(ColumnFamilyHandle::close);
    }
  }
}
