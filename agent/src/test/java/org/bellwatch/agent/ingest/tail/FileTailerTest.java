package org.bellwatch.agent.ingest.tail;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.event.FilterEvent;
import org.bellwatch.agent.event.ParsedRecord;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.bellwatch.agent.metrics.DeadLetters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tailer, one pass at a time: no sleeping; a stepped clock for the rotation grace. */
class FileTailerTest {
  @TempDir Path dir;

  final BellwatchMeters meters = new BellwatchMeters(new SimpleMeterRegistry());
  final StepClock clock = new StepClock(Instant.parse("2026-09-15T20:00:00Z"));

  /** What the tailer handed on: "domain@start-end" for records, "progress@end" for marks. */
  final List<String> out = new ArrayList<>();

  /** Marks handed on, by source: what a store would hold after writing them. */
  final Map<String, Mark> marks = new HashMap<>();

  int room = Integer.MAX_VALUE;
  FileTailer tailer;

  final TailSink sink =
      new TailSink() {
        @Override
        public boolean record(ParsedRecord record, LinePosition at) {
          if (room-- <= 0) {
            return false;
          }
          out.add(
              ((FilterEvent) record).domain()
                  + "@"
                  + at.start().offset()
                  + "-"
                  + at.end().offset());
          marks.put(at.source(), at.end());
          return true;
        }

        @Override
        public boolean progress(String source, Mark end) {
          if (room-- <= 0) {
            return false;
          }
          out.add("progress@" + (end.equals(Mark.END) ? "END" : end.offset()));
          marks.put(source, end);
          return true;
        }
      };

  @AfterEach
  void close() {
    if (tailer != null) {
      tailer.close();
    }
  }

  static String line(int i) {
    return (1789485000 + i)
        + ".000 5 10.0.1.20 TCP_DENIED/403 3900 GET http://s"
        + i
        + ".example.com/ - HIER_NONE/-"
        + " text/html\n";
  }

  static final int LEN = line(1).length();

  FileTailer tailer(String path, Checkpoints checkpoints) {
    tailer =
        new FileTailer(
            List.of(new BellwatchConfig.LogFile("squid", dir.resolve(path), ZoneId.of("UTC"))),
            checkpoints,
            sink,
            meters,
            clock,
            Duration.ofSeconds(5));
    return tailer;
  }

  void append(String name, String text) throws Exception {
    Files.writeString(
        dir.resolve(name),
        text,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  @Test
  void appendedLinesAreHandedOnWithTheirOffsetsAndAPartialLineWaitsForItsNewline()
      throws Exception {
    append("access.log", line(1) + line(2));
    FileTailer t = tailer("access.log", Checkpoints.NONE);

    assertThat(t.poll()).isTrue();
    append("access.log", line(3).substring(0, 20));
    t.poll();
    append("access.log", line(3).substring(20) + "#comment\n");
    t.poll();

    assertThat(out)
        .containsExactly(
            "s1.example.com@0-" + LEN,
            "s2.example.com@" + LEN + "-" + 2 * LEN,
            "s3.example.com@" + 2 * LEN + "-" + 3 * LEN,
            "progress@" + (3 * LEN + 9));
  }

  @Test
  void aFileRotatedByRenameIsFinishedThenTheNewFileIsReadFromItsStart() throws Exception {
    append("access.log", line(1));
    FileTailer t = tailer("access.log", Checkpoints.NONE);
    t.poll();
    // The writer still holds the old file when it is renamed, and writes one more line to it.
    Files.move(dir.resolve("access.log"), dir.resolve("access.log.1"));
    append("access.log.1", line(2));
    append("access.log", line(3));
    t.poll();
    clock.step(Duration.ofSeconds(6));
    t.poll();

    assertThat(out)
        .containsExactly(
            "s1.example.com@0-" + LEN,
            "s3.example.com@0-" + LEN,
            "s2.example.com@" + LEN + "-" + 2 * LEN);
    assertThat(t.openFiles()).isEqualTo(1);
  }

  @Test
  void aFileTruncatedInPlaceIsReadAgainFromItsStartAsANewSource() throws Exception {
    append("access.log", line(1) + line(2));
    FileTailer t = tailer("access.log", Checkpoints.NONE);
    t.poll();
    String before = List.copyOf(marks.keySet()).get(0);
    Files.writeString(dir.resolve("access.log"), line(3));
    t.poll();

    assertThat(out)
        .containsExactly(
            "s1.example.com@0-" + LEN,
            "s2.example.com@" + LEN + "-" + 2 * LEN,
            "s3.example.com@0-" + LEN);
    assertThat(marks).hasSize(2).containsKey(before);
  }

  static String lines(int from, int to) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i <= to; i++) {
      b.append(line(i));
    }
    return b.toString();
  }

