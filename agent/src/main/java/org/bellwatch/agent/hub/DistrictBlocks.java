package org.bellwatch.agent.hub;

import static org.bellwatch.agent.hub.DistrictFamilies.JSON;
import static org.bellwatch.agent.hub.DistrictFamilies.key;
import static org.bellwatch.agent.hub.DistrictFamilies.micros;
import static org.bellwatch.agent.hub.DistrictFamilies.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import org.bellwatch.agent.hub.DistrictStore.Block;
import org.bellwatch.agent.store.StoreException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The read side of the hub's {@code blocks} family: scans by school, newest first across schools,
 * and by time range. A school's event ids begin with their time, so its keys run in time order
 * under its prefix and every question here is a bounded scan.
 */
final class DistrictBlocks {
  private final DistrictFamilies families;

  DistrictBlocks(DistrictFamilies families) {
    this.families = families;
  }

  /** Every stored block of the school ({@code null}: of every school), in key order. */
  void forEachBlock(String school, Consumer<Block> each) throws StoreException {
    families.scan(
        families.blocks,
        school == null ? new byte[0] : key(school, ""),
        (k, v) -> {
          String text = new String(k, StandardCharsets.UTF_8);
          int sep = text.indexOf('\0');
          each.accept(block(text.substring(0, sep), text.substring(sep + 1), v));
        });
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
   * Up to {@code limit} blocks of these schools newest first, those with the given {@code
   * instructional} (null: all): each school is read backwards from its newest key, and the schools
   * merged by time.
   */
  List<Block> newestBlocks(List<String> schools, Boolean instructional, int limit)
      throws StoreException {
    List<Backwards> open = new ArrayList<>();
    PriorityQueue<Backwards> next = new PriorityQueue<>(Backwards.NEWEST_FIRST);
    List<Block> out = new ArrayList<>();
    try (ReadOptions ro = new ReadOptions()) {
      for (String s : schools) {
        Backwards b = new Backwards(s, families.db.newIterator(families.blocks, ro), instructional);
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
      throw families.readFailed(e);
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
    static final Comparator<Backwards> NEWEST_FIRST =
        Comparator.comparing((Backwards b) -> b.current.eventId(), Comparator.reverseOrder())
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
      for (; it.isValid() && startsWith(it.key(), prefix); it.prev()) {
        byte[] k = it.key();
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

  /**
   * The blocks of these schools whose time is in [{@code from}, {@code to}), school by school, each
   * in time order: one bounded scan per school over its time-ordered keys, then the event's own
   * time checked.
   */
  void forEachBlockBetween(
      Collection<String> schools, Instant from, Instant to, Consumer<Block> each)
      throws StoreException {
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = families.db.newIterator(families.blocks, ro)) {
      for (String site : schools) {
        byte[] end = key(site, micros(to));
        for (it.seek(key(site, micros(from))); it.isValid(); it.next()) {
          byte[] k = it.key();
          if (Arrays.compare(k, end) >= 0 || !startsWith(k, key(site, ""))) {
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
    } catch (RocksDBException | IOException | DateTimeParseException e) {
      throw families.readFailed(e);
    }
  }

  /** The time of the school's latest stored block, or null when it has none. */
  Instant lastBlockTime(String school) throws StoreException {
    byte[] prefix = key(school, "");
    byte[] after = Arrays.copyOf(prefix, prefix.length + 1);
    after[prefix.length] = (byte) 0xff;
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = families.db.newIterator(families.blocks, ro)) {
      it.seekForPrev(after);
      if (!it.isValid() || !startsWith(it.key(), prefix)) {
        it.status();
        return null;
      }
      return Instant.parse(JSON.readTree(it.value()).path("event").path("time").asText());
    } catch (RocksDBException | IOException | DateTimeParseException e) {
      throw families.readFailed(e);
    }
  }

  /** The time of the oldest stored block of these schools (by its event id), or null when none. */
  Instant oldestBlockTime(Collection<String> schools) throws StoreException {
    Instant oldest = null;
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = families.db.newIterator(families.blocks, ro)) {
      for (String site : schools) {
        byte[] prefix = key(site, "");
        it.seek(prefix);
        if (it.isValid() && startsWith(it.key(), prefix)) {
          // An event id begins with its time in epoch microseconds as 16 hex digits.
          long us =
              Long.parseUnsignedLong(
                  new String(it.key(), prefix.length, 16, StandardCharsets.US_ASCII), 16);
          Instant t = Instant.EPOCH.plus(us, ChronoUnit.MICROS);
          oldest = oldest == null || t.isBefore(oldest) ? t : oldest;
        }
      }
      it.status();
    } catch (RocksDBException | RuntimeException e) {
      throw families.readFailed(e);
    }
    return oldest;
  }

  /** RocksDB's estimate of the stored block events. */
  long estimatedBlocks() {
    try {
      return families.db.getLongProperty(families.blocks, "rocksdb.estimate-num-keys");
    } catch (RocksDBException e) {
      return -1;
    }
  }
}
