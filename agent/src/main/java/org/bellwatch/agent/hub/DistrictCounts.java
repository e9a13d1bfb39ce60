package org.bellwatch.agent.hub;

import static org.bellwatch.agent.hub.DistrictFamilies.key;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bellwatch.agent.store.StoreException;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * What the hub store counts in memory, equal to what it holds: block events by school and domain
 * ({@link Tallies}, as the {@code tallies} family keeps them) and the schools with a record in
 * {@code sites}. A write holds this object's lock from its first look at the counts until they
 * include what it wrote ({@link DistrictWriter#apply}), so no reader sees counts that disagree with
 * the stored blocks.
 */
final class DistrictCounts {
  private final DistrictFamilies families;

  /** Guarded by {@code this}. */
  private final Tallies counts = new Tallies();

  /** Site ids with a record in {@code sites}; guarded by {@code this}. */
  private final Set<String> known = new HashSet<>();

  DistrictCounts(DistrictFamilies families) {
    this.families = families;
  }

  /**
   * Fills the counts at open: the schools heard from, and the tallies family, or, for a store
   * written before it had one, every stored block counted once (and the tallies written).
   */
  synchronized void load(Collection<String> schools, DistrictBlocks blocks) throws StoreException {
    known.addAll(schools);
    if (families.counted) {
      families.scan(
          families.tallies,
          new byte[0],
          (k, v) -> {
            String text = new String(k, StandardCharsets.UTF_8);
            int sep = text.indexOf('\0');
            ByteBuffer n = ByteBuffer.wrap(v);
            counts.add(text.substring(0, sep), text.substring(sep + 1), n.getLong(), n.getLong());
          });
    } else {
      countStoredBlocks(blocks);
    }
  }

  private void countStoredBlocks(DistrictBlocks blocks) throws StoreException {
    blocks.forEachBlock(
        null,
        b ->
            counts.add(
                b.school(),
                b.event().path("domain").asText(""),
                1,
                b.event().path("instructional").asBoolean() ? 1 : 0));
    try (WriteBatch wb = new WriteBatch()) {
      for (Tallies.Row r : counts.rows(null)) {
        wb.put(families.tallies, key(r.school(), r.domain()), tally(r.blocks(), r.instructional()));
      }
      families.db.write(families.writeOptions, wb);
    } catch (RocksDBException e) {
      throw families.writeFailed(e);
    }
  }

  private static byte[] tally(long blocks, long instructional) {
    return ByteBuffer.allocate(16).putLong(blocks).putLong(instructional).array();
  }

  /** The schools with a record in {@code sites}, in no order. */
  synchronized List<String> heard() {
    return new ArrayList<>(known);
  }

  /** Whether the school has a record in {@code sites}. */
  synchronized boolean heardOf(String site) {
    return known.contains(site);
  }

  /**
   * Puts into the batch the tallies the delta changes, as they will be with it; a tally left with
   * no blocks (its events deleted or replaced) is deleted.
   */
  synchronized void stage(WriteBatch wb, Tallies delta) throws RocksDBException {
    for (Tallies.Row r : delta.rows(null)) {
      long[] now = counts.get(r.school(), r.domain());
      long left = now[0] + r.blocks();
      if (left == 0) {
        wb.delete(families.tallies, key(r.school(), r.domain()));
      } else {
        wb.put(
            families.tallies, key(r.school(), r.domain()), tally(left, now[1] + r.instructional()));
      }
    }
  }

  /** Counts a batch once it is written: its tallies' delta and the schools it added. */
  synchronized void written(Tallies delta, Set<String> added) {
    known.addAll(added);
    for (Tallies.Row r : delta.rows(null)) {
      counts.add(r.school(), r.domain(), r.blocks(), r.instructional());
    }
  }

  /** The schools with at least one counted block, in id order. */
  synchronized List<String> schools() {
    return new ArrayList<>(counts.schools());
  }

  synchronized Map<String, long[]> totals() {
    return counts.totals();
  }

  synchronized List<Tallies.DomainSum> domainSums() {
    return counts.domainSums();
  }

  synchronized List<Tallies.Row> rows(String school) {
    return counts.rows(school);
  }

  synchronized int schoolsHeard() {
    return known.size();
  }
}
