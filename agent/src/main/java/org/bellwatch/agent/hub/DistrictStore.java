package org.bellwatch.agent.hub;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.bellwatch.agent.store.StoreException;

/**
 * The hub's store: every school's block events, keyed by site id and event id, so a message read
 * twice (redelivery after a hub restart, a site that sent a batch again) lands on the same key; and
 * each school's name, last health and review requests, and the decisions the hub published.
 *
 * <p>One RocksDB instance ({@link DistrictFamilies}: the families and their keys) split by what it
 * keeps: the write path ({@link DistrictWriter}: a batch of messages is one WriteBatch, written
 * before the consumer commits its offsets, see {@link HubConsumer}), the reads of block events
 * ({@link DistrictBlocks}), the tallies and schools counted in memory ({@link DistrictCounts}), and
 * the schools, requests and decisions ({@link DistrictRecords}). This class opens them and is the
 * one face the hub uses. The writer also deletes old block events with their counts ({@link
 * DistrictRetention} decides which).
 */
public final class DistrictStore implements AutoCloseable {
  private final DistrictFamilies families;
  private final DistrictCounts counts;
  private final DistrictWriter writer;
  private final DistrictBlocks blocks;
  private final DistrictRecords records;

  /** Blocks by day and school ({@link DayTallies}): the figures over a range of days. */
  private final DayTallies days;

  private DistrictStore(DistrictFamilies families, ZoneId zone) {
    this.families = families;
    this.counts = new DistrictCounts(families);
    this.days =
        new DayTallies(families.db, families.days, families.names, families.writeOptions, zone);
    this.writer = new DistrictWriter(families, counts, days);
    this.blocks = new DistrictBlocks(families);
    this.records = new DistrictRecords(families);
  }

  /**
   * Opens (or creates) the hub's store.
   *
   * @param zone the district's time zone: the day tallies count days there (a store whose tallies
   *     were kept in another zone counts its events again, once)
   */
  public static DistrictStore open(Path dir, ZoneId zone) throws StoreException {
    DistrictStore store = new DistrictStore(DistrictFamilies.open(dir), zone);
    try {
      store.counts.load(store.records.schools().keySet(), store.blocks);
      if (!store.days.load()) {
        store.writer.countStoredDays();
      }
    } catch (StoreException e) {
      store.close();
      throw e;
    } catch (org.rocksdb.RocksDBException e) {
      store.close();
      throw new StoreException(
          "hub store " + dir + ": cannot read its day tallies: " + e.getMessage(), e);
    }
    return store;
  }

  /** One message's change to the store, built by {@link HubConsumer}. */
  public sealed interface Change {
    /** The site id of the school the change is of. */
    String site();

    /**
     * A block message: its event stored under its id, in place of the id it {@code replaces} (if
     * any), as read by {@link BlockMessage#read}.
     */
    record Block(BlockMessage message) implements Change {
      @Override
      public String site() {
        return message.site();
      }
    }

    record Health(String site, String siteName, JsonNode message) implements Change {}

    record Request(String site, String siteName, String key, JsonNode message) implements Change {}
  }

  /**
   * Writes the changes in one atomic batch, in order (a later change to a key wins), with the
   * tallies they change. A block stored already (a message read again) replaces itself and is
   * counted once.
   */
  public void apply(List<Change> changes) throws StoreException {
    writer.apply(writer.prepare(changes));
  }

  /**
   * The changes with what can be worked out from them alone (their keys, their counts), on the
   * caller's thread and without the store's lock, for {@link #apply(DistrictWriter.Batch)}.
   */
  DistrictWriter.Batch prepare(List<Change> changes) throws StoreException {
    return writer.prepare(changes);
  }

  /** As {@link #apply(List)}, of changes {@link #prepare}d. */
  void apply(DistrictWriter.Batch batch) throws StoreException {
    writer.apply(batch);
  }

  /**
   * Syncs the store's log (RocksDB's write-ahead log) to disk: every write that returned before is
   * then kept across a power cut, not only across the process's death. Writes go on meanwhile
   * (RocksDB's {@code SyncWAL} does not block them).
   */
  void syncLog() throws StoreException {
    try {
      families.db.syncWal();
    } catch (org.rocksdb.RocksDBException e) {
      throw families.writeFailed(e);
    }
  }

