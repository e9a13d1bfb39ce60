package org.bellwatch.agent.util;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.bellwatch.agent.event.AddressText;

/**
 * Writes JSON text (RFC 8259) as UTF-8 into one reused byte buffer, flushed to a stream when full.
 * The caller lays out the structure with pre-encoded ASCII fragments ({@link #ascii}: braces,
 * commas and quoted keys) and this class writes the values. For output of millions of small
 * fixed-shape objects, where a general generator's per-call state checks and char-to-byte encoding
 * cost more than the data.
 *
 * <p>Strings are escaped as Jackson's default generator escapes them, so the bytes do not change
 * with the writer: '"' and '\\' with a backslash, the five controls that have one as {@code \b \t
 * \n \f \r}, other controls below U+0020 and every UTF-16 surrogate (paired or not) as a backslash,
 * 'u' and four upper-case hex digits (RFC 8259 section 7: a pair as two escapes), everything else
 * as UTF-8.
 */
public final class JsonOut {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL = ascii("null");
  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");

  /**
   * Longest single write: a 6-byte escape in {@link #string}, or a number of up to 20 digits and
   * its sign.
   */
  private static final int MAX_STEP = 24;

  private final OutputStream out;
  private final byte[] buf;
  private int n;

  public JsonOut(OutputStream out, int bufferBytes) {
    this.out = out;
    this.buf = new byte[Math.max(bufferBytes, 256)];
  }

  /** The bytes of an ASCII fragment, made once by the caller and written with {@link #raw}. */
  public static byte[] ascii(String fragment) {
    return fragment.getBytes(StandardCharsets.US_ASCII);
  }

  /** Writes pre-encoded bytes as they are. */
  public JsonOut raw(byte[] bytes) throws IOException {
    if (bytes.length > buf.length - n) {
      flushBuffer();
      if (bytes.length > buf.length) {
        out.write(bytes);
        return this;
      }
    }
    System.arraycopy(bytes, 0, buf, n, bytes.length);
    n += bytes.length;
    return this;
  }

  /** Writes one ASCII character, such as a structural '{' or the newline between JSON lines. */
  public JsonOut raw(char c) throws IOException {
    room(1);
    buf[n++] = (byte) c;
    return this;
  }

  public JsonOut nul() throws IOException {
    return raw(NULL);
  }

  public JsonOut bool(boolean v) throws IOException {
    return raw(v ? TRUE : FALSE);
  }

  /** A decimal integer. */
  public JsonOut number(long v) throws IOException {
    room(MAX_STEP);
    if (v < 0) {
      if (v == Long.MIN_VALUE) {
        return raw(ascii(Long.toString(v)));
      }
      buf[n++] = '-';
      v = -v;
    }
    int digits = 1;
    for (long t = v; t >= 10; t /= 10) {
      digits++;
    }
    for (int i = n + digits - 1; i >= n; i--) {
      buf[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    n += digits;
    return this;
  }

  /** A non-negative integer below 10^width, left-padded with zeros to {@code width} digits. */
  public JsonOut zeroPadded(long v, int width) throws IOException {
    room(MAX_STEP);
    for (int i = n + width - 1; i >= n; i--) {
      buf[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    n += width;
    return this;
  }

  /** An IPv4 address held big-endian in an int, as a quoted dotted quad: no string on the way. */
  public JsonOut ipv4(int address) throws IOException {
    room(AddressText.IPV4_MAX_BYTES + 2);
    buf[n++] = '"';
    n = AddressText.writeIpv4(buf, n, address);
    buf[n++] = '"';
    return this;
  }

  /** A quoted, escaped string, or {@code null}. */
  public JsonOut string(String s) throws IOException {
    if (s == null) {
      return nul();
    }
    room(1);
    buf[n++] = '"';
    int len = s.length();
    for (int i = 0; i < len; i++) {
      if (buf.length - n < MAX_STEP) {
        flushBuffer();
      }
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        buf[n++] = (byte) c;
      } else if (c < 0x80) {
        escape(c);
      } else if (c < 0x800) {
        buf[n++] = (byte) (0xc0 | c >> 6);
        buf[n++] = (byte) (0x80 | c & 0x3f);
      } else if (Character.isSurrogate(c)) {
        hexEscape(c);
      } else {
        buf[n++] = (byte) (0xe0 | c >> 12);
        buf[n++] = (byte) (0x80 | c >> 6 & 0x3f);
        buf[n++] = (byte) (0x80 | c & 0x3f);
      }
    }
    room(1);
    buf[n++] = '"';
    return this;
  }

  private void escape(char c) {
    buf[n++] = '\\';
    switch (c) {
      case '"':
        buf[n++] = '"';
        return;
      case '\\':
        buf[n++] = '\\';
        return;
      case '\b':
        buf[n++] = 'b';
        return;
      case '\t':
        buf[n++] = 't';
        return;
      case '\n':
        buf[n++] = 'n';
        return;
      case '\f':
        buf[n++] = 'f';
        return;
      case '\r':
        buf[n++] = 'r';
        return;
      default:
        n--;
        hexEscape(c);
    }
  }

  private void hexEscape(char c) {
    buf[n++] = '\\';
    buf[n++] = 'u';
    buf[n++] = HEX[c >> 12];
    buf[n++] = HEX[c >> 8 & 0xf];
    buf[n++] = HEX[c >> 4 & 0xf];
    buf[n++] = HEX[c & 0xf];
  }

  private void room(int bytes) throws IOException {
    if (buf.length - n < bytes) {
      flushBuffer();
    }
  }

  private void flushBuffer() throws IOException {
    out.write(buf, 0, n);
    n = 0;
  }

  /** Writes what is buffered and flushes the stream. */
  public void flush() throws IOException {
    flushBuffer();
    out.flush();
  }
}
