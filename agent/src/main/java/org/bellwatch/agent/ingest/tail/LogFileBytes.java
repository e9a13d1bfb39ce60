package org.bellwatch.agent.ingest.tail;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The bytes of a tailed log file by content offset, plain or gzip alike: what {@link FileTailer}
 * knows a file by (the fingerprint of its first line) and checks a stored mark against (the bytes
 * before the mark's offset). A {@code .gz} is read from its start, since gzip has no random access.
 */
final class LogFileBytes {
  private LogFileBytes() {}

  /**
   * The content of an open file from its start: decompressed for .gz; closing it leaves the channel
   * open.
   */
  static InputStream content(FileChannel ch, boolean gz) throws IOException {
    ch.position(0);
    InputStream raw =
        new java.io.FilterInputStream(java.nio.channels.Channels.newInputStream(ch)) {
          @Override
          public void close() {
            // The channel belongs to the tail.
          }
        };
    return gz
        ? new java.util.zip.GZIPInputStream(raw, 1 << 16)
        : new java.io.BufferedInputStream(raw, 1 << 12);
  }

  /**
   * The first line (with its LF) or the first 1 KiB; null when neither is there yet (a .gz may end
   * sooner).
   */
  static byte[] firstLine(FileChannel ch, boolean gz) throws IOException {
    try (InputStream in = content(ch, gz)) {
      byte[] b = new byte[FileTailer.FINGERPRINT_BYTES];
      int n = 0;
      while (n < b.length) {
        int r;
        try {
          r = in.read(b, n, b.length - n);
        } catch (EOFException e) {
          return null; // a .gz still being written
        }
        if (r < 0) {
          break;
        }
        for (int i = n; i < n + r; i++) {
          if (b[i] == '\n') {
            return Arrays.copyOf(b, i + 1);
          }
        }
        n += r;
      }
      if (n == b.length || gz && n > 0) {
        return Arrays.copyOf(b, n);
      }
      return null;
    }
  }

  /**
   * The content bytes just before {@code offset} (at most {@link FileTailer#CHECK_BYTES}); null
   * when the file is shorter.
   */
  static byte[] bytesBefore(FileChannel ch, boolean gz, long offset) throws IOException {
    int n = (int) Math.min(FileTailer.CHECK_BYTES, offset);
    byte[] b = new byte[n];
    long from = offset - n;
    if (!gz) {
      if (ch.size() < offset) {
        return null;
      }
      ByteBuffer bb = ByteBuffer.wrap(b);
      while (bb.hasRemaining()) {
        if (ch.read(bb, from + bb.position()) < 0) {
          return null;
        }
      }
      return b;
    }
    try (InputStream in = content(ch, true)) {
      if (!skipFully(in, from)) {
        return null;
      }
      byte[] got = in.readNBytes(n);
      return got.length == n ? got : null;
    } catch (EOFException e) {
      return null;
    }
  }

  /**
   * Skips {@code n} bytes of a stream that may skip fewer at a time (a gzip stream); false when it
   * ends first.
   */
  static boolean skipFully(InputStream in, long n) throws IOException {
    long left = n;
    while (left > 0) {
      long s = in.skip(left);
      if (s <= 0) {
        if (in.read() < 0) {
          return false;
        }
        s = 1;
      }
      left -= s;
    }
    return true;
  }

  /** The check of a mark ({@link Mark}): the CRC-32 of the bytes before its offset. */
  static long check(byte[] b, int off, int len) {
    CRC32 crc = new CRC32();
    crc.update(b, off, len);
    return crc.getValue();
  }
}
