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

/**
 * Streams frames out of a classic pcap file (microsecond or nanosecond, either byte order) or a pcapng
 * file (draft-ietf-opsawg-pcapng: sections in either byte order, several interfaces each with its own
 * link type and {@code if_tsresol}, enhanced/simple/obsolete packet blocks, other blocks skipped).
 *
 * <p>A record or block cut short by the end of the file ends iteration and is counted in
 * {@link #truncatedRecords()} (captures killed mid-write are common). Structural nonsense (a block length
 * that cannot be, a packet for an interface never described) is a {@link CaptureFileException} naming the
 * file; other {@link IOException}s are the disk's.
 * One byte array is allocated per packet; the returned frame's buffer is a read-only view of it.
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

  private final Path path;
  private final ReadAhead in;
  /** The classic record header, read into the same array every time. */
  private final byte[] recordHeader = new byte[16];
  /** A pcapng block's type and length, likewise. */
  private final byte[] blockHeader = new byte[8];
  private final boolean pcapng;
  private ByteOrder order;
  private boolean nanos;
  private int classicLinkType;
  private final List<Interface> interfaces = new ArrayList<>();
  private long truncated;
  private long recordIndex;
  private boolean done;

  /** One pcapng interface: link type, snap length and timestamp resolution. */
  private record Interface(int linkType, long snapLen, boolean powerOfTwo, int exponent,
      long offsetSecs) {
  }

  private PcapFileReader(Path path, ReadAhead in, boolean pcapng) {
    this.path = path;
    this.in = in;
    this.pcapng = pcapng;
  }

  /**
   * Opens {@code file} and reads its file or section header.
   *
   * @throws CaptureFileException when the file is missing, cannot be read or is neither pcap nor pcapng;
   *     the message names the file and says why
   */
  public static PcapFileReader open(Path file) throws IOException {
    ReadAhead in = new ReadAhead(input(file), 256 * 1024);
    try {
      byte[] magic = new byte[4];
      int n;
      try {
        n = in.readNBytes(magic, 0, 4);
      } catch (IOException e) {
        // Reading a folder fails here ("Is a directory"), with no file name in the message.
        throw new CaptureFileException(file + ": cannot be read: " + e.getMessage());
      }
      if (n < 4) {
        throw new CaptureFileException(file + ": not a pcap or pcapng file (only " + n + " bytes long)");
      }
      int be = ByteBuffer.wrap(magic).getInt();
      int le = Integer.reverseBytes(be);
      if (be == PCAPNG_SHB) {
        PcapFileReader r = new PcapFileReader(file, in, true);
        r.readSectionHeaderAfterType();
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
        throw new CaptureFileException(String.format(
            "%s: not a pcap or pcapng file (unknown magic number 0x%08x)", file, be));
      }
      byte[] rest = new byte[20];
      if (in.readNBytes(rest, 0, 20) < 20) {
        throw new CaptureFileException(file + ": pcap file header is truncated");
      }
      // version(2+2) thiszone(4) sigfigs(4) snaplen(4) linktype(4); the top bits of the last field may
      // carry FCS information, the link type is the low 16 bits.
      r.classicLinkType = ByteBuffer.wrap(rest).order(r.order).getInt(16) & 0xffff;
      return r;
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /**
   * The file opened for reading. {@link NoSuchFileException} and its kin carry only the path as their
   * message, which logged alone said nothing about what went wrong; here the reason is spelled out.
   */
  private static InputStream input(Path file) throws CaptureFileException {
    try {
      return Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new CaptureFileException(file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new CaptureFileException(file + ": permission denied for user " + System.getProperty("user.name"));
    } catch (FileSystemException e) {
      throw new CaptureFileException(file + ": " + (e.getReason() != null ? e.getReason() : "cannot be opened"));
    } catch (IOException e) {
      throw new CaptureFileException(file + ": cannot be opened: " + e.getMessage());
    }
  }

  /** Records or blocks cut short at the end of the file (0 or 1 unless the file was concatenated). */
  public long truncatedRecords() {
    return truncated;
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

  // ---- classic pcap ---------------------------------------------------------------------------------

  private RawFrame nextClassic() throws IOException {
    byte[] hdr = recordHeader;
    int n = in.readNBytes(hdr, 0, 16);
    if (n == 0) {
      return null;
    }
    if (n < 16) {
      truncated++;
      return null;
    }
    recordIndex++;
    long secs = u32(hdr, 0);
    long frac = u32(hdr, 4);
    long inclLen = u32(hdr, 8);
    if (inclLen > MAX_RECORD) {
      throw new CaptureFileException(path + ": record " + recordIndex + " claims " + inclLen
          + " captured bytes; the file is corrupt");
    }
    byte[] data = new byte[(int) inclLen];
    if (in.readNBytes(data, 0, data.length) < data.length) {
      truncated++;
      return null;
    }
    long micros = secs * 1_000_000L + (nanos ? frac / 1000 : frac);
    return new RawFrame(micros, classicLinkType, ByteBuffer.wrap(data).asReadOnlyBuffer());
  }

  /** An unsigned 32-bit field of a classic record header in the file's byte order. */
  private long u32(byte[] b, int at) {
    int v = (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    return (order == ByteOrder.BIG_ENDIAN ? v : Integer.reverseBytes(v)) & 0xffffffffL;
  }

  // ---- pcapng -----------------------------------------------------------------------------------------

  /** Reads the rest of a section header block whose type field has just been consumed. */
  private boolean readSectionHeaderAfterType() throws IOException {
    byte[] lenAndBom = new byte[8];
    int n = in.readNBytes(lenAndBom, 0, 8);
    if (n < 8) {
      if (recordIndex == 0) {
        throw new CaptureFileException(path + ": pcapng section header is truncated");
      }
      truncated++;
      return false;
    }
    ByteBuffer h = ByteBuffer.wrap(lenAndBom);
    int bom = h.getInt(4);
    if (bom == PCAPNG_BOM) {
      order = ByteOrder.BIG_ENDIAN;
    } else if (Integer.reverseBytes(bom) == PCAPNG_BOM) {
      order = ByteOrder.LITTLE_ENDIAN;
    } else {
      throw new CaptureFileException(String.format(
          "%s: not a pcapng file (bad byte-order magic 0x%08x in section header)", path, bom));
    }
    long total = h.order(order).getInt(0) & 0xffffffffL;
    checkBlockLength(total, 28);
    interfaces.clear(); // interface ids are per section
    byte[] rest = new byte[(int) total - 12];
    if (in.readNBytes(rest, 0, rest.length) < rest.length) {
      if (recordIndex == 0) {
        throw new CaptureFileException(path + ": pcapng section header is truncated");
      }
      truncated++;
      return false;
    }
    return true;
  }

  private void checkBlockLength(long total, int min) throws IOException {
    if (total < min || total % 4 != 0 || total > MAX_RECORD) {
      throw new CaptureFileException(path + ": block " + (recordIndex + 1) + " has an impossible length "
          + total + "; the file is corrupt");
    }
  }

  private RawFrame nextPcapng() throws IOException {
    while (true) {
      byte[] hdr = blockHeader;
      int n = in.readNBytes(hdr, 0, 4);
      if (n == 0) {
        return null;
      }
      if (n < 4) {
        truncated++;
        return null;
      }
      int type = ByteBuffer.wrap(hdr).order(order).getInt(0);
      if (ByteBuffer.wrap(hdr).getInt(0) == PCAPNG_SHB) {
        recordIndex++;
        if (!readSectionHeaderAfterType()) {
          return null;
        }
        continue;
      }
      if (in.readNBytes(hdr, 4, 4) < 4) {
        truncated++;
        return null;
      }
      recordIndex++;
      long total = ByteBuffer.wrap(hdr).order(order).getInt(4) & 0xffffffffL;
      checkBlockLength(total, 12);
      // Body plus the trailing copy of the length; one array per block, which for packets is the frame.
      byte[] body = new byte[(int) total - 8];
      if (in.readNBytes(body, 0, body.length) < body.length) {
        truncated++;
        return null;
      }
      ByteBuffer b = ByteBuffer.wrap(body).order(order);
      int bodyLen = body.length - 4;
      switch (type) {
        case PCAPNG_IDB:
          interfaces.add(parseInterface(b, bodyLen));
          break;
        case PCAPNG_EPB: {
          need(bodyLen >= 20, "enhanced packet block too short");
          Interface itf = iface(b.getInt(0) & 0xffffffffL);
          long ts = ((b.getInt(4) & 0xffffffffL) << 32) | (b.getInt(8) & 0xffffffffL);
          long capLen = b.getInt(12) & 0xffffffffL;
          need(capLen <= bodyLen - 20, "enhanced packet block data runs past the block");
          return frame(itf, micros(itf, ts), body, 20, (int) capLen);
        }
        case PCAPNG_OPB: {
          need(bodyLen >= 20, "packet block too short");
          Interface itf = iface(b.getShort(0) & 0xffff);
          long ts = ((b.getInt(4) & 0xffffffffL) << 32) | (b.getInt(8) & 0xffffffffL);
          long capLen = b.getInt(12) & 0xffffffffL;
          need(capLen <= bodyLen - 20, "packet block data runs past the block");
          return frame(itf, micros(itf, ts), body, 20, (int) capLen);
        }
        case PCAPNG_SPB: {
          // No timestamp in a simple packet block: the frame gets time 0 rather than a guessed one.
          need(bodyLen >= 4, "simple packet block too short");
          Interface itf = iface(0);
          long origLen = b.getInt(0) & 0xffffffffL;
          long capLen = Math.min(origLen, bodyLen - 4);
          if (itf.snapLen() > 0) {
            capLen = Math.min(capLen, itf.snapLen());
          }
          return frame(itf, 0L, body, 4, (int) capLen);
        }
        default:
          break; // name resolution, statistics, custom, decryption secrets...: not ours
      }
    }
  }

  private RawFrame frame(Interface itf, long micros, byte[] body, int off, int len) {
    ByteBuffer view = ByteBuffer.wrap(body, off, len).slice().asReadOnlyBuffer();
    return new RawFrame(micros, itf.linkType(), view);
  }

  private Interface iface(long id) throws IOException {
    if (id >= interfaces.size()) {
      throw new CaptureFileException(path + ": block " + recordIndex + " refers to interface " + id
          + " but the section describes " + interfaces.size() + "; the file is corrupt");
    }
    return interfaces.get((int) id);
  }

  private void need(boolean ok, String why) throws IOException {
    if (!ok) {
      throw new CaptureFileException(path + ": block " + recordIndex + ": " + why + "; the file is corrupt");
    }
  }

  private Interface parseInterface(ByteBuffer b, int bodyLen) throws IOException {
    need(bodyLen >= 8, "interface description block too short");
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
    need(pow2 ? exponent <= 63 : exponent <= 18, "if_tsresol out of range");
    return new Interface(linkType, snapLen, pow2, exponent, offset);
  }

  /** Converts a timestamp in interface units to microseconds since the epoch. */
  private static long micros(Interface itf, long ts) {
    long micros;
    if (itf.powerOfTwo()) {
      micros = new BigInteger(Long.toUnsignedString(ts)).multiply(BigInteger.valueOf(1_000_000))
          .shiftRight(itf.exponent()).longValue();
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
