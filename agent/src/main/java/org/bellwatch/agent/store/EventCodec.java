package org.bellwatch.agent.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.bellwatch.agent.correlate.BlockEvent;
import org.bellwatch.agent.correlate.BlockEventJson;

/**
 * Keys and values of the {@code events} column family.
 *
 * <p>Key: event time in microseconds since the epoch (8 bytes, big-endian, so keys sort by time) and an
 * 8-byte hash of client, domain, source and method. The key is a function of the event, so reading the
 * same input twice writes the same keys: replays and restarts over files never duplicate events.
 *
 * <p>Value: a format version byte, then the encoding of that version. Version 1 is the event's JSON
 * (DESIGN.md block event shape). Readers keep every old version readable; writers use the newest.
 */
final class EventCodec {
  static final byte VALUE_V1 = 1;
  static final int KEY_BYTES = 16;

  private final ObjectMapper mapper = new ObjectMapper();

  byte[] value(BlockEvent e) throws IOException {
    byte[] json = mapper.writeValueAsBytes(BlockEventJson.toJson(mapper, e));
    byte[] value = new byte[json.length + 1];
    value[0] = VALUE_V1;
    System.arraycopy(json, 0, value, 1, json.length);
    return value;
  }

  BlockEvent decode(byte[] value) throws IOException {
    if (value.length == 0) {
      throw new IOException("empty event value");
    }
    if (value[0] == VALUE_V1) {
      return BlockEventJson.fromJson(mapper.readTree(value, 1, value.length - 1));
    }
    throw new IOException("event value version " + value[0] + " is newer than this Bellwatch understands");
  }

  static byte[] key(BlockEvent e) {
    return key(micros(e.time()), suffix(e));
  }

  /** The key's second half: a hash of what makes an attempt distinct at one instant. */
  static long suffix(BlockEvent e) {
    long h = 1125899906842597L;
    for (String part : new String[] {e.clientIp(), e.domain(), e.source(), e.method()}) {
      String s = part == null ? "" : part;
      for (int i = 0; i < s.length(); i++) {
        h = 31 * h + s.charAt(i);
      }
      h = 31 * h + 0x1f;
    }
    return h;
  }

  static byte[] key(long micros, long suffix) {
    return ByteBuffer.allocate(KEY_BYTES).putLong(micros).putLong(suffix).array();
  }

  static long timeOf(byte[] key) {
    return ByteBuffer.wrap(key).getLong();
  }

  static long micros(Instant t) {
    return Math.multiplyExact(t.getEpochSecond(), 1_000_000L) + t.getNano() / 1000;
  }
}
