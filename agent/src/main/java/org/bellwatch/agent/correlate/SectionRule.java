package org.bellwatch.agent.correlate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bellwatch.agent.event.Times;
import org.bellwatch.agent.schedule.ClassSection;
import org.bellwatch.agent.schedule.PeriodInSession;
import org.bellwatch.agent.schedule.SiteSchedule;

/**
 * The section and instructional steps of the attribution (README "How a block is attributed"), for
 * a block whose person (the logged user, else the owner {@code devices.csv} assigns the device to)
 * and room are known or null. The rules, first match wins:
 *
 * <ol>
 *   <li>the person teaches a section in session (any {@code role=teacher} enrollment, co-teachers
 *       too): that section, blocked while teaching; when several of theirs meet at once, the one in
 *       the block's room, else the first (primary first). The lesson itself was stopped, and its
 *       teacher is the one who can say what the site is for;
 *   <li>the person is enrolled as a student in a section in session: that section;
 *   <li>the room has a section in session: that section. This also holds for a teacher in a
 *       planning period (no section of theirs in session): a teacher at a device in a room where a
 *       class meets while they teach nothing is most often covering that class, so the block
 *       stopped its work; the roster does not say they teach it, so it is not marked as blocked
 *       while teaching;
 *   <li>no section: instructional only when neither person nor room is known and the time falls in
 *       an instructional period (evidence "room unknown"); a teacher's own planning period is not.
 * </ol>
 */
final class SectionRule {
  /**
   * Where a block falls: its section (null when none), the teacher the event names, and the two
   * flags.
   */
  record Outcome(
      ClassSection section, String teacher, boolean instructional, boolean whileTeaching) {}

  /** "section:" lines by person or room and section: one class period explains many blocks. */
  private final LineCache personLines = new LineCache();

  private final LineCache roomLines = new LineCache();

  /**
   * The outcome for a block at {@code t} in {@code period}; adds one or two evidence lines.
   *
   * @param person the roster's spelling of the user, or of the device's owner when no user was
   *     logged; null when neither is in the roster
   * @param byOwner the person is the device's owner, not a logged user
   * @param room the block's room, or null
   */
  Outcome decide(
      SiteSchedule schedule,
      String person,
      boolean byOwner,
      String room,
      Instant t,
      Optional<PeriodInSession> period,
      List<String> evidence) {
    String who = person == null ? null : byOwner ? "devices.csv owner " + person : person;
    ClassSection byRoom = schedule.sectionInRoom(room, t);
    boolean teacher = person != null && !schedule.sectionsTaughtBy(person).isEmpty();
    List<ClassSection> teaching = teacher ? schedule.sectionsTaughtAt(person, t) : List.of();
    if (!teaching.isEmpty()) {
      ClassSection s = inRoom(teaching, byRoom);
      PeriodInSession p = period.orElseThrow();
      evidence.add(
          "section: "
              + (byOwner ? who : "user " + person)
              + " teaches "
              + s.sourcedId()
              + " ("
              + s.displayTitle()
              + ") in session "
              + Times.hhmm(p.period().start())
              + "-"
              + Times.hhmm(p.period().end())
              + "; blocked while teaching");
      conflict(evidence, room, byRoom, s, "the teacher's own section wins");
      return new Outcome(s, person, true, true);
    }
    ClassSection enrolled = person == null ? null : schedule.sectionOfStudent(person, t);
    if (enrolled != null) {
      String line = personLines.get(who, enrolled);
      evidence.add(
          line != null
              ? line
              : personLines.put(
                  who, enrolled, "section: " + who + " is enrolled in " + describe(enrolled)));
      conflict(evidence, room, byRoom, enrolled, "the user's enrollment wins");
      return new Outcome(enrolled, enrolled.teacher(), true, false);
    }
    if (teacher) {
      evidence.add(
          "planning: "
              + who
              + " teaches no section in session"
              + (byRoom == null ? "" : "; the room's section counts (a teacher covering a class)"));
    }
    if (byRoom != null) {
      String line = roomLines.get(room, byRoom);
      evidence.add(
          line != null
              ? line
              : roomLines.put(
                  room,
                  byRoom,
                  "section: room " + room + " has " + describe(byRoom) + " in session"));
      return new Outcome(byRoom, byRoom.teacher(), true, false);
    }
    if (person == null && room == null) {
      boolean instructional = schedule.isInstructionalTime(t);
      evidence.add(
          "room unknown: "
              + (instructional
                  ? "the time is inside an instructional period"
                  : "the time is outside instructional periods"));
      return new Outcome(null, null, instructional, false);
    }
    evidence.add(
        "no section in session for "
            + (person == null ? "" : byOwner ? who : "user " + person)
            + (person != null && room != null ? " or " : "")
            + (room != null ? "room " + room : ""));
    return new Outcome(null, null, false, false);
  }

  /**
   * The one of the teacher's sections in session that meets in the block's room, else the first.
   */
  private static ClassSection inRoom(List<ClassSection> teaching, ClassSection byRoom) {
    if (byRoom != null) {
      for (ClassSection s : teaching) {
        if (s.sourcedId().equals(byRoom.sourcedId())) {
          return s;
        }
      }
    }
    return teaching.get(0);
  }

  private static void conflict(
      List<String> evidence, String room, ClassSection byRoom, ClassSection chosen, String winner) {
    if (byRoom != null && !byRoom.sourcedId().equals(chosen.sourcedId())) {
      evidence.add(
          "conflict: room " + room + " has " + describe(byRoom) + " in session; " + winner);
    }
  }

  static String describe(ClassSection s) {
    return s.sourcedId() + " (" + s.title() + (s.teacher() == null ? "" : ", " + s.teacher()) + ")";
  }
}