  /** The domains the tailer handed on, in order. */
  List<String> domains() {
    return out.stream()
        .filter(o -> !o.startsWith("progress@"))
        .map(o -> o.substring(0, o.indexOf('@')))
        .toList();
  }

  static List<String> domains(int from, int to) {
    return java.util.stream.IntStream.rangeClosed(from, to)
        .mapToObj(i -> "s" + i + ".example.com")
        .toList();
  }

  @Test
  void aFileTruncatedAndRefilledPastTheOldOffsetWithinOnePassIsReadAgainWholeAndCounted()
      throws Exception {
    // Issue 17, finding 5: 21 lines read, then the file is truncated and 300 longer lines written
    // before
    // the next pass; the size alone never shrank below the offset, so 300 of the 321 lines were
    // lost.
    append("access.log", lines(1, 21));
    FileTailer t = tailer("access.log", Checkpoints.NONE);
    t.poll();
    Files.writeString(dir.resolve("access.log"), lines(1000, 1299));
    t.poll();

    List<String> expected = new ArrayList<>(domains(1, 21));
    expected.addAll(domains(1000, 1299));
    assertThat(domains()).isEqualTo(expected);
    assertThat(
            meters
                .registry()
                .get(BellwatchMeters.LOG_TRUNCATIONS)
                .tag("vendor", "squid")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(marks).hasSize(2);
  }

  @Test
  void aRewriteThatKeepsTheFirstLineAndTheSizeIsFoundByTheBytesBeforeTheOffset() throws Exception {
    append("access.log", line(1) + line(2) + line(3));
    FileTailer t = tailer("access.log", Checkpoints.NONE);
    t.poll();
    // Same first line, same length, different lines after it: only the bytes before the offset
    // tell.
    Files.writeString(dir.resolve("access.log"), line(1) + line(4) + line(5));
    t.poll();

    assertThat(domains())
        .containsExactly(
            "s1.example.com",
            "s2.example.com",
            "s3.example.com",
            "s1.example.com",
            "s4.example.com",
            "s5.example.com");
  }

  @Test
  void aRewriteThatOnlyChangesTheFirstLineIsFoundByItsFingerprint() throws Exception {
    append("access.log", line(1) + line(2));
    FileTailer t = tailer("access.log", Checkpoints.NONE);
    t.poll();
    // The bytes just before the offset are the same line, and the file grew: only the first line
    // differs.
    Files.writeString(dir.resolve("access.log"), line(3) + line(2) + line(4));
    t.poll();

    assertThat(domains())
        .containsExactly(
            "s1.example.com",
            "s2.example.com",
            "s3.example.com",
            "s2.example.com",
            "s4.example.com");
  }

  @Test
  void aFileReplacedWhileTheSinkWasFullIsReadAgainFromItsStartAfterTheRefusedLine()
      throws Exception {
    // A busy pipeline: the pass stopped after one line with most of a large file unread; the file
    // is then
    // truncated and refilled to a size between the offset and its old size.
    append("access.log", lines(1, 2000));
    FileTailer t = tailer("access.log", Checkpoints.NONE);
    room = 1;
    assertThat(t.poll()).isFalse();
    room = Integer.MAX_VALUE;
    Files.writeString(dir.resolve("access.log"), lines(5000, 5999));
    assertThat(t.poll()).isTrue();

    List<String> expected = new ArrayList<>(domains(1, 2));
    expected.addAll(domains(5000, 5999));
    assertThat(domains()).isEqualTo(expected);
  }

  @Test
  void aCopytruncateRaceKeepsTheCopysTailWhenTheGlobNamesTheCopy() throws Exception {
    // Issue 17, finding 5: 10 lines read; 11 more written; logrotate copies the file and truncates
    // it;
    // the writer refills it past the old offset, all before the next pass. The 11 lines are only in
    // the
    // copy now, and must be read from it exactly once; the refilled file is read from its start.
    append("access.log", lines(1, 10));
    FileTailer t = tailer("access.log*", Checkpoints.NONE);
    t.poll();
    append("access.log", lines(11, 21));
    Files.copy(dir.resolve("access.log"), dir.resolve("access.log.1"));
    Files.writeString(dir.resolve("access.log"), lines(1000, 1040));
    t.poll();
    t.poll();

    List<String> expected = new ArrayList<>(domains(1, 21));
    expected.addAll(domains(1000, 1040));
    assertThat(domains()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(domains().subList(0, 10)).isEqualTo(domains(1, 10));
  }

  @Test
  void aGlobReadsRotatedGzipFilesOnceWholeAndTheLiveFile() throws Exception {
    try (OutputStream gz =
        new GZIPOutputStream(Files.newOutputStream(dir.resolve("access.log.2.gz")))) {
      gz.write((line(1) + line(2)).getBytes(StandardCharsets.UTF_8));
    }
    Files.setLastModifiedTime(
        dir.resolve("access.log.2.gz"),
        java.nio.file.attribute.FileTime.from(Instant.parse("2026-09-14T00:00:00Z")));
    append("access.log", line(3));
    FileTailer t = tailer("access.log*", Checkpoints.NONE);

    t.poll();
    t.poll();

    assertThat(out)
        .containsExactly(
            "s1.example.com@0-" + LEN,
            "s2.example.com@" + LEN + "-" + 2 * LEN,
            "progress@END",
            "s3.example.com@0-" + LEN);
    assertThat(t.openFiles()).isEqualTo(1);
  }

  @Test
  void aRestartResumesAtTheStoredMarkButAnotherFileWithTheSameFirstLineStartsOver()
      throws Exception {
    append("access.log", line(1) + line(2));
    tailer("access.log", Checkpoints.NONE).poll();
    tailer.close();
    Map<String, Mark> stored = Map.copyOf(marks);
    append("access.log", line(3));
    out.clear();

    tailer("access.log", prefix -> stored).poll();
    tailer.close();
    assertThat(out).containsExactly("s3.example.com@" + 2 * LEN + "-" + 3 * LEN);

    // Same first line, different content after it: the stored check does not match, so read it all.
    Files.writeString(dir.resolve("access.log"), line(1) + line(4) + line(5));
    out.clear();
    tailer("access.log", prefix -> stored).poll();
    assertThat(out)
        .containsExactly(
            "s1.example.com@0-" + LEN,
            "s4.example.com@" + LEN + "-" + 2 * LEN,
            "s5.example.com@" + 2 * LEN + "-" + 3 * LEN);
  }

  @Test
  void aFullSinkStopsThePassAndTheRefusedLineIsOfferedFirstNextTime() throws Exception {
    append("access.log", line(1) + line(2) + line(3));
    FileTailer t = tailer("access.log", Checkpoints.NONE);
    room = 1;

    assertThat(t.poll()).isFalse();
    room = Integer.MAX_VALUE;
    assertThat(t.poll()).isTrue();

    assertThat(out)
        .containsExactly(
            "s1.example.com@0-" + LEN,
            "s2.example.com@" + LEN + "-" + 2 * LEN,
            "s3.example.com@" + 2 * LEN + "-" + 3 * LEN);
  }

  @Test
  void anUnparseableLineIsADeadLetterAndAnOverlongLineIsSkippedToItsEnd() throws Exception {
    append(
        "access.log",
        "garbage here\n" + "x".repeat(FileTailer.MAX_LINE_BYTES + 10) + "\n" + line(1));
    FileTailer t = tailer("access.log", Checkpoints.NONE);
    t.poll();

    int start = 13 + FileTailer.MAX_LINE_BYTES + 11;
    assertThat(out).containsExactly("s1.example.com@" + start + "-" + (start + LEN));
    List<DeadLetters.Letter> letters = meters.deadLetters().snapshot();
    assertThat(letters)
        .extracting(DeadLetters.Letter::reason)
        .containsExactlyInAnyOrder(
            "line_too_long",
            letters.stream()
                .filter(l -> l.line().startsWith("garbage"))
                .findFirst()
                .orElseThrow()
                .reason());
    assertThat(letters)
        .allSatisfy(l -> assertThat(l.source()).isEqualTo("file:" + dir.resolve("access.log")));
    assertThat(letters)
        .filteredOn(l -> l.reason().equals("line_too_long"))
        .singleElement()
        .satisfies(l -> assertThat(l.truncated()).isTrue())
        .satisfies(l -> assertThat(l.line()).hasSize(DeadLetters.MAX_LINE_BYTES));
  }

  /** A clock tests move by hand. */
  static final class StepClock extends Clock {
    private Instant now;

    StepClock(Instant now) {
      this.now = now;
    }

    void step(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
