package org.bellwatch.agent.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.correlate.BlockEvent;
import org.bellwatch.agent.correlate.BlockEventJson;
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
 * Block events in RocksDB, column family {@code events}.
 *
 * <p>Key: event time in microseconds since the epoch (8 bytes, big-endian, so keys sort by time) and an
 * 8-byte hash of client, domain, source and method. The key is a function of the event, so reading the
 * same input twice writes the same keys: replays and restarts over files never duplicate events.
 * Value: a format version byte ({@link #VALUE_V1}) then the event's JSON.
 */
public final class EventStore implements AutoCloseable {
  static final byte VALUE_V1 = 1;
  private static final String EVENTS = "events";

  private final RocksDB db;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final List<ColumnFamilyHandle> handles;
  private final ColumnFamilyHandle events;
  private final WriteOptions writeOptions;
  private final ObjectMapper mapper = new ObjectMapper();
  private final Path dir;

  private EventStore(Path dir, RocksDB db, DBOptions dbOptions, ColumnFamilyOptions cfOptions,
      List<ColumnFamilyHandle> handles, WriteOptions writeOptions) {
    this.dir = dir;
    this.db = db;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.handles = handles;
    this.events = handles.get(1);
    this.writeOptions = writeOptions;
  }

  /** Opens (creating if needed) the store in {@code dir}; {@code syncWrites} fsyncs the WAL per batch. */
  public static EventStore open(Path dir, boolean syncWrites) throws StoreException {
    RocksDB.loadLibrary();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StoreException("store directory " + dir + " cannot be created: " + e.getMessage(), e);
    }
    DBOptions dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
    ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
    List<ColumnFamilyDescriptor> descriptors = List.of(
        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
        new ColumnFamilyDescriptor(EVENTS.getBytes(StandardCharsets.UTF_8), cfOptions));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try {
      RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
      WriteOptions wo = new WriteOptions().setSync(syncWrites);
      return new EventStore(dir, db, dbOptions, cfOptions, handles, wo);
    } catch (RocksDBException e) {
      dbOptions.close();
      cfOptions.close();
      throw new StoreException("store " + dir + " cannot be opened: " + e.getMessage(), e);
    }
  }

  /** Writes the events in one atomic batch. */
  public void append(List<BlockEvent> batch) throws StoreException {
    if (batch.isEmpty()) {
      return;
    }
    try (WriteBatch wb = new WriteBatch()) {
      for (BlockEvent e : batch) {
        byte[] json = mapper.writeValueAsBytes(BlockEventJson.toJson(mapper, e));
        byte[] value = new byte[json.length + 1];
        value[0] = VALUE_V1;
        System.arraycopy(json, 0, value, 1, json.length);
        wb.put(events, key(e), value);
      }
      db.write(writeOptions, wb);
    } catch (RocksDBException | IOException e) {
      throw new StoreException("store " + dir + ": write failed: " + e.getMessage(), e);
    }
  }

  /** Events matching {@code q}, newest first. */
  public List<BlockEvent> query(BlockQuery q) throws StoreException {
    List<BlockEvent> out = new ArrayList<>();
    try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(events, ro)) {
      if (q.to() == null) {
        it.seekToLast();
      } else {
        it.seekForPrev(timePrefix(micros(q.to()) - 1, -1L));
      }
      long fromMicros = q.from() == null ? Long.MIN_VALUE : micros(q.from());
      for (; it.isValid() && out.size() < q.limit(); it.prev()) {
        long t = ByteBuffer.wrap(it.key()).getLong();
        if (t < fromMicros) {
          break;
        }
        BlockEvent e = decode(it.value());
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

  private BlockEvent decode(byte[] value) throws IOException {
    if (value.length == 0 || value[0] != VALUE_V1) {
      throw new IOException("unknown event format version " + (value.length == 0 ? "(empty)" : value[0]));
    }
    return BlockEventJson.fromJson(mapper.readTree(value, 1, value.length - 1));
  }

  static byte[] key(BlockEvent e) {
    long h = 1125899906842597L;
    for (String part : new String[] {e.clientIp(), e.domain(), e.source(), e.method()}) {
      String s = part == null ? "" : part;
      for (int i = 0; i < s.length(); i++) {
        h = 31 * h + s.charAt(i);
      }
      h = 31 * h + 0x1f;
    }
    return timePrefix(micros(e.time()), h);
  }

  private static byte[] timePrefix(long micros, long suffix) {
    return ByteBuffer.allocate(16).putLong(micros).putLong(suffix).array();
  }

  private static long micros(Instant t) {
    return Math.multiplyExact(t.getEpochSecond(), 1_000_000L) + t.getNano() / 1000;
  }

  @Override
  public void close() {
    handles.forEach(ColumnFamilyHandle::close);
    db.close();
    writeOptions.close();
    dbOptions.close();
    cfOptions.close();
  }
}
