package org.bellwatch.agent.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bellwatch.agent.correlate.BlockAttempt;
import org.bellwatch.agent.correlate.BlockEventJson;
import org.bellwatch.agent.correlate.BlockEvidence;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.BlockEvent;

/**
 * Keys and values of the {@code events} column family.
 *
 * <p>Key: event time in microseconds since the epoch (8 bytes, big-endian, so keys sort by time)
 * and an 8-byte hash of client, domain, source and method. The key is a function of the event, so
 * reading the same input twice writes the same keys: replays and restarts over files never
 * duplicate events.
 *
 * <p>Value: a format version byte, then the encoding of that version. Readers keep every old
 * version readable; writers use the newest.
 *
 * <ul>
 *   <li>1: the event's JSON (DESIGN.md block event shape);
 *   <li>2: binary: time in microseconds (8 bytes), the fourteen text fields in record order each as
 *       a varint of (UTF-8 length + 1, 0 for null) and the bytes, the instructional flag (1 byte),
 *       then the evidence count (varint) and each line as a text field. About a third of the JSON's
 *       size, and the store reads millions of them at start.
 *   <li>3: version 2, then the evidence records the event was attributed from (what merging late
 *       evidence into it needs, docs/design.md): their count (varint) and per record its time
 *       (epoch seconds, 8 bytes, and nanoseconds, varint), source, method, user, URL and category
 *       as text fields, and its evidence line as a text field that is null when it is the event's
 *       evidence line of the same index (as the attributor writes them: the records' lines come
 *       first).
 *   <li>4: version 2 whose flag byte holds bits: 1 instructional, 2 blocked while teaching, 4 the
 *       evidence records follow, encoded as in version 3. The byte of versions 2 and 3 is 0 or 1,
 *       so {@link #fields} reads the flag byte of every version alike.
 * </ul>
 *
 * <p>Design note. One class at about 400 lines because it is one format: every version's reader and
 * the writer share the field order and the varint and text primitives, and keeping them together is
 * what keeps a new version from misreading an old one (each version's layout above is read by the
 * code below it).
 */
final class EventCodec {
  static final byte VALUE_V1 = 1;
  static final byte VALUE_V2 = 2;
  static final byte VALUE_V3 = 3;
  static final byte VALUE_V4 = 4;

  /** Bits of version 4's flag byte. */
  static final int FLAG_INSTRUCTIONAL = 1;

  static final int FLAG_WHILE_TEACHING = 2;
  static final int FLAG_RECORDS = 4;
  static final int KEY_BYTES = 16;
  static final int TEXT_FIELDS = 14;

  private final ObjectMapper mapper = new ObjectMapper();

  /** The encoding of an event without its evidence records. */
  byte[] value(BlockEvent e) {
    return value(e, micros(e.time()));
  }

  /**
   * As {@link #value(BlockEvent)}, with the time in microseconds the caller has already computed.
   */
  byte[] value(BlockEvent e, long micros) {
    Out out = encode(e, micros, null);
    return Arrays.copyOf(out.buf, out.n);
  }

  /** The newest encoding of an attempt: its event and, when known, its evidence records. */
  byte[] value(BlockAttempt a) {
    Out out = encode(a.event(), micros(a.event().time()), a.evidence());
    return Arrays.copyOf(out.buf, out.n);
  }

  /**
   * Writes the encoding of {@code e} (with its evidence {@code records} when not null) over {@code
   * target} from index 0 (a direct buffer that RocksDB reads without a copy into a Java array), or
   * into a larger buffer when it does not fit; returns the buffer written, flipped for reading.
   */
  ByteBuffer value(BlockEvent e, long micros, List<BlockEvidence> records, ByteBuffer target) {
    Out out = encode(e, micros, records);
    ByteBuffer b =
        target.capacity() >= out.n
            ? target
            : ByteBuffer.allocateDirect(Math.max(out.n, 2 * target.capacity()));
    b.clear();
    b.put(out.buf, 0, out.n);
    return b.flip();
  }

  /** The encoding in this thread's reused buffer; valid until the thread's next encoding. */
  private static Out encode(BlockEvent e, long micros, List<BlockEvidence> records) {
    Out out = OUT.get();
    out.n = 0;
    out.u8(VALUE_V4);
    out.i64(micros);
    out.text(e.clientIp());
    out.text(e.mac());
    out.text(e.hostname());
    out.text(e.user());
    out.text(e.domain());
    out.text(e.url());
    out.text(e.category());
    out.text(e.source());
    out.text(e.method());
    out.text(e.room());
    out.text(e.section());
    out.text(e.course());
    out.text(e.teacher());
    out.text(e.period());
    out.u8(
        (e.instructional() ? FLAG_INSTRUCTIONAL : 0)
            | (e.whileTeaching() ? FLAG_WHILE_TEACHING : 0)
            | (records != null ? FLAG_RECORDS : 0));
    out.varint(e.evidence().size());
    for (String line : e.evidence()) {
      out.text(line);
    }
    if (records != null) {
      out.varint(records.size());
      for (int i = 0; i < records.size(); i++) {
        BlockEvidence r = records.get(i);
        out.i64(r.time().getEpochSecond());
        out.varint(r.time().getNano());
        out.text(r.source());
        out.text(r.method());
        out.text(r.user());
        out.text(r.url());
        out.text(r.category());
        boolean sameLine = i < e.evidence().size() && e.evidence().get(i).equals(r.evidence());
        out.text(sameLine ? null : r.evidence());
      }
    }
    return out;
  }

