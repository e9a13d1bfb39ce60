package org.bellwatch.agent.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * An append-only log of numbered records in segment files: what the agent accepted is written here
 * before it lives only in memory, and read back at the next start from the sequence number the
 * store says is not yet done with. The shape of rsyslog's disk-assisted queue and of a database's
 * write-ahead log, kept small: no index, no compaction; a segment is deleted whole once every
 * record in it is done.
 *
 * <p>Record layout (little-endian): {@code length:int32, crc:int32, seq:int64, payload[length]},
 * where the CRC-32C covers the sequence number and the payload. A record cut short or with a wrong
 * CRC at the end of the newest segment is the write a crash interrupted (a torn tail): it is
 * counted, cut off at open and never read; damage inside an older segment ends that segment's
 * reading (the length that follows cannot be trusted) and is counted too. Opening never fails on
 * content, only on I/O.
 *
 * <p>Durability. A record is in the kernel's page cache when {@link #append} returns, so it
 * survives the process being killed. Power loss keeps what was synced: with {@link Fsync#BATCH}
 * every append is synced before it returns (callers that append at once share one fsync); with
 * {@link Fsync#INTERVAL} a background thread syncs every interval; with {@link Fsync#NEVER} the
 * kernel writes back when it chooses (about 30 s on Linux: {@code vm.dirty_expire_centisecs}).
 *
 * <p>Files are {@code 0600} in a {@code 0700} folder: records hold users, addresses and URLs.
 *
 * <p>Design note (one class): appending, syncing, replaying and deleting segments share the segment
 * list, the sequence numbers and one lock, and the record layout is written and read in this one
 * file, so the length and CRC checks of the two sides cannot drift apart.
 */
public final class Journal implements AutoCloseable {
  /** When appended records reach the disk itself, not only the page cache. */
  public enum Fsync {
    BATCH,
    INTERVAL,
    NEVER
  }

  /** What the journal reports, for the metrics. */
  public interface Listener {
    /**
     * A damaged record was found at open: {@code torn_tail} (the newest segment's end) or {@code
     * bad_record}.
     */
    void damaged(String reason);

    /** One fsync took {@code nanos}. */
    void synced(long nanos);
  }

  static final int HEADER = 16;

  /** A payload is a parsed log record or a piece of evidence: far below this; larger is damage. */
  static final int MAX_PAYLOAD = 1 << 20;

  static final String SUFFIX = ".seg";

  private final Path dir;
  private final Fsync fsync;
  private final long segmentBytes;
  private final long maxBytes;
  private final Listener listener;
  private final List<Segment> segments = new ArrayList<>();
  private final AtomicLong bytes = new AtomicLong();
  private final Object syncLock = new Object();
  private final ScheduledExecutorService syncer;
  private FileChannel active;
  private long nextSeq;

  /**
   * Bytes appended since open (all segments), and how many of them an fsync has covered (under
   * syncLock; a segment that is rolled over is synced as it is closed). Lock order: syncLock, then
   * this.
   */
  private volatile long written;

  private long synced;
  private final long replayFrom;
  private final long replayTo;

  /** One segment file: records {@code first} (inclusive) to {@code end} (exclusive). */
  private static final class Segment {
    final Path path;
    final long first;
    long end;
    long size;

    Segment(Path path, long first, long end, long size) {
      this.path = path;
      this.first = first;
      this.end = end;
      this.size = size;
    }
  }

  /** Result of {@link #append}: the first sequence number given, or why there is none. */
  public static final long FULL = -1;

  public static final long REFUSED = -2;

  private Journal(
      Path dir,
      long from,
      Fsync fsync,
      long segmentBytes,
      long maxBytes,
      long intervalMillis,
      Listener listener)
      throws IOException {
    this.dir = dir;
    this.fsync = fsync;
    this.segmentBytes = segmentBytes;
    this.maxBytes = maxBytes;
    this.listener = listener;
    createPrivateFolder(dir);
    scan();
    long end = segments.isEmpty() ? from : segments.get(segments.size() - 1).end;
    this.replayFrom = from;
    this.nextSeq = Math.max(from, end);
    this.replayTo = nextSeq;
    if (fsync == Fsync.INTERVAL) {
      syncer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "journal-sync " + dir.getFileName());
                t.setDaemon(true);
                return t;
              });
      syncer.scheduleWithFixedDelay(
          this::syncQuietly, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    } else {
      syncer = null;
    }
  }

  /**
   * Opens (or creates) the journal in {@code dir}. {@code from}: the first record not yet done
   * with, as the store last recorded it; new records are numbered from there or after the last
   * record kept, whichever is later, so a journal whose files were all deleted never reuses a
   * number the store has passed.
   */
  public static Journal open(
      Path dir,
      long from,
      Fsync fsync,
      long segmentBytes,
      long maxBytes,
      long intervalMillis,
      Listener listener)
      throws IOException {
    return new Journal(dir, from, fsync, segmentBytes, maxBytes, intervalMillis, listener);
  }

  private static void createPrivateFolder(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
  }

  /** Reads every segment's extent; cuts a torn tail off the newest one. */
  private void scan() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
    }
    for (int i = 0; i < files.size(); i++) {
      Path p = files.get(i);
      long first;
      try {
        String name = p.getFileName().toString();
        first = Long.parseUnsignedLong(name.substring(0, name.length() - SUFFIX.length()), 16);
      } catch (NumberFormatException e) {
        continue; // not ours
      }
      boolean newest = i == files.size() - 1;
      long[] extent = new long[] {first, 0};
      boolean damaged = !read(p, first, Long.MIN_VALUE, Long.MAX_VALUE, extent, null);
      if (damaged) {
        listener.damaged(newest ? "torn_tail" : "bad_record");
        if (newest) {
          try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.truncate(extent[1]);
            ch.force(true);
          }
        }
      }
      if (extent[1] == 0) {
        // Created just before a crash, or its only record was torn: nothing to keep, and its name
        // would be
        // the next segment's.
        Files.delete(p);
        continue;
      }
      segments.add(new Segment(p, first, extent[0], extent[1]));
      bytes.addAndGet(extent[1]);
    }
  }

  /** Receives replayed records. */
  @FunctionalInterface
  public interface RecordConsumer {
    void accept(long seq, byte[] payload);
  }

  /**
   * Reads segment {@code p} (first record {@code first}); hands records with {@code from <= seq <
   * to} to {@code out} (when not null). {@code extent} receives the sequence after the last sound
   * record and the byte offset after it. False when the segment ends in damage.
   */
  private static boolean read(
      Path p, long first, long from, long to, long[] extent, RecordConsumer out)
      throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      long size = ch.size();
      long pos = 0;
      long expected = first;
      ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
      CRC32C crc = new CRC32C();
      while (pos < size) {
        header.clear();
        if (size - pos < HEADER || readFully(ch, header, pos) < HEADER) {
          extent[0] = expected;
          extent[1] = pos;
          return false;
        }
        header.flip();
        int length = header.getInt();
        int check = header.getInt();
        long seq = header.getLong();
        if (length < 0 || length > MAX_PAYLOAD || seq != expected || size - pos - HEADER < length) {
          extent[0] = expected;
          extent[1] = pos;
          return false;
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        readFully(ch, payload, pos + HEADER);
        crc.reset();
        crc.update(header.array(), 8, 8);
        crc.update(payload.array(), 0, length);
        if ((int) crc.getValue() != check) {
          extent[0] = expected;
          extent[1] = pos;
          return false;
        }
        if (out != null && seq >= from && seq < to) {
          out.accept(seq, payload.array());
        }
        pos += HEADER + length;
        expected++;
      }
      extent[0] = expected;
      extent[1] = pos;
      return true;
    } catch (NoSuchFileException e) {
      extent[1] = 0;
      return true;
    }
  }

  private static int readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    int n = 0;
    while (b.hasRemaining()) {
      int r = ch.read(b, at + n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    return n;
  }

  /**
   * The records that were in the journal at open from the store's mark on, in order: what a restart
   * must read again. Pipeline thread, before any record is appended by this process is delivered.
   */
  public void replay(RecordConsumer out) throws IOException {
    List<Segment> copy;
    synchronized (this) {
      copy = List.copyOf(segments);
    }
    for (Segment s : copy) {
      if (s.end > replayFrom && s.first < replayTo) {
        read(s.path, s.first, replayFrom, replayTo, new long[2], out);
      }
    }
  }

  /** How many records {@link #replay} hands out at most. */
  public long toReplay() {
    return replayTo - replayFrom;
  }

  /**
   * Appends {@code payloads} as records numbered from the next sequence number, but first asks
   * {@code offer} to take them under that number (the pipeline's queue): numbering and queueing
   * happen under one lock, so records reach the pipeline in the order of their numbers, which is
   * what lets the store's mark mean "everything before it is done". Returns the first number,
   * {@link #REFUSED} when {@code offer} declined (nothing written), or {@link #FULL} when the
   * journal holds its maximum (nothing written, {@code offer} not asked). With {@link Fsync#BATCH}
   * the records are on disk when this returns.
   *
   * @throws IOException when writing failed: the records were offered, and the next append starts a
   *     new segment so that a half-written record never sits before sound ones
   */
  public long append(List<byte[]> payloads, LongPredicate offer) throws IOException {
    int size = 0;
    for (byte[] p : payloads) {
      size += HEADER + p.length;
    }
    long first;
    long end;
    synchronized (this) {
      if (bytes.get() + size > maxBytes) {
        return FULL;
      }
      first = nextSeq;
      if (!offer.test(first)) {
        return REFUSED;
      }
      nextSeq += payloads.size();
      ByteBuffer buf = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
      CRC32C crc = new CRC32C();
      long seq = first;
      for (byte[] p : payloads) {
        buf.putInt(p.length);
        int crcAt = buf.position();
        buf.putInt(0);
        buf.putLong(seq);
        crc.reset();
        crc.update(buf.array(), crcAt + 4, 8);
        crc.update(p);
        buf.putInt(crcAt, (int) crc.getValue());
        buf.put(p);
        seq++;
      }
      buf.flip();
      try {
        Segment s = segmentFor(first, size);
        while (buf.hasRemaining()) {
          active.write(buf);
        }
        s.end = nextSeq;
        s.size += size;
        bytes.addAndGet(size);
        written += size;
        end = written;
      } catch (IOException e) {
        closeActive();
        throw e;
      }
    }
    if (fsync == Fsync.BATCH) {
      syncTo(end);
    }
    return first;
  }

  /**
   * The active segment, a new one when there is none or the records would make it exceed the
   * segment size.
   */
  private Segment segmentFor(long first, int size) throws IOException {
    Segment last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
    if (active != null && last != null && (last.size == 0 || last.size + size <= segmentBytes)) {
      return last;
    }
    closeActive();
    Path p = dir.resolve(String.format("%016x%s", first, SUFFIX));
    active =
        FileChannel.open(
            p,
            java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    if (fsync != Fsync.NEVER) {
      // The new name must survive power loss too (fsync(2): syncing a file does not sync its
      // entry).
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      }
    }
    Segment s = new Segment(p, first, first, 0);
    segments.add(s);
    return s;
  }

  private void closeActive() {
    FileChannel ch = active;
    active = null;
    if (ch != null) {
      try {
        if (fsync != Fsync.NEVER) {
          long t = System.nanoTime();
          ch.force(false);
          listener.synced(System.nanoTime() - t);
        }
        ch.close();
      } catch (IOException ignored) {
        // The segment is complete or ends in a torn record, which the next open cuts off.
      }
    }
  }

  /**
   * Group commit: one fsync covers every append that wrote before it began, so appenders that
   * arrive while a sync runs wait for the next one together instead of one by one.
   */
  private void syncTo(long end) throws IOException {
    synchronized (syncLock) {
      if (synced >= end) {
        return;
      }
      FileChannel ch;
      long target;
      synchronized (this) {
        ch = active;
        target = written;
      }
      if (ch == null) {
        return; // rolled: closeActive synced it
      }
      long t = System.nanoTime();
      try {
        ch.force(false);
      } catch (java.nio.channels.ClosedChannelException rolled) {
        return;
      }
      listener.synced(System.nanoTime() - t);
      synced = target;
    }
  }

  private void syncQuietly() {
    try {
      syncTo(written);
    } catch (IOException e) {
      listener.damaged("sync_error");
    }
  }

  /** Bytes in the journal's segments. */
  public long bytes() {
    return bytes.get();
  }

  /**
   * True when some segment holds only records before {@code upTo}: {@link #release} would delete
   * it. Lets the caller make the store's own write durable first, only when a deletion follows.
   */
  public synchronized boolean releasable(long upTo) {
    return !segments.isEmpty()
        && segments.get(0).end <= upTo
        && (segments.size() > 1 || active == null);
  }

  /**
   * Deletes the segments (other than the one being written) whose every record is before {@code
   * upTo}.
   */
  public void release(long upTo) throws IOException {
    List<Path> gone = new ArrayList<>();
    synchronized (this) {
      while (!segments.isEmpty()
          && segments.get(0).end <= upTo
          && (segments.size() > 1 || active == null)) {
        Segment s = segments.remove(0);
        bytes.addAndGet(-s.size);
        gone.add(s.path);
      }
    }
    for (Path p : gone) {
      Files.deleteIfExists(p);
    }
  }

  /** Syncs what was written (unless {@link Fsync#NEVER}) and closes the active segment. */
  @Override
  public void close() {
    if (syncer != null) {
      syncer.shutdownNow();
    }
    synchronized (this) {
      closeActive();
    }
  }
}
