package org.bellwatch.agent.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bellwatch.agent.store.RocksSize;
import org.bellwatch.agent.store.StoreException;
import org.bellwatch.agent.util.PrivateFolder;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.RocksObject;
import org.rocksdb.WriteOptions;

/**
 * The hub's RocksDB instance and its column families, opened once and shared by the classes that
 * keep what each family holds ({@link DistrictWriter} the consumer's batches, {@link
 * DistrictBlocks} block reads, {@link DistrictCounts} the tallies, {@link DistrictRecords} schools,
 * requests and decisions), with the key layout they share.
 *
 * <p>Families: {@code blocks} (site, 0x00, event id: the block message, or, in the first stores,
 * the message's {@code event} object and the school name), {@code sites} (site id: name and last
 * health message), {@code requests} (site, 0x00, request key: the request message), {@code
 * decisions} (decision time, 0x00, decision id: the decision message the hub published), {@code
 * tallies} (site, 0x00, domain: blocks and instructional blocks, two big-endian longs).
 *
 * <p>An event id starts with the event's time in epoch microseconds as 16 hex digits
 * (docs/kafka.md), so a school's blocks are in time order under its prefix and a time range is one
 * bounded scan.
 */
final class DistrictFamilies implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final String TALLIES = "tallies";

  /** The day rows' block cache ({@link #open}). */
  static final long DAY_CACHE_BYTES = 64L << 20;

  final Path dir;
  final RocksDB db;
  final WriteOptions writeOptions = new WriteOptions();
  final ColumnFamilyHandle blocks;
  final ColumnFamilyHandle sites;
  final ColumnFamilyHandle requests;
  final ColumnFamilyHandle decisions;
  final ColumnFamilyHandle tallies;

  /** The day tallies' rows and their dictionary ({@link DayTallies}). */
  final ColumnFamilyHandle days;

  final ColumnFamilyHandle names;

  /**
   * Whether the store had its tallies family before this open: a store written before it has its
   * blocks counted once ({@link DistrictCounts#load}).
   */
  final boolean counted;

  private final DBOptions options;

  /** The families' options and the day rows' cache, closed with the store. */
  private final List<RocksObject> natives;

  private final List<ColumnFamilyHandle> handles;

  private DistrictFamilies(
      Path dir,
      RocksDB db,
      DBOptions options,
      List<RocksObject> natives,
      List<ColumnFamilyHandle> handles,
      boolean counted) {
    this.dir = dir;
    this.db = db;
    this.options = options;
    this.natives = natives;
    this.handles = handles;
    this.counted = counted;
    this.blocks = handles.get(1);
    this.sites = handles.get(2);
    this.requests = handles.get(3);
    this.decisions = handles.get(4);
    this.tallies = handles.get(5);
    this.days = handles.get(6);
    this.names = handles.get(7);
  }

  static DistrictFamilies open(Path dir) throws StoreException {
    RocksDB.loadLibrary();
    try {
      PrivateFolder.prepare(dir);
    } catch (IOException e) {
      throw new StoreException("hub store " + dir + " cannot be created: " + e.getMessage(), e);
    }
    // As the site's store (EventStore.open): a batch's WAL write overlaps the previous batch's
    // memtable insert, and tables are LZ4-compressed (block messages are repetitive JSON).
    DBOptions options =
        new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            .setParanoidChecks(true)
            .setMaxBackgroundJobs(2)
            .setEnablePipelinedWrite(true)
            .setBytesPerSync(1 << 20);
    // A Bloom filter per table: a batch asks for each of its keys whether it is stored already
    // (redelivery), and nearly all are not, which the filter answers without reading a block.
    ColumnFamilyOptions cf =
        new ColumnFamilyOptions()
            .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10)))
            .setCompressionType(CompressionType.LZ4_COMPRESSION);
    // The blocks family's memtable has a Bloom filter of whole keys too (2% of its size): that
    // question is asked of the memtable first, for every key, and a skip-list search per key was a
    // third of the multi-get's cost.
    ColumnFamilyOptions blocksCf =
        new ColumnFamilyOptions(cf)
            .setMemtablePrefixBloomSizeRatio(0.02)
            .setMemtableWholeKeyFiltering(true);
    // The day rows have a block cache of their own: every district summary and queue reads a month
    // of them (4,400 rows, 16 MB, for 200 schools), which the shared 8 MB cache, churned by block
    // reads, never holds, so each request read and decompressed them from the files again (27 ms
    // of CPU of a 30-day district summary; 6 ms from this cache). 64 MB holds 90 days of 200
    // schools.
    LRUCache dayCache = new LRUCache(DAY_CACHE_BYTES);
    ColumnFamilyOptions dayOptions =
        new ColumnFamilyOptions()
            .setTableFormatConfig(
                new BlockBasedTableConfig()
                    .setFilterPolicy(new BloomFilter(10))
                    .setBlockCache(dayCache))
            .setCompressionType(CompressionType.LZ4_COMPRESSION);
    List<RocksObject> natives = List.of(cf, blocksCf, dayOptions, dayCache);
    List<ColumnFamilyDescriptor> descriptors =
        List.of(
            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cf),
            new ColumnFamilyDescriptor(bytes("blocks"), blocksCf),
            new ColumnFamilyDescriptor(bytes("sites"), cf),
            new ColumnFamilyDescriptor(bytes("requests"), cf),
            new ColumnFamilyDescriptor(bytes("decisions"), cf),
            new ColumnFamilyDescriptor(bytes(TALLIES), cf),
            new ColumnFamilyDescriptor(bytes("days"), dayOptions),
            new ColumnFamilyDescriptor(bytes("names"), dayOptions));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try {
      boolean counted = hasTallies(dir);
      return new DistrictFamilies(
          dir,
          RocksDB.open(options, dir.toString(), descriptors, handles),
          options,
          natives,
          handles,
          counted);
    } catch (RocksDBException e) {
      options.close();
      natives.forEach(RocksObject::close);
      throw new StoreException("hub store " + dir + " cannot be opened: " + e.getMessage(), e);
    }
  }

  private static boolean hasTallies(Path dir) throws RocksDBException {
    try (Options o = new Options()) {
      return RocksDB.listColumnFamilies(o, dir.toString()).stream()
          .anyMatch(n -> Arrays.equals(n, bytes(TALLIES)));
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The text of a key: site (or time), 0x00, id. */
  static String keyText(String site, String id) {
    return site + "\0" + id;
  }

  static byte[] key(String site, String id) {
    return bytes(keyText(site, id));
  }

  static boolean startsWith(byte[] k, byte[] prefix) {
    return k.length >= prefix.length
        && Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length);
  }

  /**
   * The event id prefix of an instant: its epoch microseconds as the 16 hex digits ids start with.
   */
  static String micros(Instant t) {
    long us = Math.max(0, t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000);
    return String.format(Locale.ROOT, "%016x", us);
  }

  /** A key and value of a family, as a scan hands them over. */
  interface Entry {
    void accept(byte[] key, byte[] value) throws IOException;
  }

  /**
   * Every entry of the family whose key starts with {@code prefix} (empty: every entry), in key
   * order.
   */
  void scan(ColumnFamilyHandle family, byte[] prefix, Entry each) throws StoreException {
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(family, ro)) {
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        each.accept(it.key(), it.value());
      }
      it.status();
    } catch (RocksDBException | IOException e) {
      throw readFailed(e);
    }
  }

  /** Bytes of the store's tables and memtables, as a disk budget measures them. */
  long diskBytes() {
    return RocksSize.diskBytes(db, handles);
  }

  StoreException readFailed(Exception e) {
    return new StoreException("hub store " + dir + ": read failed: " + e.getMessage(), e);
  }

  StoreException writeFailed(Exception e) {
    return new StoreException("hub store " + dir + ": write failed: " + e.getMessage(), e);
  }

  @Override
  public void close() {
    handles.forEach(ColumnFamilyHandle::close);
    db.close();
    writeOptions.close();
    options.close();
    natives.forEach(RocksObject::close);
  }
}
