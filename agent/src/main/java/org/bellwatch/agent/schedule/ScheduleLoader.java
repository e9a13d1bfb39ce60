package org.bellwatch.agent.schedule;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bellwatch.agent.csv.CsvFileException;
import org.bellwatch.agent.csv.CsvTable;

/**
 * Loads a schedule folder (DESIGN.md "Schedule folder"): OneRoster 1.1 CSV under {@code
 * oneroster/}, {@code bells.csv}, the optional {@code calendar.csv} and an optional district {@code
 * calendar.ics}. Rows whose OneRoster {@code status} is {@code tobedeleted} are ignored (OneRoster
 * 1.1 section 3.1, delta processing).
 */
public final class ScheduleLoader {
  private ScheduleLoader() {}

  public static SiteSchedule load(Path dir, ZoneId zone) throws ScheduleException {
    if (!Files.isDirectory(dir)) {
      throw new ScheduleException(dir + ": schedule folder not found");
    }
    try {
      return read(dir, zone);
    } catch (CsvFileException e) {
      throw new ScheduleException(e.getMessage());
    }
  }

  private static SiteSchedule read(Path dir, ZoneId zone)
      throws ScheduleException, CsvFileException {
    Path roster = dir.resolve("oneroster");
    List<SiteSchedule.Term> terms = terms(roster.resolve("academicSessions.csv"));
    Map<String, List<BellPeriod>> bells = bells(dir.resolve("bells.csv"));
    Map<LocalDate, String> calendar = new HashMap<>();
    Path ics = dir.resolve("calendar.ics");
    if (Files.exists(ics)) {
      ICalendarDaysOff.read(ics).forEach(d -> calendar.put(d, SiteSchedule.NO_SCHOOL));
    }
    // calendar.csv is the site's own word: it overrides the district calendar.
    calendar.putAll(calendar(dir.resolve("calendar.csv"), bells.keySet()));
    Map<String, String> courseTitles = new HashMap<>();
    for (CsvTable.Row r : active(roster.resolve("courses.csv"), "sourcedId", "title")) {
      courseTitles.put(r.get("sourcedId"), r.get("title"));
    }
    Map<String, String> usernames = new HashMap<>();
    Map<String, String> userIdToName = new HashMap<>();
    Map<String, String> roles = new HashMap<>();
    // Filters that log the sign-in name (Google or Microsoft accounts) log the user's e-mail
    // address:
    // OneRoster's optional users.csv "email" names the same user. A username wins over an e-mail
    // address
    // that reads the same, and an address two users share names neither (never guess a person).
    Map<String, String> emails = new HashMap<>();
    java.util.Set<String> sharedEmails = new java.util.HashSet<>();
    RosterPeople.Builder people = new RosterPeople.Builder();
    for (CsvTable.Row r : active(roster.resolve("users.csv"), "sourcedId", "username", "role")) {
      String name = r.get("username");
      if (!name.isEmpty()) {
        usernames.put(name.toLowerCase(Locale.ROOT), name);
        // givenName and familyName are required by OneRoster but absent from some exports: names
        // are optional.
        people.user(
            name,
            RosterPeople.displayName(r.get("givenName"), r.get("familyName")),
            r.get("email").trim());
        userIdToName.put(r.get("sourcedId"), name);
        roles.put(r.get("sourcedId"), r.get("role").toLowerCase(Locale.ROOT));
        String email = r.get("email").toLowerCase(Locale.ROOT);
        if (!email.isEmpty()
            && emails.putIfAbsent(email, name) != null
            && !emails.get(email).equals(name)) {
          sharedEmails.add(email);
        }
      }
    }
    sharedEmails.forEach(emails::remove);
    emails.forEach(usernames::putIfAbsent);
    Map<String, List<String>> studentSections = new HashMap<>();
    for (CsvTable.Row r :
        active(roster.resolve("enrollments.csv"), "classSourcedId", "userSourcedId", "role")) {
      String classId = r.get("classSourcedId");
      String user = userIdToName.get(r.get("userSourcedId"));
      if (user == null) {
        continue;
      }
      String role = r.get("role").toLowerCase(Locale.ROOT);
      if (role.equals("teacher")) {
        // Every teacher enrollment counts: co-teachers teach the section as much as its primary
        // teacher.
        people.teacher(classId, user, r.get("primary").equalsIgnoreCase("true"));
      } else if (role.equals("student")) {
        studentSections
            .computeIfAbsent(user.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(classId);
      }
    }
    Map<String, ClassSection> sections = new LinkedHashMap<>();
    Map<String, List<ClassSection>> byRoom = new HashMap<>();
    Map<String, String> rooms = new HashMap<>();
    Set<String> instructional = new HashSet<>();
    Set<String> knownPeriods = new HashSet<>();
    bells.values().forEach(ps -> ps.forEach(p -> knownPeriods.add(p.name())));
    for (CsvTable.Row r :
        active(roster.resolve("classes.csv"), "sourcedId", "title", "courseSourcedId", "periods")) {
      Set<String> periods = periods(r, knownPeriods);
      String room = blankToNull(r.get("location"));
      ClassSection s =
          new ClassSection(
              r.get("sourcedId"),
              r.get("title"),
              courseTitles.get(r.get("courseSourcedId")),
              room,
              periods,
              people.primaryTeacher(r.get("sourcedId")),
              list(r.get("termSourcedIds")));
      sections.put(s.sourcedId(), s);
      instructional.addAll(periods);
      if (room != null) {
        byRoom.computeIfAbsent(room.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(s);
        rooms.putIfAbsent(room.toLowerCase(Locale.ROOT), room);
      }
    }
    return new SiteSchedule(
        zone,
        terms,
        bells,
        calendar,
        sections,
        usernames,
        studentSections,
        byRoom,
        rooms,
        instructional,
        people.build(sections.keySet()));
  }

  private static List<CsvTable.Row> active(Path file, String... required) throws CsvFileException {
    List<CsvTable.Row> rows = CsvTable.readSameWidth(file, required);
    return rows.stream().filter(r -> !r.get("status").equalsIgnoreCase("tobedeleted")).toList();
  }

  private static List<SiteSchedule.Term> terms(Path file) throws CsvFileException {
    List<SiteSchedule.Term> terms = new ArrayList<>();
    for (CsvTable.Row r : active(file, "sourcedId", "startDate", "endDate")) {
      LocalDate start = date(r, "startDate");
      LocalDate end = date(r, "endDate");
      if (end.isBefore(start)) {
        throw r.error("endDate", "ends before its startDate " + start);
      }
      terms.add(
          new SiteSchedule.Term(
              r.get("sourcedId"),
              blankToNull(r.get("title")),
              blankToNull(r.get("type")),
              start,
              end));
    }
    return terms;
  }

  private static Map<String, List<BellPeriod>> bells(Path file) throws CsvFileException {
    Map<String, List<BellPeriod>> bells = new LinkedHashMap<>();
    for (CsvTable.Row r : CsvTable.read(file, "bell_schedule", "period", "start", "end")) {
      String name = r.get("bell_schedule");
      if (name.isEmpty()) {
        throw r.error("bell_schedule", "is empty");
      }
      if (r.get("period").isEmpty()) {
        throw r.error("period", "is empty");
      }
      LocalTime start = time(r, "start");
      LocalTime end = time(r, "end");
      if (!end.isAfter(start)) {
        throw r.error("end", r.get("end") + " is not after start " + r.get("start"));
      }
      BellPeriod p = new BellPeriod(r.get("period"), start, end);
      List<BellPeriod> day = bells.computeIfAbsent(name, k -> new ArrayList<>());
      for (BellPeriod other : day) {
        if (start.isBefore(other.end()) && other.start().isBefore(end)) {
          throw r.error(
              "start", "period " + p.name() + " overlaps period " + other.name() + " of " + name);
        }
      }
      day.add(p);
    }
    return bells;
  }

  private static Map<LocalDate, String> calendar(Path file, Set<String> bellSchedules)
      throws CsvFileException {
    Map<LocalDate, String> calendar = new HashMap<>();
    if (!Files.exists(file)) {
      return calendar;
    }
    for (CsvTable.Row r : CsvTable.read(file, "date", "bell_schedule")) {
      String schedule = r.get("bell_schedule");
      if (!schedule.equals(SiteSchedule.NO_SCHOOL) && !bellSchedules.contains(schedule)) {
        throw r.error("bell_schedule", "'" + schedule + "' is not in bells.csv (nor 'none')");
      }
      calendar.put(date(r, "date"), schedule);
    }
    return calendar;
  }

  /**
   * OneRoster {@code periods}: a comma-separated list; "1-3" expands to 1, 2, 3 when both ends are
   * numbers.
   */
  private static Set<String> periods(CsvTable.Row r, Set<String> known) throws CsvFileException {
    Set<String> out = new LinkedHashSet<>();
    for (String part : list(r.get("periods"))) {
      int dash = part.indexOf('-');
      if (dash > 0
          && !known.contains(part)
          && part.substring(0, dash).trim().matches("\\d+")
          && part.substring(dash + 1).trim().matches("\\d+")) {
        int from = Integer.parseInt(part.substring(0, dash).trim());
        int to = Integer.parseInt(part.substring(dash + 1).trim());
        if (to < from || to - from > 20) {
          throw r.error("periods", "'" + part + "' is not a usable period range");
        }
        for (int i = from; i <= to; i++) {
          out.add(Integer.toString(i));
        }
      } else {
        out.add(part);
      }
    }
    return out;
  }

  private static Set<String> list(String cell) {
    Set<String> out = new LinkedHashSet<>();
    for (String p : cell.split(",")) {
      if (!p.isBlank()) {
        out.add(p.trim());
      }
    }
    return out;
  }

  private static LocalDate date(CsvTable.Row r, String column) throws CsvFileException {
    try {
      return LocalDate.parse(r.get(column));
    } catch (DateTimeParseException e) {
      throw r.error(column, "'" + r.get(column) + "' is not a date (YYYY-MM-DD)");
    }
  }

  private static LocalTime time(CsvTable.Row r, String column) throws CsvFileException {
    String text = r.get(column);
    try {
      return LocalTime.parse(text.length() == 4 ? "0" + text : text);
    } catch (DateTimeParseException e) {
      throw r.error(column, "'" + text + "' is not a local time (HH:MM)");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
