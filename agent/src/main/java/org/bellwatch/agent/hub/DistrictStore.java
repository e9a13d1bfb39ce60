package org.bellwatch.agent.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.bellwatch.agent.util.PrivateFolder;
import org.bellwatch.agent.store.StoreException;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The hub's store: every school's block events, keyed by site id and event id, so a message read twice
 * (redelivery after a hub restart, a site that sent a batch again) lands on the same key; and each
 * school's name, last health and review requests.
 *
 * <p>Families: {@code blocks} (site, 0x00, event id: the message's {@code event} object and the school
 * name), {@code sites} (site id: name and last health message), {@code requests} (site, 0x00, request key:
 * the request message), {@code decisions} (decision time, 0x00, decision id: the decision message the hub
 * published). A batch of messages is one WriteBatch, written before the consumer commits its offsets (see
 * {@link HubConsumer}).
 *
 * <p>An event id starts with the event's time in epoch microseconds as 16 hex digits (docs/kafka.md), so a
 * school's blocks are in time order under its prefix and a time range is one bounded scan.
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
  private final WriteOptions writeOptions = new WriteOptions();
  /** Site ids with a record in {@code sites}; guarded by {@code this}. */
  private final java.util.Set<String> known = new java.util.HashSet<>();

  private DistrictStore(Path dir, RocksDB db, DBOptions options, ColumnFamilyOptions cfOptions,
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
  }

  public static DistrictStore open(Path dir) throws StoreException {
    RocksDB.loadLibrary();
    try {
      PrivateFolder.prepare(dir);
    } catch (IOException e) {
      throw new StoreException("hub store " + dir + " cannot be created: " + e.getMessage(), e);
    }
    DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
        .setParanoidChecks(true).setMaxBackgroundJobs(2);
    ColumnFamilyOptions cf = new ColumnFamilyOptions();
    List<ColumnFamilyDescriptor> descriptors = List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cf),
        new ColumnFamilyDescriptor(bytes("blocks"), cf), new ColumnFamilyDescriptor(bytes("sites"), cf),
        new ColumnFamilyDescriptor(bytes("requests"), cf), new ColumnFamilyDescriptor(bytes("decisions"), cf));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try {
      DistrictStore store = new DistrictStore(dir, RocksDB.open(options, dir.toString(), descriptors, handles), options,
          cf, handles);
      store.known.addAll(store.schools().keySet());
      return store;
    } catch (RocksDBException e) {
      options.close();
      cf.close();
      throw new StoreException("hub store " + dir + " cannot be opened: " + e.getMessage(), e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] key(String site, String id) {
    return bytes(site + "\0" + id);
  }

  /** One message's change to the store, built by {@link HubConsumer}. */
  sealed interface Change {
    /** An event stored under its id; {@code replaces} (or null) is the id it had before late evidence moved it. */
    record Block(String site, String siteName, String eventId, String replaces, JsonNode event) implements Change {
    }

    record Health(String site, String siteName, JsonNode message) implements Change {
    }

    record Request(String site, String siteName, String key, JsonNode message) implements Change {
    }
  }

  /** Writes the changes in one atomic batch, in order (a later change to a key wins). */
  public synchronized void apply(List<Change> changes) throws StoreException {
    java.util.Set<String> added = new java.util.HashSet<>();
    try (WriteBatch wb = new WriteBatch()) {
      for (Change c : changes) {
        if (c instanceof Change.Block b) {
          if (b.replaces() != null) {
            wb.delete(blocks, key(b.site(), b.replaces()));
          }
          ObjectNode v = JSON.createObjectNode();
          v.put("school_name", b.siteName());
          v.set("event", b.event());
          wb.put(blocks, key(b.site(), b.eventId()), JSON.writeValueAsBytes(v));
          firstHeard(wb, b.site(), b.siteName(), added);
        } else if (c instanceof Change.Health h) {
          wb.put(sites, bytes(h.site()), siteValue(h.siteName(), h.message()));
          added.add(h.site());
        } else if (c instanceof Change.Request r) {
          wb.put(requests, key(r.site(), r.key()), JSON.writeValueAsBytes(r.message()));
          firstHeard(wb, r.site(), r.siteName(), added);
        }
      }
      db.write(writeOptions, wb);
      known.addAll(added);
    } catch (RocksDBException | IOException e) {
      throw new StoreException("hub store " + dir + ": write failed: " + e.getMessage(), e);
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
  public record Block(String school, String schoolName, String eventId, JsonNode event) {
  }

  /** Every stored block of the school ({@code null}: of every school), in key order. */
  public void forEachBlock(String school, Consumer<Block> each) throws StoreException {
    byte[] prefix = school == null ? new byte[0] : key(school, "");
    try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(blocks, ro)) {
      for (it.seek(prefix); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (k.length < prefix.length || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
          break;
        }
        String text = new String(k, StandardCharsets.UTF_8);
        int sep = text.indexOf('\0');
        JsonNode v = JSON.readTree(it.value());
        each.accept(new Block(text.substring(0, sep), v.path("school_name").asText(null), text.substring(sep + 1),
            v.get("event")));
      }
      it.status();
    } catch (RocksDBException | IOException e) {
      throw new StoreException("hub store " + dir + ": read failed: " + e.getMessage(), e);
    }
  }

  /** Every school heard from, by site id: its name and last health message. */
  public Map<String, JsonNode> schools() throws StoreException {
    Map<String, JsonNode> out = new TreeMap<>();
    try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(sites, ro)) {
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
    try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(requests, ro)) {
      for (it.seek(prefix); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (k.length < prefix.length || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
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
   * The blocks of the school ({@code null}: of every school heard from) whose time is in [{@code from},
   * {@code to}), school by school, each in time order: one bounded scan per school over its time-ordered
   * keys, then the event's own time checked.
   */
  public void forEachBlockBetween(String school, Instant from, Instant to, Consumer<Block> each)
      throws StoreException {
    java.util.Collection<String> ids = school == null ? schools().keySet() : List.of(school);
    try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(blocks, ro)) {
      for (String site : ids) {
        byte[] end = key(site, micros(to));
        for (it.seek(key(site, micros(from))); it.isValid(); it.next()) {
          byte[] k = it.key();
          if (java.util.Arrays.compare(k, end) >= 0 || !startsWith(k, key(site, ""))) {
            break;
          }
          JsonNode v = JSON.readTree(it.value());
          JsonNode event = v.get("event");
          Instant t = Instant.parse(event.path("time").asText());
          if (!t.isBefore(from) && t.isBefore(to)) {
            String text = new String(k, StandardCharsets.UTF_8);
            each.accept(new Block(site, v.path("school_name").asText(null), text.substring(text.indexOf('\0') + 1),
                event));
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
    try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(blocks, ro)) {
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

  /** The event id prefix of an instant: its epoch microseconds as the 16 hex digits ids start with. */
  private static String micros(Instant t) {
    long us = Math.max(0, t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000);
    return String.format(java.util.Locale.ROOT, "%016x", us);
  }

  private static boolean startsWith(byte[] k, byte[] prefix) {
    return k.length >= prefix.length && Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** Keeps a decision the hub published (its message), under its time and id; storing it again changes nothing. */
  public void putDecision(JsonNode decision) throws StoreException {
    try {
      db.put(decisions, writeOptions, key(micros(Instant.parse(decision.path("time").asText())),
          decision.path("decision_id").asText()), JSON.writeValueAsBytes(decision));
    } catch (RocksDBException | IOException | java.time.format.DateTimeParseException e) {
      throw new StoreException("hub store " + dir + ": write failed: " + e.getMessage(), e);
    }
  }

  /** Every decision the hub published, oldest first. */
  public List<JsonNode> decisions() throws StoreException {
    List<JsonNode> out = new ArrayList<>();
    try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(decisions, ro)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        out.add(JSON.readTree(it.value()));
      }
      it.status();
    } catch (RocksDBException | IOException e) {
      throw new StoreException("hub store " + dir + ": read failed: " + e.getMessage(), e);
    }
    return out;
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
