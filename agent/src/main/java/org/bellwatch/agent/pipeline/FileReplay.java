package org.bellwatch.agent.pipeline;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.bellwatch.agent.capture.PcapFileReader;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.LeaseObservation;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.event.RawFrame;
import org.bellwatch.agent.event.Times;
import org.bellwatch.agent.ingest.tail.LogPaths;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.parse.LeaseLogParser;
import org.bellwatch.agent.parse.LogParser;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.vendors.Vendor;

/**
 * Feeds capture files and log files to the pipeline as one stream in time order (a k-way merge of
 * the files, each of which is in time order), so that a DHCP lease seen in the capture is known
 * before a filter-log block of the same minute is attributed. A log path may be a glob (each match
 * is one more file of the merge) and a {@code .gz} file is read decompressed.
 */
public final class FileReplay {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FileReplay.class);

  private FileReplay() {}

  /**
   * Replays every file; unreadable files throw with the file named; malformed lines are counted.
   */
  public static void replay(
      List<Path> pcaps,
      List<BellwatchConfig.LogFile> logs,
      Pipeline pipeline,
      BellwatchMeters meters)
      throws IOException {
    List<Cursor> cursors = new ArrayList<>();
    try {
      for (Path p : pcaps) {
        cursors.add(new PcapCursor(p, PcapFileReader.open(p), meters));
      }
      for (BellwatchConfig.LogFile f : logs) {
        List<Path> paths = LogPaths.expand(f.path());
        if (paths.isEmpty() && !LogPaths.isGlob(f.path())) {
          throw new IOException(f.path() + ": cannot read " + f.vendor() + " log: no such file");
        }
        for (Path p : paths) {
          cursors.add(new LogCursor(f, p, meters));
        }
      }
      PriorityQueue<Cursor> queue = new PriorityQueue<>(Comparator.comparing(Cursor::time));
      for (Cursor c : cursors) {
        if (c.next()) {
          queue.add(c);
        }
      }
      while (!queue.isEmpty()) {
        Cursor c = queue.poll();
        c.emit(pipeline);
        if (c.next()) {
          queue.add(c);
        }
      }
    } finally {
      for (Cursor c : cursors) {
        c.close();
      }
    }
  }

  private interface Cursor {
    /** Moves to the next item; false at the end. */
    boolean next() throws IOException;

    Instant time();

    void emit(Pipeline p);

    void close() throws IOException;
  }

  private static final class PcapCursor implements Cursor {
    private final Path path;
    private final PcapFileReader reader;
    private final BellwatchMeters meters;
    private RawFrame frame;

    PcapCursor(Path path, PcapFileReader reader, BellwatchMeters meters) {
      this.path = path;
      this.reader = reader;
      this.meters = meters;
    }

    @Override
    public boolean next() throws IOException {
      frame = reader.next();
      if (frame == null && !reader.skipped().isEmpty()) {
        log.warn(
            "{}: damaged capture file read past: {} ({} bytes skipped)",
            path,
            reader.skipped(),
            reader.skippedBytes());
        reader.skipped().forEach((reason, n) -> meters.captureFileSkipped(reason, n));
      }
      return frame != null;
    }

    @Override
    public Instant time() {
      return Times.ofEpochMicros(frame.epochMicros());
    }

    @Override
    public void emit(Pipeline p) {
      p.onFrame(frame, "file");
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }

  /**
   * One log file, web-filter or DHCP server log. RFC 3164 lines carry no year; the file's last
   * modification time is the reference that decides it (a log is written before it is replayed).
   */
  private static final class LogCursor implements Cursor {
    private final BufferedReader in;
    private final LogParser parser;
    private final LeaseLogParser leaseParser;
    private final String vendor;
    private final String source;
    private final BellwatchMeters meters;
    private FilterEvent event;
    private LeaseObservation lease;

    LogCursor(BellwatchConfig.LogFile file, Path path, BellwatchMeters meters) throws IOException {
      Vendor v = Vendor.byId(file.vendor());
      if (v == null) {
        throw new IOException(file.path() + ": unknown vendor '" + file.vendor() + "'");
      }
      this.vendor = v.id();
      this.source = "file:" + path;
      this.meters = meters;
      try {
        ParseContext context =
            new ParseContext(
                file.timezone(),
                InstantSource.fixed(Files.getLastModifiedTime(path).toInstant()),
                file.generic());
        this.parser = v.kind() == Vendor.Kind.FILTER ? v.newParser(context) : null;
        this.leaseParser = v.kind() == Vendor.Kind.LEASE ? v.newLeaseParser(context) : null;
        // Logs are mostly UTF-8 but not always: undecodable bytes become U+FFFD rather than failing
        // the file.
        this.in =
            new BufferedReader(
                new java.io.InputStreamReader(
                    LogPaths.open(path),
                    StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)));
      } catch (IOException e) {
        throw new IOException(path + ": cannot read " + vendor + " log: " + e.getMessage(), e);
      }
    }

    @Override
    public boolean next() throws IOException {
      String line;
      while ((line = in.readLine()) != null) {
        try {
          if (parser != null) {
            event = parser.parse(line);
            if (event != null) {
              return true;
            }
          } else {
            lease = leaseParser.parse(line);
            if (lease != null) {
              return true;
            }
          }
          meters.logLine(vendor, "skipped");
        } catch (MalformedException e) {
          meters.malformedLine(vendor, source, e.reason(), line);
        }
      }
      return false;
    }

    @Override
    public Instant time() {
      return parser != null ? event.time() : lease.time();
    }

    @Override
    public void emit(Pipeline p) {
      if (parser != null) {
        p.onFilterEvent(event);
      } else {
        p.onLeaseObservation(lease);
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
