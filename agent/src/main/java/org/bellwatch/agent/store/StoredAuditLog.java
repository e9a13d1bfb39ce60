package org.bellwatch.agent.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.access.AuditEntry;
import org.bellwatch.agent.access.AuditLog;

/**
 * The audit log, oldest first on disk. Keys are the entry's time in microseconds, a sequence number
 * (so entries of one instant keep their order) and 4 random bytes (so that two processes, the agent
 * and {@code bellwatch users}, never overwrite each other's entries).
 */
final class StoredAuditLog implements AuditLog {
  static final int VERSION = 1;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final java.util.concurrent.atomic.AtomicInteger SEQUENCE =
      new java.util.concurrent.atomic.AtomicInteger();
  private final KeyValues kv;

  StoredAuditLog(KeyValues kv) {
    this.kv = kv;
  }

  @Override
  public void append(AuditEntry e) throws StoreException {
    kv.put(key(e), value(e));
  }

  @Override
  public List<AuditEntry> newest(int limit) throws StoreException {
    List<AuditEntry> out = new ArrayList<>();
    for (KeyValues.Entry e : kv.scan(null, true, limit)) {
      out.add(decode(e.value()));
    }
    return out;
  }

  static byte[] key(AuditEntry e) {
    long micros =
        Math.addExact(
            Math.multiplyExact(e.time().getEpochSecond(), 1_000_000L), e.time().getNano() / 1000);
    return ByteBuffer.allocate(16)
        .putLong(micros ^ Long.MIN_VALUE)
        .putInt(SEQUENCE.getAndIncrement() ^ Integer.MIN_VALUE)
        .putInt(RANDOM.nextInt())
        .array();
  }

  static byte[] value(AuditEntry e) {
    return Records.bytes(
        Records.object(VERSION)
            .put("time", Records.iso(e.time()))
            .put("actor", e.actor())
            .put("action", e.action())
            .put("target", e.target())
            .put("client", e.client())
            .put("detail", e.detail()));
  }

  private static AuditEntry decode(byte[] v) throws StoreException {
    JsonNode o = Records.read(v, VERSION, "audit");
    return new AuditEntry(
        Records.instant(o, "time"),
        Records.text(o, "actor"),
        Records.text(o, "action"),
        Records.text(o, "target"),
        Records.text(o, "client"),
        Records.text(o, "detail"));
  }
}
