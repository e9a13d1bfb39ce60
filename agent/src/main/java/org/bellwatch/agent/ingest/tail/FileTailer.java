package org.bellwatch.agent.ingest.tail;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.event.ParsedRecord;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.vendors.RecordParser;
import org.bellwatch.agent.parse.vendors.Vendor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the configured log files like {@code tail -F}, one {@link #poll} at a time.
 *
 * <p>Design note.
 *
 * <ul>
 *   <li><b>Identity.</b> An open file is known by its file key (device and inode), so a file
 *       renamed by rotation is the same file under a new name: it is read to its end, and the new
 *       file at the old path is read from its start. A file whose content was replaced under the
 *       same inode (copytruncate, or a log rewritten in place) starts a new generation, read from
 *       its start. Every pass checks for that before reading, by three signs, because a writer may
 *       refill the file past the old offset between two passes: the file is smaller than at the
 *       last pass (a log only grows), the bytes just before what was read differ from what was read
 *       there, or its first line changed. Only a replacement that shrank and regrew within one pass
 *       to the same first line and the same {@link #CHECK_BYTES} bytes before the offset goes
 *       unseen.
 *   <li><b>Source id</b> (the key of a file's mark in the store): {@code file:<fp>:<file
 *       key>[~<gen>]}, where {@code fp} is the CRC-32 and length of the file's first line (at most
 *       1 KiB, decompressed for {@code .gz}). A file is not read until its first line is complete.
 *       The fingerprint comes first so that a restart can find every mark of files that began with
 *       the same line, whatever their inode: the copy made by copytruncate, or the {@code .gz} that
 *       logrotate made of a file already read.
 *   <li><b>Resume.</b> A newly found file resumes at the furthest mark of its fingerprint (stored,
 *       or handed on in this process) whose check matches the file's own bytes before that offset
 *       ({@link Mark}); otherwise it is read from its start. A {@code .gz} whose own id is marked
 *       {@link Mark#END} is never read again.
 *   <li><b>Output.</b> Every line is parsed here, on the tailer's thread, and handed to the {@link
 *       TailSink} with its {@link LinePosition}; lines without a record are covered by a {@link
 *       TailSink#progress} after them. The sink never blocks: when it is full the pass stops and
 *       the refused item is offered again first on the next pass. This class does not decide what
 *       is committed: the pipeline does, from these positions.
 *   <li><b>Lines.</b> Split at LF (a CR before it is dropped), decoded as UTF-8 with U+FFFD for bad
 *       bytes. A line longer than {@link #MAX_LINE_BYTES} is skipped to its end and kept as a dead
 *       letter ({@code line_too_long}). A last line without LF is read only once its file is
 *       finished (a {@code .gz}, or a rotated file that stopped growing).
 * </ul>
 *
 * Not thread-safe: one thread calls {@link #poll}.
 *
 * <p>Design note (one class): identity, source ids, resume and line splitting act on one table of
 * open files within one {@link #poll}, and their order (a replacement is looked for before reading,
 * a mark is resumed before the first read) is the correctness argument above, so they are kept in
 * one class.
 */
public final class FileTailer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FileTailer.class);
  public static final int CHECK_BYTES = 64;
  static final int FINGERPRINT_BYTES = 1024;
  public static final int MAX_LINE_BYTES = 64 * 1024;
  private static final int CHUNK = 64 * 1024;

  private final List<BellwatchConfig.LogFile> files;
  private final Checkpoints checkpoints;
  private final TailSink sink;
  private final BellwatchMeters meters;
  private final Clock clock;
  private final Duration orphanGrace;
  private final Map<Object, Tail> open = new LinkedHashMap<>();

  /** The furthest mark handed on for every source id of this process, for resuming copies. */
  private final Map<String, Mark> handed = new HashMap<>();

  /** .gz files (file key, size, modification time) read to their end or found already read. */
  private final Set<String> finished = new HashSet<>();

  /**
   * @param orphanGrace how long a file that no pattern names any more (renamed away, deleted) is
   *     still read after its last new line, for a writer that has not reopened its log yet
   */
  public FileTailer(
      List<BellwatchConfig.LogFile> files,
      Checkpoints checkpoints,
      TailSink sink,
      BellwatchMeters meters,
      Clock clock,
      Duration orphanGrace) {
    this.files = files;
    this.checkpoints = checkpoints;
    this.sink = sink;
    this.meters = meters;
    this.clock = clock;
    this.orphanGrace = orphanGrace;
  }

  /**
   * One pass: finds files, notices rotations and hands on every complete new line.
   *
   * @return true when every file was read to its end, false when the sink was full (call again
   *     soon)
   */
  public boolean poll() {
    Set<Object> seen = new HashSet<>();
    List<Tail> order = new ArrayList<>();
    for (BellwatchConfig.LogFile f : files) {
      List<Path> paths;
      try {
        paths = LogPaths.expand(f.path());
      } catch (IOException e) {
        meters.sourceError("tail");
        log.warn("{}: cannot list: {}", f.path(), e.getMessage());
        continue;
      }
      for (Path p : paths) {
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (IOException e) {
          continue; // rotated away between listing and now
        }
        Object key = a.fileKey() != null ? a.fileKey() : p.toAbsolutePath();
        if (!seen.add(key)) {
          continue; // two patterns naming one file: the first one reads it
        }
        Tail t = open.get(key);
        if (t == null) {
          try {
            t = discover(f, p, a, key);
          } catch (IOException e) {
            meters.sourceError("tail");
            log.warn("{}: cannot read: {}", p, e.getMessage());
          }
          if (t == null) {
            continue;
          }
          open.put(key, t);
        }
        t.path = p;
        t.orphanSince = null;
        order.add(t);
      }
    }
    Instant now = clock.instant();
    for (Tail t : open.values()) {
      if (!seen.contains(t.key)) {
        if (t.orphanSince == null) {
          t.orphanSince = now;
        }
        order.add(t);
      }
    }
    boolean complete = true;
    for (Tail t : order) {
      try {
        if (!t.pump(now)) {
          complete = false;
          break;
        }
      } catch (IOException e) {
        meters.sourceError("tail");
        log.warn("{}: read failed: {}", t.path, e.getMessage());
        t.failed = true;
      }
    }
    open.values()
        .removeIf(
            t -> {
              if (t.done
                  || t.failed
                  || t.orphanSince != null
                      && t.idleAtEnd
                      && !now.isBefore(t.orphanSince.plus(orphanGrace))
                      && t.finishOrphan()) {
                t.close();
                return true;
              }
              return false;
            });
    return complete;
  }

  /** Files open now (for tests and the status page). */
  public int openFiles() {
    return open.size();
  }

  @Override
  public void close() {
    open.values().forEach(Tail::close);
    open.clear();
  }

  private static String finishedKey(Object key, BasicFileAttributes a) {
    return key + "|" + a.size() + "|" + a.lastModifiedTime().toMillis();
  }

  /**
   * A file seen for the first time: its id and where to resume, or null when it is not to be read
   * now.
   */
  private Tail discover(BellwatchConfig.LogFile f, Path p, BasicFileAttributes a, Object key)
      throws IOException {
    boolean gz = LogPaths.isGzip(p);
    if (gz && finished.contains(finishedKey(key, a))) {
      return null;
    }
    // Open first, then check the path still names the file we listed: a rotation between the
    // listing
    // and the open would otherwise give this file's id (its inode) to the next file's content.
    FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
    Tail t = null;
    try {
      BasicFileAttributes now = Files.readAttributes(p, BasicFileAttributes.class);
      if (!key.equals(now.fileKey() != null ? now.fileKey() : p.toAbsolutePath())) {
        return null; // rotated meanwhile: the next pass sees both files as they are
      }
      t = discover(f, p, a, key, gz, ch);
      return t;
    } finally {
      if (t == null) {
        ch.close();
      }
    }
  }

  private Tail discover(
      BellwatchConfig.LogFile f,
      Path p,
      BasicFileAttributes a,
      Object key,
      boolean gz,
      FileChannel ch)
      throws IOException {
    byte[] first = LogFileBytes.firstLine(ch, gz);
    if (first == null) {
      return null; // the first line is not complete yet
    }
    CRC32 crc = new CRC32();
    crc.update(first);
    String prefix = "file:" + String.format("%08x", crc.getValue()) + "." + first.length + ":";
    String id = prefix + fileKeyText(key);
    Map<String, Mark> candidates = new HashMap<>(checkpoints.withPrefix(prefix));
    handed.forEach(
        (k, m) -> {
          if (k.startsWith(prefix)) {
            candidates.merge(k, m, (x, y) -> x.offset() >= y.offset() ? x : y);
          }
        });
    if (gz && Mark.END.equals(candidates.get(id))) {
      finished.add(finishedKey(key, a));
      return null;
    }
    Mark resume = Mark.START;
    byte[] before = new byte[0];
    List<Mark> marks = new ArrayList<>(candidates.values());
    marks.sort((x, y) -> Long.compare(y.offset(), x.offset()));
    for (Mark m : marks) {
      if (m.offset() == Long.MAX_VALUE || m.offset() <= 0) {
        continue;
      }
      byte[] b = LogFileBytes.bytesBefore(ch, gz, m.offset());
      if (b != null && LogFileBytes.check(b, 0, b.length) == m.check()) {
        resume = m;
        before = b;
        break;
      }
    }
    Vendor v = Vendor.byId(f.vendor());
    InstantSource reference = gz ? InstantSource.fixed(a.lastModifiedTime().toInstant()) : clock;
    Tail t =
        new Tail(
            key,
            id,
            p,
            gz,
            RecordParser.of(v, new ParseContext(f.timezone(), reference, f.generic())),
            v.id(),
            resume,
            before,
            first);
    t.channel = ch;
    if (gz) {
      t.finishedKey = finishedKey(key, a);
    }
    log.info("tailing {} ({}) from offset {}", p, id, resume.offset());
    return t;
  }

  private static String fileKeyText(Object key) {
    String s = String.valueOf(key).replaceAll("[^A-Za-z0-9=,]", "");
    return s.isEmpty() ? "nokey" : s;
  }

  /** One open file. */
  private final class Tail {
    final Object key;
    final boolean gz;
    final RecordParser parser;
    final String vendor;
    String id;
    Path path;
    String finishedKey;
    Instant orphanSince;
    boolean idleAtEnd;
    boolean done;
    boolean failed;
    int generation;

    /**
     * The first line (as in the id's fingerprint); null after a truncation until it is complete
     * again.
     */
    byte[] first;

    /** The file's size at the last pass. */
    long lastSize;

    /** Offset of the first byte not yet consumed as a line. */
    long position;

    /** The last {@link #CHECK_BYTES} consumed bytes, for marks. */
    final byte[] ring = new byte[CHECK_BYTES];

    int ringLen;

    /** Bytes read after {@code position}, not yet a complete line. */
    byte[] buf = new byte[CHUNK];

    int len;
    boolean skipping;
    FileChannel channel;
    InputStream stream;

    /** A record the sink refused, offered first on the next pass. */
    ParsedRecord pendingRecord;

    LinePosition pendingAt;

    /** Lines consumed since the last item handed on: a progress mark is owed. */
    boolean progressOwed;

    Tail(
        Object key,
        String id,
        Path path,
        boolean gz,
        RecordParser parser,
        String vendor,
        Mark resume,
        byte[] before,
        byte[] first) {
      this.key = key;
      this.first = first;
      this.id = id;
      this.path = path;
      this.gz = gz;
      this.parser = parser;
      this.vendor = vendor;
      this.position = resume.offset();
      remember(before, 0, before.length);
    }

    Mark mark() {
      return new Mark(position, LogFileBytes.check(ring, 0, ringLen));
    }

    private void remember(byte[] b, int off, int n) {
      if (n >= CHECK_BYTES) {
        System.arraycopy(b, off + n - CHECK_BYTES, ring, 0, CHECK_BYTES);
        ringLen = CHECK_BYTES;
        return;
      }
      int keep = Math.min(ringLen, CHECK_BYTES - n);
      System.arraycopy(ring, ringLen - keep, ring, 0, keep);
      System.arraycopy(b, off, ring, keep, n);
      ringLen = keep + n;
    }

    /** Reads and hands on what is new; false when the sink refused an item. */
    boolean pump(Instant now) throws IOException {
      if (!flushOwed()) {
        return false;
      }
      if (!gz) {
        String why = replaced();
        if (why != null) {
          truncated(why);
        }
      } else if (stream == null) {
        stream = LogFileBytes.content(channel, true);
        if (!LogFileBytes.skipFully(stream, position)) {
          throw new IOException("shorter than its stored offset " + position);
        }
      }
      boolean sawNew = false;
      while (true) {
        int consumed = 0;
        int from = 0;
        for (int i = 0; i < len; i++) {
          if (buf[i] != '\n') {
            continue;
          }
          if (!line(from, i + 1)) {
            compact(i + 1);
            return false;
          }
          from = i + 1;
          consumed = from;
        }
        compact(consumed);
        if (len > MAX_LINE_BYTES) {
          if (!skipping) {
            meters.malformedLine(vendor, "file:" + path, "line_too_long", text(0, len));
          }
          skipping = true;
          consume(0, len);
          compact(len);
        }
        int r = read();
        if (r < 0) {
          break;
        }
        sawNew = true;
      }
      idleAtEnd = !sawNew;
      if (gz) {
        if (len > 0 && !line(0, len)) {
          compact(0);
          return false;
        }
        compact(len);
        if (!sink.progress(id, Mark.END)) {
          return false;
        }
        handed.put(id, Mark.END);
        finished.add(finishedKey);
        done = true;
        return true;
      }
      return flushOwed();
    }

    /**
     * Delivers a rotated-away file's last line without LF before it is closed; false to keep it
     * open.
     */
    boolean finishOrphan() {
      if (len > 0 && !skipping) {
        if (!line(0, len)) {
          return false;
        }
        compact(len);
      }
      return flushOwed();
    }

    private boolean flushOwed() {
      if (pendingRecord != null) {
        if (!sink.record(pendingRecord, pendingAt)) {
          return false;
        }
        handed.put(id, pendingAt.end());
        pendingRecord = null;
        pendingAt = null;
      }
      if (progressOwed) {
        Mark m = mark();
        if (!sink.progress(id, m)) {
          return false;
        }
        handed.put(id, m);
        progressOwed = false;
      }
      return true;
    }

    /**
     * Consumes buf[from, to) as one line; false when the sink refused its record (it stays
     * pending).
     */
    private boolean line(int from, int to) {
      Mark start = mark();
      boolean skipped = skipping;
      skipping = false;
      if (!skipped && to - from > MAX_LINE_BYTES + 1) {
        meters.malformedLine(vendor, "file:" + path, "line_too_long", text(from, to));
        skipped = true;
      }
      String text = skipped ? null : text(from, to);
      consume(from, to - from);
      Mark end = mark();
      if (text == null || text.isEmpty()) {
        progressOwed = true;
        return true;
      }
      ParsedRecord r;
      try {
        r = parser.parse(text);
      } catch (MalformedException e) {
        meters.malformedLine(vendor, "file:" + path, e.reason(), text);
        r = null;
      } catch (RuntimeException e) {
        // A parser bug costs one line, never the file.
        meters.malformedLine(vendor, "file:" + path, "parser_error", text);
        r = null;
      }
      if (r == null) {
        progressOwed = true;
        return true;
      }
      LinePosition at = new LinePosition(id, start, end);
      progressOwed = false;
      if (!sink.record(r, at)) {
        pendingRecord = r;
        pendingAt = at;
        return false;
      }
      handed.put(id, end);
      return true;
    }

    private String text(int from, int to) {
      int end = to;
      if (end > from && buf[end - 1] == '\n') {
        end--;
      }
      if (end > from && buf[end - 1] == '\r') {
        end--;
      }
      return new String(buf, from, Math.min(end - from, MAX_LINE_BYTES), StandardCharsets.UTF_8);
    }

    private void consume(int from, int n) {
      remember(buf, from, n);
      position += n;
    }

    private void compact(int consumed) {
      if (consumed > 0) {
        System.arraycopy(buf, consumed, buf, 0, len - consumed);
        len -= consumed;
      }
    }

    /** Appends new bytes to buf; -1 at the current end of the file. */
    private int read() throws IOException {
      if (buf.length - len < CHUNK) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + CHUNK));
      }
      if (gz) {
        int r;
        try {
          r = stream.read(buf, len, CHUNK);
        } catch (EOFException e) {
          throw new IOException("compressed file ends early: " + e.getMessage(), e);
        }
        if (r < 0) {
          return -1;
        }
        len += r;
        return r;
      }
      int r = channel.read(ByteBuffer.wrap(buf, len, CHUNK), position + len);
      if (r <= 0) {
        return -1;
      }
      len += r;
      return r;
    }

    /**
     * Why the content of this file (same inode) is no longer the one read so far, or null when it
     * is: the size history, the bytes before the read offset and the first line are checked on
     * every pass.
     */
    private String replaced() throws IOException {
      long size = channel.size();
      long read = position + len;
      long last = lastSize;
      lastSize = size;
      if (size < last || size < read) {
        return "it shrank from " + Math.max(last, read) + " to " + size + " bytes";
      }
      int n = Math.min(CHECK_BYTES, ringLen + len);
      byte[] expected = new byte[n];
      int fromBuf = Math.min(n, len);
      System.arraycopy(ring, ringLen - (n - fromBuf), expected, 0, n - fromBuf);
      System.arraycopy(buf, len - fromBuf, expected, n - fromBuf, fromBuf);
      if (!Arrays.equals(expected, readAt(read - n, n))) {
        return "the bytes before offset " + read + " changed";
      }
      if (first == null) {
        first = LogFileBytes.firstLine(channel, false);
      } else if (!Arrays.equals(first, readAt(0, first.length))) {
        return "its first line changed";
      }
      return null;
    }

    /** {@code n} bytes at {@code at}, or fewer when the file ends sooner. */
    private byte[] readAt(long at, int n) throws IOException {
      ByteBuffer bb = ByteBuffer.allocate(n);
      int r = 0;
      while (bb.hasRemaining() && r >= 0) {
        r = channel.read(bb, at + bb.position());
      }
      return Arrays.copyOf(bb.array(), bb.position());
    }

    /** The file's content was replaced: read it again from its start as a new generation. */
    private void truncated(String why) throws IOException {
      log.info("{} was truncated or rewritten ({}): reading it again from its start", path, why);
      meters.logTruncated(vendor);
      first = LogFileBytes.firstLine(channel, false);
      generation++;
      String base = first == null ? id.substring(0, id.indexOf(':', 5) + 1) : null;
      CRC32 crc = new CRC32();
      if (first != null) {
        crc.update(first);
        base = "file:" + String.format("%08x", crc.getValue()) + "." + first.length + ":";
      }
      id = base + fileKeyText(key) + "~" + clock.millis() + "." + generation;
      position = 0;
      lastSize = 0;
      ringLen = 0;
      len = 0;
      skipping = false;
      progressOwed = false;
    }

    void close() {
      try {
        if (channel != null) {
          channel.close();
        }
        if (stream != null) {
          stream.close();
        }
      } catch (IOException e) {
        // Closing a file we only read: nothing to save.
      }
    }
  }
}
