package org.bellwatch.agent.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {
  @TempDir Path dir;

  Path file(String text) throws Exception {
    return Files.writeString(dir.resolve("t.csv"), text, StandardCharsets.UTF_8);
  }

  /** Each row as line number and the named columns' cells. */
  static List<String> rows(List<CsvTable.Row> rows, String... columns) {
    return rows.stream()
        .map(
            r -> {
              StringBuilder sb = new StringBuilder().append(r.line());
              for (String c : columns) {
                sb.append('|').append(r.get(c));
              }
              return sb.toString();
            })
        .toList();
  }

  @Test
  void aByteOrderMarkAndCrlfLineEndsAreReadAsPlainTextWithHeadersInAnyCaseAndOrder()
      throws Exception {
    Path f = file("\uFEFFRoom,MAC\r\nRM101,aa:bb:cc:dd:ee:01\r\nRM102,aa:bb:cc:dd:ee:02\r\n");
    assertThat(rows(CsvTable.read(f, "mac", "room"), "mac", "room"))
        .containsExactly("2|aa:bb:cc:dd:ee:01|RM101", "3|aa:bb:cc:dd:ee:02|RM102");
  }

  @Test
  void aQuotedFieldKeepsCommasDoubledQuotesAndLineBreaksAndLaterRowsKeepTheirLineNumbers()
      throws Exception {
    Path f = file("title,room\n\"Biology, \"\"AP\"\"\nsection 2\",RM102\nChemistry,RM103\n");
    assertThat(rows(CsvTable.read(f), "title", "room"))
        .containsExactly("2|Biology, \"AP\"\nsection 2|RM102", "4|Chemistry|RM103");
  }

  @Test
  void blankLinesAreSkippedWithoutShiftingTheLineNumbersOfTheRowsAfterThem() throws Exception {
    Path f = file("a,b\n\n1,2\n   \n\r\n3,4");
    assertThat(rows(CsvTable.readSameWidth(f, "a"), "a", "b")).containsExactly("3|1|2", "6|3|4");
  }

  @Test
  void aShortRowReadsEmptyCellsAndTheExtraFieldsOfALongRowAreIgnored() throws Exception {
    Path f = file("a,b,c\n1\n1,2,3,4\n");
    assertThat(rows(CsvTable.read(f), "a", "b", "c")).containsExactly("2|1||", "3|1|2|3");
  }

  @Test
  void aRaggedRowIsRefusedNamingFileAndLineWhereEveryColumnIsRequiredInEveryRow() throws Exception {
    Path f = file("a,b,c\n1,2,3\n\"x\ny\",2\n");
    assertThatThrownBy(() -> CsvTable.readSameWidth(f))
        .isInstanceOf(CsvFileException.class)
        .hasMessage(
            f
                + ":3: 2 fields where the header has 3; every row needs one field per column"
                + " (a row cut short, or a comma in a value that is not quoted)");
  }

  @Test
  void aColumnNamedTwiceIsRefusedNamingBothColumnsAndUnnamedColumnsAreAllowed() throws Exception {
    Path twice = file("mac,room,Room\n");
    assertThatThrownBy(() -> CsvTable.read(twice, "mac"))
        .hasMessage(twice + ":1:3: column 'Room' is named twice (columns 2 and 3)");
    Path unnamed = file("mac,room,,\naa,RM1,,\n");
    assertThat(rows(CsvTable.read(unnamed, "mac"), "mac", "room")).containsExactly("2|aa|RM1");
  }

  @Test
  void aMissingColumnAnEmptyFileAndAnUnterminatedQuoteAreNamedWithFileAndLine() throws Exception {
    Path missing = file("mac,hostname\n");
    assertThatThrownBy(() -> CsvTable.read(missing, "mac", "room"))
        .hasMessage(missing + ":1: missing column 'room'");
    Path empty = file("");
    assertThatThrownBy(() -> CsvTable.read(empty))
        .hasMessage(empty + ":1: empty file, expected a header row");
    Path open = file("a,b\n1,2\n3,\"four\n5,6\n");
    assertThatThrownBy(() -> CsvTable.read(open))
        .hasMessage(open + ":3: unterminated quoted field");
  }

  @Test
  void aRowErrorNamesFileLineColumnNumberAndColumn() throws Exception {
    Path f = file("mac,room\r\n\"a\r\nb\",RM1\r\naa,RM2\r\n");
    CsvTable.Row second = CsvTable.read(f).get(1);
    assertThat(second.error("room", "is not a room").getMessage())
        .isEqualTo(f + ":4:2: room: is not a room");
    assertThat(second.error("asset_tag", "is missing").getMessage())
        .isEqualTo(f + ":4: asset_tag: is missing");
  }

  @Test
  void spacesAroundAQuotedFieldAreDroppedAndTextAfterItsClosingQuoteStaysWithTheField()
      throws Exception {
    Path f = file("name,room\n  \"Smith, J\" Jr  , \"RM 1\" \n");
    assertThat(rows(CsvTable.read(f), "name", "room")).containsExactly("2|Smith, J Jr|RM 1");
  }

  @Test
  void aFileThatIsNotUtf8IsNamedWithItsLine() throws Exception {
    Path f =
        Files.write(
            dir.resolve("latin1.csv"), "name\nJos\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> CsvTable.read(f))
        .isInstanceOf(CsvFileException.class)
        .hasMessageStartingWith(f + ":2:")
        .hasMessageContaining("UTF-8");
  }
}
