package org.bellwatch.agent.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One column family of small keyed records (the console's state). Values are versioned by the typed
 * classes above it ({@link Accounts}, {@link Sessions}, ...); this class only moves bytes.
 */
public final class KeyValues {
  private final RocksDB db;
  private final ColumnFamilyHandle cf;
  private final WriteOptions writeOptions;
  private final String name;

  /** One stored key and value. */
  public record Entry(byte[] key, byte[] value) {}

  KeyValues(RocksDB db, ColumnFamilyHandle cf, WriteOptions writeOptions, String name) {
    this.db = db;
    this.cf = cf;
    this.writeOptions = writeOptions;
    this.name = name;
  }

  byte[] get(byte[] key) throws StoreException {
    try {
      return db.get(cf, key);
    } catch (RocksDBException e) {
      throw new StoreException("store " + name + ": read failed: " + e.getMessage(), e);
    }
  }

  void put(byte[] key, byte[] value) throws StoreException {
    try {
      db.put(cf, writeOptions, key, value);
    } catch (RocksDBException e) {
      throw new StoreException("store " + name + ": write failed: " + e.getMessage(), e);
    }
  }

  void delete(byte[] key) throws StoreException {
    try {
      db.delete(cf, writeOptions, key);
    } catch (RocksDBException e) {
      throw new StoreException("store " + name + ": delete failed: " + e.getMessage(), e);
    }
  }

  /** Writes several families at once: either every put is stored or none (one WriteBatch). */
  static void putAll(KeyValues a, byte[] ka, byte[] va, KeyValues b, byte[] kb, byte[] vb)
      throws StoreException {
    try (WriteBatch wb = new WriteBatch()) {
      wb.put(a.cf, ka, va);
      wb.put(b.cf, kb, vb);
      a.db.write(a.writeOptions, wb);
    } catch (RocksDBException e) {
      throw new StoreException("store " + a.name + ": write failed: " + e.getMessage(), e);
    }
  }

  /**
   * Up to {@code limit} entries in key order (or reverse key order), starting at {@code start}
   * (null: the end).
   */
  List<Entry> scan(byte[] start, boolean reverse, int limit) throws StoreException {
    List<Entry> out = new ArrayList<>();
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(cf, ro)) {
      if (start == null) {
        if (reverse) {
          it.seekToLast();
        } else {
          it.seekToFirst();
        }
      } else if (reverse) {
        it.seekForPrev(start);
      } else {
        it.seek(start);
      }
      for (; it.isValid() && out.size() < limit; ) {
        out.add(new Entry(Arrays.copyOf(it.key(), it.key().length), it.value()));
        if (reverse) {
          it.prev();
        } else {
          it.next();
        }
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StoreException("store " + name + ": read failed: " + e.getMessage(), e);
    }
    return out;
  }
}