  /** A stored block: school id, school name, event id and the event object. */
  public record Block(String school, String schoolName, String eventId, JsonNode event) {}

  /** Every stored block of the school ({@code null}: of every school), in key order. */
  public void forEachBlock(String school, Consumer<Block> each) throws StoreException {
    blocks.forEachBlock(school, each);
  }

  /**
   * Up to {@code limit} blocks newest first, of one school or (null) of every school, those with
   * the given {@code instructional} (null: all), merged across schools by time.
   */
  public List<Block> newestBlocks(String school, Boolean instructional, int limit)
      throws StoreException {
    return blocks.newestBlocks(
        school != null ? List.of(school) : counts.schools(), instructional, limit);
  }

  /** Each school's blocks and instructional blocks, by site id, from the tallies. */
  public Map<String, long[]> schoolTotals() {
    return counts.totals();
  }

  /**
   * By domain, over every school: the schools with an instructional block of it and their
   * instructional blocks (domains with none are left out), from the tallies.
   */
  public List<Tallies.DomainSum> domainSums() {
    return counts.domainSums();
  }

  DayTallies dayTallies() {
    return days;
  }

  /**
   * The day tallies' rows of the days in [{@code from}, {@code to}), of one school or ({@code
   * null}) of all.
   */
  void dayRows(String school, LocalDate from, LocalDate to, DayTallies.Rows each)
      throws StoreException {
    try {
      days.rows(school, from, to, each);
    } catch (org.rocksdb.RocksDBException e) {
      throw new StoreException("hub store " + families.dir + ": read failed: " + e.getMessage(), e);
    }
  }

  /**
   * The tallies of one school ({@code null}: of every school): blocks and instructional blocks by
   * school and domain, kept with the events in every write, so no query needs to read the events to
   * count them.
   */
  public List<Tallies.Row> tallies(String school) {
    return counts.rows(school);
  }

  /** Every school heard from, by site id: its name and last health message. */
  public Map<String, JsonNode> schools() throws StoreException {
    return records.schools();
  }

  /** The review requests of the school ({@code null}: of every school), in key order. */
  public List<JsonNode> requests(String school) throws StoreException {
    return records.requests(school);
  }

  /**
   * The blocks of the school ({@code null}: of every school heard from) whose time is in [{@code
   * from}, {@code to}), school by school, each in time order.
   */
  public void forEachBlockBetween(String school, Instant from, Instant to, Consumer<Block> each)
      throws StoreException {
    Collection<String> ids = school == null ? schools().keySet() : List.of(school);
    blocks.forEachBlockBetween(ids, from, to, each);
  }

  /** The time of the school's latest stored block, or null when it has none. */
  public Instant lastBlockTime(String school) throws StoreException {
    return blocks.lastBlockTime(school);
  }

  /**
   * Keeps a decision the hub published (its message), under its time and id; storing it again
   * changes nothing.
   */
  public void putDecision(JsonNode decision) throws StoreException {
    records.putDecision(decision);
  }

  /** Every decision the hub published, oldest first. */
  public List<JsonNode> decisions() throws StoreException {
    return records.decisions();
  }

  /**
   * Deletes every school's block events whose time is before {@code cutoff}, and their counts from
   * the tallies, in batches of {@link DistrictWriter#DELETE_BATCH}; returns how many.
   */
  public long deleteBlocksBefore(Instant cutoff) throws StoreException {
    return writer.deleteBlocksBefore(cutoff);
  }

  /** The time of the oldest stored block of any school (by its event id), or null when none. */
  public Instant oldestBlockTime() throws StoreException {
    return blocks.oldestBlockTime(counts.heard());
  }

  /** Bytes of the store's tables and memtables, as a disk budget measures them. */
  public long diskBytes() {
    return families.diskBytes();
  }

  /** How many schools the store has a record of. */
  public int schoolsHeard() {
    return counts.schoolsHeard();
  }

  /** RocksDB's estimate of the stored block events. */
  public long estimatedBlocks() {
    return blocks.estimatedBlocks();
  }

  @Override
  public void close() {
    families.close();
  }
}
