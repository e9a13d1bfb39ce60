package org.bellwatch.agent.capture;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.event.RawFrame;
import org.bellwatch.agent.util.InputFiles;

/**
 * Streams frames out of a classic pcap file (microsecond or nanosecond, either byte order) or a
 * pcapng file (draft-ietf-opsawg-pcapng: sections in either byte order, several interfaces each
 * with its own link type and {@code if_tsresol}, enhanced/simple/obsolete packet blocks, other
 * blocks skipped).
 *
 * <p>A record or block cut short by the end of the file ends iteration and is counted in {@link
 * #truncatedRecords()} (captures killed mid-write are common). A file that is not a capture at all
 * (its magic number, its file or first section header) is a {@link CaptureFileException} naming the
 * file; other {@link IOException}s are the disk's.
 *
 * <p>Damage further in is read past, as far as the format allows, and counted by reason in {@link
 * #skipped()}: one bad record header used to end the whole file, so {@code decode} wrote nothing. A
 * classic pcap record header says nothing about where the next one starts except through its own
 * length, so after one that cannot be (a captured length beyond the snap length, a fraction of a
 * second of a second or more) the reader moves on one byte at a time until a header is plausible
 * and so is the one after its record (or the record ends the file): {@code bad_record_header}. A
 * pcapng block carries its length at both ends (draft-ietf-opsawg-pcapng section 3.1), so a block
 * whose length is impossible or whose two copies differ is stepped over the same way, to a known
 * block type whose two copies agree: {@code bad_block_length}; a block of sound length whose
 * content is unusable (too short for its type, data running past it, a packet for an interface
 * never described) is skipped whole: {@code bad_block}. One byte array is allocated per packet; the
 * returned frame's buffer is a read-only view of it.
 *
 * <p>Design note (one class): classic pcap and pcapng share the read-ahead buffer, the byte order,
 * the counting of truncated and skipped stretches and the resynchronization walk ({@link #resync});
 * the format is chosen once, from the magic number, and each has its own next-record method. Split
 * in two, the damage handling, most of the code, would become state shared between them.
 */
public final class PcapFileReader implements Closeable {
  private static final int MAGIC_MICROS = 0xa1b2c3d4;
  private static final int MAGIC_NANOS = 0xa1b23c4d;
  private static final int PCAPNG_SHB = 0x0a0d0d0a;
  private static final int PCAPNG_BOM = 0x1a2b3c4d;
  private static final int PCAPNG_IDB = 1;
  private static final int PCAPNG_OPB = 2;
  private static final int PCAPNG_SPB = 3;
  private static final int PCAPNG_EPB = 6;

  /** No sane capture has a record or block this large; beyond it the length field is garbage. */
  private static final int MAX_RECORD = 64 * 1024 * 1024;

  /**
   * The longest classic record taken as plausible when the file's snap length is smaller: libpcap's
   * largest default snap length (MAXIMUM_SNAPLEN), which some writers use whatever the header says.
   */
  private static final int DEFAULT_SNAPLEN = 262_144;

  /**
   * The longest block a resynchronization accepts as the next one (a packet of DEFAULT_SNAPLEN and
   * more).
   */
  private static final int MAX_RESYNC_BLOCK = 1 << 20;

  /**
   * Two consecutive records this far apart in time do not follow each other: a false resync point.
   */
  private static final long MAX_GAP_SECS = 86_400;

  /** pcapng block types a resynchronization may land on (draft-ietf-opsawg-pcapng section 10.1). */
  private static final java.util.Set<Integer> KNOWN_BLOCKS =
      java.util.Set.of(
          PCAPNG_IDB, PCAPNG_OPB, PCAPNG_SPB, 4, 5, PCAPNG_EPB, 9, 10, 0x00000BAD, 0x40000BAD);

  private final Path path;
  private final ReadAhead in;
  private final boolean pcapng;
  private ByteOrder order;
  private boolean nanos;
  private int classicLinkType;
  private final List<Interface> interfaces = new ArrayList<>();
  private long truncated;
  private long recordIndex;
  private boolean done;

  /** Classic pcap: the longest captured length taken as plausible. */
  private long recordLimit = DEFAULT_SNAPLEN;

  /** Classic pcap: the seconds of the last record read whole, -1 before the first. */
  private long lastSecs = -1;

  private final java.util.Map<String, Long> skipped = new java.util.TreeMap<>();
  private long skippedBytes;

  /** One pcapng interface: link type, snap length and timestamp resolution. */
  private record Interface(
      int linkType, long snapLen, boolean powerOfTwo, int exponent, long offsetSecs) {}

