package org.bellwatch.agent.store;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.bellwatch.agent.correlate.BlockAttempt;
import org.bellwatch.agent.event.BlockEvent;
import org.bellwatch.agent.event.Lease;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * Bellwatch's RocksDB store, opened here: block events and their daily rollups (this class: writes
 * in {@link EventWriter}, reads in {@link EventReads}, counters in {@link Rollups}), with what the
 * other families keep handed out behind their own small interfaces, over the same database ({@link
 * RocksFamilies}: the families and why each exists): {@link #sources()} the offsets and lease
 * history the pipeline resumes from, {@link #console()} the console's accounts, sessions, reviews,
 * audit log and secrets, {@link #outbox()} the export outbox.
 *
 * <p>Writes are one WriteBatch per pipeline batch with the WAL on ({@link #write}): events, their
 * rollups, the offsets and lease records they came with, and outbox entries together, so a crash
 * leaves all or none. Retention deletes whole time ranges (DeleteRange, then compaction of that
 * range), never row by row.
 */
public final class EventStore implements AutoCloseable {
  private final RocksFamilies families;
  private final Path dir;
  private final RocksDB db;
  private final WriteOptions writeOptions;
  private final ColumnFamilyHandle events;
  private final ColumnFamilyHandle outboxFamily;
  private final Rollups rollups;
  private final StoredSourceState sources;
  private final ConsoleRecords console;
  private final EventWriter writer;
  private final EventReads reads;
  private final EventCodec codec = new EventCodec();

  /** Daily counts of one domain: all attempts and those during instruction. */
  public record DailyCount(LocalDate day, String domain, long attempts, long instructional) {}

  private EventStore(RocksFamilies families, ZoneId zone) {
    this.families = families;
    this.dir = families.dir;
    this.db = families.db;
    this.writeOptions = families.writeOptions;
    this.events = families.events;
    this.outboxFamily = families.outbox;
    this.rollups = new Rollups(families, zone);
    this.sources = new StoredSourceState(families);
    this.console = new ConsoleRecords(families);
    this.writer = new EventWriter(families, rollups, sources);
    this.reads = new EventReads(families);
  }

  /**
   * Opens (creating if needed) the store in {@code dir}. A store that is corrupted, unreadable or
   * written by a newer Bellwatch is refused with a message that says what to do; it is never
   * repaired or overwritten.
   *
   * @param zone the school's time zone: rollups count per school-local day
   */
  public static EventStore open(Path dir, ZoneId zone, boolean syncWrites) throws StoreException {
    RocksFamilies families = RocksFamilies.open(dir, syncWrites);
    EventStore store = new EventStore(families, zone);
    try {
      store.writer.readLastKey();
      store.writer.outboxNext = Outbox.nextSequence(families.db, families.outbox, families.offsets);
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

  /** The store's folder. */
  public Path dir() {
    return dir;
  }

  /** The offsets and lease history the pipeline resumes from. */
  public SourceState sources() {
    return sources;
  }

  /** The console's accounts, sessions, reviews, audit log and secrets. */
  public ConsoleRecords console() {
    return console;
  }

  /** Writes the events in one atomic batch; returns those that were not stored before. */
  public List<BlockEvent> append(List<BlockEvent> batch) throws StoreException {
    return append(batch, Map.of());
  }

  /**
   * Writes events and the source offsets they came from in one atomic batch: after a crash either
   * both are stored or neither. Events already stored (same key) are not written or counted again.
   *
   * @return the events of the batch that were not stored before, in batch order
   */
  public List<BlockEvent> append(List<BlockEvent> batch, Map<String, Long> sourceOffsets)
      throws StoreException {
    return append(batch, sourceOffsets, List.of());
  }

  /**
   * Writes events, the source offsets they came from and the lease records that changed since the
   * last batch in one atomic batch: after a crash the lease history is as complete as the events
   * and offsets (a DHCP server log line counts as read only once its lease is stored). Lease
   * records are written in order, so a record changed twice keeps its last value.
   *
   * @return the events of the batch that were not stored before, in batch order
   */
  public List<BlockEvent> append(
      List<BlockEvent> batch, Map<String, Long> sourceOffsets, List<Lease> leaseChanges)
      throws StoreException {
    List<BlockAttempt> attempts = new ArrayList<>(batch.size());
    for (BlockEvent e : batch) {
      attempts.add(new BlockAttempt(e, null));
    }
    return write(attempts, List.of(), sourceOffsets, leaseChanges).added();
  }

  /**
   * A stored event replaced by its attempt attributed again with late evidence (docs/design.md).
   */
  public record Replacement(BlockEvent before, BlockAttempt after) {}

  /**
   * What a write changed, for the report index: events that left the store (replaced) and events
   * now in it (new or replacing), and how many of the added are new attempts.
   */
  public record Written(List<BlockEvent> removed, List<BlockEvent> added, int newAttempts) {}

  /**
   * The stored attempts of {@code domain} whose time lies in [{@code from}, {@code to}], with their
   * evidence records (null for events stored before records were kept).
   */
  public List<BlockAttempt> attemptsNear(String domain, Instant from, Instant to)
      throws StoreException {
    return reads.attemptsNear(domain, from, to);
  }

  /**
   * Makes every write so far durable (the WAL synced), whatever {@code store.sync_writes} says:
   * before the intake journal deletes records the store now holds.
   */
  public void syncWal() throws StoreException {
    families.syncWal();
  }

  /**
   * Writes new attempts, replacements of stored events, source offsets and lease records in one
   * atomic batch, with the daily rollups adjusted in the same batch ({@link EventWriter#write}:
   * what is written once and what is counted).
   */
  public Written write(
      List<BlockAttempt> batch,
      List<Replacement> replacements,
      Map<String, Long> sourceOffsets,
      List<Lease> leaseChanges)
      throws StoreException {
    return writer.write(batch, replacements, sourceOffsets, leaseChanges);
  }

  /** The time of the newest stored event key, or {@link Instant#MIN} for an empty store. */
  public Instant newestEventTime() {
    return writer.newestEventTime();
  }

  /**
   * From now on, every stored or replaced event is also written to the outbox, in store order,
   * until the store is closed. An exporter calls this before the pipeline starts writing.
   *
   * <p>The first time a store's export is enabled (no cursor, no entry, no backfill recorded), the
   * events it already holds are recorded as a backfill, up to the newest key: {@link
   * #backfillOutbox} queues them in store order, batch by batch, so the district receives the
   * site's history (what retention kept) once.
   */
  public void recordOutbox() throws StoreException {
    writer.recordOutbox();
  }

  /** Whether stored events from before the export remain to be put in the outbox. */
  boolean backfillPending() {
    return writer.backfillPending();
  }

  /**
   * Puts up to {@code max} more events stored before the export into the outbox; returns how many.
   */
  int backfillOutbox(int max) throws StoreException {
    return writer.backfillOutbox(max);
  }

  /** The sequence number the next outbox entry will get: one past the last written. */
  long outboxNext() {
    return writer.outboxNext();
  }

  /** The days whose rollups changed since the export last sent them, oldest first. */
  List<RollupMarks.Mark> rollupMarks(int max) throws StoreException {
    return writer.rollupMarks(max);
  }

  /** Clears the marks of the days sent, unless a write marked them again meanwhile. */
  void rollupsSent(List<RollupMarks.Mark> sent) throws StoreException {
    writer.rollupsSent(sent);
  }

  /** The school's time zone, whose calendar days the rollups count. */
  public ZoneId zone() {
    return rollups.zone();
  }

  /** The outbox, read and trimmed by one exporter ({@link Outbox}). */
  public Outbox outbox() {
    return new Outbox(this, db, outboxFamily, families.offsets, writeOptions);
  }

  /**
   * How far {@code reader} (such as {@code notify:email}) has read the reviews ({@link
   * ReviewProgress}).
   */
  public ReviewProgress reviewProgress(String reader) {
    return new ReviewProgress(offsetValues(), reader);
  }

  /** A value kept under {@code name} across restarts ({@link StoreMarker}). */
  public StoreMarker marker(String name) {
    return new StoreMarker(offsetValues(), name);
  }

  private KeyValues offsetValues() {
    return new KeyValues(db, families.offsets, writeOptions, dir + " (offsets)");
  }

  /** Events matching {@code q}, newest first. */
  public List<BlockEvent> query(BlockQuery q) throws StoreException {
    return reads.query(q);
  }

  /** The address of an event in the store: its time in microseconds and its key suffix. */
  public record EventRef(long micros, long suffix) {
    public static EventRef of(BlockEvent e) {
      return new EventRef(EventCodec.micros(e.time()), EventCodec.suffix(e));
    }
  }

  /** The stored events at these addresses, in the same order, null where none is stored. */
  List<BlockEvent> getEach(List<EventRef> refs) throws StoreException {
    return reads.getEach(refs);
  }

  /** The stored events at these addresses, in the same order (missing ones are skipped). */
  public List<BlockEvent> get(List<EventRef> refs) throws StoreException {
    return reads.get(refs);
  }

  /** Every event in [{@code from}, {@code to}) oldest first (null bounds are open). */
  public void forEach(Instant from, Instant to, Consumer<BlockEvent> consumer)
      throws StoreException {
    forEach(from, to, true, consumer);
  }

  /**
   * Every event in [{@code from}, {@code to}) oldest first, with or without its evidence lines (the
   * bulk of a value: loading the report index at start skips them).
   */
  public void forEach(Instant from, Instant to, boolean withEvidence, Consumer<BlockEvent> consumer)
      throws StoreException {
    reads.forEach(from, to, withEvidence, consumer);
  }

  /** Every stored event oldest first, as {@link RawEvent}s (evidence is skipped, not decoded). */
  public void forEachRaw(Consumer<RawEvent> consumer) throws StoreException {
    RawEvent.forEach(db, events, codec, dir, consumer);
  }

  /**
   * Daily counters per domain for school-local days in [{@code from}, {@code to}], by day then
   * domain.
   */
  public List<DailyCount> dailyCounts(LocalDate from, LocalDate to) throws StoreException {
    return rollups.dailyCounts(from, to);
  }

  /** Deletes every event before {@code cutoff} as one range, then compacts that range away. */
  public void deleteEventsBefore(Instant cutoff) throws StoreException {
    // Keys compare as unsigned bytes: all zeros is the smallest key, suffix 0 the first key of an
    // instant.
    families.deleteRange(
        events, EventCodec.key(0, 0), EventCodec.key(EventCodec.micros(cutoff), 0));
  }

  /** Deletes every daily rollup before the school-local day {@code cutoff}. */
  public void deleteRollupsBefore(LocalDate cutoff) throws StoreException {
    rollups.deleteBefore(cutoff);
  }

  /**
   * Bytes of live SST files and of the memtables of every family, whose contents are what the
   * write-ahead logs hold on disk: what a disk budget is measured against.
   */
  public long diskBytes() {
    return families.diskBytes();
  }

  /** The time of the oldest stored event, or null when there is none. */
  public Instant oldestEventTime() throws StoreException {
    return reads.oldestEventTime();
  }

  /**
   * A consistent copy of the whole store in {@code target} (which must not exist), while running.
   */
  public void checkpoint(Path target) throws StoreException {
    families.checkpoint(target);
  }

  /**
   * A RocksDB integer property of the events family, such as {@code rocksdb.estimate-num-keys}; -1
   * if unknown.
   */
  public long eventsProperty(String name) {
    try {
      return db.getLongProperty(events, name);
    } catch (RocksDBException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    families.close();
  }
}
