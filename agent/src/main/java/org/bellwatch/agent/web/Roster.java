package org.bellwatch.agent.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.function.Supplier;
import org.bellwatch.agent.schedule.ClassSection;
import org.bellwatch.agent.schedule.SiteSchedule;

/**
 * People and sections as the console shows them, looked up when a request is answered in the roster
 * in force (it reloads when the schedule folder changes), never stored with the events: display
 * names ({@code givenName familyName}), section titles ("Biology (Period 2, RM102)"), a section's
 * teachers, and the sections a teacher account may see. Names added here are raw; {@link
 * PrivacyFilter} then decides what a role sees of {@code user_name}, as of {@code user}.
 */
final class Roster {
  private final Supplier<SiteSchedule> schedule;

  Roster(Supplier<SiteSchedule> schedule) {
    this.schedule = schedule;
  }

  /**
   * The sections a teacher account may see: those where the OneRoster user with the account's
   * username or e-mail address (any case) has a {@code role=teacher} enrollment. An account the
   * roster does not know gets none (it sees nothing), never all.
   */
  Set<String> sectionsOfTeacher(String accountUsername) {
    return Set.copyOf(schedule.get().sectionsTaughtBy(accountUsername));
  }

  /**
   * The roster's spelling of a username or e-mail address (any case), or null when the roster does
   * not know it.
   */
  String canonicalUser(String username) {
    return schedule.get().canonicalUser(username);
  }

  /** The display name of a roster user (by username or e-mail address), or null. */
  String displayName(String username) {
    return schedule.get().displayName(username);
  }

  /**
   * A block row (JSON) with {@code user_name}, {@code section_title} and {@code teacher_name}
   * added, each right after the id it names, so that the CSV export keeps them side by side.
   */
  ObjectNode withNames(ObjectNode row) {
    SiteSchedule s = schedule.get();
    ObjectNode out = row.objectNode();
    row.fields()
        .forEachRemaining(
            e -> {
              out.set(e.getKey(), e.getValue());
              String id = text(e.getValue());
              switch (e.getKey()) {
                case "user" -> out.put("user_name", s.displayName(id));
                case "section" -> out.put("section_title", s.sectionTitle(id));
                case "teacher" -> out.put("teacher_name", s.displayName(id));
                default -> {}
              }
            });
    return out;
  }

  /**
   * A section item of a report ({@code section} and {@code teacher} ids) with its {@code title},
   * {@code teacher_name} and {@code periods} (empty when the section is no longer in the roster).
   */
  void describe(ObjectNode item) {
    SiteSchedule s = schedule.get();
    String id = text(item.get("section"));
    item.put("title", s.sectionTitle(id));
    item.put("teacher_name", s.displayName(text(item.get("teacher"))));
    periods(item, s.section(id));
  }

  private static void periods(ObjectNode item, ClassSection c) {
    ArrayNode periods = item.putArray("periods");
    if (c != null) {
      c.periods().forEach(periods::add);
    }
  }

  /**
   * What the section detail adds: {@link #describe} and every teacher, co-teachers included, with
   * names.
   */
  void describeWithTeachers(ObjectNode item) {
    describe(item);
    SiteSchedule s = schedule.get();
    ArrayNode teachers = item.putArray("teachers");
    for (String t : s.teachersOf(text(item.get("section")))) {
      teachers.addObject().put("username", t).put("name", s.displayName(t));
    }
  }

  /** The label of a section by id from the roster, or null when the roster has no such section. */
  ObjectNode label(ObjectNode into, String sectionId) {
    SiteSchedule s = schedule.get();
    ClassSection c = s.section(sectionId);
    if (c == null) {
      return null;
    }
    into.put("section", c.sourcedId())
        .put("title", c.displayTitle())
        .put("course", c.courseTitle())
        .put("teacher", c.teacher())
        .put("teacher_name", s.displayName(c.teacher()))
        .put("room", c.room());
    periods(into, c);
    return into;
  }

  /**
   * The academic sessions of the roster (all types) by start date: {@code id, title, type, start,
   * end}.
   */
  ArrayNode terms(ArrayNode into) {
    for (SiteSchedule.Term t : schedule.get().terms()) {
      into.addObject()
          .put("id", t.sourcedId())
          .put("title", t.title())
          .put("type", t.type())
          .put("start", t.start().toString())
          .put("end", t.end().toString());
    }
    return into;
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }
}
