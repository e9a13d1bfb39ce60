package org.bellwatch.agent.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.bellwatch.agent.correlate.BlockAttempt;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.event.Lease;
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
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.RocksObject;
import org.rocksdb.Status;
import org.rocksdb.UInt64AddOperator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * Bellwatch's RocksDB store.
 *
 * <p>Design note. Column families, each with one job:
 * <ul>
 *   <li>{@code default}: metadata, today only {@code schema_version} (a store written by a newer
 *       Bellwatch is refused rather than misread);</li>
 *   <li>{@code events}: block events, time-ordered keys and versioned values ({@link EventCodec});</li>
 *   <li>{@code rollups}: daily counters per school-local day and domain, added with RocksDB's
 *       {@code uint64add} merge operator so that writers never read-modify-write; they outlive raw events
 *       (retention keeps months of trend after the events themselves are gone);</li>
 *   <li>{@code offsets}: how far each file source has been read, written in the same WriteBatch as the
 *       events it produced, so that a restart resumes exactly where the stored events end;</li>
 *   <li>{@code leases}: the DHCP lease history ({@link LeaseRecords}: keys by record start and address),
 *       written in the same WriteBatch as the events, read back at start, deleted with the events;</li>
 *   <li>{@code accounts}, {@code sessions}, {@code reviews}, {@code audit}, {@code secrets}: the console's
 *       small keyed records ({@link KeyValues}; typed by {@link Accounts}, {@link Sessions}, {@link Reviews},
 *       {@link AuditLog}, {@link Secrets}). Retention never touches them.</li>
 *   <li>{@code outbox}: once an exporter asks for it ({@link #recordOutbox()}), the order in which events were
 *       stored or replaced, written in the same WriteBatch ({@link Outbox}); an exporter reads it from its
 *       cursor and deletes what its destination acknowledged.</li>
 * </ul>
 * Writes are one WriteBatch per pipeline batch with the WAL on; {@code syncWrites} fsyncs it per batch.
 * Retention deletes whole time ranges (DeleteRange, then compaction of that range), never row by row.
 */
public final class EventStore implements AutoCloseable {
  static final int SCHEMA_VERSION = 1;
  /** RocksDB's block cache, which also carries the memtables' memory (see {@link #open}). */
  static final long NATIVE_CACHE_BYTES = 32L << 20;
  /** All memtables together: past this the largest is flushed. */
  static final long MEMTABLE_BYTES = 16L << 20;
  /**
   * The write-ahead logs together. A log file is deleted only when every family has flushed what it holds;
   * the small families (rollups, offsets, leases) fill their memtables slowly, so without a bound their
   * oldest entries kept every log since alive: 224 MB of the 451 MB store after 2M events. Past this RocksDB
   * flushes the families that hold the oldest log.
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
  private static final List<String> CONSOLE_FAMILIES = List.of("accounts", "sessions", "reviews", "audit", "secrets");
  /** Rollup kinds: the byte after the day in a rollup key. */
  static final byte ROLLUP_ATTEMPTS = 1;
  static final byte ROLLUP_INSTRUCTIONAL = 2;

  private final Path dir;
  private final ZoneId zone;
  private final RocksDB db;
  private final DBOptions dbOptions;
  private final List<ColumnFamilyOptions> cfOptions;
  private final List<ColumnFamilyHandle> handles;
  private final ColumnFamilyHandle meta;
  private final ColumnFamilyHandle events;
  private final ColumnFamilyHandle rollups;
  private final ColumnFamilyHandle offsets;
  private final ColumnFamilyHandle leases;
  private final ColumnFamilyHandle outbox;
  /** Whether writes add outbox entries (an exporter is configured); guarded by {@code this}. */
  private boolean outboxOn;
  /** The sequence number of the next outbox entry; guarded by {@code this}. */
  private long outboxNext;
  private final KeyValues accounts;
  private final KeyValues sessions;
  private final KeyValues reviews;
  private final KeyValues audit;
  private final KeyValues secrets;
  private final WriteOptions writeOptions;
  /** Native objects the options refer to (merge operator, bloom filter, cache, write buffer manager). */
  private final List<RocksObject> natives;
  private final EventCodec codec = new EventCodec();
  /**
   * The key and value being added to a write batch, in direct buffers: RocksDB copies them into the batch
   * straight from there, where a Java array costs one more copy and allocation per event on each side.
   * Used only inside {@link #append}, which is synchronized.
   */
  private final ByteBuffer keyBuf = ByteBuffer.allocateDirect(EventCodec.KEY_BYTES);
  private ByteBuffer valueBuf = ByteBuffer.allocateDirect(4096);
  /**
   * The greatest event key stored (time, then suffix, compared as RocksDB compares the key bytes). A key
   * above it cannot be in the store, so append() looks up only keys at or below it: events arrive in
   * nearly time order, and most batches need no read at all. Guarded by {@code this}.
   */
  private long lastMicros = Long.MIN_VALUE;
  private long lastSuffix;
  private boolean empty = true;
  private final DayOf dayOf;

  /** Daily counts of one domain: all attempts and those during instruction. */
  public record DailyCount(LocalDate day, String domain, long attempts, long instructional) {
  }

  private EventStore(Path dir, ZoneId zone, RocksDB db, DBOptions dbOptions, List<ColumnFamilyOptions> cfOptions,
      List<ColumnFamilyHandle> handles, WriteOptions writeOptions, List<RocksObject> natives) {
    this.natives = natives;
    this.dir = dir;
    this.zone = zone;
    this.db = db;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.handles = handles;
    this.meta = handles.get(0);
    this.events = handles.get(1);
    this.rollups = handles.get(2);
    this.offsets = handles.get(3);
    this.writeOptions = writeOptions;
    this.accounts = new KeyValues(db, handles.get(4), writeOptions, dir + " (accounts)");
    this.sessions = new KeyValues(db, handles.get(5), writeOptions, dir + " (sessions)");
    this.reviews = new KeyValues(db, handles.get(6), writeOptions, dir + " (reviews)");
    this.audit = new KeyValues(db, handles.get(7), writeOptions, dir + " (audit)");
    this.secrets = new KeyValues(db, handles.get(8), writeOptions, dir + " (secrets)");
    this.leases = handles.get(9);
    this.outbox = handles.get(10);
    this.dayOf = new DayOf(zone);
  }

  private void readLastKey() throws StoreException {
    try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(events, ro)) {
      it.seekToLast();
      if (it.isValid()) {
        byte[] k = it.key();
        ByteBuffer b = ByteBuffer.wrap(k);
        lastMicros = b.getLong();
        lastSuffix = k.length >= EventCodec.KEY_BYTES ? b.getLong() : 0;
        empty = false;
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StoreException("store " + dir + ": cannot read its last event: " + e.getMessage(), e);
    }
  }

  /** True when key (m, s) sorts after the last stored key, as unsigned big-endian bytes. */
  private boolean afterLast(long m, long s) {
    if (empty) {
      return true;
    }
    int c = Long.compareUnsigned(m, lastMicros);
    return c > 0 || c == 0 && Long.compareUnsigned(s, lastSuffix) > 0;
  }

  /** The school-local epoch day of event times, converting only when a time leaves the cached day. */
  private static final class DayOf {
    private final ZoneId zone;
    private long start = Long.MAX_VALUE;
    private long end = Long.MIN_VALUE;
    private int day;

    DayOf(ZoneId zone) {
      this.zone = zone;
    }

    int of(long micros) {
      if (micros < start || micros >= end) {
        LocalDate d = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L)
            .atZone(zone).toLocalDate();
        day = (int) d.toEpochDay();
        start = EventCodec.micros(d.atStartOfDay(zone).toInstant());
        end = EventCodec.micros(d.plusDays(1).atStartOfDay(zone).toInstant());
      }
      return day;
    }
  }

  /** One rollup counter of a batch: school-local day, kind and domain. */
  private record RollupKey(int day, byte kind, String domain) {
  }

  /**
   * Opens (creating if needed) the store in {@code dir}. A store that is corrupted, unreadable or written by
   * a newer Bellwatch is refused with a message that says what to do; it is never repaired or overwritten.
   *
   * @param zone the school's time zone: rollups count per school-local day
   */
  public static EventStore open(Path dir, ZoneId zone, boolean syncWrites) throws StoreException {
    RocksDB.loadLibrary();
    // Refuse a damaged or newer store before anything below changes it, its files' modes included.
    StoreCheck.beforeOpen(dir);
    try {
      PrivateFolder.prepare(dir);
    } catch (IOException e) {
      throw new StoreException("store directory " + dir + " cannot be created: " + e.getMessage(), e);
    }
    if (!Files.isWritable(dir) || !Files.isReadable(dir)) {
      throw new StoreException("store directory " + dir + " is not readable and writable by this user", null);
    }
    // Ingest tuning (docs/benchmarks.md, "Store and reports"): pipelined writes let the WAL append of one
    // batch overlap the memtable insert of the previous one; two background jobs match the small machines
    // Bellwatch runs on. SSTs are LZ4-compressed (ZSTD at the bottom level, where most data settles): the
    // evidence lines are repetitive text. Existing stores open unchanged (options are not part of the data).
    // No fallocate: RocksDB preallocates each log and table file to about its target size (tens of MB), and
    // on a nearly full ext4 a failed fallocate keeps what it took, so a one-account WAL replay at open
    // could not write its small table file even after the SpaceReserve was freed; a full disk was also
    // noticed only once the preallocated log was used up.
    // Memory: one LRU cache holds the data blocks of every family and is charged with their memtables
    // (WriteBufferManager), so RocksDB's native memory stays near NATIVE_CACHE_BYTES whatever the number of
    // families. A 30-minute soak at ten times a school's peak took the agent's RSS past 800 MB without this
    // bound. Its size is set by the footprint goal (RSS at most 256 MB at one school's peak, issue 17;
    // docs/benchmarks.md, "Footprint"): 160 MB of cache with 128 MB of memtables (64 MB for events) was
    // most of the agent's RSS on its own, and 64 MB with 32 MB still left the agent at 300 MB. 32 MB with
    // 16 MB of memtables (8 MB for events: flushed more often, into smaller level-0 files) keeps the
    // ingest rate within its goal (measured in docs/benchmarks.md). Reports read mostly the in-heap index.
    LRUCache cache = new LRUCache(NATIVE_CACHE_BYTES);
    WriteBufferManager memtables = new WriteBufferManager(MEMTABLE_BYTES, cache);
    DBOptions dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
        .setParanoidChecks(true).setEnablePipelinedWrite(true).setMaxBackgroundJobs(2)
        .setBytesPerSync(1 << 20).setAllowFAllocate(false).setWriteBufferManager(memtables)
        .setMaxTotalWalSize(MAX_WAL_BYTES);
    UInt64AddOperator add = new UInt64AddOperator();
    BloomFilter bloom = new BloomFilter(10, false);
    List<RocksObject> natives = List.of(add, bloom, memtables, cache);
    ColumnFamilyOptions plain = new ColumnFamilyOptions()
        .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache));
    // Events: a whole-key bloom filter per SST, so that the duplicate check of append() answers "absent"
    // for new keys without reading data blocks.
    ColumnFamilyOptions eventOptions = new ColumnFamilyOptions()
        .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(bloom).setBlockSize(16 * 1024)
            .setBlockCache(cache))
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
        .setWriteBufferSize(8L << 20).setMaxWriteBufferNumber(4)
        .setTargetFileSizeBase(64L << 20).setMaxBytesForLevelBase(256L << 20);
    ColumnFamilyOptions counters = new ColumnFamilyOptions().setMergeOperator(add)
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache));
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>(List.of(
        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, plain),
        new ColumnFamilyDescriptor(EVENTS.getBytes(StandardCharsets.UTF_8), eventOptions),
        new ColumnFamilyDescriptor(ROLLUPS.getBytes(StandardCharsets.UTF_8), counters),
        new ColumnFamilyDescriptor(OFFSETS.getBytes(StandardCharsets.UTF_8), plain)));
    // Added after schema 1 shipped: setCreateMissingColumnFamilies creates them in an older store.
    CONSOLE_FAMILIES.forEach(n -> descriptors.add(new ColumnFamilyDescriptor(n.getBytes(StandardCharsets.UTF_8), plain)));
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
    EventStore store = new EventStore(dir, zone, db, dbOptions, List.of(plain, eventOptions, counters), handles,
        new WriteOptions().setSync(syncWrites), natives);
    try {
      store.checkSchema();
      store.readLastKey();
      store.outboxNext = Outbox.nextSequence(db, store.outbox, store.offsets);
    } catch (RocksDBException e) {
      store.close();
      throw new StoreException("store " + dir + ": cannot read its outbox: " + e.getMessage(), e);
    } catch (StoreException e) {
      store.close();
      throw e;
    }
    SpaceReserve.ensure(dir);
    return store;
  }

  /** Opens the database; on a full disk, frees the {@link SpaceReserve} and tries once more. */
  private static RocksDB openReleasingReserve(DBOptions options, Path dir, List<ColumnFamilyDescriptor> descriptors,
      List<ColumnFamilyHandle> handles) throws RocksDBException {
    try {
      return RocksDB.open(options, dir.toString(), descriptors, handles);
    } catch (RocksDBException e) {
      boolean noSpace = e.getStatus() != null && e.getStatus().getSubCode() == Status.SubCode.NoSpace
          || String.valueOf(e.getMessage()).contains("No space left on device");
      if (!noSpace || !SpaceReserve.release(dir)) {
        throw e;
      }
      handles.clear();
      return RocksDB.open(options, dir.toString(), descriptors, handles);
    }
  }

  /** The store's folder. */
  public Path dir() {
    return dir;
  }

  private static String openFailure(Path dir, RocksDBException e) {
    Status.Code code = e.getStatus() == null ? null : e.getStatus().getCode();
    if (code == Status.Code.Corruption) {
      return "store " + dir + " is damaged (" + e.getMessage() + "); Bellwatch will not repair or overwrite it. "
          + StoreCheck.ADVICE;
    }
    if (code == Status.Code.IOError && String.valueOf(e.getMessage()).contains("lock")) {
      return "store " + dir + " cannot be opened: another Bellwatch process holds it (" + e.getMessage() + ")";
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
        db.put(meta, writeOptions, StoreCheck.SCHEMA_KEY, ByteBuffer.allocate(4).putInt(SCHEMA_VERSION).array());
      }
    } catch (RocksDBException e) {
      throw new StoreException("store " + dir + ": cannot read its schema version: " + e.getMessage(), e);
    }
  }

  /** Writes the events in one atomic batch; returns those that were not stored before. */
  public List<BlockEvent> append(List<BlockEvent> batch) throws StoreException {
    return append(batch, Map.of());
  }

  /**
   * Writes events and the source offsets they came from in one atomic batch: after a crash either both
   * are stored or neither. Events already stored (same key) are not written or counted again.
   *
   * @return the events of the batch that were not stored before, in batch order
   */
  public List<BlockEvent> append(List<BlockEvent> batch, Map<String, Long> sourceOffsets) throws StoreException {
    return append(batch, sourceOffsets, List.of());
  }

  /**
   * Writes events, the source offsets they came from and the lease records that changed since the last
   * batch in one atomic batch: after a crash the lease history is as complete as the events and offsets
   * (a DHCP server log line counts as read only once its lease is stored). Lease records are written in
   * order, so a record changed twice keeps its last value.
   *
   * @return the events of the batch that were not stored before, in batch order
   */
  public List<BlockEvent> append(List<BlockEvent> batch, Map<String, Long> sourceOffsets,
      List<Lease> leaseChanges) throws StoreException {
    List<BlockAttempt> attempts = new ArrayList<>(batch.size());
    for (BlockEvent e : batch) {
      attempts.add(new BlockAttempt(e, null));
    }
    return write(attempts, List.of(), sourceOffsets, leaseChanges).added();
  }

  /** A stored event replaced by its attempt attributed again with late evidence (docs/design.md). */
  public record Replacement(BlockEvent before, BlockAttempt after) {
  }

  /**
   * What a write changed, for the report index: events that left the store (replaced) and events now in it
   * (new or replacing), and how many of the added are new attempts.
   */
  public record Written(List<BlockEvent> removed, List<BlockEvent> added, int newAttempts) {
  }

  /**
   * Writes new attempts, replacements of stored events, source offsets and lease records in one atomic
   * batch, with the daily rollups adjusted in the same batch. A new attempt whose key is stored already
   * (input read again) is not written or counted again. A replacement removes what is stored under the
   * old key and under the new one (counting each down) and writes the new event (counting it up), so an
   * attempt counts once however often late evidence joins it and whether or not its key moves; a
   * replacement written twice changes nothing the second time.
   */
  public synchronized Written write(List<BlockAttempt> batch, List<Replacement> replacements,
      Map<String, Long> sourceOffsets, List<Lease> leaseChanges) throws StoreException {
    if (batch.isEmpty() && replacements.isEmpty() && sourceOffsets.isEmpty() && leaseChanges.isEmpty()) {
      return new Written(List.of(), List.of(), 0);
    }
    List<BlockEvent> written = new ArrayList<>(batch.size());
    int n = batch.size();
    long[] micros = new long[n];
    long[] suffix = new long[n];
    List<byte[]> lookup = new ArrayList<>();
    List<Integer> lookupRows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      BlockEvent e = batch.get(i).event();
      micros[i] = EventCodec.micros(e.time());
      suffix[i] = EventCodec.suffix(e);
      if (!afterLast(micros[i], suffix[i])) {
        lookup.add(EventCodec.key(micros[i], suffix[i]));
        lookupRows.add(i);
      }
    }
    try (WriteBatch wb = new WriteBatch()) {
      boolean[] stored = new boolean[n];
      if (!lookup.isEmpty()) {
        List<byte[]> existing = db.multiGetAsList(java.util.Collections.nCopies(lookup.size(), events), lookup);
        for (int j = 0; j < existing.size(); j++) {
          stored[lookupRows.get(j)] = existing.get(j) != null;
        }
      }
      java.util.Set<EventRef> seen = new java.util.HashSet<>();
      // Counters of the batch summed per key: one merge operand per day, kind and domain, not per event.
      Map<RollupKey, long[]> counts = new java.util.HashMap<>();
      LastKey last = new LastKey();
      Map<EventRef, BlockAttempt> inserted = replacements.isEmpty() ? Map.of() : new java.util.HashMap<>();
      long outboxSeq = outboxNext;
      for (int i = 0; i < n; i++) {
        EventRef ref = new EventRef(micros[i], suffix[i]);
        if (stored[i] || !seen.add(ref)) {
          continue;
        }
        BlockAttempt a = batch.get(i);
        BlockEvent e = a.event();
        written.add(e);
        EventCodec.key(micros[i], suffix[i], keyBuf);
        valueBuf = codec.value(e, micros[i], a.evidence(), valueBuf);
        wb.put(events, keyBuf, valueBuf);
        if (outboxOn) {
          wb.put(outbox, Outbox.key(outboxSeq++), Outbox.value(ref, null));
        }
        count(counts, micros[i], e, 1);
        last.offer(micros[i], suffix[i]);
        if (!replacements.isEmpty()) {
          inserted.put(ref, a);
        }
      }
      List<BlockEvent> removed = new ArrayList<>();
      List<BlockEvent> added = new ArrayList<>(written);
      // Replacements, one after the other over what the store and the batch hold (a later one may touch a
      // key an earlier one wrote): null in the overlay is a key this batch deletes.
      Map<EventRef, byte[]> overlay = new java.util.HashMap<>();
      for (Replacement r : replacements) {
        EventRef from = EventRef.of(r.before());
        EventRef to = EventRef.of(r.after().event());
        for (EventRef ref : from.equals(to) ? List.of(to) : List.of(from, to)) {
          byte[] old = current(ref, overlay, inserted);
          if (old != null) {
            BlockEvent gone = codec.decode(old);
            count(counts, ref.micros(), gone, -1);
            removed.add(gone);
            wb.delete(events, EventCodec.key(ref.micros(), ref.suffix()));
            overlay.put(ref, null);
          }
        }
        byte[] value = codec.value(r.after());
        wb.put(events, EventCodec.key(to.micros(), to.suffix()), value);
        overlay.put(to, value);
        if (outboxOn) {
          wb.put(outbox, Outbox.key(outboxSeq++), Outbox.value(to, from.equals(to) ? null : from));
        }
        count(counts, to.micros(), r.after().event(), 1);
        added.add(r.after().event());
        last.offer(to.micros(), to.suffix());
      }
      for (Map.Entry<RollupKey, long[]> c : counts.entrySet()) {
        if (c.getValue()[0] != 0) {
          RollupKey k = c.getKey();
          // uint64add wraps: adding the two's complement of a count takes it away.
          wb.merge(rollups, rollupKey((int) k.day(), k.kind(), k.domain()), operand(c.getValue()[0]));
        }
      }
      for (Map.Entry<String, Long> o : sourceOffsets.entrySet()) {
        wb.put(offsets, o.getKey().getBytes(StandardCharsets.UTF_8), ByteBuffer.allocate(8).putLong(o.getValue()).array());
      }
      for (Lease l : leaseChanges) {
        wb.put(leases, LeaseRecords.key(l), LeaseRecords.value(l));
      }
      db.write(writeOptions, wb);
      outboxNext = outboxSeq;
      if (last.any) {
        lastMicros = last.micros;
        lastSuffix = last.suffix;
        empty = false;
      }
      return new Written(removed, added, written.size());
    } catch (RocksDBException | IOException e) {
      throw new StoreException("store " + dir + ": write failed: " + e.getMessage(), e);
    }
  }

  /** The value stored under {@code ref} as this batch leaves it so far. */
  private byte[] current(EventRef ref, Map<EventRef, byte[]> overlay, Map<EventRef, BlockAttempt> inserted)
      throws RocksDBException {
    if (overlay.containsKey(ref)) {
      return overlay.get(ref);
    }
    BlockAttempt a = inserted.get(ref);
    return a != null ? codec.value(a) : db.get(events, EventCodec.key(ref.micros(), ref.suffix()));
  }

  /** The greatest key a write adds, compared as RocksDB compares key bytes (see {@link #lastMicros}). */
  private final class LastKey {
    long micros = lastMicros;
    long suffix = lastSuffix;
    boolean any;

    void offer(long m, long s) {
      if (empty && !any || Long.compareUnsigned(m, micros) > 0 || m == micros && Long.compareUnsigned(s, suffix) > 0) {
        micros = m;
        suffix = s;
      }
      any = true;
    }
  }

  /** Adds {@code sign} to the event's attempts (and instructional) counter of its school-local day and domain. */
  private void count(Map<RollupKey, long[]> counts, long micros, BlockEvent e, int sign) {
    int day = dayOf.of(micros);
    counts.computeIfAbsent(new RollupKey(day, ROLLUP_ATTEMPTS, e.domain()), k -> new long[1])[0] += sign;
    if (e.instructional()) {
      counts.computeIfAbsent(new RollupKey(day, ROLLUP_INSTRUCTIONAL, e.domain()), k -> new long[1])[0] += sign;
    }
  }

  /**
   * The stored attempts of {@code domain} whose time lies in [{@code from}, {@code to}], with their
   * evidence records (null for events stored before records were kept).
   */
  public List<BlockAttempt> attemptsNear(String domain, Instant from, Instant to) throws StoreException {
    List<BlockAttempt> out = new ArrayList<>();
    try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(events, ro)) {
      long toMicros = EventCodec.micros(to);
      for (it.seek(EventCodec.key(EventCodec.micros(from), 0)); it.isValid(); it.next()) {
        if (EventCodec.timeOf(it.key()) > toMicros) {
          break;
        }
        BlockAttempt a = codec.decodeAttempt(it.value());
        if (domain.equals(a.event().domain())) {
          out.add(a);
        }
      }
      it.status();
    } catch (RocksDBException | IOException e) {
      throw new StoreException("store " + dir + ": read failed: " + e.getMessage(), e);
    }
    return out;
  }

  /** The time of the newest stored event key, or {@link Instant#MIN} for an empty store. */
  /**
   * Makes every write so far durable (the WAL synced), whatever {@code store.sync_writes} says: before
   * the intake journal deletes records the store now holds.
   */
  public void syncWal() throws StoreException {
    try {
      db.syncWal();
    } catch (RocksDBException e) {
      throw new StoreException("cannot sync the store's write-ahead log: " + e.getMessage(), e);
    }
  }

  public synchronized Instant newestEventTime() {
    return empty ? Instant.MIN
        : Instant.ofEpochSecond(Math.floorDiv(lastMicros, 1_000_000L), Math.floorMod(lastMicros, 1_000_000L) * 1000L);
  }

  /**
   * From now on, every stored or replaced event is also written to the outbox, in store order, until the
   * store is closed. An exporter calls this before the pipeline starts writing.
   */
  public synchronized void recordOutbox() {
    outboxOn = true;
  }

  /** The outbox, read and trimmed by one exporter ({@link Outbox}). */
  public Outbox outbox() {
    return new Outbox(this, db, outbox, offsets, writeOptions);
  }

  /** The sequence number the next outbox entry will get: one past the last written. */
  synchronized long outboxNext() {
    return outboxNext;
  }

  /** Console accounts (username to account). */
  public Accounts accounts() {
    return new Accounts(accounts);
  }

  /** Console sessions, keyed by the hash of their id. */
  public Sessions sessions() {
    return new Sessions(sessions);
  }

  /** Review requests and decisions per domain; each change is written with its audit entry. */
  public Reviews reviews() {
    return new Reviews(reviews, audit);
  }

  /** The audit log: logins, failures, logouts, account changes, review decisions. */
  public AuditLog auditLog() {
    return new AuditLog(audit);
  }

  /** Keys the agent generates once and keeps (the pseudonym key). */
  public Secrets secrets() {
    return new Secrets(secrets);
  }

  /** The stored offset of a file source, if any. */
  public OptionalLong offset(String source) throws StoreException {
    try {
      byte[] v = db.get(offsets, source.getBytes(StandardCharsets.UTF_8));
      return v == null || v.length != 8 ? OptionalLong.empty() : OptionalLong.of(ByteBuffer.wrap(v).getLong());
    } catch (RocksDBException e) {
      throw new StoreException("store " + dir + ": read failed: " + e.getMessage(), e);
    }
  }

  /** Every stored offset whose source starts with {@code prefix}, by source. */
  public Map<String, Long> offsets(String prefix) throws StoreException {
    Map<String, Long> out = new TreeMap<>();
    byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
    try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(offsets, ro)) {
      for (it.seek(p); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (k.length < p.length || !Arrays.equals(k, 0, p.length, p, 0, p.length)) {
          break;
        }
        byte[] v = it.value();
        if (v.length == 8) {
          out.put(new String(k, StandardCharsets.UTF_8), ByteBuffer.wrap(v).getLong());
        }
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StoreException("store " + dir + ": read failed: " + e.getMessage(), e);
    }
    return out;
  }

  /** Events matching {@code q}, newest first. */
  public List<BlockEvent> query(BlockQuery q) throws StoreException {
    List<BlockEvent> out = new ArrayList<>();
    try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(events, ro)) {
      if (q.to() == null) {
        it.seekToLast();
      } else {
        it.seekForPrev(EventCodec.key(EventCodec.micros(q.to()) - 1, -1L));
      }
      long fromMicros = q.from() == null ? Long.MIN_VALUE : EventCodec.micros(q.from());
      for (; it.isValid() && out.size() < q.limit(); it.prev()) {
        if (EventCodec.timeOf(it.key()) < fromMicros) {
          break;
        }
        BlockEvent e = codec.decode(it.value());
        if (q.instructional() == null || q.instructional() == e.instructional()) {
          out.add(e);
        }
      }
      it.status();
    } catch (RocksDBException | IOException e) {
      throw new StoreException("store " + dir + ": read failed: " + e.getMessage(), e);
    }
    return out;
  }

  /** The address of an event in the store: its time in microseconds and its key suffix. */
  public record EventRef(long micros, long suffix) {
    public static EventRef of(BlockEvent e) {
      return new EventRef(EventCodec.micros(e.time()), EventCodec.suffix(e));
    }
  }

  /** The stored events at these addresses, in the same order, null where none is stored. */
  List<BlockEvent> getEach(List<EventRef> refs) throws StoreException {
    List<BlockEvent> out = new ArrayList<>(refs.size());
    if (refs.isEmpty()) {
      return out;
    }
    List<byte[]> keys = refs.stream().map(r -> EventCodec.key(r.micros(), r.suffix())).toList();
    try {
      for (byte[] v : db.multiGetAsList(java.util.Collections.nCopies(keys.size(), events), keys)) {
        out.add(v == null ? null : codec.decode(v));
      }
    } catch (RocksDBException | IOException e) {
      throw new StoreException("store " + dir + ": read failed: " + e.getMessage(), e);
    }
    return out;
  }

  /** The stored events at these addresses, in the same order (missing ones are skipped). */
  public List<BlockEvent> get(List<EventRef> refs) throws StoreException {
    if (refs.isEmpty()) {
      return List.of();
    }
    List<ColumnFamilyHandle> cfs = new ArrayList<>(refs.size());
    List<byte[]> keys = new ArrayList<>(refs.size());
    for (EventRef r : refs) {
      cfs.add(events);
      keys.add(EventCodec.key(r.micros(), r.suffix()));
    }
    try {
      List<BlockEvent> out = new ArrayList<>(refs.size());
      for (byte[] v : db.multiGetAsList(cfs, keys)) {
        if (v != null) {
          out.add(codec.decode(v));
        }
      }
      return out;
    } catch (RocksDBException | IOException e) {
      throw new StoreException("store " + dir + ": read failed: " + e.getMessage(), e);
    }
  }

  /** Every event in [{@code from}, {@code to}) oldest first (null bounds are open). */
  public void forEach(Instant from, Instant to, Consumer<BlockEvent> consumer) throws StoreException {
    forEach(from, to, true, consumer);
  }

  /**
   * Every event in [{@code from}, {@code to}) oldest first, with or without its evidence lines (the bulk of
   * a value: loading the report index at start skips them).
   */
  public void forEach(Instant from, Instant to, boolean withEvidence, Consumer<BlockEvent> consumer)
      throws StoreException {
    try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(events, ro)) {
      if (from == null) {
        it.seekToFirst();
      } else {
        it.seek(EventCodec.key(EventCodec.micros(from), 0));
      }
      long toMicros = to == null ? Long.MAX_VALUE : EventCodec.micros(to);
      for (; it.isValid(); it.next()) {
        if (EventCodec.timeOf(it.key()) >= toMicros) {
          break;
        }
        consumer.accept(codec.decode(it.value(), withEvidence));
      }
      it.status();
    } catch (RocksDBException | IOException e) {
      throw new StoreException("store " + dir + ": read failed: " + e.getMessage(), e);
    }
  }

  /**
   * The fields of one stored event as they lie in its encoded value, for bulk readers (the report index at
   * start) that intern the text fields without building a {@link BlockEvent} and its strings. Valid only
   * during the callback; the buffer is reused for the next event.
   */
  public static final class RawEvent {
    /** Text fields, in the order of the value's encoding (see {@link EventCodec}). */
    public static final int CLIENT_IP = 0;
    public static final int MAC = 1;
    public static final int USER = 3;
    public static final int DOMAIN = 4;
    public static final int CATEGORY = 6;
    public static final int METHOD = 8;
    public static final int ROOM = 9;
    public static final int SECTION = 10;
    public static final int COURSE = 11;
    public static final int TEACHER = 12;
    public static final int PERIOD = 13;

    byte[] bytes = new byte[0];
    final int[] offset = new int[EventCodec.TEXT_FIELDS];
    final int[] length = new int[EventCodec.TEXT_FIELDS];
    long micros;
    long suffix;
    boolean instructional;
    boolean whileTeaching;

    public long micros() {
      return micros;
    }

    /** The key's second half ({@link EventRef#suffix()}). */
    public long suffix() {
      return suffix;
    }

    public boolean instructional() {
      return instructional;
    }

    public boolean whileTeaching() {
      return whileTeaching;
    }

    /** The buffer holding the text fields' UTF-8 bytes. */
    public byte[] bytes() {
      return bytes;
    }

    public int offset(int field) {
      return offset[field];
    }

    /** The UTF-8 length of a text field, or -1 when it is null. */
    public int length(int field) {
      return length[field];
    }
  }

  /** Every stored event oldest first, as {@link RawEvent}s (evidence is skipped, not decoded). */
  public void forEachRaw(Consumer<RawEvent> consumer) throws StoreException {
    RawEvent raw = new RawEvent();
    java.nio.ByteBuffer keyBuf = java.nio.ByteBuffer.allocateDirect(EventCodec.KEY_BYTES);
    java.nio.ByteBuffer valueBuf = java.nio.ByteBuffer.allocateDirect(4096);
    try (ReadOptions ro = new ReadOptions().setReadaheadSize(4 << 20).setFillCache(false);
        RocksIterator it = db.newIterator(events, ro)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        keyBuf.clear();
        int klen = it.key(keyBuf);
        if (klen < EventCodec.KEY_BYTES) {
          throw new IOException("event key of " + klen + " bytes");
        }
        raw.suffix = keyBuf.getLong(8);
        valueBuf.clear();
        int vlen = it.value(valueBuf);
        if (vlen > valueBuf.capacity()) {
          valueBuf = java.nio.ByteBuffer.allocateDirect(Math.max(vlen, valueBuf.capacity() * 2));
          it.value(valueBuf);
        }
        if (raw.bytes.length < vlen) {
          raw.bytes = new byte[Math.max(vlen, 2 * raw.bytes.length)];
        }
        valueBuf.get(raw.bytes, 0, vlen);
        if (vlen > 0 && raw.bytes[0] != EventCodec.VALUE_V2 && raw.bytes[0] != EventCodec.VALUE_V3
            && raw.bytes[0] != EventCodec.VALUE_V4) {
          // An older encoding: decode it whole, then read the fields from its newest encoding.
          byte[] v2 = codec.value(codec.decode(Arrays.copyOf(raw.bytes, vlen), false));
          raw.bytes = v2.length > raw.bytes.length ? v2 : raw.bytes;
          System.arraycopy(v2, 0, raw.bytes, 0, v2.length);
          vlen = v2.length;
        }
        EventCodec.fields(raw.bytes, vlen, raw);
        consumer.accept(raw);
      }
      it.status();
    } catch (RocksDBException | IOException e) {
      throw new StoreException("store " + dir + ": read failed: " + e.getMessage(), e);
    }
  }

  /** Daily counters per domain for school-local days in [{@code from}, {@code to}], by day then domain. */
  public List<DailyCount> dailyCounts(LocalDate from, LocalDate to) throws StoreException {
    Map<String, long[]> counts = new TreeMap<>();
    try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(rollups, ro)) {
      byte[] end = rollupKey(to.plusDays(1), (byte) 0, "");
      for (it.seek(rollupKey(from, (byte) 0, "")); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (Arrays.compareUnsigned(k, end) >= 0) {
          break;
        }
        ByteBuffer b = ByteBuffer.wrap(k);
        LocalDate day = LocalDate.ofEpochDay(b.getInt());
        byte kind = b.get();
        String domain = new String(k, 5, k.length - 5, StandardCharsets.UTF_8);
        long[] c = counts.computeIfAbsent(day + "\u0000" + domain, x -> new long[2]);
        long v = ByteBuffer.wrap(it.value()).order(ByteOrder.LITTLE_ENDIAN).getLong();
        c[kind == ROLLUP_INSTRUCTIONAL ? 1 : 0] += v;
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StoreException("store " + dir + ": read failed: " + e.getMessage(), e);
    }
    List<DailyCount> out = new ArrayList<>();
    counts.forEach((k, c) -> {
      int sep = k.indexOf('\u0000');
      out.add(new DailyCount(LocalDate.parse(k.substring(0, sep)), k.substring(sep + 1), c[0], c[1]));
    });
    return out;
  }

  /** Deletes every event before {@code cutoff} as one range, then compacts that range away. */
  public void deleteEventsBefore(Instant cutoff) throws StoreException {
    // Keys compare as unsigned bytes: all zeros is the smallest key, suffix 0 the first key of an instant.
    deleteRange(events, EventCodec.key(0, 0), EventCodec.key(EventCodec.micros(cutoff), 0));
  }

  /**
   * Calls {@code consumer} with every stored lease record that ends after {@code after}, in start order
   * (records of one address in their time order): the history the pipeline starts with.
   */
  public void forEachLease(Instant after, Consumer<Lease> consumer) throws StoreException {
    try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(leases, ro)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        Lease l = LeaseRecords.read(it.key(), it.value());
        if (l.end().isAfter(after)) {
          consumer.accept(l);
        }
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StoreException("store " + dir + ": cannot read the lease history: " + e.getMessage(), e);
    }
  }

  /**
   * Deletes lease records that started before {@code cutoff}. Records cover at most a day or so
   * ({@link org.bellwatch.agent.identity.LeaseTable#RECORD_SPAN} plus the lease time), so a cutoff of the
   * event retention never removes the record of a device that is still on the network.
   */
  public void deleteLeasesBefore(Instant cutoff) throws StoreException {
    deleteRange(leases, LeaseRecords.firstKeyAt(Instant.EPOCH), LeaseRecords.firstKeyAt(cutoff));
  }

  /** Deletes every daily rollup before the school-local day {@code cutoff}. */
  public void deleteRollupsBefore(LocalDate cutoff) throws StoreException {
    deleteRange(rollups, rollupKey(LocalDate.ofEpochDay(0), (byte) 0, ""), rollupKey(cutoff, (byte) 0, ""));
  }

  private void deleteRange(ColumnFamilyHandle cf, byte[] from, byte[] to) throws StoreException {
    try (CompactRangeOptions opts = new CompactRangeOptions()) {
      db.deleteRange(cf, writeOptions, from, to);
      db.compactRange(cf, from, to, opts);
    } catch (RocksDBException e) {
      throw new StoreException("store " + dir + ": delete failed: " + e.getMessage(), e);
    }
  }

  /**
   * Bytes of live SST files and of the memtables, whose contents are what the write-ahead logs hold on disk
   * (the logs are bounded by {@link #MAX_WAL_BYTES}): what a disk budget is measured against.
   */
  public long diskBytes() {
    long total = 0;
    for (ColumnFamilyHandle cf : handles) {
      try {
        total += db.getLongProperty(cf, "rocksdb.live-sst-files-size");
        total += db.getLongProperty(cf, "rocksdb.cur-size-all-mem-tables");
      } catch (RocksDBException e) {
        // A property RocksDB cannot report counts as zero; the next pass measures again.
      }
    }
    return total;
  }

  /** The time of the oldest stored event, or null when there is none. */
  public Instant oldestEventTime() throws StoreException {
    try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(events, ro)) {
      it.seekToFirst();
      if (!it.isValid()) {
        it.status();
        return null;
      }
      long micros = EventCodec.timeOf(it.key());
      return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    } catch (RocksDBException e) {
      throw new StoreException("store " + dir + ": read failed: " + e.getMessage(), e);
    }
  }

  /** A consistent copy of the whole store in {@code target} (which must not exist), while running. */
  public void checkpoint(Path target) throws StoreException {
    try (Checkpoint cp = Checkpoint.create(db)) {
      cp.createCheckpoint(target.toString());
    } catch (RocksDBException e) {
      throw new StoreException("backup to " + target + " failed: " + e.getMessage(), e);
    }
  }

  /** A RocksDB integer property of the events family, such as {@code rocksdb.estimate-num-keys}; -1 if unknown. */
  public long eventsProperty(String name) {
    try {
      return db.getLongProperty(events, name);
    } catch (RocksDBException e) {
      return -1;
    }
  }

  private static byte[] rollupKey(LocalDate day, byte kind, String domain) {
    return rollupKey((int) day.toEpochDay(), kind, domain);
  }

  private static byte[] rollupKey(int epochDay, byte kind, String domain) {
    byte[] d = domain.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(5 + d.length).putInt(epochDay).put(kind).put(d).array();
  }

  /** A uint64add operand: a fixed64 little-endian integer, as RocksDB's operator reads it. */
  private static byte[] operand(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
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
