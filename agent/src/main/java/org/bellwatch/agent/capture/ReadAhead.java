package org.bellwatch.agent.capture;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a capture file through one buffer, without the lock that {@link java.io.BufferedInputStream} takes
 * on every call: a capture file is read by one thread, two small reads per packet (record header, then
 * data), millions of times.
 */
final class ReadAhead implements Closeable {
  private final InputStream in;
  private final byte[] buf;
  private int pos;
  private int lim;

  ReadAhead(InputStream in, int bufferBytes) {
    this.in = in;
    this.buf = new byte[bufferBytes];
  }

  /** Reads {@code len} bytes into {@code dst} at {@code off}; fewer only at the end of the file. */
  int readNBytes(byte[] dst, int off, int len) throws IOException {
    int done = 0;
    while (done < len) {
      if (pos == lim) {
        if (len - done >= buf.length) {
          int r = in.read(dst, off + done, len - done); // large record: straight into its array
          if (r < 0) {
            break;
          }
          done += r;
          continue;
        }
        int r = in.read(buf, 0, buf.length);
        if (r < 0) {
          break;
        }
        pos = 0;
        lim = r;
      }
      int k = Math.min(lim - pos, len - done);
      System.arraycopy(buf, pos, dst, off + done, k);
      pos += k;
      done += k;
    }
    return done;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
