package org.bellwatch.agent.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.bellwatch.agent.store.EventStore.EventRef;

/**
 * The events a store held when its export was first enabled, still to be put in the outbox: the key
 * range (after {@code after}, up to and including {@code upTo}) in store order. {@link EventStore}
 * walks it in batches, writing each batch's outbox entries and the new {@code after} in one
 * WriteBatch, so a restart resumes where the last batch ended and no event is queued twice. While
 * the walk has not passed a key, a new event stored under it is left to the walk (see {@link
 * #awaits}).
 *
 * <p>Kept in the offsets family under {@link #KEY}: 16 bytes ({@code upTo}, nothing queued yet), 32
 * bytes ({@code upTo}, then {@code after}), or none (the walk is over, or there was nothing to
 * walk).
 */
record OutboxBackfill(EventRef after, EventRef upTo) {
  static final byte[] KEY = "export:kafka:backfill".getBytes(StandardCharsets.UTF_8);
  static final byte[] DONE = new byte[0];

  /** The state stored under {@link #KEY}: a range to walk, or null when the walk is over. */
  static OutboxBackfill decode(byte[] v) {
    if (v.length != 16 && v.length != 32) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(v);
    EventRef upTo = new EventRef(b.getLong(), b.getLong());
    return new OutboxBackfill(v.length == 32 ? new EventRef(b.getLong(), b.getLong()) : null, upTo);
  }

  byte[] encode() {
    ByteBuffer b =
        ByteBuffer.allocate(after == null ? 16 : 32).putLong(upTo.micros()).putLong(upTo.suffix());
    if (after != null) {
      b.putLong(after.micros()).putLong(after.suffix());
    }
    return b.array();
  }

  /** True while the walk has not reached {@code ref}: the walk, not the write, will queue it. */
  boolean awaits(EventRef ref) {
    return (after == null || compare(ref, after) > 0) && compare(ref, upTo) <= 0;
  }

  /** Key order: time, then suffix, as unsigned big-endian bytes (RocksDB's default comparator). */
  static int compare(EventRef a, EventRef b) {
    int c = Long.compareUnsigned(a.micros(), b.micros());
    return c != 0 ? c : Long.compareUnsigned(a.suffix(), b.suffix());
  }
}
