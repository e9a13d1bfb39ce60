package org.bellwatch.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bellwatch.agent.event.RawFrame;
import org.bellwatch.agent.testing.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapFileReaderTest {
  private static final byte[] F1 = {1, 2, 3, 4, 5};
  private static final byte[] F2 = {9, 8, 7};

  @TempDir Path dir;

  /** What a test sees of a frame: time, link type and bytes. */
  record Seen(long micros, int linkType, List<Byte> bytes) {
    static Seen of(long micros, int linkType, byte[] b) {
      List<Byte> l = new ArrayList<>();
      for (byte x : b) {
        l.add(x);
      }
      return new Seen(micros, linkType, l);
    }
  }

  private Path write(Bytes b) throws IOException {
    return Files.write(dir.resolve("t" + System.nanoTime() + ".pcap"), b.array());
  }

  private static List<Seen> readAll(PcapFileReader r) throws IOException {
    List<Seen> out = new ArrayList<>();
    for (RawFrame f = r.next(); f != null; f = r.next()) {
      byte[] b = new byte[f.bytes().remaining()];
      f.bytes().duplicate().get(b);
      out.add(Seen.of(f.epochMicros(), f.linkType(), b));
    }
    return out;
  }

  private static Bytes classic(boolean little, boolean nanos, int linkType) {
    Bytes b = little ? Bytes.of().littleEndian() : Bytes.of();
    return b.u32(nanos ? 0xa1b23c4dL : 0xa1b2c3d4L)
        .u16(2)
        .u16(4)
        .u32(0)
        .u32(0)
        .u32(65535)
        .u32(linkType);
  }

  private static Bytes record(Bytes b, long secs, long frac, byte[] data) {
    return b.u32(secs).u32(frac).u32(data.length).u32(data.length).bytes(data);
  }

  private void assertClassic(boolean little, boolean nanos) throws IOException {
    Bytes b = classic(little, nanos, 1);
    record(b, 1_700_000_000L, nanos ? 123_456_789 : 123_456, F1);
    record(b, 1_700_000_001L, nanos ? 999 : 0, F2);
    try (PcapFileReader r = PcapFileReader.open(write(b))) {
      assertThat(readAll(r))
          .containsExactly(
              Seen.of(1_700_000_000_123_456L, 1, F1), Seen.of(1_700_000_001_000_000L, 1, F2));
      assertThat(r.truncatedRecords()).isZero();
    }
  }

  @Test
  void classicPcapIsReadInBothByteOrdersWithMicroAndNanoTimestamps() throws IOException {
    assertClassic(false, false);
    assertClassic(true, false);
    assertClassic(false, true);
    assertClassic(true, true);
  }

  @Test
  void aTruncatedFinalRecordEndsIterationAndIsCounted() throws IOException {
    Bytes b = record(classic(true, false, 101), 1, 2, F1);
    byte[] full = record(b, 3, 4, F2).array();
    for (int cut : new int[] {full.length - 1, full.length - F2.length - 1, full.length - 18}) {
      try (PcapFileReader r =
          PcapFileReader.open(write(Bytes.of().bytes(Arrays.copyOf(full, cut))))) {
        assertThat(readAll(r)).as("cut at %d", cut).containsExactly(Seen.of(1_000_002L, 101, F1));
        assertThat(r.truncatedRecords()).isEqualTo(1);
      }
    }
  }

  @Test
  void aFileThatIsNotACaptureIsRefusedWithItsNameAndTheReason() throws IOException {
    Path text = write(Bytes.of().ascii("hello, world\n"));
    Path tiny = write(Bytes.of().u8(0xd4));

    assertThatThrownBy(() -> PcapFileReader.open(text))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(text.toString())
        .hasMessageContaining("unknown magic number 0x68656c6c");
    assertThatThrownBy(() -> PcapFileReader.open(tiny))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(tiny.toString())
        .hasMessageContaining("1 bytes long");
  }

  // ---- pcapng
  // -----------------------------------------------------------------------------------------

  /** A block: type, total length, body padded to 4, total length. */
  private static Bytes block(Bytes out, int type, Bytes body) {
    byte[] b = body.array();
    int padded = (b.length + 3) & ~3;
    out.u32(type).u32(12 + padded).bytes(b).zeros(padded - b.length).u32(12 + padded);
    return out;
  }

  private static Bytes endian(boolean little) {
    return little ? Bytes.of().littleEndian() : Bytes.of();
  }

  private static Bytes shb(Bytes out, boolean little) {
    return block(out, 0x0a0d0d0a, endian(little).u32(0x1a2b3c4d).u16(1).u16(0).u32(-1).u32(-1));
  }

  private static Bytes idb(Bytes out, boolean little, int linkType, Integer tsresol) {
    Bytes body = endian(little).u16(linkType).u16(0).u32(0);
    if (tsresol != null) {
      body.u16(9).u16(1).u8(tsresol).zeros(3);
    }
    body.u16(0).u16(0);
    return block(out, 1, body);
  }

  private static Bytes epb(Bytes out, boolean little, int ifId, long ts, byte[] data) {
    return block(
        out,
        6,
        endian(little)
            .u32(ifId)
            .u32(ts >>> 32)
            .u32(ts & 0xffffffffL)
            .u32(data.length)
            .u32(data.length)
            .bytes(data)
            .zeros((4 - data.length % 4) % 4));
  }

  private void assertPcapng(boolean little) throws IOException {
    Bytes out = endian(little);
    shb(out, little);
    idb(out, little, 1, null); // microseconds by default
    idb(out, little, 113, 9); // nanoseconds
    block(out, 5, endian(little).u32(0).u32(0).u32(0)); // interface statistics: skipped
    epb(out, little, 0, 1_700_000_000_123_456L, F1);
    epb(out, little, 1, 1_700_000_001_000_000_999L, F2);
    block(out, 3, endian(little).u32(F2.length).bytes(F2).zeros(1)); // simple packet block
    try (PcapFileReader r = PcapFileReader.open(write(out))) {
      assertThat(readAll(r))
          .containsExactly(
              Seen.of(1_700_000_000_123_456L, 1, F1),
              Seen.of(1_700_000_001_000_000L, 113, F2),
              Seen.of(0, 1, F2));
    }
  }

  @Test
  void pcapngWithTwoInterfacesOfDifferentResolutionIsReadInEitherByteOrder() throws IOException {
    assertPcapng(false);
    assertPcapng(true);
  }

  @Test
  void pcapngPowerOfTwoResolutionIsConvertedToMicroseconds() throws IOException {
    Bytes out = Bytes.of().littleEndian();
    shb(out, true);
    idb(out, true, 101, 0x80 | 20); // 2^-20 seconds
    epb(out, true, 0, (1_000L << 20) + (1L << 19), F1); // 1000.5 s
    try (PcapFileReader r = PcapFileReader.open(write(out))) {
      assertThat(readAll(r)).containsExactly(Seen.of(1_000_500_000L, 101, F1));
    }
  }

  @Test
  void aSecondSectionMayChangeByteOrderAndStartsItsOwnInterfaces() throws IOException {
    Bytes out = Bytes.of();
    shb(out, false);
    idb(out, false, 1, null);
    epb(out, false, 0, 5, F1);
    Bytes second = Bytes.of().littleEndian();
    shb(second, true);
    idb(second, true, 276, 3); // milliseconds
    epb(second, true, 0, 7, F2);
    out.bytes(second.array());
    try (PcapFileReader r = PcapFileReader.open(write(out))) {
      assertThat(readAll(r)).containsExactly(Seen.of(5, 1, F1), Seen.of(7_000, 276, F2));
    }
  }

  @Test
  void aTruncatedFinalPcapngBlockIsCounted() throws IOException {
    Bytes out = Bytes.of();
    shb(out, false);
    idb(out, false, 1, null);
    epb(out, false, 0, 5, F1);
    byte[] full = epb(out, false, 0, 6, F2).array();
    try (PcapFileReader r =
        PcapFileReader.open(write(Bytes.of().bytes(Arrays.copyOf(full, full.length - 3))))) {
      assertThat(readAll(r)).containsExactly(Seen.of(5, 1, F1));
      assertThat(r.truncatedRecords()).isEqualTo(1);
    }
  }

  @Test
  void aPacketForAnUndescribedInterfaceIsSkippedAsABadBlockAndReadingGoesOn() throws IOException {
    Bytes out = Bytes.of();
    shb(out, false);
    epb(out, false, 0, 5, F1); // no interface described yet
    idb(out, false, 1, null);
    epb(out, false, 0, 6, F2);
    try (PcapFileReader r = PcapFileReader.open(write(out))) {
      assertThat(readAll(r)).containsExactly(Seen.of(6, 1, F2));
      assertThat(r.skipped()).isEqualTo(java.util.Map.of("bad_block", 1L));
      assertThat(r.skippedBytes()).isEqualTo(12 + 20 + 8);
    }
  }

  // ---- damage in the middle: issue 17, finding 9 (one bad record header made decode write
  // nothing) ----

  private static final byte[] F3 = {42, 43, 44, 45, 46, 47, 48, 49};

  @Test
  void aBadRecordHeaderMidCaptureIsSteppedOverToTheNextPlausibleRecordAndCounted()
      throws IOException {
    for (boolean little : new boolean[] {false, true}) {
      Bytes b = classic(little, false, 1);
      record(b, 1_700_000_000L, 1, F1);
      record(b, 1_700_000_001L, 2, F2);
      // 37 bytes of damage where a record header should be: a captured length of 3 GB, then noise.
      b.u32(1_700_000_002L)
          .u32(3)
          .u32(0xc0000000L)
          .u32(0xc0000000L)
          .bytes(new byte[] {7, 7, 7, 7, 7})
          .zeros(16);
      record(b, 1_700_000_003L, 4, F3);
      record(b, 1_700_000_004L, 5, F1);
      try (PcapFileReader r = PcapFileReader.open(write(b))) {
        assertThat(readAll(r))
            .as("little-endian %s", little)
            .containsExactly(
                Seen.of(1_700_000_000_000_001L, 1, F1),
                Seen.of(1_700_000_001_000_002L, 1, F2),
                Seen.of(1_700_000_003_000_004L, 1, F3),
                Seen.of(1_700_000_004_000_005L, 1, F1));
        assertThat(r.skipped()).isEqualTo(java.util.Map.of("bad_record_header", 1L));
        assertThat(r.skippedBytes()).isEqualTo(37);
        assertThat(r.truncatedRecords()).isZero();
      }
    }
  }

  @Test
  void aRecordWhoseLengthWasDamagedIntoAPossibleOneIsLostAloneNotTheRestOfTheFile()
      throws IOException {
    Bytes b = classic(false, false, 1);
    record(b, 1_700_000_000L, 1, F1);
    int damaged = b.size();
    record(b, 1_700_000_001L, 2, F3);
    record(b, 1_700_000_002L, 3, F2);
    record(b, 1_700_000_003L, 4, F1);
    byte[] bytes = b.array();
    bytes[damaged + 11] = 20; // captured length 8 -> 20: the "record" swallows the next header
    try (PcapFileReader r = PcapFileReader.open(write(Bytes.of().bytes(bytes)))) {
      List<Seen> seen = readAll(r);
      // The damaged record and the one it swallowed cannot be told from noise; the last one is read
      // again.
      assertThat(seen)
          .startsWith(Seen.of(1_700_000_000_000_001L, 1, F1))
          .endsWith(Seen.of(1_700_000_003_000_004L, 1, F1));
      assertThat(r.skipped()).containsOnlyKeys("bad_record_header");
    }
  }

  @Test
  void aPcapngBlockWithADamagedLengthIsSteppedOverToTheNextBlockWhoseTwoLengthsAgree()
      throws IOException {
    for (boolean little : new boolean[] {false, true}) {
      Bytes out = endian(little);
      shb(out, little);
      idb(out, little, 1, null);
      epb(out, little, 0, 5, F1);
      int damaged = out.size();
      epb(out, little, 0, 6, F2);
      int after = out.size();
      epb(out, little, 0, 7, F3);
      byte[] bytes = out.array();
      bytes[damaged + (little ? 5 : 6)] ^=
          0x01; // 256 more in the leading length: the copies disagree
      try (PcapFileReader r = PcapFileReader.open(write(Bytes.of().bytes(bytes)))) {
        assertThat(readAll(r))
            .as("little-endian %s", little)
            .containsExactly(Seen.of(5, 1, F1), Seen.of(7, 1, F3));
        assertThat(r.skipped()).isEqualTo(java.util.Map.of("bad_block_length", 1L));
        assertThat(r.skippedBytes()).isEqualTo(after - damaged);
      }
    }
  }

  @Test
  void damageAnywhereAfterTheFileHeaderIsReadPastWithoutAnErrorInBothFormats() throws IOException {
    java.util.Random random = new java.util.Random(17);
    Bytes classic = classic(true, false, 1);
    Bytes ng = Bytes.of().littleEndian();
    shb(ng, true);
    idb(ng, true, 1, null);
    for (int i = 0; i < 200; i++) {
      byte[] data = new byte[1 + random.nextInt(120)];
      random.nextBytes(data);
      record(classic, 1_700_000_000L + i, i, data);
      epb(ng, true, 0, 1_700_000_000_000_000L + i, data);
    }
    for (Bytes file : List.of(classic, ng)) {
      byte[] clean = file.array();
      int header = file == classic ? 24 : 28 + 20;
      for (int round = 0; round < 300; round++) {
        byte[] bytes = clean.clone();
        int hits = 1 + random.nextInt(8);
        for (int k = hits; k > 0; k--) {
          bytes[header + random.nextInt(bytes.length - header)] = (byte) random.nextInt(256);
        }
        try (PcapFileReader r = PcapFileReader.open(write(Bytes.of().bytes(bytes)))) {
          int frames = readAll(r).size();
          // A hit costs at most the packet it lands in and its neighbour, never the rest of the
          // file.
          assertThat(frames)
              .as("round %d, %d hits", round, hits)
              .isGreaterThanOrEqualTo(200 - 2 * hits);
        }
      }
    }
  }

  @Test
  void framesAreReadOnlyViews() throws IOException {
    try (PcapFileReader r =
        PcapFileReader.open(write(record(classic(false, false, 1), 1, 1, F1)))) {
      ByteBuffer b = r.next().bytes();
      assertThat(b.isReadOnly()).isTrue();
      assertThat(b.position()).isZero();
    }
  }
}
