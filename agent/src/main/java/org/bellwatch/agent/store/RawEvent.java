package org.bellwatch.agent.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The fields of one stored event as they lie in its encoded value, for bulk readers (the report
 * index at start) that intern the text fields without building a {@link BlockEvent} and its
 * strings. Valid only during the callback; the buffer is reused for the next event.
 */
public final class RawEvent {
  /** Text fields, in the order of the value's encoding (see {@link EventCodec}). */
  public static final int CLIENT_IP = 0;

  public static final int MAC = 1;
  public static final int USER = 3;
  public static final int DOMAIN = 4;
  public static final int CATEGORY = 6;
  public static final int METHOD = 8;
  public static final int ROOM = 9;
  public static final int SECTION = 10;
  public static final int COURSE = 11;
  public static final int TEACHER = 12;
  public static final int PERIOD = 13;

  byte[] bytes = new byte[0];
  final int[] offset = new int[EventCodec.TEXT_FIELDS];
  final int[] length = new int[EventCodec.TEXT_FIELDS];
  long micros;
  long suffix;
  boolean instructional;
  boolean whileTeaching;

  public long micros() {
    return micros;
  }

  /** The key's second half ({@link EventStore.EventRef#suffix()}). */
  public long suffix() {
    return suffix;
  }

  public boolean instructional() {
    return instructional;
  }

  public boolean whileTeaching() {
    return whileTeaching;
  }

  /** The buffer holding the text fields' UTF-8 bytes. */
  public byte[] bytes() {
    return bytes;
  }

  public int offset(int field) {
    return offset[field];
  }

  /** The UTF-8 length of a text field, or -1 when it is null. */
  public int length(int field) {
    return length[field];
  }

  /**
   * Every stored event oldest first (evidence is skipped, not decoded), into one reused {@code
   * RawEvent}.
   */
  static void forEach(
      RocksDB db,
      ColumnFamilyHandle events,
      EventCodec codec,
      Path dir,
      Consumer<RawEvent> consumer)
      throws StoreException {
    RawEvent raw = new RawEvent();
    ByteBuffer keyBuf = ByteBuffer.allocateDirect(EventCodec.KEY_BYTES);
    ByteBuffer valueBuf = ByteBuffer.allocateDirect(4096);
    try (ReadOptions ro = new ReadOptions().setReadaheadSize(4 << 20).setFillCache(false);
        RocksIterator it = db.newIterator(events, ro)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        keyBuf.clear();
        int klen = it.key(keyBuf);
        if (klen < EventCodec.KEY_BYTES) {
          throw new IOException("event key of " + klen + " bytes");
        }
        raw.suffix = keyBuf.getLong(8);
        valueBuf.clear();
        int vlen = it.value(valueBuf);
        if (vlen > valueBuf.capacity()) {
          valueBuf = ByteBuffer.allocateDirect(Math.max(vlen, valueBuf.capacity() * 2));
          it.value(valueBuf);
        }
        if (raw.bytes.length < vlen) {
          raw.bytes = new byte[Math.max(vlen, 2 * raw.bytes.length)];
        }
        valueBuf.get(raw.bytes, 0, vlen);
        if (vlen > 0
            && raw.bytes[0] != EventCodec.VALUE_V2
            && raw.bytes[0] != EventCodec.VALUE_V3
            && raw.bytes[0] != EventCodec.VALUE_V4) {
          // An older encoding: decode it whole, then read the fields from its newest encoding.
          byte[] v2 = codec.value(codec.decode(Arrays.copyOf(raw.bytes, vlen), false));
          raw.bytes = v2.length > raw.bytes.length ? v2 : raw.bytes;
          System.arraycopy(v2, 0, raw.bytes, 0, v2.length);
          vlen = v2.length;
        }
        EventCodec.fields(raw.bytes, vlen, raw);
        consumer.accept(raw);
      }
      it.status();
    } catch (RocksDBException | IOException e) {
      throw new StoreException("store " + dir + ": read failed: " + e.getMessage(), e);
    }
  }
}
