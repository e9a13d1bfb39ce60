package org.bellwatch.agent.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
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
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The hub's store: every school's block events, keyed by site id and event id, so a message read
 * twice (redelivery after a hub restart, a site that sent a batch again) lands on the same key; and
 * each school's name, last health and review requests.
 *
 * <p>Families: {@code blocks} (site, 0x00, event id: the message's {@code event} object and the
 * school name), {@code sites} (site id: name and last health message), {@code requests} (site,
 * 0x00, request key: the request message), {@code decisions} (decision time, 0x00, decision id: the
 * decision message the hub published). A batch of messages is one WriteBatch, written before the
 * consumer commits its offsets (see {@link HubConsumer}).
 *
 * <p>An event id starts with the event's time in epoch microseconds as 16 hex digits
 * (docs/kafka.md), so a school's blocks are in time order under its prefix and a time range is one
 * bounded scan.
 */
public final class DistrictStore implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;
  private final RocksDB db;
  private final DBOptions options;
  private final ColumnFamilyOptions cfOptions;
  private final List<ColumnFamilyHandle> handles;
  private final ColumnFamilyHandle blocks;
  private final ColumnFamilyHandle sites;
  private final ColumnFamilyHandle requests;
  private final ColumnFamilyHandle decisions;
  private final ColumnFamilyHandle tallies;
  private final WriteOptions writeOptions = new WriteOptions();

  /**
   * Block events by school and domain ({@link Tallies}), as in the {@code tallies} family, which
   * every batch updates with the events it writes; guarded by {@code this}.
   */
  private final Tallies counts = new Tallies();

  /** Site ids with a record in {@code sites}; guarded by {@code this}. */
  private final java.util.Set<String> known = new java.util.HashSet<>();

  private DistrictStore(
      Path dir,
      RocksDB db,
      DBOptions options,
      ColumnFamilyOptions cfOptions,
      List<ColumnFamilyHandle> handles) {
    this.dir = dir;
    this.db = db;
    this.options = options;
    this.cfOptions = cfOptions;
    this.handles = handles;
    this.blocks = handles.get(1);
    this.sites = handles.get(2);
    this.requests = handles.get(3);
    this.decisions = handles.get(4);
    this.tallies = handles.get(5);
  }

  public static DistrictStore open(Path dir) throws StoreException {
    RocksDB.loadLibrary();
    try {
      PrivateFolder.prepare(dir);
    } catch (IOException e) {
      throw new StoreException("hub store " + dir + " cannot be created: " + e.getMessage(), e);
    }
    // As the site's store (EventStore.open): a batch's WAL write overlaps the previous batch's
    // memtable
    // insert, and tables are LZ4-compressed (block messages are repetitive JSON).
    DBOptions options =
        new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            .setParanoidChecks(true)
            .setMaxBackgroundJobs(2)
            .setEnablePipelinedWrite(true)
            .setBytesPerSync(1 << 20);
    // A Bloom filter per table: a batch asks for each of its keys whether it is stored already
    // (redelivery),
    // and nearly all are not, which the filter answers without reading a block.
    ColumnFamilyOptions cf =
        new ColumnFamilyOptions()
            .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10)))
            .setCompressionType(CompressionType.LZ4_COMPRESSION);
    List<ColumnFamilyDescriptor> descriptors =
        List.of(
            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cf),
            new ColumnFamilyDescriptor(bytes("blocks"), cf),
            new ColumnFamilyDescriptor(bytes("sites"), cf),
            new ColumnFamilyDescriptor(bytes("requests"), cf),
            new ColumnFamilyDescriptor(bytes("decisions"), cf),
            new ColumnFamilyDescriptor(bytes("tallies"), cf));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try {
      boolean counted = hasTallies(dir);
      DistrictStore store =
          new DistrictStore(
              dir,
              RocksDB.open(options, dir.toString(), descriptors, handles),
              options,
              cf,
              handles);
      store.known.addAll(store.schools().keySet());
      if (counted) {
        store.loadTallies();
      } else {
        store.countStoredBlocks();
      }
      return store;
    } catch (RocksDBException e) {
      options.close();
      cf.close();
      throw new StoreException("hub store " + dir + " cannot be opened: " + e.getMessage(), e);
    }
  }

  /**
   * Whether the store has its tallies family: a store written before it had its blocks counted once
   * at open.
   */
  private static boolean hasTallies(Path dir) throws RocksDBException {
    try (org.rocksdb.Options o = new org.rocksdb.Options()) {
      return RocksDB.listColumnFamilies(o, dir.toString()).stream()
          .anyMatch(n -> Arrays.equals(n, bytes("tallies")));
    }
  }

  private void loadTallies() throws StoreException {
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(tallies, ro)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        String k = new String(it.key(), StandardCharsets.UTF_8);
        int sep = k.indexOf('\0');
        ByteBuffer v = ByteBuffer.wrap(it.value());
        counts.add(k.substring(0, sep), k.substring(sep + 1), v.getLong(), v.getLong());
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StoreException("hub store " + dir + ": read failed: " + e.getMessage(), e);
    }
  }

  /**
   * Counts every stored block into the tallies, once, for a store written before they were kept.
   */
  private synchronized void countStoredBlocks() throws StoreException {
    forEachBlock(
        null,
        b ->
            counts.add(
                b.school(),
                b.event().path("domain").asText(""),
                1,
                b.event().path("instructional").asBoolean() ? 1 : 0));
    try (WriteBatch wb = new WriteBatch()) {
      for (Tallies.Row r : counts.rows(null)) {
        wb.put(tallies, key(r.school(), r.domain()), tally(r.blocks(), r.instructional()));
      }
      db.write(writeOptions, wb);
    } catch (RocksDBException e) {
      throw new StoreException("hub store " + dir + ": write failed: " + e.getMessage(), e);
    }
  }

  private static byte[] tally(long blocks, long instructional) {
    return ByteBuffer.allocate(16).putLong(blocks).putLong(instructional).array();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] key(String site, String id) {
    return bytes(site + "\0" + id);
  }

  /** One message's change to the store, built by {@link HubConsumer}. */
  public sealed interface Change {
    /**
     * A block message: its event stored under its id, in place of the id it {@code replaces} (if
     * any), as read by {@link BlockMessage#read}.
     */
    record Block(BlockMessage message) implements Change {}

    record Health(String site, String siteName, JsonNode message) implements Change {}

    record Request(String site, String siteName, String key, JsonNode message) implements Change {}
  }

  /**
   * Writes the changes in one atomic batch, in order (a later change to a key wins), with the
   * tallies they change. A block stored already (a message read again) replaces itself and is
   * counted once.
   */
  public synchronized void apply(List<Change> changes) throws StoreException {
    java.util.Set<String> added = new java.util.HashSet<>();
    // Sized for the messages up front: growing a batch of thousands of messages copies it again and
    // again.
    int size = 0;
    for (Change c : changes) {
      size += c instanceof Change.Block b ? b.message().bytes().length + 120 : 0;
    }
    try (WriteBatch wb = new WriteBatch(size)) {
      Map<String, BlockMessage> before = storedBefore(changes);
      Tallies delta = new Tallies();
      for (Change c : changes) {
        if (c instanceof Change.Block b) {
          BlockMessage m = b.message();
          if (m.replaces() != null) {
            String old = keyText(m.site(), m.replaces());
            uncount(delta, before.put(old, null));
            wb.delete(blocks, bytes(old));
          }
          String k = keyText(m.site(), m.eventId());
          uncount(delta, before.put(k, m));
          delta.add(m.site(), m.domain(), 1, m.instructional() ? 1 : 0);
          wb.put(blocks, bytes(k), m.bytes());
          firstHeard(wb, m.site(), m.siteName(), added);
        } else if (c instanceof Change.Health h) {
          wb.put(sites, bytes(h.site()), siteValue(h.siteName(), h.message()));
          added.add(h.site());
        } else if (c instanceof Change.Request r) {
          wb.put(requests, key(r.site(), r.key()), JSON.writeValueAsBytes(r.message()));
          firstHeard(wb, r.site(), r.siteName(), added);
        }
      }
      for (Tallies.Row r : delta.rows(null)) {
        long[] now = counts.get(r.school(), r.domain());
        wb.put(
            tallies,
            key(r.school(), r.domain()),
            tally(now[0] + r.blocks(), now[1] + r.instructional()));
      }
      db.write(writeOptions, wb);
      known.addAll(added);
      for (Tallies.Row r : delta.rows(null)) {
        counts.add(r.school(), r.domain(), r.blocks(), r.instructional());
      }
    } catch (RocksDBException | IOException e) {
      throw new StoreException("hub store " + dir + ": write failed: " + e.getMessage(), e);
    }
  }

  private static void uncount(Tallies delta, BlockMessage was) {
    if (was != null) {
      delta.add(was.site(), was.domain(), -1, was.instructional() ? -1 : 0);
    }
  }

  private static String keyText(String site, String id) {
    return site + "\0" + id;
  }

  /**
   * The blocks the changes overwrite or replace that are stored already (by key text; absent when
   * not stored), read in one multi-get: with the Bloom filters, a key that is not stored costs no
   * block read.
   */
  private Map<String, BlockMessage> storedBefore(List<Change> changes) throws RocksDBException {
    List<String> keys = new ArrayList<>();
    for (Change c : changes) {
      if (c instanceof Change.Block b) {
        keys.add(keyText(b.message().site(), b.message().eventId()));
        if (b.message().replaces() != null) {
          keys.add(keyText(b.message().site(), b.message().replaces()));
        }
      }
    }
    Map<String, BlockMessage> out = new HashMap<>();
    if (keys.isEmpty()) {
      return out;
    }
    List<byte[]> values =
        db.multiGetAsList(
            java.util.Collections.nCopies(keys.size(), blocks),
            keys.stream().map(DistrictStore::bytes).toList());
    for (int i = 0; i < keys.size(); i++) {
      byte[] v = values.get(i);
      if (v != null) {
        String k = keys.get(i);
        int sep = k.indexOf('\0');
        out.put(k, stored(k.substring(0, sep), k.substring(sep + 1), v));
      }
    }
    return out;
  }

  /**
   * A stored block as a message: the message itself, or, as the first stores kept it, the event
   * with the school's name (its counted fields are all that is needed of it).
   */
  private static BlockMessage stored(String site, String id, byte[] value) {
    BlockMessage.Read r = BlockMessage.read(value);
    if (r.message() != null) {
      return r.message();
    }
    try {
      JsonNode v = JSON.readTree(value);
      return new BlockMessage(
          site,
          v.path("school_name").asText(site),
          id,
          null,
          v.path("event").path("domain").asText(""),
          v.path("event").path("instructional").asBoolean(),
          value);
    } catch (IOException e) {
      return new BlockMessage(site, site, id, null, "", false, value);
    }
  }

  /** A school's record when its first message is not a health message: its name, no health yet. */
  private void firstHeard(WriteBatch wb, String site, String name, java.util.Set<String> added)
      throws RocksDBException, IOException {
    if (!known.contains(site) && added.add(site)) {
      wb.put(sites, bytes(site), siteValue(name, null));
    }
  }

  private static byte[] siteValue(String name, JsonNode health) throws IOException {
    ObjectNode v = JSON.createObjectNode();
    v.put("school_name", name);
    v.set("health", health);
    return JSON.writeValueAsBytes(v);
  }

  /** A stored block: school id, school name, event id and the event object. */
  public record Block(String school, String schoolName, String eventId, JsonNode event) {}

  /** Every stored block of the school ({@code null}: of every school), in key order. */
  public void forEachBlock(String school, Consumer<Block> each) throws StoreException {
    byte[] prefix = school == null ? new byte[0] : key(school, "");
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(blocks, ro)) {
      for (it.seek(prefix); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (k.length < prefix.length
            || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
          break;
        }
        String text = new String(k, StandardCharsets.UTF_8);
        int sep = text.indexOf('\0');
        each.accept(block(text.substring(0, sep), text.substring(sep + 1), it.value()));
      }
      it.status();
    } catch (RocksDBException | IOException e) {
      throw new StoreException("hub store " + dir + ": read failed: " + e.getMessage(), e);
    }
  }

  /**
   * A stored value as a block: the message as read, or (the first stores) the event and the
   * school's name.
   */
  private static Block block(String site, String id, byte[] value) throws IOException {
    JsonNode v = JSON.readTree(value);
    JsonNode name = v.has("school_name") ? v.get("school_name") : v.path("site_name");
    return new Block(site, name.asText(site), id, v.get("event"));
  }

  /**
   * Up to {@code limit} blocks newest first, of one school or (null) of every school, those with
   * the given {@code instructional} (null: all). A school's event ids begin with their time, so its
   * keys run in time order: each school is read backwards from its newest key, and the schools
   * merged by time.
   */
  public List<Block> newestBlocks(String school, Boolean instructional, int limit)
      throws StoreException {
    List<String> schools;
    synchronized (this) {
      schools = school != null ? List.of(school) : new ArrayList<>(counts.schools());
    }
    List<Backwards> open = new ArrayList<>();
    java.util.PriorityQueue<Backwards> next = new java.util.PriorityQueue<>(Backwards.NEWEST_FIRST);
    List<Block> out = new ArrayList<>();
    try (ReadOptions ro = new ReadOptions()) {
      for (String s : schools) {
        Backwards b = new Backwards(s, db.newIterator(blocks, ro), instructional);
        open.add(b);
        if (b.advance(true)) {
          next.add(b);
        }
      }
      while (out.size() < limit && !next.isEmpty()) {
        Backwards b = next.poll();
        out.add(b.current);
        if (b.advance(false)) {
          next.add(b);
        }
      }
    } catch (RocksDBException | IOException e) {
      throw new StoreException("hub store " + dir + ": read failed: " + e.getMessage(), e);
    } finally {
      open.forEach(b -> b.it.close());
    }
    return out;
  }

  /**
   * One school's blocks read from its newest key backwards, skipping those of the other
   * instructional value.
   */
  private static final class Backwards {
    static final java.util.Comparator<Backwards> NEWEST_FIRST =
        java.util.Comparator.comparing(
                (Backwards b) -> b.current.eventId(), java.util.Comparator.reverseOrder())
            .thenComparing(b -> b.school);
    final String school;
    final RocksIterator it;
    final Boolean instructional;
    final byte[] prefix;
    Block current;

    Backwards(String school, RocksIterator it, Boolean instructional) {
      this.school = school;
      this.it = it;
      this.instructional = instructional;
      this.prefix = key(school, "");
    }

    /** Moves to the next older block that matches; false at the end of the school's blocks. */
    boolean advance(boolean first) throws RocksDBException, IOException {
      if (first) {
        // The first key after the school's range: site, then 0x01 (the separator 0x00, plus one).
        byte[] end = prefix.clone();
        end[end.length - 1] = 1;
        it.seekForPrev(end);
      } else {
        it.prev();
      }
      for (; it.isValid(); it.prev()) {
        byte[] k = it.key();
        if (k.length < prefix.length
            || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
          break;
        }
        Block b =
            block(
                school,
                new String(k, prefix.length, k.length - prefix.length, StandardCharsets.UTF_8),
                it.value());
        if (instructional == null || b.event().path("instructional").asBoolean() == instructional) {
          current = b;
          return true;
        }
      }
      it.status();
      return false;
    }
  }

  /** Each school's blocks and instructional blocks, by site id, from the tallies. */
  public synchronized Map<String, long[]> schoolTotals() {
    return counts.totals();
  }

  /**
   * The tallies of one school ({@code null}: of every school): blocks and instructional blocks by
   * school and domain, kept with the events in every write, so no query needs to read the events to
   * count them.
   */
  public synchronized List<Tallies.Row> tallies(String school) {
    return counts.rows(school);
  }

  /** Every school heard from, by site id: its name and last health message. */
  public Map<String, JsonNode> schools() throws StoreException {
    Map<String, JsonNode> out = new TreeMap<>();
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(sites, ro)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        out.put(new String(it.key(), StandardCharsets.UTF_8), JSON.readTree(it.value()));
      }
      it.status();
    } catch (RocksDBException | IOException e) {
      throw new StoreException("hub store " + dir + ": read failed: " + e.getMessage(), e);
    }
    return out;
  }

  /** The review requests of the school ({@code null}: of every school), in key order. */
  public List<JsonNode> requests(String school) throws StoreException {
    List<JsonNode> out = new ArrayList<>();
    byte[] prefix = school == null ? new byte[0] : key(school, "");
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(requests, ro)) {
      for (it.seek(prefix); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (k.length < prefix.length
            || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
          break;
        }
        out.add(JSON.readTree(it.value()));
      }
      it.status();
    } catch (RocksDBException | IOException e) {
      throw new StoreException("hub store " + dir + ": read failed: " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * The blocks of the school ({@code null}: of every school heard from) whose time is in [{@code
   * from}, {@code to}), school by school, each in time order: one bounded scan per school over its
   * time-ordered keys, then the event's own time checked.
   */
  public void forEachBlockBetween(String school, Instant from, Instant to, Consumer<Block> each)
      throws StoreException {
    java.util.Collection<String> ids = school == null ? schools().keySet() : List.of(school);
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(blocks, ro)) {
      for (String site : ids) {
        byte[] end = key(site, micros(to));
        for (it.seek(key(site, micros(from))); it.isValid(); it.next()) {
          byte[] k = it.key();
          if (java.util.Arrays.compare(k, end) >= 0 || !startsWith(k, key(site, ""))) {
            break;
          }
          String text = new String(k, StandardCharsets.UTF_8);
          Block b = block(site, text.substring(text.indexOf('\0') + 1), it.value());
          Instant t = Instant.parse(b.event().path("time").asText());
          if (!t.isBefore(from) && t.isBefore(to)) {
            each.accept(b);
          }
        }
      }
      it.status();
    } catch (RocksDBException | IOException | java.time.format.DateTimeParseException e) {
      throw new StoreException("hub store " + dir + ": read failed: " + e.getMessage(), e);
    }
  }

  /** The time of the school's latest stored block, or null when it has none. */
  public Instant lastBlockTime(String school) throws StoreException {
    byte[] prefix = key(school, "");
    byte[] after = java.util.Arrays.copyOf(prefix, prefix.length + 1);
    after[prefix.length] = (byte) 0xff;
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(blocks, ro)) {
      it.seekForPrev(after);
      if (!it.isValid() || !startsWith(it.key(), prefix)) {
        it.status();
        return null;
      }
      return Instant.parse(JSON.readTree(it.value()).path("event").path("time").asText());
    } catch (RocksDBException | IOException | java.time.format.DateTimeParseException e) {
      throw new StoreException("hub store " + dir + ": read failed: " + e.getMessage(), e);
    }
  }

  /**
   * The event id prefix of an instant: its epoch microseconds as the 16 hex digits ids start with.
   */
  private static String micros(Instant t) {
    long us = Math.max(0, t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000);
    return String.format(java.util.Locale.ROOT, "%016x", us);
  }

  private static boolean startsWith(byte[] k, byte[] prefix) {
    return k.length >= prefix.length
        && Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length);
  }

  /**
   * Keeps a decision the hub published (its message), under its time and id; storing it again
   * changes nothing.
   */
  public void putDecision(JsonNode decision) throws StoreException {
    try {
      db.put(
          decisions,
          writeOptions,
          key(
              micros(Instant.parse(decision.path("time").asText())),
              decision.path("decision_id").asText()),
          JSON.writeValueAsBytes(decision));
    } catch (RocksDBException | IOException | java.time.format.DateTimeParseException e) {
      throw new StoreException("hub store " + dir + ": write failed: " + e.getMessage(), e);
    }
  }

  /** Every decision the hub published, oldest first. */
  public List<JsonNode> decisions() throws StoreException {
    List<JsonNode> out = new ArrayList<>();
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(decisions, ro)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        out.add(JSON.readTree(it.value()));
      }
      it.status();
    } catch (RocksDBException | IOException e) {
      throw new StoreException("hub store " + dir + ": read failed: " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Block events deleted in one batch: each batch is one atomic write with the tallies it changes,
   * so a hub stopped during a pass keeps counts that match its events, and the writer of new
   * messages waits at most one batch.
   */
  static final int DELETE_BATCH = 10_000;

  /**
   * Deletes every school's block events whose time is before {@code cutoff}, and their counts from
   * the tallies; returns how many. A school's keys run in time order, so its events before the
   * cutoff are one range, which is compacted after so that the disk space comes back.
   */
  public long deleteBlocksBefore(Instant cutoff) throws StoreException {
    List<String> sites;
    synchronized (this) {
      sites = new ArrayList<>(known);
    }
    long deleted = 0;
    try {
      for (String site : sites) {
        byte[] from = key(site, "");
        byte[] to = key(site, micros(cutoff));
        long before = deleted;
        int n;
        do {
          n = deleteBatch(site, from, to);
          deleted += n;
        } while (n == DELETE_BATCH);
        if (deleted > before) {
          db.compactRange(blocks, from, to);
        }
      }
    } catch (RocksDBException e) {
      throw new StoreException("hub store " + dir + ": delete failed: " + e.getMessage(), e);
    }
    return deleted;
  }

  /** Deletes up to {@link #DELETE_BATCH} of a school's events in [from, to) with their counts. */
  private synchronized int deleteBatch(String site, byte[] from, byte[] to)
      throws RocksDBException {
    Tallies delta = new Tallies();
    int n = 0;
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(blocks, ro);
        WriteBatch wb = new WriteBatch()) {
      for (it.seek(from);
          it.isValid() && n < DELETE_BATCH && Arrays.compare(it.key(), to) < 0;
          it.next()) {
        byte[] k = it.key();
        uncount(
            delta,
            stored(
                site,
                new String(k, from.length, k.length - from.length, StandardCharsets.UTF_8),
                it.value()));
        wb.delete(blocks, k);
        n++;
      }
      it.status();
      if (n == 0) {
        return 0;
      }
      for (Tallies.Row r : delta.rows(null)) {
        long[] now = counts.get(r.school(), r.domain());
        long left = now[0] + r.blocks();
        if (left == 0) {
          wb.delete(tallies, key(r.school(), r.domain()));
        } else {
          wb.put(tallies, key(r.school(), r.domain()), tally(left, now[1] + r.instructional()));
        }
      }
      db.write(writeOptions, wb);
      for (Tallies.Row r : delta.rows(null)) {
        counts.add(r.school(), r.domain(), r.blocks(), r.instructional());
      }
    }
    return n;
  }

  /** The time of the oldest stored block of any school (by its event id), or null when none. */
  public Instant oldestBlockTime() throws StoreException {
    List<String> sites;
    synchronized (this) {
      sites = new ArrayList<>(known);
    }
    Instant oldest = null;
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(blocks, ro)) {
      for (String site : sites) {
        byte[] prefix = key(site, "");
        it.seek(prefix);
        if (it.isValid() && startsWith(it.key(), prefix)) {
          // An event id begins with its time in epoch microseconds as 16 hex digits.
          long us =
              Long.parseUnsignedLong(
                  new String(it.key(), prefix.length, 16, StandardCharsets.US_ASCII), 16);
          Instant t = Instant.EPOCH.plus(us, java.time.temporal.ChronoUnit.MICROS);
          oldest = oldest == null || t.isBefore(oldest) ? t : oldest;
        }
      }
      it.status();
    } catch (RocksDBException | RuntimeException e) {
      throw new StoreException("hub store " + dir + ": read failed: " + e.getMessage(), e);
    }
    return oldest;
  }

  /** Bytes of the store's tables and memtables, as a disk budget measures them. */
  public long diskBytes() {
    return RocksSize.diskBytes(db, handles);
  }

  /** How many schools the store has a record of. */
  public synchronized int schoolsHeard() {
    return known.size();
  }

  /** RocksDB's estimate of the stored block events. */
  public long estimatedBlocks() {
    try {
      return db.getLongProperty(blocks, "rocksdb.estimate-num-keys");
    } catch (RocksDBException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    handles.forEach(ColumnFamilyHandle::close);
    db.close();
    writeOptions.close();
    options.close();
    cfOptions.close();
  }
}
