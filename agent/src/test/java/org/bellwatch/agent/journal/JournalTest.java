package org.bellwatch.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  @TempDir Path dir;

  final List<String> damage = new ArrayList<>();
  final List<Long> syncs = new ArrayList<>();
  final Journal.Listener listener =
      new Journal.Listener() {
        @Override
        public void damaged(String reason) {
          damage.add(reason);
        }

        @Override
        public synchronized void synced(long nanos) {
          syncs.add(nanos);
        }
      };

  Journal open(long from, Journal.Fsync fsync, long segmentBytes, long maxBytes)
      throws IOException {
    return Journal.open(dir, from, fsync, segmentBytes, maxBytes, 1000, listener);
  }

  static List<byte[]> payloads(String... texts) {
    List<byte[]> list = new ArrayList<>();
    for (String t : texts) {
      list.add(t.getBytes(StandardCharsets.UTF_8));
    }
    return list;
  }

  List<String> replayed(Journal j) throws IOException {
    List<String> out = new ArrayList<>();
    j.replay((seq, p) -> out.add(seq + ":" + new String(p, StandardCharsets.UTF_8)));
    return out;
  }

  List<Path> segments() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(Journal.SUFFIX)).sorted().toList();
    }
  }

  @Test
  void recordsAppendedBeforeACrashAreReplayedFromTheStoredMarkInOrder() throws IOException {
    Journal j = open(0, Journal.Fsync.NEVER, 1 << 20, 1 << 24);
    assertThat(j.append(payloads("a", "b"), seq -> true)).isZero();
    assertThat(j.append(payloads("c"), seq -> true)).isEqualTo(2);
    assertThat(j.append(payloads("d"), seq -> true)).isEqualTo(3);
    // No close: the process died. The store's mark says records before 1 are stored.
    Journal again = open(1, Journal.Fsync.NEVER, 1 << 20, 1 << 24);
    assertThat(replayed(again)).containsExactly("1:b", "2:c", "3:d");
    assertThat(again.append(payloads("e"), seq -> true)).isEqualTo(4);
    assertThat(damage).isEmpty();
  }

  @Test
  void aTornRecordAtTheEndIsCutOffAndCountedAndTheJournalOpensAndGoesOn() throws IOException {
    Journal j = open(0, Journal.Fsync.NEVER, 1 << 20, 1 << 24);
    j.append(payloads("first", "second"), seq -> true);
    j.append(payloads("third record, cut short by the crash"), seq -> true);
    Path seg = segments().get(0);
    long size = Files.size(seg);
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.truncate(size - 7);
    }
    Journal again = open(0, Journal.Fsync.NEVER, 1 << 20, 1 << 24);
    assertThat(damage).containsExactly("torn_tail");
    assertThat(replayed(again)).containsExactly("0:first", "1:second");
    assertThat(again.append(payloads("after"), seq -> true)).isEqualTo(2);
    Journal third = open(0, Journal.Fsync.NEVER, 1 << 20, 1 << 24);
    assertThat(replayed(third)).containsExactly("0:first", "1:second", "2:after");
    assertThat(damage).as("the torn tail was cut off once, not counted at every start").hasSize(1);
  }

  @Test
  void aSegmentCreatedJustBeforeACrashIsDroppedAndAppendsGoOnUnderItsName() throws IOException {
    Journal j = open(0, Journal.Fsync.NEVER, 1 << 20, 1 << 24);
    j.append(payloads("a"), seq -> true);
    j.close();
    Files.createFile(
        dir.resolve(
            String.format("%016x%s", 1, Journal.SUFFIX))); // the crash came before its write
    Journal again = open(1, Journal.Fsync.NEVER, 1 << 20, 1 << 24);
    assertThat(again.append(payloads("b"), seq -> true)).isEqualTo(1);
    assertThat(replayed(open(0, Journal.Fsync.NEVER, 1 << 20, 1 << 24)))
        .containsExactly("0:a", "1:b");
  }

  @Test
  void aRecordWithAWrongCrcEndsItsSegmentAndTheNextSegmentIsStillRead() throws IOException {
    Journal j = open(0, Journal.Fsync.NEVER, 64, 1 << 24);
    j.append(payloads("one"), seq -> true);
    j.append(payloads("two"), seq -> true);
    j.append(payloads("three, in a segment of its own since 64 bytes are full"), seq -> true);
    List<Path> segs = segments();
    assertThat(segs).hasSize(2);
    try (FileChannel ch = FileChannel.open(segs.get(0), StandardOpenOption.WRITE)) {
      ch.write(
          ByteBuffer.wrap(new byte[] {'X'}), Files.size(segs.get(0)) - 1); // the last byte of "two"
    }
    Journal again = open(0, Journal.Fsync.NEVER, 64, 1 << 24);
    assertThat(damage).containsExactly("bad_record");
    assertThat(replayed(again))
        .containsExactly("0:one", "2:three, in a segment of its own since 64 bytes are full");
  }

  @Test
  void segmentsWhollyBeforeTheStoredMarkAreDeletedAndNumbersNeverGoBack() throws IOException {
    Journal j = open(0, Journal.Fsync.NEVER, 40, 1 << 24);
    for (int i = 0; i < 6; i++) {
      j.append(payloads("record " + i), seq -> true);
    }
    assertThat(segments()).hasSize(6);
    assertThat(j.releasable(3)).isTrue();
    j.release(3);
    assertThat(segments()).hasSize(3);
    j.release(100); // the active segment stays
    assertThat(segments()).hasSize(1);
    j.close();
    Journal again = open(6, Journal.Fsync.NEVER, 40, 1 << 24);
    assertThat(replayed(again)).isEmpty();
    assertThat(again.append(payloads("next"), seq -> true)).isEqualTo(6);
    for (Path p : segments()) {
      Files.delete(p);
    }
    // Every file gone (deleted by hand): numbering still starts at the store's mark.
    Journal empty = open(7, Journal.Fsync.NEVER, 40, 1 << 24);
    assertThat(empty.append(payloads("n"), seq -> true)).isEqualTo(7);
  }

  @Test
  void aFullJournalSaysSoWithoutWritingAndARefusedOfferWritesNothing() throws IOException {
    Journal j = open(0, Journal.Fsync.NEVER, 1 << 16, 100);
    assertThat(j.append(payloads("x".repeat(60)), seq -> true)).isZero();
    assertThat(j.append(payloads("y".repeat(60)), seq -> true)).isEqualTo(Journal.FULL);
    assertThat(j.append(payloads("z"), seq -> false)).isEqualTo(Journal.REFUSED);
    assertThat(j.append(payloads("z"), seq -> true)).isEqualTo(1);
    assertThat(j.bytes()).isEqualTo(2L * Journal.HEADER + 61);
  }

  @Test
  void batchSyncsBeforeAppendReturnsAndFilesAreTheOwnersAlone() throws IOException {
    Journal j = open(0, Journal.Fsync.BATCH, 1 << 20, 1 << 24);
    j.append(payloads("a"), seq -> true);
    j.append(payloads("b"), seq -> true);
    assertThat(syncs).hasSizeGreaterThanOrEqualTo(2);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    for (Path p : segments()) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
          .isEqualTo("rw-------");
    }
    j.close();
  }
}
