package org.bellwatch.agent.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A day row's two parts: the head a range reads (each section blocked that day once, each domain's
 * lessons) and the tail a write changes (blocks by domain and section), which decodes to the row
 * that was counted.
 */
class SchoolDayTest {
  private static final int GAMES = 1;
  private static final int VIDEO = 900;
  private static final int CATEGORY = 5;

  @Test
  void theHeadNamesEachSectionOnceAndEachDomainsLessonsAndTheTailDecodesToTheCountedRow() {
    SchoolDay row = new SchoolDay();
    row.add(true, GAMES, 40_000, CATEGORY, 3);
    row.add(true, GAMES, 7, CATEGORY, 1);
    row.add(true, VIDEO, 40_000, -1, 2);
    row.add(true, VIDEO, -1, CATEGORY, 1);
    row.add(false, VIDEO, 12, CATEGORY, 4);

    List<String> head = new ArrayList<>();
    SchoolDay.read(
        row.encode(),
        new SchoolDay.Reader() {
          @Override
          public void totals(long blocks, long instructional, int lessons) {
            head.add("totals " + blocks + " " + instructional + " " + lessons);
          }

          @Override
          public void section(int id) {
            head.add("section " + id);
          }

          @Override
          public void domain(int id, long instructional, int lessons) {
            head.add("domain " + id + " " + instructional + " " + lessons);
          }

          @Override
          public void category(int id, long blocks) {
            head.add("category " + id + " " + blocks);
          }
        });
    assertThat(head.subList(0, 3)).containsExactly("totals 11 7 2", "section 7", "section 40000");
    assertThat(head.subList(3, head.size()))
        .containsExactlyInAnyOrder(
            "domain 1 4 2", "category 5 4", "domain 900 3 1", "category 5 1");
    assertThat(head.indexOf("category 5 4")).isEqualTo(head.indexOf("domain 1 4 2") + 1);

    SchoolDay back = SchoolDay.decode(row.encode());
    assertThat(back.blocks).isEqualTo(11);
    assertThat(back.instructional).isEqualTo(7);
    assertThat(back.domains.keySet()).containsExactlyInAnyOrder(GAMES, VIDEO);
    assertThat(back.domains.get(GAMES).sections)
        .hasSize(2)
        .hasEntrySatisfying(40_000, n -> assertThat(n).containsExactly(3))
        .hasEntrySatisfying(7, n -> assertThat(n).containsExactly(1));
    assertThat(back.domains.get(VIDEO).sections)
        .hasSize(1)
        .hasEntrySatisfying(40_000, n -> assertThat(n).containsExactly(2));
    assertThat(back.domains.get(VIDEO).categories)
        .hasSize(1)
        .hasEntrySatisfying(CATEGORY, n -> assertThat(n).containsExactly(1));
    assertThat(back.encode()).isEqualTo(row.encode());
  }
}
