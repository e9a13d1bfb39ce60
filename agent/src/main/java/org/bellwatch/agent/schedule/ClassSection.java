package org.bellwatch.agent.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A OneRoster class (a section) as the correlator needs it.
 *
 * @param sourcedId OneRoster class sourcedId
 * @param title class title
 * @param courseTitle title of its course, or null
 * @param room the class {@code location}, or null
 * @param periods bell period names the class meets in
 * @param teacher username of the primary teacher, or null
 * @param termIds academic sessions the class runs in (empty: always)
 */
public record ClassSection(
    String sourcedId,
    String title,
    String courseTitle,
    String room,
    Set<String> periods,
    String teacher,
    Set<String> termIds) {

  /**
   * {@code "Course (Period 1, 2, Room)"}: the course title (else the class title, else the
   * sourcedId), then in brackets the periods and the room, each left out when unknown: {@code
   * "Biology (Period 2, RM102)"}, {@code "Biology (RM102)"}, {@code "Biology"}.
   */
  public String displayTitle() {
    String name =
        courseTitle != null && !courseTitle.isBlank()
            ? courseTitle
            : title != null && !title.isBlank() ? title : sourcedId;
    List<String> parts = new ArrayList<>();
    if (!periods.isEmpty()) {
      parts.add("Period " + String.join(", ", periods));
    }
    if (room != null) {
      parts.add(room);
    }
    return parts.isEmpty() ? name : name + " (" + String.join(", ", parts) + ")";
  }
}
