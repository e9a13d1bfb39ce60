package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bellwatch.agent.csv.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvExportTest {
  @TempDir Path dir;

  @Test
  void anExportReadsBackCellForCellThroughTheAgentsOwnReaderWithFormulasNeutralized()
      throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ArrayNode rows = mapper.createArrayNode();
    rows.addObject()
        .put("domain", "a,b.example.com")
        .put("user", "say \"hi\"")
        .put("note", "two\r\nlines");
    rows.addObject().put("domain", "=cmd|' /C calc'!A0").put("user", "").put("note", "#tag");
    String csv = Csv.of(List.of("domain", "user", "note"), rows);
    assertThat(csv)
        .startsWith(
            "domain,user,note\r\n\"a,b.example.com\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n")
        .endsWith("\r\n");

    Path file = Files.writeString(dir.resolve("export.csv"), csv, StandardCharsets.UTF_8);
    List<CsvTable.Row> read = CsvTable.readSameWidth(file, "domain", "user", "note");
    assertThat(read)
        .extracting(r -> r.get("domain") + "|" + r.get("user") + "|" + r.get("note"))
        .containsExactly("a,b.example.com|say \"hi\"|two\r\nlines", "'=cmd|' /C calc'!A0||#tag");
    assertThat(read).extracting(CsvTable.Row::line).containsExactly(2, 4);
  }
}
