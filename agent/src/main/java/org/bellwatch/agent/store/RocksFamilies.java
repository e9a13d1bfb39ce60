package org.bellwatch.agent.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.util.PrivateFolder;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksObject;
import org.rocksdb.Status;
import org.rocksdb.UInt64AddOperator;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * Bellwatch's RocksDB instance and its column families, opened once and shared by the classes that
 * keep what each family holds ({@link EventStore} events and rollups, {@link StoredSourceState}
 * offsets and leases, {@link ConsoleRecords} the console's records, {@link Outbox} the export
 * outbox).
 *
 * <p>Design note. Column families, each with one job:
 *
 * <ul>
 *   <li>{@code default}: metadata, today only {@code schema_version} (a store written by a newer
 *       Bellwatch is refused rather than misread);
 *   <li>{@code events}: block events, time-ordered keys and versioned values ({@link EventCodec});
 *   <li>{@code rollups}: daily counters per school-local day and domain, added with RocksDB's
 *       {@code uint64add} merge operator so that writers never read-modify-write; they outlive raw
 *       events (retention keeps months of trend after the events themselves are gone);
 *   <li>{@code offsets}: how far each file source has been read, written in the same WriteBatch as
 *       the events it produced, so that a restart resumes exactly where the stored events end;
 *   <li>{@code leases}: the DHCP lease history ({@link LeaseRecords}: keys by record start and
 *       address), written in the same WriteBatch as the events, read back at start, deleted with
 *       the events;
 *   <li>{@code accounts}, {@code sessions}, {@code reviews}, {@code audit}, {@code secrets}: the
 *       console's small keyed records ({@link KeyValues}; typed by {@link StoredAccounts}, {@link
 *       StoredSessions}, {@link StoredReviews}, {@link StoredAuditLog}, {@link StoredSecrets}).
 *       Retention never touches them.
 *   <li>{@code outbox}: once an exporter asks for it ({@link EventStore#recordOutbox()}), the order
 *       in which events were stored or replaced, written in the same WriteBatch ({@link Outbox});
 *       an exporter reads it from its cursor and deletes what its destination acknowledged.
 * </ul>
 *
 * Writes are one WriteBatch per pipeline batch with the WAL on; {@code syncWrites} fsyncs it per
 * batch. Retention deletes whole time ranges (DeleteRange, then compaction of that range), never
 * row by row.
 */
final class RocksFamilies implements AutoCloseable {
  static final int SCHEMA_VERSION = 1;

  /** RocksDB's block cache, which also carries the memtables' memory (see {@link #open}). */
  static final long NATIVE_CACHE_BYTES = 32L << 20;

  /** All memtables together: past this the largest is flushed. */
  static final long MEMTABLE_BYTES = 16L << 20;

  /**
   * The write-ahead logs together. A log file is deleted only when every family has flushed what it
   * holds; the small families (rollups, offsets, leases) fill their memtables slowly, so without a
   * bound their oldest entries kept every log since alive: 224 MB of the 451 MB store after 2M
   * events. Past this RocksDB flushes the families that hold the oldest log.
   */
  static final long MAX_WAL_BYTES = 2 * MEMTABLE_BYTES;

  private static final String EVENTS = "events";
  private static final String ROLLUPS = "rollups";
  private static final String OFFSETS = "offsets";

  /** The lease history: the last family, after the console's. */
  private static final String LEASES = "leases";

  /** The export outbox: the last family. */
  private static final String OUTBOX = "outbox";

  /** The console's families, in handle order after {@code offsets}. */
  private static final List<String> CONSOLE_FAMILIES =
      List.of("accounts", "sessions", "reviews", "audit", "secrets");

  final Path dir;
  final RocksDB db;
  final WriteOptions writeOptions;
  private final DBOptions dbOptions;
  private final List<ColumnFamilyOptions> cfOptions;
  private final List<ColumnFamilyHandle> handles;

  /**
   * Native objects the options refer to (merge operator, bloom filter, cache, write buffer
   * manager).
   */
  private final List<RocksObject> natives;

  final ColumnFamilyHandle meta;
  final ColumnFamilyHandle events;
  final ColumnFamilyHandle rollups;
  final ColumnFamilyHandle offsets;
  final ColumnFamilyHandle leases;
  final ColumnFamilyHandle outbox;

  private RocksFamilies(
      Path dir,
      RocksDB db,
      DBOptions dbOptions,
      List<ColumnFamilyOptions> cfOptions,
      List<ColumnFamilyHandle> handles,
      WriteOptions writeOptions,
      List<RocksObject> natives) {
    this.dir = dir;
    this.db = db;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.handles = handles;
    this.writeOptions = writeOptions;
    this.natives = natives;
    this.meta = handles.get(0);
    this.events = handles.get(1);
    this.rollups = handles.get(2);
    this.offsets = handles.get(3);
    this.leases = handles.get(4 + CONSOLE_FAMILIES.size());
    this.outbox = handles.get(5 + CONSOLE_FAMILIES.size());
  }

  /** One of the console's families ({@link #CONSOLE_FAMILIES}) as small keyed records. */
  KeyValues console(String name) {
    return new KeyValues(
        db, handles.get(4 + CONSOLE_FAMILIES.indexOf(name)), writeOptions, dir + " (" + name + ")");
  }

  /**
   * Opens (creating if needed) the store in {@code dir}, refusing one that is corrupted, unreadable
   * or written by a newer Bellwatch with a message that says what to do; it is never repaired or
   * overwritten.
   */
  static RocksFamilies open(Path dir, boolean syncWrites) throws StoreException {
    RocksDB.loadLibrary();
    // Refuse a damaged or newer store before anything below changes it, its files' modes included.
    StoreCheck.beforeOpen(dir);
    try {
      PrivateFolder.prepare(dir);
    } catch (IOException e) {
      throw new StoreException(
          "store directory " + dir + " cannot be created: " + e.getMessage(), e);
    }
    if (!Files.isWritable(dir) || !Files.isReadable(dir)) {
      throw new StoreException(
          "store directory " + dir + " is not readable and writable by this user", null);
    }
    // Ingest tuning (docs/benchmarks.md, "Store and reports"): pipelined writes let the WAL append
    // of one
    // batch overlap the memtable insert of the previous one; two background jobs match the small
    // machines
    // Bellwatch runs on. SSTs are LZ4-compressed (ZSTD at the bottom level, where most data
    // settles): the
    // evidence lines are repetitive text. Existing stores open unchanged (options are not part of
    // the data).
    // No fallocate: RocksDB preallocates each log and table file to about its target size (tens of
    // MB), and
    // on a nearly full ext4 a failed fallocate keeps what it took, so a one-account WAL replay at
    // open
    // could not write its small table file even after the SpaceReserve was freed; a full disk was
    // also
    // noticed only once the preallocated log was used up.
    // Memory: one LRU cache holds the data blocks of every family and is charged with their
    // memtables
    // (WriteBufferManager), so RocksDB's native memory stays near NATIVE_CACHE_BYTES whatever the
    // number of
    // families. A 30-minute soak at ten times a school's peak took the agent's RSS past 800 MB
    // without this
    // bound. Its size is set by the footprint goal (RSS at most 256 MB at one school's peak, issue
    // 17;
    // docs/benchmarks.md, "Footprint"): 160 MB of cache with 128 MB of memtables (64 MB for events)
    // was
    // most of the agent's RSS on its own, and 64 MB with 32 MB still left the agent at 300 MB. 32
    // MB with
    // 16 MB of memtables (8 MB for events: flushed more often, into smaller level-0 files) keeps
    // the
    // ingest rate within its goal (measured in docs/benchmarks.md). Reports read mostly the in-heap
    // index.
    LRUCache cache = new LRUCache(NATIVE_CACHE_BYTES);
    WriteBufferManager memtables = new WriteBufferManager(MEMTABLE_BYTES, cache);
    DBOptions dbOptions =
        new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            .setParanoidChecks(true)
            .setEnablePipelinedWrite(true)
            .setMaxBackgroundJobs(2)
            .setBytesPerSync(1 << 20)
            .setAllowFAllocate(false)
            .setWriteBufferManager(memtables)
            .setMaxTotalWalSize(MAX_WAL_BYTES);
    UInt64AddOperator add = new UInt64AddOperator();
    BloomFilter bloom = new BloomFilter(10, false);
    List<RocksObject> natives = List.of(add, bloom, memtables, cache);
    ColumnFamilyOptions plain =
        new ColumnFamilyOptions()
            .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache));
    // Events: a whole-key bloom filter per SST, so that the duplicate check of append() answers
    // "absent"
    // for new keys without reading data blocks.
    ColumnFamilyOptions eventOptions =
        new ColumnFamilyOptions()
            .setTableFormatConfig(
                new BlockBasedTableConfig()
                    .setFilterPolicy(bloom)
                    .setBlockSize(16 * 1024)
                    .setBlockCache(cache))
            .setCompressionType(CompressionType.LZ4_COMPRESSION)
            .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
            .setWriteBufferSize(8L << 20)
            .setMaxWriteBufferNumber(4)
            .setTargetFileSizeBase(64L << 20)
            .setMaxBytesForLevelBase(256L << 20);
    ColumnFamilyOptions counters =
        new ColumnFamilyOptions()
            .setMergeOperator(add)
            .setCompressionType(CompressionType.LZ4_COMPRESSION)
            .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache));
    List<ColumnFamilyDescriptor> descriptors =
        new ArrayList<>(
            List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, plain),
                new ColumnFamilyDescriptor(EVENTS.getBytes(StandardCharsets.UTF_8), eventOptions),
                new ColumnFamilyDescriptor(ROLLUPS.getBytes(StandardCharsets.UTF_8), counters),
                new ColumnFamilyDescriptor(OFFSETS.getBytes(StandardCharsets.UTF_8), plain)));
    // Added after schema 1 shipped: setCreateMissingColumnFamilies creates them in an older store.
    CONSOLE_FAMILIES.forEach(
        n ->
            descriptors.add(new ColumnFamilyDescriptor(n.getBytes(StandardCharsets.UTF_8), plain)));
    descriptors.add(new ColumnFamilyDescriptor(LEASES.getBytes(StandardCharsets.UTF_8), plain));
    descriptors.add(new ColumnFamilyDescriptor(OUTBOX.getBytes(StandardCharsets.UTF_8), plain));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db;
    try {
      db = openReleasingReserve(dbOptions, dir, descriptors, handles);
    } catch (RocksDBException e) {
      dbOptions.close();
      plain.close();
      eventOptions.close();
      counters.close();
      natives.forEach(RocksObject::close);
      throw new StoreException(openFailure(dir, e), e);
    }
    RocksFamilies families =
        new RocksFamilies(
            dir,
            db,
            dbOptions,
            List.of(plain, eventOptions, counters),
            handles,
            new WriteOptions().setSync(syncWrites),
            natives);
    try {
      families.checkSchema();
    } catch (StoreException e) {
      families.close();
      throw e;
    }
    return families;
  }

  /** Opens the database; on a full disk, frees the {@link SpaceReserve} and tries once more. */
  private static RocksDB openReleasingReserve(
      DBOptions options,
      Path dir,
      List<ColumnFamilyDescriptor> descriptors,
      List<ColumnFamilyHandle> handles)
      throws RocksDBException {
    try {
      return RocksDB.open(options, dir.toString(), descriptors, handles);
    } catch (RocksDBException e) {
      boolean noSpace =
          e.getStatus() != null && e.getStatus().getSubCode() == Status.SubCode.NoSpace
              || String.valueOf(e.getMessage()).contains("No space left on device");
      if (!noSpace || !SpaceReserve.release(dir)) {
        throw e;
      }
      handles.clear();
      return RocksDB.open(options, dir.toString(), descriptors, handles);
    }
  }

  private static String openFailure(Path dir, RocksDBException e) {
    Status.Code code = e.getStatus() == null ? null : e.getStatus().getCode();
    if (code == Status.Code.Corruption) {
      return "store "
          + dir
          + " is damaged ("
          + e.getMessage()
          + "); Bellwatch will not repair or overwrite it. "
          + StoreCheck.ADVICE;
    }
    if (code == Status.Code.IOError && String.valueOf(e.getMessage()).contains("lock")) {
      return "store "
          + dir
          + " cannot be opened: another Bellwatch process holds it ("
          + e.getMessage()
          + ")";
    }
    return "store " + dir + " cannot be opened: " + e.getMessage();
  }

  private void checkSchema() throws StoreException {
    try {
      byte[] v = db.get(meta, StoreCheck.SCHEMA_KEY);
      String problem = StoreCheck.schemaProblem(dir, v);
      if (problem != null) {
        throw new StoreException(problem, null);
      }
      if (v == null) {
        db.put(
            meta,
            writeOptions,
            StoreCheck.SCHEMA_KEY,
            ByteBuffer.allocate(4).putInt(SCHEMA_VERSION).array());
      }
    } catch (RocksDBException e) {
      throw new StoreException(
          "store " + dir + ": cannot read its schema version: " + e.getMessage(), e);
    }
  }

  /**
   * Deletes a key range of one family, then compacts it away (retention deletes whole ranges, never
   * rows).
   */
  void deleteRange(ColumnFamilyHandle cf, byte[] from, byte[] to) throws StoreException {
    try (CompactRangeOptions opts = new CompactRangeOptions()) {
      db.deleteRange(cf, writeOptions, from, to);
      db.compactRange(cf, from, to, opts);
    } catch (RocksDBException e) {
      throw new StoreException("store " + dir + ": delete failed: " + e.getMessage(), e);
    }
  }

  /**
   * Bytes of live SST files and of the memtables, whose contents are what the write-ahead logs hold
   * on disk (the logs are bounded by {@link #MAX_WAL_BYTES}): what a disk budget is measured
   * against.
   */
  long diskBytes() {
    return RocksSize.diskBytes(db, handles);
  }

  /**
   * A consistent copy of the whole store in {@code target} (which must not exist), while running.
   */
  void checkpoint(Path target) throws StoreException {
    try (Checkpoint cp = Checkpoint.create(db)) {
      cp.createCheckpoint(target.toString());
    } catch (RocksDBException e) {
      throw new StoreException("backup to " + target + " failed: " + e.getMessage(), e);
    }
  }

  /** Makes every write so far durable (the WAL synced), whatever {@code store.sync_writes} says. */
  void syncWal() throws StoreException {
    try {
      db.syncWal();
    } catch (RocksDBException e) {
      throw new StoreException("cannot sync the store's write-ahead log: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    handles.forEach(ColumnFamilyHandle::close);
    db.close();
    writeOptions.close();
    dbOptions.close();
    cfOptions.forEach(ColumnFamilyOptions::close);
    natives.forEach(RocksObject::close);
  }
}
