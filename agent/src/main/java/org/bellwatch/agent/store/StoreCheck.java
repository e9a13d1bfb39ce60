package org.bellwatch.agent.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LiveFileMetaData;
import org.rocksdb.Logger;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.UInt64AddOperator;
import org.slf4j.LoggerFactory;

/**
 * Checks an existing store without changing a byte of it, before anything opens it for writing.
 *
 * <p>Why: a read-write open of RocksDB changes the folder at once (it replays the write-ahead log
 * into a new table file and deletes the log, writes a new MANIFEST and OPTIONS file, rotates its
 * LOG), and a damaged data block in a table file is only noticed when that block is read, which may
 * be after all of that. So a store is opened read-only first (no lock, no file written: RocksDB's
 * info log goes to this class's logger instead of a LOG file in the folder), its schema version is
 * read, and the checksum of every block of every live table file is verified ({@code
 * DB::VerifyChecksum}). Reading the whole store costs about as long as reading its files once (see
 * docs/benchmarks.md, "Store check at start").
 */
public final class StoreCheck {
  private static final org.slf4j.Logger log = LoggerFactory.getLogger(StoreCheck.class);
  static final byte[] SCHEMA_KEY = "schema_version".getBytes(StandardCharsets.UTF_8);

  /** What to do about a damaged store, said wherever one is refused. */
  static final String ADVICE =
      "Stop here and keep this folder as it is. Restore the latest backup into an empty"
          + " folder and set store.dir to it (README, \"Backup and restore\"); without a backup, move this folder"
          + " aside and start again with an empty store. 'bellwatch store verify --config FILE' checks a store"
          + " without changing it";

  /**
   * What a check read: the live table files and their total size, and the schema version (0 when
   * unset).
   */
  public record Summary(int tableFiles, long tableBytes, int schema) {}

  private StoreCheck() {}

  /** True when {@code dir} holds a RocksDB store (its CURRENT file names the MANIFEST). */
  static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve("CURRENT"));
  }

  /**
   * The check of {@code bellwatch store verify}: every failure is a {@link StoreException} whose
   * message names the store and, for damage, what to do.
   */
  public static Summary verify(Path dir) throws StoreException {
    if (!exists(dir)) {
      throw new StoreException("store " + dir + ": no store here (no CURRENT file)", null);
    }
    try {
      return check(dir);
    } catch (RocksDBException e) {
      if (damage(e)) {
        throw new StoreException(damaged(dir, e), e);
      }
      throw new StoreException("store " + dir + " cannot be checked: " + e.getMessage(), e);
    }
  }

  /**
   * The check before a read-write open: refuses a damaged store or one written by a newer
   * Bellwatch. Any other failure (the store held by a running agent that is compacting it, a folder
   * this user cannot read) is left to the open itself, which names it.
   */
  static void beforeOpen(Path dir) throws StoreException {
    if (!exists(dir)) {
      return;
    }
    try {
      check(dir);
    } catch (RocksDBException e) {
      if (damage(e)) {
        throw new StoreException(damaged(dir, e), e);
      }
      log.debug("store {}: read-only check failed, left to the open: {}", dir, e.getMessage());
    }
  }

  static String damaged(Path dir, RocksDBException e) {
    return "store "
        + dir
        + " is damaged ("
        + e.getMessage()
        + "); Bellwatch has not changed it. "
        + ADVICE;
  }

  /**
   * Null when Bellwatch reads this schema version ({@code null}: a store not yet marked), else the
   * refusal.
   */
  static String schemaProblem(Path dir, byte[] v) {
    if (v == null || v.length == 4 && ByteBuffer.wrap(v).getInt() <= RocksFamilies.SCHEMA_VERSION) {
      return null;
    }
    return "store "
        + dir
        + " was written by a newer Bellwatch (schema "
        + (v.length == 4 ? ByteBuffer.wrap(v).getInt() : "unknown")
        + ", this version reads up to "
        + RocksFamilies.SCHEMA_VERSION
        + "); upgrade Bellwatch or restore a backup";
  }

  private static boolean damage(RocksDBException e) {
    return e.getStatus() != null && e.getStatus().getCode() == Status.Code.Corruption;
  }

  private static Summary check(Path dir) throws RocksDBException, StoreException {
    RocksDB.loadLibrary();
    List<byte[]> names;
    try (Options o = new Options()) {
      names = RocksDB.listColumnFamilies(o, dir.toString());
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    // One merge operator for every family: the rollups' merge records are read back from the log.
    try (UInt64AddOperator add = new UInt64AddOperator();
        ColumnFamilyOptions cf = new ColumnFamilyOptions().setMergeOperator(add);
        Logger rocksLog =
            new Logger(InfoLogLevel.WARN_LEVEL) {
              @Override
              protected void log(InfoLogLevel level, String message) {
                log.debug("rocksdb (read-only check): {}", message);
              }
            };
        DBOptions options = new DBOptions().setParanoidChecks(true).setLogger(rocksLog)) {
      List<ColumnFamilyDescriptor> descriptors =
          names.stream().map(n -> new ColumnFamilyDescriptor(n, cf)).toList();
      try (RocksDB db = RocksDB.openReadOnly(options, dir.toString(), descriptors, handles)) {
        int meta = 0;
        while (!java.util.Arrays.equals(names.get(meta), RocksDB.DEFAULT_COLUMN_FAMILY)) {
          meta++;
        }
        byte[] v = db.get(handles.get(meta), SCHEMA_KEY);
        String problem = schemaProblem(dir, v);
        if (problem != null) {
          throw new StoreException(problem, null);
        }
        db.verifyChecksum();
        List<LiveFileMetaData> tables = db.getLiveFilesMetaData();
        return new Summary(
            tables.size(),
            tables.stream().mapToLong(LiveFileMetaData::size).sum(),
            v == null ? 0 : ByteBuffer.wrap(v).getInt());
      } finally {
        handles.forEach(ColumnFamilyHandle::close);
      }
    }
  }
}
