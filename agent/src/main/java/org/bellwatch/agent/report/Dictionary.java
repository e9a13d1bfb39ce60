package org.bellwatch.agent.report;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Interns the distinct values of one column as small integers; 0 stands for null. Values can be
 * looked up as strings or as their UTF-8 bytes (an open-addressing table over the bytes), so that
 * loading the index from the store interns a field without making a {@code String} for values it
 * has already seen.
 */
final class Dictionary {
  static final int NULL = 0;
  private final Map<String, Integer> ids = new HashMap<>();
  private final List<String> values = new ArrayList<>(List.of(""));

  /** UTF-8 of each value by id (index 0 unused). */
  private byte[][] utf8 = new byte[16][];

  /** Open addressing over {@link #utf8}: ids, 0 for an empty slot. */
  private int[] slots = new int[64];

  private long valueBytes;

  int id(String value) {
    if (value == null) {
      return NULL;
    }
    Integer id = ids.get(value);
    return id != null ? id : add(value, value.getBytes(StandardCharsets.UTF_8));
  }

  /** The id of the value whose UTF-8 is {@code b[off, off+len)}; {@code len < 0} is null. */
  int id(byte[] b, int off, int len) {
    if (len < 0) {
      return NULL;
    }
    int mask = slots.length - 1;
    for (int i = hash(b, off, len) & mask; ; i = (i + 1) & mask) {
      int id = slots[i];
      if (id == 0) {
        String value = new String(b, off, len, StandardCharsets.UTF_8);
        // Two byte forms can name one string (malformed UTF-8 decodes to U+FFFD): the string
        // decides.
        Integer known = ids.get(value);
        return known != null ? known : add(value, Arrays.copyOfRange(b, off, off + len));
      }
      byte[] v = utf8[id];
      if (v.length == len && Arrays.equals(v, 0, len, b, off, off + len)) {
        return id;
      }
    }
  }

  private int add(String value, byte[] bytes) {
    int id = values.size();
    valueBytes += bytes.length;
    values.add(value);
    ids.put(value, id);
    if (id >= utf8.length) {
      utf8 = Arrays.copyOf(utf8, utf8.length * 2);
    }
    utf8[id] = bytes;
    if (id * 2 >= slots.length) {
      slots = new int[slots.length * 2];
      for (int k = 1; k < id; k++) {
        place(k);
      }
    }
    place(id);
    return id;
  }

  /**
   * About how much heap the dictionary holds: per value its {@code String} and bytes, the UTF-8
   * copy, the map entry and boxed id, and the table slots (object headers of a 64-bit JVM with
   * compressed pointers).
   */
  long memoryBytes() {
    return values.size() * 116L + 2 * valueBytes + slots.length * 4L + utf8.length * 4L;
  }

  private void place(int id) {
    byte[] v = utf8[id];
    int mask = slots.length - 1;
    int i = hash(v, 0, v.length) & mask;
    while (slots[i] != 0) {
      i = (i + 1) & mask;
    }
    slots[i] = id;
  }

  private static int hash(byte[] b, int off, int len) {
    int h = 0x811c9dc5;
    for (int i = off, end = off + len; i < end; i++) {
      h = (h ^ b[i]) * 0x01000193;
    }
    return h ^ (h >>> 16);
  }

  /** The id of a value already seen, or -1 (matches nothing) when it was never seen. */
  int find(String value) {
    if (value == null) {
      return NULL;
    }
    Integer id = ids.get(value);
    return id == null ? -1 : id;
  }

  String value(int id) {
    return id == NULL ? null : values.get(id);
  }

  int size() {
    return values.size();
  }
}
