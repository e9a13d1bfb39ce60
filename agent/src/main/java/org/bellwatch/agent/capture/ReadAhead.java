package org.bellwatch.agent.capture;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a capture file through one buffer, without the lock that {@link
 * java.io.BufferedInputStream} takes on every call: a capture file is read by one thread, two small
 * reads per packet (record header, then data), millions of times. A record can be looked at before
 * it is taken ({@link #fill}, {@link #peek}), so that a damaged one can be stepped over byte by
 * byte to where the file makes sense again.
 */
final class ReadAhead implements Closeable {
  private final InputStream in;
  private byte[] buf;
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

  /**
   * Makes the next {@code n} bytes available to {@link #peek} without taking them (the buffer grows
   * when it is smaller); fewer only at the end of the file. Returns how many are available, at most
   * {@code n}.
   */
  int fill(int n) throws IOException {
    if (lim - pos >= n) {
      return n;
    }
    if (buf.length < n) {
      byte[] bigger = new byte[n];
      System.arraycopy(buf, pos, bigger, 0, lim - pos);
      buf = bigger;
    } else if (buf.length - pos < n) {
      System.arraycopy(buf, pos, buf, 0, lim - pos);
    } else {
      return fillFrom(pos, n);
    }
    lim -= pos;
    pos = 0;
    return fillFrom(0, n);
  }

  private int fillFrom(int start, int n) throws IOException {
    while (lim - start < n) {
      int r = in.read(buf, lim, buf.length - lim);
      if (r < 0) {
        break;
      }
      lim += r;
    }
    return Math.min(n, lim - start);
  }

  /** The byte {@code at} places ahead, among those {@link #fill} made available. */
  byte peek(int at) {
    return buf[pos + at];
  }

  /**
   * Copies {@code len} bytes from {@code at} places ahead, among those {@link #fill} made
   * available.
   */
  void peek(int at, byte[] dst, int len) {
    System.arraycopy(buf, pos + at, dst, 0, len);
  }

  /** Takes {@code n} bytes that {@link #fill} made available. */
  void skip(int n) {
    pos += n;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