  private PcapFileReader(Path path, ReadAhead in, boolean pcapng) {
    this.path = path;
    this.in = in;
    this.pcapng = pcapng;
  }

  /**
   * Opens {@code file} and reads its file or section header.
   *
   * @throws CaptureFileException when the file is missing, cannot be read or is neither pcap nor
   *     pcapng; the message names the file and says why
   */
  public static PcapFileReader open(Path file) throws IOException {
    ReadAhead in = new ReadAhead(input(file), 256 * 1024);
    try {
      byte[] magic = new byte[4];
      int n;
      try {
        n = in.fill(4);
      } catch (IOException e) {
        // A read error (EIO) carries no file name in its message.
        throw new CaptureFileException(file + ": cannot be read: " + e.getMessage());
      }
      if (n < 4) {
        throw new CaptureFileException(
            file + ": not a pcap or pcapng file (only " + n + " bytes long)");
      }
      in.peek(0, magic, 4);
      int be = ByteBuffer.wrap(magic).getInt();
      int le = Integer.reverseBytes(be);
      if (be == PCAPNG_SHB) {
        PcapFileReader r = new PcapFileReader(file, in, true);
        r.readSectionHeader();
        return r;
      }
      PcapFileReader r = new PcapFileReader(file, in, false);
      if (be == MAGIC_MICROS || be == MAGIC_NANOS) {
        r.order = ByteOrder.BIG_ENDIAN;
        r.nanos = be == MAGIC_NANOS;
      } else if (le == MAGIC_MICROS || le == MAGIC_NANOS) {
        r.order = ByteOrder.LITTLE_ENDIAN;
        r.nanos = le == MAGIC_NANOS;
      } else {
        throw new CaptureFileException(
            String.format("%s: not a pcap or pcapng file (unknown magic number 0x%08x)", file, be));
      }
      in.skip(4);
      byte[] rest = new byte[20];
      if (in.readNBytes(rest, 0, 20) < 20) {
        throw new CaptureFileException(file + ": pcap file header is truncated");
      }
      // version(2+2) thiszone(4) sigfigs(4) snaplen(4) linktype(4); the top bits of the last field
      // may
      // carry FCS information, the link type is the low 16 bits.
      r.classicLinkType = ByteBuffer.wrap(rest).order(r.order).getInt(16) & 0xffff;
      long snapLen = ByteBuffer.wrap(rest).order(r.order).getInt(12) & 0xffffffffL;
      r.recordLimit = Math.min(MAX_RECORD, Math.max(snapLen, DEFAULT_SNAPLEN));
      return r;
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /**
   * The file opened for reading. {@link NoSuchFileException} and its kin carry only the path as
   * their message, which logged alone said nothing about what went wrong; here the reason is
   * spelled out.
   */
  private static InputStream input(Path file) throws CaptureFileException {
    String special = InputFiles.notRegular(file);
    if (special != null) {
      throw new CaptureFileException(file + ": " + special);
    }
    try {
      return Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new CaptureFileException(file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new CaptureFileException(
          file + ": permission denied for user " + System.getProperty("user.name"));
    } catch (FileSystemException e) {
      throw new CaptureFileException(
          file + ": " + (e.getReason() != null ? e.getReason() : "cannot be opened"));
    } catch (IOException e) {
      throw new CaptureFileException(file + ": cannot be opened: " + e.getMessage());
    }
  }

  /**
   * Records or blocks cut short at the end of the file (0 or 1 unless the file was concatenated).
   */
  public long truncatedRecords() {
    return truncated;
  }

  /**
   * Damaged stretches read past so far, by reason: {@code bad_record_header}, {@code
   * bad_block_length} (each a stretch of bytes up to the next plausible record or block) and {@code
   * bad_block} (one block).
   */
  public java.util.Map<String, Long> skipped() {
    return java.util.Collections.unmodifiableMap(skipped);
  }

  /** Bytes in the stretches of {@link #skipped()}. */
  public long skippedBytes() {
    return skippedBytes;
  }

  private void skippedOver(String reason, long bytes) {
    skipped.merge(reason, 1L, Long::sum);
    skippedBytes += bytes;
  }

  /** A test of whether a plausible record or block starts at the reader's position. */
  private interface Probe {
    boolean here() throws IOException;
  }

  /**
   * Steps over the damaged record or block at the reader's position, one byte at a time, to the
   * next position where {@code plausible} holds, and counts the stretch under {@code reason}. False
   * when the file ends first: the stretch then ran to the end, and is counted as one truncated
   * record instead when {@code endIsTruncation} (a record cut short by the end of the file, not
   * damage).
   */
  private boolean resync(String reason, Probe plausible, boolean endIsTruncation)
      throws IOException {
    long n = 0;
    do {
      in.skip(1);
      n++;
    } while (in.fill(1) > 0 && !plausible.here());
    if (in.fill(1) == 0) {
      if (endIsTruncation) {
        truncated++;
      } else {
        skippedOver(reason, n);
      }
      return false;
    }
    skippedOver(reason, n);
    return true;
  }

  /**
   * Whether a whole header of {@code n} bytes is ahead. At the end of the file it is not; a part of
   * one there is a truncated record.
   */
  private boolean header(int n) throws IOException {
    int got = in.fill(n);
    if (got > 0 && got < n) {
      truncated++;
    }
    return got == n;
  }

  /** A 32-bit field {@code at} bytes ahead, in the file's (or section's) byte order, unsigned. */
  private long peekU32(int at) {
    int v =
        (in.peek(at) & 0xff) << 24
            | (in.peek(at + 1) & 0xff) << 16
            | (in.peek(at + 2) & 0xff) << 8
            | (in.peek(at + 3) & 0xff);
    return (order == ByteOrder.BIG_ENDIAN ? v : Integer.reverseBytes(v)) & 0xffffffffL;
  }

  /** The next frame, or null at the end of the file (or after a truncated final record). */
  public RawFrame next() throws IOException {
    if (done) {
      return null;
    }
    RawFrame f = pcapng ? nextPcapng() : nextClassic();
    if (f == null) {
      done = true;
    }
    return f;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  // ---- classic pcap
  // ---------------------------------------------------------------------------------

  private RawFrame nextClassic() throws IOException {
    while (true) {
      if (!header(16)) {
        return null;
      }
      long inclLen = peekU32(8);
      if (!saneRecordHeader(0)) {
        if (!resync("bad_record_header", () -> plausibleRecordAt(0), false)) {
          return null;
        }
        continue;
      }
      int whole = 16 + (int) inclLen;
      if (in.fill(whole) < whole) {
        // Cut short by the end of the file, or a length damaged into one that runs past it.
        if (!resync("bad_record_header", () -> plausibleRecordAt(0), true)) {
          return null;
        }
        continue;
      }
      boolean suspect =
          inclLen > peekU32(12) || in.fill(whole + 16) == whole + 16 && !saneRecordHeader(whole);
      if (suspect && swallows(whole)) {
        // Captured longer than on the wire, or no record follows this one; and records start inside
        // it:
        // its length was damaged into a possible one that would swallow them. Read on from the
        // first.
        if (!resync("bad_record_header", () -> plausibleRecordAt(0), false)) {
          return null;
        }
        continue;
      }
      recordIndex++;
      long secs = peekU32(0);
      long frac = peekU32(4);
      in.skip(16);
      byte[] data = new byte[(int) inclLen];
      in.readNBytes(data, 0, data.length);
      lastSecs = secs;
      long micros = secs * 1_000_000L + (nanos ? frac / 1000 : frac);
      return new RawFrame(micros, classicLinkType, ByteBuffer.wrap(data).asReadOnlyBuffer());
    }
  }

  /**
   * The record header {@code at} bytes ahead can be: a fraction under one second, a length within
   * the limit.
   */
  private boolean saneRecordHeader(int at) {
    return peekU32(at + 4) < (nanos ? 1_000_000_000L : 1_000_000L)
        && peekU32(at + 8) <= recordLimit;
  }

  /**
   * A record plausibly starts {@code at} bytes ahead: its header is sane, captured no longer than
   * on the wire, within a day of the last good record, and the header after it is the same (or the
   * record ends the file exactly).
   */
  private boolean plausibleRecordAt(int at) throws IOException {
    if (in.fill(at + 16) < at + 16 || !saneRecordHeader(at) || peekU32(at + 8) > peekU32(at + 12)) {
      return false;
    }
    long secs = peekU32(at);
    if (lastSecs >= 0 && Math.abs(secs - lastSecs) > MAX_GAP_SECS) {
      return false;
    }
    int next = at + 16 + (int) peekU32(at + 8);
    int got = in.fill(next + 16);
    if (got == next) {
      return true;
    }
    return got == next + 16
        && saneRecordHeader(next)
        && peekU32(next + 8) <= peekU32(next + 12)
        && Math.abs(peekU32(next) - secs) <= MAX_GAP_SECS;
  }

  /**
   * Whether a plausible record starts inside the {@code whole} bytes of the record at the reader's
   * position (header excluded): then that record's length is the damage. Checked only when no
   * record follows it.
   */
  private boolean swallows(int whole) throws IOException {
    for (int at = 16; at < whole; at++) {
      if (plausibleRecordAt(at)) {
        return true;
      }
    }
    return false;
  }

  // ---- pcapng
  // -----------------------------------------------------------------------------------------

  /**
   * Reads the section header block at the reader's position. Its byte-order magic sets the
   * section's byte order; the first one of the file must be sound (else this is no pcapng file), a
   * later damaged one is stepped over. False at the end of the file.
   */
  private boolean readSectionHeader() throws IOException {
    boolean first = recordIndex == 0;
    recordIndex++;
    int n = in.fill(12);
    if (n < 12) {
      if (first) {
        throw new CaptureFileException(path + ": pcapng section header is truncated");
      }
      truncated++;
      return false;
    }
    ByteOrder was = order;
    int bom =
        (in.peek(8) & 0xff) << 24
            | (in.peek(9) & 0xff) << 16
            | (in.peek(10) & 0xff) << 8
            | (in.peek(11) & 0xff);
    if (bom == PCAPNG_BOM) {
      order = ByteOrder.BIG_ENDIAN;
    } else if (Integer.reverseBytes(bom) == PCAPNG_BOM) {
      order = ByteOrder.LITTLE_ENDIAN;
    } else if (first) {
      throw new CaptureFileException(
          String.format(
              "%s: not a pcapng file (bad byte-order magic 0x%08x in section header)", path, bom));
    } else {
      return resync("bad_block_length", this::plausibleBlock, false);
    }
    long total = peekU32(4);
    int got = total >= 28 && total % 4 == 0 && total <= MAX_RECORD ? in.fill((int) total) : -1;
    if (first && got < 0) {
      throw new CaptureFileException(
          path + ": block 1 has an impossible length " + total + "; the file is corrupt");
    }
    if (first && got < total) {
      throw new CaptureFileException(path + ": pcapng section header is truncated");
    }
    if (got < total || peekU32((int) total - 4) != total) {
      order = was;
      return resync("bad_block_length", this::plausibleBlock, got >= 0 && got < total);
    }
    in.skip((int) total);
    interfaces.clear(); // interface ids are per section
    return true;
  }

  /**
   * A block plausibly starts here: a section header, or a known block type with a possible length
   * whose copy at the block's end agrees.
   */
  private boolean plausibleBlock() throws IOException {
    if (in.fill(12) < 12) {
      return false;
    }
    if (peekU32(0) == PCAPNG_SHB) { // the same bytes in either order
      int bom =
          (in.peek(8) & 0xff) << 24
              | (in.peek(9) & 0xff) << 16
              | (in.peek(10) & 0xff) << 8
              | (in.peek(11) & 0xff);
      return bom == PCAPNG_BOM || Integer.reverseBytes(bom) == PCAPNG_BOM;
    }
    long total = peekU32(4);
    if (!KNOWN_BLOCKS.contains((int) peekU32(0))
        || total < 12
        || total % 4 != 0
        || total > MAX_RESYNC_BLOCK) {
      return false;
    }
    return in.fill((int) total) == total && peekU32((int) total - 4) == total;
  }

  private RawFrame nextPcapng() throws IOException {
    while (true) {
      if (!header(8)) {
        return null;
      }
      if (peekU32(0) == PCAPNG_SHB) { // the same bytes in either order
        if (!readSectionHeader()) {
          return null;
        }
        continue;
      }
      int type = (int) peekU32(0);
      long total = peekU32(4);
      if (total < 12 || total % 4 != 0 || total > MAX_RECORD) {
        if (!resync("bad_block_length", this::plausibleBlock, false)) {
          return null;
        }
        continue;
      }
      int got = in.fill((int) total);
      if (got < total || peekU32((int) total - 4) != total) {
        // Cut short by the end of the file, or a length damaged into another possible one.
        if (!resync("bad_block_length", this::plausibleBlock, got < total)) {
          return null;
        }
        continue;
      }
      recordIndex++;
      in.skip(8);
      // Body plus the trailing copy of the length; one array per block, which for packets is the
      // frame.
      byte[] body = new byte[(int) total - 8];
      in.readNBytes(body, 0, body.length);
      RawFrame f;
      try {
        f = block(type, body);
      } catch (BadBlock e) {
        skippedOver("bad_block", total);
        continue;
      }
      if (f != null) {
        return f;
      }
    }
  }

  /** A block of sound length whose content cannot be used: skipped whole and counted. */
  private static final class BadBlock extends Exception {
    BadBlock() {
      super(null, null, false, false);
    }
  }

  /**
   * The frame of a packet block, or null for another kind of block (an interface is remembered).
   */
  private RawFrame block(int type, byte[] body) throws BadBlock {
    ByteBuffer b = ByteBuffer.wrap(body).order(order);
    int bodyLen = body.length - 4;
    switch (type) {
      case PCAPNG_IDB:
        // A damaged description still takes its interface id, so that later packets keep theirs.
        interfaces.add(parseInterface(b, bodyLen));
        return null;
      case PCAPNG_EPB, PCAPNG_OPB:
        {
          need(bodyLen >= 20);
          // The enhanced packet block's interface id has 32 bits; the obsolete packet block's 16
          // (then drops).
          Interface itf =
              iface(type == PCAPNG_EPB ? b.getInt(0) & 0xffffffffL : b.getShort(0) & 0xffff);
          long ts = ((b.getInt(4) & 0xffffffffL) << 32) | (b.getInt(8) & 0xffffffffL);
          long capLen = b.getInt(12) & 0xffffffffL;
          need(capLen <= bodyLen - 20);
          return frame(itf, micros(itf, ts), body, 20, (int) capLen);
        }
      case PCAPNG_SPB:
        {
          // No timestamp in a simple packet block: the frame gets time 0 rather than a guessed one.
          need(bodyLen >= 4);
          Interface itf = iface(0);
          long origLen = b.getInt(0) & 0xffffffffL;
          long capLen = Math.min(origLen, bodyLen - 4);
          if (itf.snapLen() > 0) {
            capLen = Math.min(capLen, itf.snapLen());
          }
          return frame(itf, 0L, body, 4, (int) capLen);
        }
      default:
        return null; // name resolution, statistics, custom, decryption secrets...: not ours
    }
  }

  private RawFrame frame(Interface itf, long micros, byte[] body, int off, int len) {
    ByteBuffer view = ByteBuffer.wrap(body, off, len).slice().asReadOnlyBuffer();
    return new RawFrame(micros, itf.linkType(), view);
  }

  /**
   * The interface a packet names; one the section never described (or described unusably) is
   * damage.
   */
  private Interface iface(long id) throws BadBlock {
    Interface itf = id < interfaces.size() ? interfaces.get((int) id) : null;
    need(itf != null);
    return itf;
  }

  private static void need(boolean ok) throws BadBlock {
    if (!ok) {
      throw new BadBlock();
    }
  }

  /**
   * The interface a description block gives, or null when it is too damaged to use (too short, bad
   * resolution).
   */
  private static Interface parseInterface(ByteBuffer b, int bodyLen) {
    if (bodyLen < 8) {
      return null;
    }
    int linkType = b.getShort(0) & 0xffff;
    long snapLen = b.getInt(4) & 0xffffffffL;
    boolean pow2 = false;
    int exponent = 6;
    long offset = 0;
    int p = 8;
    while (p + 4 <= bodyLen) {
      int code = b.getShort(p) & 0xffff;
      int len = b.getShort(p + 2) & 0xffff;
      if (code == 0 || p + 4 + len > bodyLen) {
        break; // opt_endofopt, or an option that does not fit: stop reading options
      }
      if (code == 9 && len >= 1) { // if_tsresol
        int v = b.get(p + 4) & 0xff;
        pow2 = (v & 0x80) != 0;
        exponent = v & 0x7f;
      } else if (code == 14 && len >= 8) { // if_tsoffset, seconds
        offset = b.getLong(p + 4);
      }
      p += 4 + ((len + 3) & ~3);
    }
    if (pow2 ? exponent > 63 : exponent > 18) {
      return null; // if_tsresol out of range
    }
    return new Interface(linkType, snapLen, pow2, exponent, offset);
  }

  /** Converts a timestamp in interface units to microseconds since the epoch. */
  private static long micros(Interface itf, long ts) {
    long micros;
    if (itf.powerOfTwo()) {
      micros =
          new BigInteger(Long.toUnsignedString(ts))
              .multiply(BigInteger.valueOf(1_000_000))
              .shiftRight(itf.exponent())
              .longValue();
    } else if (itf.exponent() >= 6) {
      micros = Long.divideUnsigned(ts, pow10(itf.exponent() - 6));
    } else {
      micros = ts * pow10(6 - itf.exponent());
    }
    return micros + itf.offsetSecs() * 1_000_000L;
  }

  private static long pow10(int n) {
    long v = 1;
    for (int i = 0; i < n; i++) {
      v *= 10;
    }
    return v;
  }
}
