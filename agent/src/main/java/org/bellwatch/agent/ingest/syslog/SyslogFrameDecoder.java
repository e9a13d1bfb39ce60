package org.bellwatch.agent.ingest.syslog;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts a TCP or TLS syslog stream into messages (one {@code byte[]} each) and does nothing else:
 * the text and the header are parsed later ({@link SyslogText}, the vendor parser).
 *
 * <p>RFC 6587 allows two framings and senders differ, so each frame is recognised by its first
 * bytes:
 *
 * <ul>
 *   <li>Octet counting (section 3.4.1, and the only framing of RFC 5425 TLS): {@code MSG-LEN SP
 *       SYSLOG-MSG} where MSG-LEN has no leading zero and the message starts with {@code <}.
 *       Requiring the {@code <} keeps a raw log line that happens to start with digits (a Squid
 *       {@code 1789485000.250 ...} line, or {@code 1789485000 5 ...}) from being taken for a
 *       length.
 *   <li>Non-transparent framing (section 3.4.2): everything else, up to LF or NUL; a CR before the
 *       LF is dropped. Empty lines are skipped. A last line without trailer is delivered when the
 *       peer closes.
 * </ul>
 *
 * A frame longer than {@code maxFrameBytes} is skipped without being buffered (octet-counted frames
 * by their length, lines up to their next delimiter) and reported to {@code onOversize}; memory per
 * connection stays below about twice {@code maxFrameBytes}.
 */
public final class SyslogFrameDecoder extends ByteToMessageDecoder {
  private static final int MAX_LEN_DIGITS = 9;

  private final int maxFrameBytes;
  private final Runnable onOversize;

  /** Bytes of an oversize octet-counted frame still to skip. */
  private long skip;

  /** Inside an oversize line: skip to the next delimiter. */
  private boolean skipLine;

  /**
   * Where the search for a delimiter resumes in the current line (avoids rescanning partial lines).
   */
  private int scanned;

  public SyslogFrameDecoder(int maxFrameBytes, Runnable onOversize) {
    this.maxFrameBytes = maxFrameBytes;
    this.onOversize = onOversize;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable()) {
      if (skip > 0) {
        int n = (int) Math.min(skip, in.readableBytes());
        in.skipBytes(n);
        skip -= n;
        continue;
      }
      if (skipLine) {
        int d = delimiter(in, in.readerIndex(), in.writerIndex());
        if (d < 0) {
          in.skipBytes(in.readableBytes());
          return;
        }
        in.readerIndex(d + 1);
        skipLine = false;
        continue;
      }
      int octets = octetCounted(in, out);
      if (octets == INCOMPLETE || octets == NOT_OCTETS && !line(in, out)) {
        return; // wait for more bytes
      }
    }
  }

  private static final int CONSUMED = 0;
  private static final int INCOMPLETE = 1;
  private static final int NOT_OCTETS = 2;

  /**
   * Tries an octet-counted frame at the reader index: {@link #CONSUMED} a frame or the start of an
   * oversize one, {@link #INCOMPLETE} when more bytes are needed to cut it, {@link #NOT_OCTETS}
   * when the frame is a line. A digit run that is not yet followed by {@code " <"} is decided by
   * {@link #line}.
   */
  private int octetCounted(ByteBuf in, List<Object> out) {
    int r = in.readerIndex();
    int w = in.writerIndex();
    byte first = in.getByte(r);
    if (first < '1' || first > '9') {
      return NOT_OCTETS;
    }
    long len = 0;
    int i = r;
    while (i < w && i - r < MAX_LEN_DIGITS + 1 && isDigit(in.getByte(i))) {
      len = len * 10 + (in.getByte(i) - '0');
      i++;
    }
    if (i - r > MAX_LEN_DIGITS || i + 1 >= w || in.getByte(i) != ' ' || in.getByte(i + 1) != '<') {
      return NOT_OCTETS;
    }
    int start = i + 1;
    if (len > maxFrameBytes) {
      onOversize.run();
      in.readerIndex(start);
      skip = len;
      scanned = 0;
      return CONSUMED;
    }
    if (w - start < len) {
      return INCOMPLETE;
    }
    out.add(ByteBufUtil.getBytes(in, start, (int) len));
    in.readerIndex(start + (int) len);
    scanned = 0;
    return CONSUMED;
  }

  /** A line up to LF or NUL; true when it consumed something. */
  private boolean line(ByteBuf in, List<Object> out) {
    int r = in.readerIndex();
    int w = in.writerIndex();
    if (octetCountPending(in, r, w)) {
      return false;
    }
    int from = Math.max(r, r + scanned);
    int limit = (int) Math.min(w, (long) r + maxFrameBytes + 2); // the line, a CR, and its LF
    int d = delimiter(in, from, limit);
    if (d < 0) {
      if (limit - r >= maxFrameBytes + 2) {
        onOversize.run();
        skipLine = true;
        in.readerIndex(limit);
        scanned = 0;
        return true;
      }
      scanned = w - r;
      return false;
    }
    int end = d;
    if (end > r && in.getByte(end - 1) == '\r') {
      end--;
    }
    scanned = 0;
    in.readerIndex(d + 1);
    if (end - r > maxFrameBytes) {
      onOversize.run();
      return true;
    }
    if (end > r) {
      out.add(ByteBufUtil.getBytes(in, r, end - r));
    }
    return true;
  }

  /** True while the bytes so far could still be the length prefix of an octet-counted frame. */
  private static boolean octetCountPending(ByteBuf in, int r, int w) {
    int i = r;
    if (in.getByte(i) < '1' || in.getByte(i) > '9') {
      return false;
    }
    while (i < w && i - r <= MAX_LEN_DIGITS && isDigit(in.getByte(i))) {
      i++;
    }
    if (i - r > MAX_LEN_DIGITS) {
      return false;
    }
    return i == w || in.getByte(i) == ' ' && i + 1 == w;
  }

  private static int delimiter(ByteBuf in, int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = in.getByte(i);
      if (b == '\n' || b == 0) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  /**
   * True while bytes of an unfinished frame are buffered, or an oversize frame is still being
   * skipped.
   */
  boolean midFrame() {
    return skip > 0 || skipLine || internalBuffer().isReadable();
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    decode(ctx, in, out);
    if (in.isReadable() && skip == 0 && !skipLine) {
      int n = in.readableBytes();
      if (n <= maxFrameBytes) {
        out.add(ByteBufUtil.getBytes(in, in.readerIndex(), n));
      } else {
        onOversize.run();
      }
      in.skipBytes(n);
    }
  }
}