  /** Version 1 encoding, kept so that tests can write what older versions stored. */
  byte[] valueV1(BlockEvent e) throws IOException {
    byte[] json = mapper.writeValueAsBytes(BlockEventJson.toJson(mapper, e));
    byte[] value = new byte[json.length + 1];
    value[0] = VALUE_V1;
    System.arraycopy(json, 0, value, 1, json.length);
    return value;
  }

  BlockEvent decode(byte[] value) throws IOException {
    return decode(value, true);
  }

  /**
   * Decodes a value; without evidence the event's evidence list is empty (cheaper to read in bulk).
   */
  BlockEvent decode(byte[] value, boolean withEvidence) throws IOException {
    if (value.length == 0) {
      throw new IOException("empty event value");
    }
    if (value[0] == VALUE_V2 || value[0] == VALUE_V3 || value[0] == VALUE_V4) {
      return decodeV2(new In(value, 1), withEvidence);
    }
    if (value[0] == VALUE_V1) {
      return BlockEventJson.fromJson(mapper.readTree(value, 1, value.length - 1));
    }
    throw new IOException(
        "event value version " + value[0] + " is newer than this Bellwatch understands");
  }

  /**
   * An event with its evidence records; the records are null for values written without them
   * (versions 1 and 2, and 4 without its records flag).
   */
  BlockAttempt decodeAttempt(byte[] value) throws IOException {
    if (value.length > 0 && (value[0] == VALUE_V3 || value[0] == VALUE_V4)) {
      In in = new In(value, 1);
      int[] flags = new int[1];
      BlockEvent e = decodeV2(in, true, flags);
      if (value[0] == VALUE_V4 && (flags[0] & FLAG_RECORDS) == 0) {
        return new BlockAttempt(e, null);
      }
      int n = in.varint();
      if (n > value.length) {
        throw new IOException("event value: record count " + n + " exceeds the value");
      }
      InetAddress client = e.clientIp() == null ? null : AddressText.parseIp(e.clientIp());
      List<BlockEvidence> records = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        long secs = in.i64();
        int nanos = in.varint();
        if (nanos < 0 || nanos > 999_999_999) {
          throw new IOException("event value: record time has " + nanos + " nanoseconds");
        }
        String source = in.text();
        String method = in.text();
        String user = in.text();
        String url = in.text();
        String category = in.text();
        String line = in.text();
        if (line == null) {
          if (i >= e.evidence().size()) {
            throw new IOException(
                "event value: record " + i + " names an evidence line the event lacks");
          }
          line = e.evidence().get(i);
        }
        records.add(
            new BlockEvidence(
                Instant.ofEpochSecond(secs, nanos),
                client,
                e.domain(),
                url,
                user,
                category,
                source,
                method,
                line));
      }
      return new BlockAttempt(e, records);
    }
    return new BlockAttempt(decode(value), null);
  }

  private static BlockEvent decodeV2(In in, boolean withEvidence) throws IOException {
    return decodeV2(in, withEvidence, new int[1]);
  }

  /** Versions 2 to 4 up to the evidence lines; {@code flags[0]} gets the flag byte. */
  private static BlockEvent decodeV2(In in, boolean withEvidence, int[] flags) throws IOException {
    long micros = in.i64();
    String[] f = new String[14];
    for (int i = 0; i < f.length; i++) {
      f[i] = in.text();
    }
    flags[0] = in.u8();
    boolean instructional = (flags[0] & FLAG_INSTRUCTIONAL) != 0;
    boolean whileTeaching = (flags[0] & FLAG_WHILE_TEACHING) != 0;
    int n = withEvidence ? in.varint() : 0;
    if (n > in.limit) {
      throw new IOException("event value: evidence count " + n + " exceeds the value");
    }
    List<String> evidence = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      evidence.add(in.text());
    }
    Instant time =
        Instant.ofEpochSecond(
            Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    return new BlockEvent(
        time,
        f[0],
        f[1],
        f[2],
        f[3],
        f[4],
        f[5],
        f[6],
        f[7],
        f[8],
        f[9],
        f[10],
        f[11],
        f[12],
        f[13],
        instructional,
        whileTeaching,
        evidence);
  }

  /**
   * Reads the time, the text fields' positions and the flags of a {@link #VALUE_V2}, {@link
   * #VALUE_V3} or {@link #VALUE_V4} value into {@code raw}, bounds-checked like {@link #decode};
   * the evidence is not read.
   */
  static void fields(byte[] value, int length, RawEvent raw) throws IOException {
    In in = new In(value, 1, length);
    raw.micros = in.i64();
    for (int f = 0; f < TEXT_FIELDS; f++) {
      int len = in.varint();
      if (len == 0) {
        raw.offset[f] = 0;
        raw.length[f] = -1;
      } else {
        in.need(len - 1);
        raw.offset[f] = in.p;
        raw.length[f] = len - 1;
        in.p += len - 1;
      }
    }
    int flags = in.u8();
    raw.instructional = (flags & FLAG_INSTRUCTIONAL) != 0;
    raw.whileTeaching = (flags & FLAG_WHILE_TEACHING) != 0;
  }

  /**
   * Each thread's value buffer: the store encodes millions of values, each into a buffer used
   * before.
   */
  private static final ThreadLocal<Out> OUT = ThreadLocal.withInitial(Out::new);

  /** A growing byte buffer for one value at a time. */
  private static final class Out {
    private byte[] buf = new byte[1024];
    private int n;

    void u8(int v) {
      ensure(1);
      buf[n++] = (byte) v;
    }

    void i64(long v) {
      ensure(8);
      for (int shift = 56; shift >= 0; shift -= 8) {
        buf[n++] = (byte) (v >>> shift);
      }
    }

    void varint(int v) {
      ensure(5);
      while ((v & ~0x7f) != 0) {
        buf[n++] = (byte) ((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      buf[n++] = (byte) v;
    }

    void text(String s) {
      if (s == null) {
        varint(0);
        return;
      }
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      varint(b.length + 1);
      ensure(b.length);
      System.arraycopy(b, 0, buf, n, b.length);
      n += b.length;
    }

    private void ensure(int more) {
      if (n + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
      }
    }
  }

  /**
   * A bounds-checked reader of one value: a damaged value is an IOException, never an index error.
   */
  private static final class In {
    private final byte[] b;
    private final int limit;
    private int p;

    In(byte[] b, int p) {
      this(b, p, b.length);
    }

    In(byte[] b, int p, int limit) {
      this.b = b;
      this.p = p;
      this.limit = limit;
    }

    int u8() throws IOException {
      need(1);
      return b[p++] & 0xff;
    }

    long i64() throws IOException {
      need(8);
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = v << 8 | (b[p++] & 0xff);
      }
      return v;
    }

    int varint() throws IOException {
      int v = 0;
      for (int shift = 0; shift < 35; shift += 7) {
        int x = u8();
        v |= (x & 0x7f) << shift;
        if ((x & 0x80) == 0) {
          return v;
        }
      }
      throw new IOException("event value: varint too long");
    }

    String text() throws IOException {
      int len = varint();
      if (len == 0) {
        return null;
      }
      need(len - 1);
      String s = new String(b, p, len - 1, StandardCharsets.UTF_8);
      p += len - 1;
      return s;
    }

    private void need(int len) throws IOException {
      if (len < 0 || p + len > limit) {
        throw new IOException("event value: truncated");
      }
    }
  }

  static byte[] key(BlockEvent e) {
    return key(micros(e.time()), suffix(e));
  }

  /** The key's second half: a hash of what makes an attempt distinct at one instant. */
  static long suffix(BlockEvent e) {
    long h = 1125899906842597L;
    h = mix(h, e.clientIp());
    h = mix(h, e.domain());
    h = mix(h, e.source());
    return mix(h, e.method());
  }

  /**
   * {@code h = 31 * h + c} over the part's chars (null as ""), then the separator 0x1f: the
   * function that every stored key was made with, so it must never change.
   */
  private static long mix(long h, String part) {
    if (part != null) {
      for (int i = 0; i < part.length(); i++) {
        h = 31 * h + part.charAt(i);
      }
    }
    return 31 * h + 0x1f;
  }

  static byte[] key(long micros, long suffix) {
    return key(micros, suffix, ByteBuffer.allocate(KEY_BYTES)).array();
  }

  /** The key written over {@code target} (of {@link #KEY_BYTES} at least), flipped for reading. */
  static ByteBuffer key(long micros, long suffix, ByteBuffer target) {
    target.clear();
    return target.putLong(micros).putLong(suffix).flip();
  }

  static long timeOf(byte[] key) {
    return ByteBuffer.wrap(key).getLong();
  }

  static long micros(Instant t) {
    return Math.multiplyExact(t.getEpochSecond(), 1_000_000L) + t.getNano() / 1000;
  }
}
