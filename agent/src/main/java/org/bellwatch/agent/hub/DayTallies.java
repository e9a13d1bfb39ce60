package org.bellwatch.agent.hub;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Block events counted by day (in the district's time zone) and school ({@link SchoolDay} rows), so
 * the district's figures over a range of days (the summary, the meeting report, the queue's impact)
 * read one row per school and day instead of every event: a month of 200 schools is 4,200 rows
 * where it was some three million events. The rows are written in the same {@link WriteBatch} as
 * the events they count ({@link DistrictStore#apply}).
 *
 * <p>Families: {@code days} (day {@code YYYY-MM-DD}, 0x00, site id: the row) and {@code names} (a
 * kind letter and a name: its id, 4 bytes; {@code d} a domain, {@code c} a category, {@code s} a
 * site id, 0x00 and a section; and, under 0x00 {@code rows}, the rows' layout version and the time
 * zone their days are in, as {@code LAYOUT ZONE}). Days depend on the zone, and rows are read in
 * their layout, so rows kept for another zone or in another layout (or none, in a store written
 * before them; the first layout marked its zone alone, under 0x00 {@code zone}) are counted again
 * from the events when the store is opened.
 */
final class DayTallies {
  static final char DOMAIN = 'd';
  static final char CATEGORY = 'c';
  static final char SECTION = 's';
  private static final byte[] ROWS_KEY = {0, 'r', 'o', 'w', 's'};

  /**
   * The layout {@link SchoolDay#encode} writes: 2 has the head a range reads apart from the tail a
   * write changes (layout 1, the first, had them mixed, and marked its zone under another key, so a
   * hub of either version counts again the rows of the other).
   */
  private static final int LAYOUT = 2;

  private final RocksDB db;
  private final ColumnFamilyHandle days;
  private final ColumnFamilyHandle names;
  private final WriteOptions writeOptions;
  private final ZoneId zone;

  /**
   * Ids by name, one map per kind (sections by site, then section): looked up for every event, so
   * without building a key string.
   */
  private final Map<String, Integer> domainIds = new ConcurrentHashMap<>();

  private final Map<String, Integer> categoryIds = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Integer>> sectionIds = new ConcurrentHashMap<>();

  /** Names by id (kind letter first); guarded by {@code this}. */
  private final List<String> byId = new ArrayList<>();

  DayTallies(
      RocksDB db,
      ColumnFamilyHandle days,
      ColumnFamilyHandle names,
      WriteOptions writeOptions,
      ZoneId zone) {
    this.db = db;
    this.days = days;
    this.names = names;
    this.writeOptions = writeOptions;
    this.zone = zone;
  }

  ZoneId zone() {
    return zone;
  }

  /**
   * Reads the dictionary; true when the rows are kept in this zone and layout. Otherwise both
   * families are emptied and marked with this zone and layout, and the caller counts every stored
   * event again.
   */
  synchronized boolean load() throws RocksDBException {
    byte[] kept = db.get(names, ROWS_KEY);
    byte[] wanted = (LAYOUT + " " + zone.getId()).getBytes(StandardCharsets.UTF_8);
    if (Arrays.equals(kept, wanted)) {
      try (ReadOptions ro = new ReadOptions();
          RocksIterator it = db.newIterator(names, ro)) {
        List<String> found = new ArrayList<>();
        for (it.seekToFirst(); it.isValid(); it.next()) {
          if (it.key()[0] != 0) {
            int id = ByteBuffer.wrap(it.value()).getInt();
            while (found.size() <= id) {
              found.add(null);
            }
            found.set(id, new String(it.key(), StandardCharsets.UTF_8));
          }
        }
        it.status();
        byId.addAll(found);
        for (int i = 0; i < found.size(); i++) {
          if (found.get(i) != null) {
            known(found.get(i), i);
          }
        }
      }
      return true;
    }
    try (WriteBatch wb = new WriteBatch()) {
      byte[] none = {};
      byte[] all = new byte[64];
      Arrays.fill(all, (byte) 0xff);
      wb.deleteRange(days, none, all);
      wb.deleteRange(names, none, all);
      wb.put(names, ROWS_KEY, wanted);
      db.write(writeOptions, wb);
    }
    return false;
  }

  /**
   * The id of a name of the kind, assigned (and stored at once) the first time it is seen; ids are
   * never reused, so an id stored by a batch that failed names nothing wrong.
   */
  int domain(String name) throws RocksDBException {
    Integer id = domainIds.get(name);
    return id != null ? id : assign(DOMAIN + name);
  }

  int category(String name) throws RocksDBException {
    Integer id = categoryIds.get(name);
    return id != null ? id : assign(CATEGORY + name);
  }

  int section(String site, String section) throws RocksDBException {
    Integer id = sectionIds.getOrDefault(site, Map.of()).get(section);
    return id != null ? id : assign(SECTION + site + "\0" + section);
  }

  /**
   * The map that holds a name's id, and the name within it: its kind's, or (sections) its site's.
   */
  private Map<String, Integer> mapOf(String key) {
    return switch (key.charAt(0)) {
      case DOMAIN -> domainIds;
      case CATEGORY -> categoryIds;
      default ->
          sectionIds.computeIfAbsent(
              key.substring(1, key.indexOf('\0')), k -> new ConcurrentHashMap<>());
    };
  }

  private static String nameIn(String key) {
    return key.charAt(0) == SECTION ? key.substring(key.indexOf('\0') + 1) : key.substring(1);
  }

  /** Files a stored name (kind letter first) under its id. */
  private void known(String key, int id) {
    mapOf(key).put(nameIn(key), id);
  }

  private synchronized int assign(String key) throws RocksDBException {
    Integer known = mapOf(key).get(nameIn(key));
    if (known != null) {
      return known;
    }
    int id = byId.size();
    db.put(
        names,
        writeOptions,
        key.getBytes(StandardCharsets.UTF_8),
        ByteBuffer.allocate(4).putInt(id).array());
    byId.add(key);
    known(key, id);
    return id;
  }

  /** The name of an id (without its kind letter). */
  synchronized String name(int id) {
    return byId.get(id).substring(1);
  }

  private long start(LocalDate d) {
    Instant s = d.atStartOfDay(zone).toInstant();
    return s.getEpochSecond() * 1_000_000L;
  }

  /**
   * Blocks counted by day and school: a batch's change to the rows (added and removed blocks), or
   * the rows of a few events read for the part of a day that a range cuts.
   */
  final class Counts {
    /** By day, then site. */
    private final Map<String, Map<String, SchoolDay>> delta = new HashMap<>();

    /**
     * The last day {@link #day} named, as [start, end) in epoch micros, and its text: a batch's
     * events are mostly of one day. Each instance has its own, so that one thread can count a batch
     * while another writes the one before (one instance is used by one thread at a time).
     */
    private long dayStart = 1;

    private long dayEnd;
    private String dayText;

    /**
     * The row {@link #count} last changed, and its day and school: a batch's events come a school
     * at a time.
     */
    private String lastDay;

    private String lastSite;
    private SchoolDay lastRow;

    /** The district's calendar day of an instant in epoch microseconds, as {@code YYYY-MM-DD}. */
    String day(long micros) {
      if (micros < dayStart || micros >= dayEnd) {
        Instant t = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L));
        LocalDate d = LocalDate.ofInstant(t, zone);
        dayStart = start(d);
        dayEnd = start(d.plusDays(1));
        dayText = d.toString();
      }
      return dayText;
    }

    /** Counts a block message once ({@code n} 1), or takes it out ({@code n} -1). */
    void count(BlockMessage m, int n) throws RocksDBException {
      count(day(m.micros()), m.site(), m.instructional(), m.domain(), m.section(), m.category(), n);
    }

    /**
     * Counts {@code n} blocks of a school's day ({@code section}, {@code category} may be null).
     */
    void count(
        String day,
        String site,
        boolean instructional,
        String domain,
        String section,
        String category,
        int n)
        throws RocksDBException {
      if (!day.equals(lastDay) || !site.equals(lastSite)) {
        lastRow =
            delta
                .computeIfAbsent(day, k -> new HashMap<>())
                .computeIfAbsent(site, k -> new SchoolDay());
        lastDay = day;
        lastSite = site;
      }
      lastRow.add(
          instructional,
          domain(domain),
          section == null ? -1 : section(site, section),
          category == null ? -1 : category(category),
          n);
    }

    /** Each counted row, as it would be stored. */
    void forEach(Rows each) {
      delta.forEach(
          (day, sites) -> sites.forEach((site, row) -> each.row(day, site, row.encode())));
    }

    /** Puts the changed rows into the write batch: each stored row read, changed and written. */
    void writeTo(WriteBatch wb) throws RocksDBException {
      if (delta.isEmpty()) {
        return;
      }
      List<SchoolDay> changes = new ArrayList<>();
      List<byte[]> raw = new ArrayList<>();
      delta.forEach(
          (day, sites) ->
              sites.forEach(
                  (site, row) -> {
                    changes.add(row);
                    raw.add((day + "\0" + site).getBytes(StandardCharsets.UTF_8));
                  }));
      List<byte[]> now = db.multiGetAsList(Collections.nCopies(raw.size(), days), raw);
      for (int i = 0; i < raw.size(); i++) {
        SchoolDay row = now.get(i) == null ? new SchoolDay() : SchoolDay.decode(now.get(i));
        row.addAll(changes.get(i));
        if (row.isEmpty()) {
          wb.delete(days, raw.get(i));
        } else {
          wb.put(days, raw.get(i), row.encode());
        }
      }
    }
  }

  /** A stored row: its day, school and value as {@link SchoolDay#encode} wrote it. */
  interface Rows {
    void row(String day, String school, byte[] value);
  }

  /** The rows of the days in [{@code from}, {@code to}), of one school or ({@code null}) all. */
  void rows(String school, LocalDate from, LocalDate to, Rows each) throws RocksDBException {
    if (school != null && from.isBefore(to)) {
      List<byte[]> keys = new ArrayList<>();
      List<String> dayTexts = new ArrayList<>();
      for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
        dayTexts.add(d.toString());
        keys.add((d + "\0" + school).getBytes(StandardCharsets.UTF_8));
      }
      List<byte[]> values = db.multiGetAsList(Collections.nCopies(keys.size(), days), keys);
      for (int i = 0; i < keys.size(); i++) {
        if (values.get(i) != null) {
          each.row(dayTexts.get(i), school, values.get(i));
        }
      }
      return;
    }
    if (school != null) {
      return;
    }
    byte[] end = to.toString().getBytes(StandardCharsets.UTF_8);
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(days, ro)) {
      for (it.seek(from.toString().getBytes(StandardCharsets.UTF_8)); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (Arrays.compare(k, end) >= 0) {
          break;
        }
        String text = new String(k, StandardCharsets.UTF_8);
        int sep = text.indexOf('\0');
        each.row(text.substring(0, sep), text.substring(sep + 1), it.value());
      }
      it.status();
    }
  }
}
